// A growing network (network.join, docs/model.md "Faults"): the present counter of every round,
// no node informed before it joins, sources among the nodes present at round 0, no end before the
// last join, and with flood on a path the exact arrival rounds max(BFS distance, join round).
#include "core/error.hpp"
#include "gen/generate.hpp"
#include "gen/spec.hpp"
#include "sim/simulate.hpp"
#include "support.hpp"

using namespace gossip;

namespace {

struct Record : Sink {
  std::vector<RoundStats> rounds;
  std::vector<NodeId> sources;
  std::vector<Round> informed_at;
  TrialSummary summary;
  void on_trial_start(std::uint32_t, std::span<const NodeId> s) override { sources.assign(s.begin(), s.end()); }
  void on_round(std::uint32_t, Round, const RoundStats& s) override { rounds.push_back(s); }
  void on_trial_end(const TrialSummary& s, std::span<const Round> ia, std::span<const std::uint16_t>) override {
    summary = s;
    informed_at.assign(ia.begin(), ia.end());
  }
};

ProtocolSpec spec(Mode m, JoinSpec join) {
  ProtocolSpec s{.mode = m, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 0, .stop = StopRule::none,
                 .k = 1, .sources = 3, .source_nodes = {}, .loss = 0.0, .recovery_prob = 1.0};
  s.faults.join = join;
  return s;
}

}  // namespace

TEST_CASE("network.join linear: present, no node informed before it joins, sources present at round 0") {
  const Graph g = generate(parse_spec("ba:n=5000,m=2"), {1});
  const JoinSpec join{.kind = JoinSpec::linear, .per_round = 97, .start = 40, .text = "linear:per_round=97,start=40"};
  for (Mode m : {Mode::push, Mode::pull, Mode::push_pull, Mode::flood}) {
    for (int threads : {1, 2}) {
      INFO("mode ", mode_name(m), " threads ", threads);
      Record rec;
      gossip::test::with_threads(threads, [&] { simulate(g, spec(m, join), {9, 1, 0, 2000, Packing::automatic}, rec); });
      for (NodeId s : rec.sources) CHECK(s < 40);
      const Round last_join = join.round_of(4999);
      CHECK(last_join == 52);  // 1 + (4999 - 40) / 97
      CHECK(rec.summary.rounds >= last_join);
      for (std::size_t r = 0; r < rec.rounds.size(); ++r) {
        CHECK(rec.rounds[r].present == std::min<std::int64_t>(5000, 40 + 97 * static_cast<std::int64_t>(r)));
        CHECK(rec.rounds[r].up == rec.rounds[r].present);
      }
      for (NodeId v = 0; v < 5000; ++v)
        if (rec.informed_at[v] != kNever) CHECK(rec.informed_at[v] >= join.round_of(v));
    }
  }
}

TEST_CASE("flood on a path with joins just in time: node v informed in round v") {
  // The path 0 - 1 - ... - 199 from source 0; with start 1 node v joins in round
  // 1 + (v - 1) / per_round <= v, so it is present when the copy of v - 1 (informed in round
  // v - 1, flooding in round v) arrives: informed_at[v] = v, and the trial ends at round 199.
  const Graph g = generate(parse_spec("path:n=200"), {1});
  for (std::uint64_t per_round : {1, 3}) {
    ProtocolSpec s = spec(Mode::flood, {.kind = JoinSpec::linear, .per_round = per_round, .start = 1, .text = "x"});
    s.source_nodes = {0};
    Record rec;
    simulate(g, s, {1, 1, 0, 1000, Packing::off}, rec);
    for (NodeId v = 0; v < 200; ++v) CHECK(rec.informed_at[v] == static_cast<Round>(v));
    CHECK(rec.summary.rounds == 199);
  }
  // A source that has not joined at round 0 is refused.
  ProtocolSpec late = spec(Mode::flood, {.kind = JoinSpec::linear, .per_round = 1, .start = 5, .text = "x"});
  late.source_nodes = {7};
  Record rec;
  CHECK_THROWS_WITH_AS(simulate(g, late, {1, 1, 0, 100, Packing::off}, rec),
                       "protocol.source_nodes: node 7 joins after round 0 (network.join = 'x': nodes 0 .. 4 are present)",
                       UsageError);
}
