// A growing network (network.join, docs/model.md "Faults"): the present counter of every round,
// no node informed before it joins, sources among the nodes present at round 0, no end before the
// last join, and with flood on a path the exact arrival rounds max(BFS distance, join round).
#include <fmt/format.h>

#include "core/error.hpp"
#include "gen/generate.hpp"
#include "gen/spec.hpp"
#include "io/node_file.hpp"
#include "sim/simulate.hpp"
#include "support.hpp"
#include "temp_file.hpp"

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
  const JoinSpec join{.kind = JoinSpec::linear, .per_round = 97, .start = 40, .text = "linear:per_round=97,start=40", .column = {}, .rounds = {}};
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
    ProtocolSpec s = spec(Mode::flood, {.kind = JoinSpec::linear, .per_round = per_round, .start = 1, .text = "x", .column = {}, .rounds = {}});
    s.source_nodes = {0};
    Record rec;
    simulate(g, s, {1, 1, 0, 1000, Packing::off}, rec);
    for (NodeId v = 0; v < 200; ++v) CHECK(rec.informed_at[v] == static_cast<Round>(v));
    CHECK(rec.summary.rounds == 199);
  }
  // A source that has not joined at round 0 is refused.
  ProtocolSpec late = spec(Mode::flood, {.kind = JoinSpec::linear, .per_round = 1, .start = 5, .text = "x", .column = {}, .rounds = {}});
  late.source_nodes = {7};
  Record rec;
  CHECK_THROWS_WITH_AS(simulate(g, late, {1, 1, 0, 100, Packing::off}, rec),
                       "protocol.source_nodes: node 7 joins after round 0 (network.join = 'x': nodes 0 .. 4 are present)",
                       UsageError);
}

TEST_CASE("network.join file: rounds from a node file column, not in id order") {
  // The path 0 - 1 - ... - 199, node v's row says it joins in round v (just in time for the copy
  // of v - 1) except node 150, which joins in round 151: the copy sent to it in round 150 is lost
  // and nodes 150 .. 199 are never informed. Rows are written in reverse id order.
  std::string text = "id other joined\n";
  for (NodeId v = 200; v-- > 0;) text += fmt::format("{} 7 {}\n", v, v == 150 ? 151 : v);
  const gossip::test::TempFile nodes(text, ".csv");
  GraphOptions opt;
  opt.source = "path:n=200";
  opt.node_file = nodes.path;
  const Graph g = open_graph(opt);
  std::string why;
  ProtocolSpec s = spec(Mode::flood, *parse_join("file:joined", why));
  s.source_nodes = {0};
  io::load_node_columns(s.faults, g, opt);
  for (int threads : {1, 2, 4}) {
    Record rec;
    gossip::test::with_threads(threads, [&] { simulate(g, s, {1, 1, 0, 1000, Packing::off}, rec); });
    for (NodeId v = 0; v < 200; ++v) CHECK(rec.informed_at[v] == (v < 150 ? static_cast<Round>(v) : kNever));
    CHECK(rec.summary.rounds == 199);  // not before the last join (node 199, round 199)
    for (std::size_t r = 0; r < rec.rounds.size(); ++r)
      CHECK(rec.rounds[r].present == std::min<std::int64_t>(static_cast<std::int64_t>(r) + 1, 200) - (r == 150));
    CHECK(rec.rounds[150].lost_down == 1);  // 149's copy to the absent node 150
  }
  // Drawn sources are among the nodes of round 0 (here only node 0); a listed one must be there.
  s.source_nodes = {};
  s.sources = 1;
  Record rec;
  simulate(g, s, {5, 3, 0, 1000, Packing::off}, rec);
  CHECK(rec.sources == std::vector<NodeId>{0});
  s.source_nodes = {4};
  CHECK_THROWS_WITH_AS(simulate(g, s, {1, 1, 0, 100, Packing::off}, rec),
                       "protocol.source_nodes: node 4 joins in round 4 (network.join = 'file:joined'): a source is "
                       "present at round 0",
                       UsageError);
  s.source_nodes = {};
  s.sources = 2;
  CHECK_THROWS_WITH_AS(simulate(g, s, {1, 1, 0, 100, Packing::off}, rec),
                       "protocol.sources = 2 exceeds the number of nodes (n = 1 present at round 0)", UsageError);
}

TEST_CASE("ba graphs grow in id order: linear joins add each node next to the nodes already present") {
  // ba attaches node v's edges to nodes <= v (gen/ba.cpp), so id order is the attachment order
  // that network.join = linear follows. With m = 1 node v >= 1 has one edge, to an earlier node
  // unless it drew itself (a self loop, dropped): exactly the nodes without a smaller neighbour
  // (node 0's edge is always a loop).
  for (std::uint64_t seed : {4, 5, 6}) {
    const CsrGraph g = std::get<CsrGraph>(generate(parse_spec("ba:n=3000,m=1"), {seed}));
    std::uint64_t without = 0;
    for (NodeId v = 1; v < g.num_nodes(); ++v) without += g.degree(v) == 0 || g.neighbors(v).front() > v;
    CHECK(without + 1 == g.counts().self_loops_dropped);
    CHECK(g.counts().duplicates_dropped == 0);
  }
}
