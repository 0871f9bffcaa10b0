// The reachable set of a trial and run.stop_coverage (docs/model.md, "Trial summary"): its size
// against a serial search written here from the definition (nodes a path from a source reaches
// through non-crashed nodes, along the arcs the mode's rumor travels), for every way Reach takes
// it (from the trial's end, from components, by search; undirected, directed, complete graph,
// crashed nodes); the reach_X marks and the coverage of the reachable set; a trial that ends at
// run.stop_coverage equals the uninterrupted trial up to that round.
#include <deque>

#include "gen/generate.hpp"
#include "gen/spec.hpp"
#include "protocol/faults.hpp"
#include "sim/simulate.hpp"
#include "sim/trial_summary.hpp"
#include "support.hpp"

using namespace gossip;

namespace {

struct Record : Sink {
  std::vector<std::vector<NodeId>> sources;
  std::vector<std::vector<std::int64_t>> informed;
  std::vector<TrialSummary> summaries;
  void on_trial_start(std::uint32_t, std::span<const NodeId> s) override {
    sources.emplace_back(s.begin(), s.end());
    informed.emplace_back();
  }
  void on_round(std::uint32_t, Round, const RoundStats& s) override { informed.back().push_back(s.informed); }
  void on_trial_end(const TrialSummary& s, std::span<const Round>, std::span<const std::uint16_t>) override {
    summaries.push_back(s);
  }
};

ProtocolSpec spec(Mode m) {
  return {.mode = m, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 0, .stop = StopRule::none, .k = 1,
          .sources = 2, .source_nodes = {}, .loss = 0.0, .recovery_prob = 1.0};
}

// The definition, serially: a search from the sources over the arcs the rumor can travel.
std::int64_t reachable(const CsrGraph& g, Mode mode, const std::vector<NodeId>& sources, std::uint64_t seed,
                       std::uint32_t trial, double crashed) {
  const NodeId n = g.num_nodes();
  std::vector<bool> down(n, false), seen(n, false);
  for (NodeId v = 0; v < n; ++v) down[v] = faults::node_coins(seed, trial, v).v[0] < faults::threshold(crashed);
  std::vector<std::vector<NodeId>> in(n);  // reversed arcs
  for (NodeId v = 0; v < n; ++v)
    for (NodeId w : g.neighbors(v)) in[w].push_back(v);
  std::deque<NodeId> q;
  for (NodeId s : sources) down[s] = false, seen[s] = true, q.push_back(s);
  std::int64_t count = static_cast<std::int64_t>(q.size());
  while (!q.empty()) {
    const NodeId v = q.front();
    q.pop_front();
    std::vector<NodeId> next;
    if (mode != Mode::pull) next.insert(next.end(), g.neighbors(v).begin(), g.neighbors(v).end());  // v pushes
    if (mode == Mode::pull || mode == Mode::push_pull) next.insert(next.end(), in[v].begin(), in[v].end());  // pulled from v
    for (NodeId w : next)
      if (!down[w] && !seen[w]) seen[w] = true, ++count, q.push_back(w);
  }
  return count;
}

void check_reach(const char* graph, ProtocolSpec s, double crashed = 0.0) {
  const Graph any = generate(parse_spec(graph), {1});
  const auto& g = std::get<CsrGraph>(any);
  s.faults.crashed = crashed;
  Record rec;
  gossip::test::with_threads(2, [&] { simulate(any, s, {11, 6, 0, 300, Packing::automatic}, rec); });
  REQUIRE(rec.summaries.size() == 6);
  for (std::size_t t = 0; t < 6; ++t) {
    const TrialSummary& x = rec.summaries[t];
    INFO(graph, " mode ", mode_name(s.mode), " p ", s.forward_prob, " ttl ", s.ttl, " crashed ", crashed, " trial ", t);
    const std::int64_t want = reachable(g, s.mode, rec.sources[t], 11, static_cast<std::uint32_t>(t), crashed);
    CHECK(x.reachable == want);
    CHECK(x.final_informed <= want);
    CHECK(x.coverage_reachable == doctest::Approx(static_cast<double>(x.final_informed) / static_cast<double>(want)));
    // reach_90: the first round with informed >= ceil(0.9 reachable).
    std::optional<Round> mark;
    const auto target = static_cast<std::int64_t>(std::ceil(0.9 * static_cast<double>(want)));
    for (std::size_t r = 0; r < rec.informed[t].size() && !mark; ++r)
      if (rec.informed[t][r] >= target) mark = static_cast<Round>(r);
    CHECK(x.reach_90 == mark);
    CHECK(x.reach_full.has_value() == (x.final_informed == want));
  }
}

}  // namespace

TEST_CASE("reachable set: from the trial's end, from components, by search") {
  const char* sparse = "er:n=3000,d=1.5";  // many components
  for (Mode m : {Mode::push, Mode::pull, Mode::push_pull, Mode::flood}) check_reach(sparse, spec(m));
  ProtocolSpec p = spec(Mode::flood);
  p.forward_prob = 0.4;  // ends early: components (one by one and packed)
  check_reach(sparse, p);
  p = spec(Mode::push);
  p.ttl = 3;
  check_reach(sparse, p);
  check_reach(sparse, spec(Mode::push), 0.3);   // crashed nodes: a search around them
  check_reach(sparse, spec(Mode::flood), 0.2);
  for (Mode m : {Mode::push, Mode::pull, Mode::push_pull, Mode::flood}) {  // directed: forward or backward
    ProtocolSpec d = spec(m);
    d.ttl = 2;
    check_reach("er:n=2000,d=1.5,directed=1", d);
  }
}

TEST_CASE("reachable set on the complete graph: every node not crashed") {
  const Graph g = generate(parse_spec("complete:n=500"), {1});
  for (double crashed : {0.0, 0.25}) {
    ProtocolSpec s = spec(Mode::push);
    s.faults.crashed = crashed;
    s.ttl = 1;
    Record rec;
    simulate(g, s, {3, 3, 0, 100, Packing::off}, rec);
    for (std::size_t t = 0; t < 3; ++t) {
      std::int64_t up = 0;
      for (NodeId v = 0; v < 500; ++v)
        up += faults::node_coins(3, static_cast<std::uint32_t>(t), v).v[0] >= faults::threshold(crashed) ||
              std::ranges::find(rec.sources[t], v) != rec.sources[t].end();
      CHECK(rec.summaries[t].reachable == up);
    }
  }
}

TEST_CASE("run.stop_coverage ends a trial at the first round with informed >= ceil(q reachable)") {
  const Graph g = generate(parse_spec("rmat:scale=11,ef=4"), {3});
  for (Mode m : {Mode::push, Mode::pull, Mode::flood}) {
    ProtocolSpec s = spec(m);
    s.forward_prob = m == Mode::flood ? 0.7 : 1.0;
    Record whole, cut;
    simulate(g, s, {5, 4, 0, 3000, Packing::off}, whole);
    RunParams run{5, 4, 0, 3000, Packing::automatic};
    run.stop_coverage = 0.9;
    gossip::test::with_threads(2, [&] { simulate(g, s, run, cut); });
    REQUIRE(cut.summaries.size() == 4);
    for (std::size_t t = 0; t < 4; ++t) {
      INFO("mode ", mode_name(m), " trial ", t);
      const TrialSummary &a = whole.summaries[t], &b = cut.summaries[t];
      CHECK(b.reachable == a.reachable);
      const auto target = static_cast<std::int64_t>(std::ceil(0.9 * static_cast<double>(a.reachable)));
      if (a.reach_90) {  // reached: the cut trial ends in that round, with the same rounds before it
        CHECK(b.coverage_stop);
        CHECK(b.rounds == *a.reach_90);
        CHECK(b.final_informed >= target);
        REQUIRE(cut.informed[t].size() == static_cast<std::size_t>(b.rounds) + 1);
        for (std::size_t r = 0; r < cut.informed[t].size(); ++r) CHECK(cut.informed[t][r] == whole.informed[t][r]);
      } else {
        CHECK_FALSE(b.coverage_stop);
        CHECK(b.rounds == a.rounds);
      }
    }
  }
}
