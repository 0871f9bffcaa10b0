// Faults (docs/model.md, "Faults: nodes that are down, partitions"): oracles on the serial
// reference simulator (crashed nodes never informed, a permanent partition keeps the rumor in the
// source's group, flood = BFS on the up nodes, recover events let everything be informed, the
// stationary down fraction of churn, the `up` counter), then the parallel engine against the
// reference node by node with every fault kind, mode and option, at 1, 2 and 4 threads.
#include <cmath>
#include <numbers>
#include <string>

#include <fmt/format.h>

#include "collect.hpp"
#include "io/node_file.hpp"
#include "temp_file.hpp"
#include "reference_oracles.hpp"
#include "sanitizer.hpp"
#include "sim/simulate.hpp"
#include "summary_check.hpp"
#include "theory_support.hpp"

using namespace gossip;
using namespace gossip::test;

namespace {

// Sanitizer builds (tests/sanitizer.hpp) run fewer trials and thread counts (1 and 4), never a
// fault kind, mode or option less.
constexpr bool kSmall = kSanitizer;

constexpr std::uint32_t kCrashSub = 0x80000002u;  // {v, 0, 2^31 + 2, t}: B0 crash coin, B1 churn coin
constexpr std::uint32_t kEventCoinSub = 0x80000004u;  // {v, e, 2^31 + 4, t}: event e's coin

// --- Fault specs, as the config would give them --------------------------------------------

PeriodDist geometric(double p) { return {.kind = PeriodDist::geometric, .a = p, .b = 1.0}; }
PeriodDist weibull(double shape, double scale) { return {.kind = PeriodDist::weibull, .a = shape, .b = scale}; }
PeriodDist pareto(double shape, double scale) { return {.kind = PeriodDist::pareto, .a = shape, .b = scale}; }

// bernoulli:fail=a,recover=b is sessions:up=geometric(p = a),down=geometric(p = b).
ChurnSpec bernoulli(double fail, double recover, double fraction = 1.0) {
  return {.kind = ChurnSpec::bernoulli, .up = geometric(fail), .down = geometric(recover), .fraction = fraction,
          .text = "bernoulli"};
}
ChurnSpec sessions(PeriodDist up, PeriodDist down, double fraction = 1.0) {
  return {.kind = ChurnSpec::sessions, .up = up, .down = down, .fraction = fraction, .text = "sessions"};
}

FaultEvent fail_fraction(Round r, double fraction) { return {.kind = FaultEvent::fail, .round = r, .fraction = fraction, .nodes = {}, .groups = 2, .group_column = {}, .group_map = {}}; }
FaultEvent fail_nodes(Round r, std::vector<NodeId> nodes) {
  return {.kind = FaultEvent::fail, .round = r, .fraction = 0.0, .nodes = std::move(nodes), .groups = 2, .group_column = {}, .group_map = {}};
}
FaultEvent recover_fraction(Round r, double fraction) {
  return {.kind = FaultEvent::recover, .round = r, .fraction = fraction, .nodes = {}, .groups = 2, .group_column = {}, .group_map = {}};
}
FaultEvent recover_nodes(Round r, std::vector<NodeId> nodes) {
  return {.kind = FaultEvent::recover, .round = r, .fraction = 0.0, .nodes = std::move(nodes), .groups = 2, .group_column = {}, .group_map = {}};
}
FaultEvent partition(Round r, std::uint32_t groups) { return {.kind = FaultEvent::partition, .round = r, .fraction = 0.0, .nodes = {}, .groups = groups, .group_column = {}, .group_map = {}}; }
FaultEvent heal(Round r) { return {.kind = FaultEvent::heal, .round = r, .fraction = 0.0, .nodes = {}, .groups = 2, .group_column = {}, .group_map = {}}; }

FaultSpec faults_of(double crashed, ChurnSpec churn = {}, std::vector<FaultEvent> events = {}, JoinSpec join = {}) {
  return {.crashed = crashed, .churn = churn, .events = std::move(events), .join = std::move(join), .delay = {}};
}

// network.join = linear:per_round=R,start=S.
JoinSpec linear_join(std::uint64_t per_round, std::uint64_t start) {
  return {.kind = JoinSpec::linear, .per_round = per_round, .start = start, .text = "linear", .column = {}, .rounds = {}};
}

ProtocolSpec spec_of(Mode m, FaultSpec faults, std::uint64_t sources = 1) {
  return {.mode = m, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 0, .stop = StopRule::none, .k = 1,
          .sources = sources, .source_nodes = {}, .loss = 0.0, .recovery_prob = 1.0, .faults = std::move(faults)};
}

// Flood with recovery (SIR) is its own mode here.
struct ModeCase {
  Mode mode;
  double recovery;
  const char* name;
};
constexpr ModeCase kModeCases[] = {{Mode::push, 1.0, "push"},
                               {Mode::pull, 1.0, "pull"},
                               {Mode::push_pull, 1.0, "push-pull"},
                               {Mode::flood, 1.0, "flood"},
                               {Mode::flood, 0.4, "flood with recovery"}};

ProtocolSpec spec_of(const ModeCase& m, FaultSpec faults, std::uint64_t sources = 1) {
  ProtocolSpec s = spec_of(m.mode, std::move(faults), sources);
  s.recovery_prob = m.recovery;
  return s;
}

// --- Oracles written from the model's text, not from RefFaults --------------------------------

// Crashed nodes: non-sources with C0 < floor(f 2^32), C = philox(seed; {v, 0, 2^31 + 2, t}).
std::vector<bool> crashed_nodes(NodeId n, double f, std::uint64_t seed, std::uint32_t trial,
                                const std::vector<NodeId>& sources) {
  std::vector<bool> out(n, false);
  const auto thr = static_cast<std::uint64_t>(std::floor(std::ldexp(f, 32)));  // exact for these f
  for (NodeId v = 0; v < n; ++v)
    out[v] = std::find(sources.begin(), sources.end(), v) == sources.end() && philox(seed, v, 0, kCrashSub, trial).v[0] < thr;
  return out;
}

// The nodes that event e (fraction f) names: E0 < floor(f 2^32), E = philox(seed; {v, e, 2^31 + 4, t}).
std::vector<bool> event_named(NodeId n, std::uint32_t e, double f, std::uint64_t seed, std::uint32_t trial) {
  std::vector<bool> out(n, false);
  const auto thr = static_cast<std::uint64_t>(std::floor(std::ldexp(f, 32)));
  for (NodeId v = 0; v < n; ++v) out[v] = philox(seed, v, e, kEventCoinSub, trial).v[0] < thr;
  return out;
}

std::int64_t how_many(const std::vector<bool>& xs) { return std::count(xs.begin(), xs.end(), true); }

// BFS from the sources along arcs between nodes that are not `down`.
template <class G>
std::vector<Round> bfs_up(const G& g, const std::vector<NodeId>& sources, const std::vector<bool>& down) {
  std::vector<Round> dist(g.num_nodes(), kNever);
  std::deque<NodeId> queue;
  for (NodeId s : sources) {
    dist[s] = 0;
    if (!down[s]) queue.push_back(s);  // a down source is informed but never sends
  }
  while (!queue.empty()) {
    const NodeId v = queue.front();
    queue.pop_front();
    for (NodeId i = 0; i < g.degree(v); ++i) {
      const NodeId w = g.neighbor(v, i);
      if (!down[w] && dist[w] == kNever) {
        dist[w] = dist[v] + 1;
        queue.push_back(w);
      }
    }
  }
  return dist;
}

// What every faulty trial satisfies besides check_consistent: up <= n, the fault losses are
// part of `lost`, round 0 sends nothing.
void check_fault_counters(const RefTrial& t) {
  check_consistent(t);
  const auto n = static_cast<std::int64_t>(t.informed_at.size());
  for (std::size_t r = 0; r < t.rounds.size(); ++r) {
    const RoundStats& st = t.rounds[r];
    CAPTURE(r);
    CHECK(st.up >= 0);
    CHECK(st.up <= n);
    CHECK(st.lost_down >= 0);
    CHECK(st.lost_partition >= 0);
    CHECK(st.lost_down + st.lost_partition <= st.lost);
    CHECK(st.lost <= st.messages + st.requests);
  }
  CHECK(t.rounds[0].messages + t.rounds[0].requests + t.rounds[0].lost == 0);
}

Round last_round(const RefTrial& t) { return static_cast<Round>(t.rounds.size()) - 1; }

}  // namespace

TEST_CASE("crashed nodes on the complete graph: push and flood end with exactly the others informed") {
  const NodeId n = 48;
  const CompleteGraph g(n);
  for (const double f : {0.1, 0.3, 0.7}) {
    for (std::uint32_t trial = 0; trial < 10; ++trial) {
      for (Mode m : {Mode::push, Mode::flood}) {
        const ProtocolSpec spec = spec_of(m, faults_of(f), 2);
        const RefTrial t = reference_trial(g, spec, 5, trial, kMax);
        CAPTURE(f);
        CAPTURE(trial);
        CAPTURE(mode_name(m));
        check_fault_counters(t);
        const std::vector<bool> crashed = crashed_nodes(n, f, 5, trial, t.sources);
        for (NodeId v = 0; v < n; ++v) CHECK((t.informed_at[v] != kNever) == !crashed[v]);
        CHECK(!t.truncated);
        for (const RoundStats& st : t.rounds) CHECK(st.up == n - how_many(crashed));
        if (m == Mode::flood) {
          // Round 1: each source sends n - 1 copies, those to crashed nodes are lost to them;
          // every other up node is informed. The run ends there (no informed node has an
          // uninformed up neighbour).
          REQUIRE(last_round(t) == 1);
          CHECK(t.rounds[1].messages == 2 * (n - 1));
          CHECK(t.rounds[1].lost_down == 2 * how_many(crashed));
          CHECK(t.rounds[1].lost == t.rounds[1].lost_down);
        }
      }
    }
  }
}

TEST_CASE("a copy to a down node across the partition is lost to the partition, not to the down node") {
  // Flood on K_48 from node 3 (group 0 of the halves: nodes 0..23), crashed nodes in both halves:
  // round 1's 47 copies are 24 lost to the partition (every node of group 1, crashed or not),
  // the crashed ones of group 0 lost to them, and the others inform. Pull from node 40 (group 1)
  // likewise for requests: the uninformed up nodes of group 1 each request once.
  const NodeId n = 48;
  const CompleteGraph g(n);
  for (std::uint32_t trial = 0; trial < 10; ++trial) {
    CAPTURE(trial);
    ProtocolSpec flood = spec_of(Mode::flood, faults_of(0.3, {}, {partition(0, 2)}));
    flood.source_nodes = {3};
    const RefTrial t = reference_trial(g, flood, 13, trial, kMax);
    check_fault_counters(t);
    const std::vector<bool> crashed = crashed_nodes(n, 0.3, 13, trial, {3});
    std::int64_t crashed_home = 0;
    for (NodeId v = 0; v < 24; ++v) crashed_home += crashed[v];
    REQUIRE(last_round(t) >= 1);
    CHECK(t.rounds[1].messages == 47);
    CHECK(t.rounds[1].lost_partition == 24);
    CHECK(t.rounds[1].lost_down == crashed_home);
    CHECK(t.rounds[1].newly_informed == 23 - crashed_home);

    ProtocolSpec pull = spec_of(Mode::pull, faults_of(0.3, {}, {partition(0, 2)}));
    pull.source_nodes = {40};
    const RefTrial p = reference_trial(g, pull, 13, trial, kMax);
    check_fault_counters(p);
    const std::vector<bool> crashed_p = crashed_nodes(n, 0.3, 13, trial, {40});
    std::int64_t requesters = 0;  // the up nodes but the source: all uninformed before round 1
    for (NodeId v = 0; v < n; ++v) requesters += v != 40 && !crashed_p[v];
    // Each request's target is drawn from the 47 others: the model's draws decide which, so
    // only the split is exact: requests = lost_partition + lost_down + (to up nodes of the group).
    CHECK(p.rounds[1].requests == requesters);
    std::int64_t to_partition = 0, to_down = 0;
    for (NodeId u = 0; u < n; ++u) {
      if (u == 40 || crashed_p[u]) continue;
      const auto b = philox(13, u, 0, 1, trial);  // block {u, 0, 1, t}: contact 0 of round 1
      const std::uint64_t x = (std::uint64_t{b.v[0]} << 32) | b.v[1];
      const auto i = static_cast<NodeId>((Uint128{x} * 47) >> 64);  // Lemire (rejection ~ 2^-58)
      const NodeId w = i < u ? i : i + 1;  // K_n's row of u skips u
      if ((u < 24) != (w < 24)) to_partition += 1;
      else if (crashed_p[w]) to_down += 1;
    }
    CHECK(p.rounds[1].lost_partition == to_partition);
    CHECK(p.rounds[1].lost_down == to_down);
  }
}

TEST_CASE("the up counter is n - #crashed in every round, and #crashed is Binomial(n - #sources, f)") {
  const double f = 0.25;
  std::int64_t crashed_total = 0, candidates = 0;
  for (const char* graph : {"ring:n=40", "er:n=300,d=3"}) {
    const CsrGraph g = gen_csr(graph, 3);
    const auto n = static_cast<std::int64_t>(g.num_nodes());
    for (std::uint32_t trial = 0; trial < 40; ++trial)
      for (const ModeCase& m : kModeCases) {
        const RefTrial t = reference_trial(g, spec_of(m, faults_of(f), 3), 7, trial, 400);
        CAPTURE(graph);
        CAPTURE(trial);
        CAPTURE(m.name);
        check_fault_counters(t);
        const std::vector<bool> crashed = crashed_nodes(g.num_nodes(), f, 7, trial, t.sources);
        for (const RoundStats& st : t.rounds) CHECK(st.up == n - how_many(crashed));
        for (NodeId v = 0; v < g.num_nodes(); ++v)
          if (crashed[v]) CHECK(t.informed_at[v] == kNever);
        if (m.mode == Mode::push) {  // once per trial: the crash coins do not depend on the mode
          crashed_total += how_many(crashed);
          candidates += n - static_cast<std::int64_t>(t.sources.size());
        }
      }
  }
  CHECK(std::abs(z_score(static_cast<double>(crashed_total), static_cast<double>(candidates), f)) < theory::kZ);
}

TEST_CASE("a permanent partition keeps the rumor inside the source's group, in every mode") {
  for (const char* graph : {"complete:n=48", "er:n=300,d=4", "er:n=200,d=3,directed=1"}) {
    const Graph any = generate(parse_spec(graph), {3});
    visit_graph(any, [&](const auto& g) {
      const NodeId n = g.num_nodes();
      for (const std::uint32_t groups : {2u, 3u})
        for (const ModeCase& m : kModeCases) {
          std::int64_t lost_partition = 0;  // over the trials (a source may have no out-arc)
          for (std::uint32_t trial = 0; trial < 6; ++trial) {
            ProtocolSpec spec = spec_of(m, faults_of(0.0, {}, {partition(0, groups)}));
            spec.forward_prob = 0.8;
            const RefTrial t = reference_trial(g, spec, 9, trial, kMax);
            CAPTURE(graph);
            CAPTURE(groups);
            CAPTURE(m.name);
            CAPTURE(trial);
            check_fault_counters(t);
            CHECK(!t.truncated);  // arcs across the partition are never live
            const std::uint32_t home = faults::group_of(t.sources[0], n, groups);
            std::int64_t in_home = 0;
            for (NodeId v = 0; v < n; ++v) {
              const bool home_v = v * std::uint64_t{groups} / n == home;  // floor(v K / n)
              in_home += home_v;
              if (!home_v) CHECK(t.informed_at[v] == kNever);
            }
            for (const RoundStats& st : t.rounds) {
              CHECK(st.up == n);
              CHECK(st.lost_down == 0);
              lost_partition += st.lost_partition;
            }
            // On the complete graph every mode but SIR informs the whole group.
            if (n == 48 && m.recovery == 1.0) CHECK(reference_summary(t).final_informed == in_home);
          }
          CHECK(lost_partition > 0);
        }
    });
  }
}

TEST_CASE("a partition that heals: flood on the complete graph crosses it only after the heal") {
  const NodeId n = 48;
  const CompleteGraph g(n);
  // blocks:3 from round 0, healed at round 4; flood with recovery keeps its senders, so once the
  // partition heals the other groups are informed in round 4.
  ProtocolSpec spec = spec_of(ModeCase{Mode::flood, 0.0001, "sir"}, faults_of(0.0, {}, {partition(0, 3), heal(4)}));
  spec.source_nodes = {5};  // group 0: nodes 0..15
  const RefTrial t = reference_trial(g, spec, 1, 0, kMax);
  check_fault_counters(t);
  for (NodeId v = 0; v < n; ++v) CHECK(t.informed_at[v] == (v == 5 ? 0 : v < 16 ? 1 : 4));
  CHECK(t.rounds[1].lost_partition == 32);
  CHECK(t.rounds[1].newly_informed == 15);
  for (Round r = 2; r <= 3; ++r) CHECK(t.rounds[static_cast<std::size_t>(r)].lost_partition == 16 * 32);
  CHECK(t.rounds[4].lost_partition == 0);
  CHECK(last_round(t) == 4);  // every node is informed
  // Plain flood has no sender left after round 1, so it ends at round 4 (no end before the last
  // event) with group 0 alone informed.
  spec.recovery_prob = 1.0;
  const RefTrial p = reference_trial(g, spec, 1, 0, kMax);
  check_fault_counters(p);
  CHECK(last_round(p) == 4);
  CHECK(reference_summary(p).final_informed == 16);
}

TEST_CASE("loss = 1 with faults: nothing spreads, every copy and request is lost") {
  const FaultSpec kinds[] = {
      faults_of(0.3),
      faults_of(0.0, bernoulli(0.2, 0.3)),
      faults_of(0.0, {}, {fail_fraction(1, 0.5), partition(2, 2), recover_fraction(3, 1.0)}),
  };
  for (const char* graph : {"ring:n=40", "er:n=300,d=3"}) {
    const CsrGraph g = gen_csr(graph, 3);
    for (const FaultSpec& f : kinds)
      for (const ModeCase& m : kModeCases)
        for (const StopRule stop : {StopRule::none, StopRule::blind_counter}) {
          if (stop != StopRule::none && m.mode != Mode::push) continue;
          ProtocolSpec spec = spec_of(m, f, 2);
          spec.loss = 1.0;
          spec.stop = stop;
          spec.k = 3;
          const RefTrial t = reference_trial(g, spec, 4, 1, 400);
          CAPTURE(graph);
          CAPTURE(m.name);
          CAPTURE(stop_name(stop));
          check_fault_counters(t);
          CHECK(reference_summary(t).final_informed == static_cast<std::int64_t>(t.sources.size()));
          for (const RoundStats& st : t.rounds) CHECK(st.lost == st.messages + st.requests);
          if (stop == StopRule::none) CHECK(last_round(t) == 0);  // no copy can ever arrive
        }
  }
}

TEST_CASE("flood on the up nodes is BFS: crashed nodes and nodes failed at round 0 are never informed") {
  for (const char* graph : {"grid:rows=9,cols=9", "er:n=300,d=3", "er:n=200,d=3,directed=1"}) {
    const CsrGraph g = gen_csr(graph, 3);
    const NodeId n = g.num_nodes();
    for (std::uint32_t trial = 0; trial < 8; ++trial) {
      CAPTURE(graph);
      CAPTURE(trial);
      // Crashed nodes (coins from the text), or a fail event naming nodes at round 0 (a named
      // source is informed but down: it never sends).
      const std::vector<NodeId> listed{1, 3, 10, 17, 40, 41, 42, 60};
      for (const bool by_event : {false, true}) {
        const ProtocolSpec spec = by_event ? spec_of(Mode::flood, faults_of(0.0, {}, {fail_nodes(0, listed)}), 2)
                                           : spec_of(Mode::flood, faults_of(0.15), 2);
        const RefTrial t = reference_trial(g, spec, 6, trial, kMax);
        check_fault_counters(t);
        std::vector<bool> down(n, false);
        if (by_event)
          for (NodeId v : listed) down[v] = true;
        else
          down = crashed_nodes(n, 0.15, 6, trial, t.sources);
        const std::vector<Round> dist = bfs_up(g, t.sources, down);
        Round ecc = 0;
        std::int64_t lost_down = 0;  // copies of senders (dist < ecc) to down neighbours
        for (NodeId v = 0; v < n; ++v) {
          CHECK(t.informed_at[v] == dist[v]);
          if (down[v] && std::find(t.sources.begin(), t.sources.end(), v) == t.sources.end())
            CHECK(t.informed_at[v] == kNever);
          if (dist[v] != kNever && !down[v]) ecc = std::max(ecc, dist[v]);
        }
        // The run ends after the last round that informs someone (nobody informed in it has an
        // uninformed up neighbour), i.e. at the up subgraph's eccentricity from the sources.
        CHECK(last_round(t) == ecc);
        CHECK(!t.truncated);
        for (NodeId v = 0; v < n; ++v)
          if (dist[v] != kNever && !down[v] && dist[v] < ecc)
            for (NodeId i = 0; i < g.degree(v); ++i) lost_down += down[g.neighbor(v, i)];
        std::int64_t counted = 0;
        for (const RoundStats& st : t.rounds) {
          counted += st.lost_down;
          CHECK(st.lost == st.lost_down);
          CHECK(st.up == n - how_many(down));
        }
        CHECK(counted == lost_down);
      }
    }
  }
}

TEST_CASE("fail at round 2 and recover all at round 5: push informs everything reachable") {
  const CsrGraph g = gen_csr("er:n=300,d=6", 3);
  const NodeId n = g.num_nodes();
  const double f = 0.4;
  for (std::uint32_t trial = 0; trial < 10; ++trial) {
    for (const double loss : {0.0, 0.3}) {
      ProtocolSpec spec = spec_of(Mode::push, faults_of(0.0, {}, {fail_fraction(2, f), recover_fraction(5, 1.0)}));
      spec.loss = loss;
      const RefTrial t = reference_trial(g, spec, 8, trial, kMax);
      CAPTURE(trial);
      CAPTURE(loss);
      check_fault_counters(t);
      CHECK(!t.truncated);
      CHECK(last_round(t) >= 5);  // no end before the last event
      const std::vector<Round> reach = bfs(g, t.sources[0]);
      for (NodeId v = 0; v < n; ++v) CHECK((t.informed_at[v] != kNever) == (reach[v] != kNever));
      // Event 0's coin names the failed nodes, down in rounds 2..4 only.
      const std::int64_t failed = how_many(event_named(n, 0, f, 8, trial));
      for (std::size_t r = 0; r < t.rounds.size(); ++r) CHECK(t.rounds[r].up == (r >= 2 && r <= 4 ? n - failed : n));
    }
  }
}

TEST_CASE("fail and recover by node lists; recover by fraction touches only failed nodes") {
  const CompleteGraph g(40);
  ProtocolSpec spec = spec_of(Mode::push, faults_of(0.2, {}, {fail_nodes(1, {2, 4, 6, 8}), fail_nodes(2, {4, 9}), recover_nodes(3, {4, 8, 11}), recover_fraction(4, 1.0)}));
  spec.source_nodes = {0};
  for (std::uint32_t trial = 0; trial < 10; ++trial) {
    const RefTrial t = reference_trial(g, spec, 2, trial, kMax);
    CAPTURE(trial);
    check_fault_counters(t);
    const std::vector<bool> crashed = crashed_nodes(40, 0.2, 2, trial, t.sources);
    auto downs = [&](std::vector<NodeId> failed) {
      std::int64_t d = how_many(crashed);
      for (NodeId v : failed) d += !crashed[v];
      return 40 - d;
    };
    CHECK(t.rounds[0].up == downs({}));
    CHECK(t.rounds[1].up == downs({2, 4, 6, 8}));
    CHECK(t.rounds[2].up == downs({2, 4, 6, 8, 9}));
    CHECK(t.rounds[3].up == downs({2, 6, 9}));  // 11 was not failed: nothing to recover
    for (std::size_t r = 4; r < t.rounds.size(); ++r) CHECK(t.rounds[r].up == downs({}));  // crashed stay down
    for (NodeId v = 0; v < 40; ++v) CHECK((t.informed_at[v] != kNever) == !crashed[v]);
  }
}

TEST_CASE("no end before the last event's round; plain flood ends when no sender is up the next round") {
  const CompleteGraph g(48);
  // An event naming no node keeps the run going: push informs everybody long before round 60.
  const ProtocolSpec push = spec_of(Mode::push, faults_of(0.0, {}, {fail_fraction(60, 0.0)}));
  const RefTrial t = reference_trial(g, push, 3, 0, kMax);
  check_fault_counters(t);
  CHECK(last_round(t) == 60);
  CHECK(t.rounds[30].informed == 48);
  // Flood whose source is failed at round 1 and recovered at round 3: it never sends (its only
  // round to send is round 1), and the run ends at round 3, the last event.
  ProtocolSpec flood = spec_of(Mode::flood, faults_of(0.0, {}, {fail_nodes(1, {7}), recover_nodes(3, {7})}));
  flood.source_nodes = {7};
  const RefTrial f = reference_trial(g, flood, 3, 0, kMax);
  check_fault_counters(f);
  CHECK(last_round(f) == 3);
  CHECK(reference_summary(f).final_informed == 1);
  CHECK(reference_summary(f).messages == 0);
  // With recovery (gamma small) it stays infectious and sends once up again, in round 3.
  flood.recovery_prob = 0.0001;
  const RefTrial s = reference_trial(g, flood, 3, 0, kMax);
  check_fault_counters(s);
  CHECK(s.rounds[1].messages == 0);
  CHECK(s.rounds[2].messages == 0);
  CHECK(s.rounds[3].messages == 47);
  CHECK(reference_summary(s).final_informed == 48);
}

TEST_CASE("churn with periods that end: push, pull, push-pull inform all of K_48; down for good ends the run") {
  // Every churning node is up again later, so the run goes on until everybody is informed, even
  // in a round where every uninformed node is down in the next one ("may be up later").
  const NodeId n = 48;
  const CompleteGraph g(n);
  const ChurnSpec ending[] = {bernoulli(0.5, 0.2), sessions(weibull(0.8, 2), pareto(2.5, 4)), bernoulli(0.3, 0.1, 0.5)};
  for (const ChurnSpec& c : ending)
    for (Mode m : {Mode::push, Mode::pull, Mode::push_pull})
      for (std::uint32_t trial = 0; trial < 20; ++trial) {
        ProtocolSpec spec = spec_of(m, faults_of(0.0, c));
        spec.loss = 0.3;
        const RefTrial t = reference_trial(g, spec, 19, trial, kMax);
        CAPTURE(mode_name(m));
        CAPTURE(trial);
        check_fault_counters(t);
        CHECK(!t.truncated);
        CHECK(reference_summary(t).final_informed == n);
      }
  // Down periods that never end (geometric p = 0; then every node starts up): a node that goes
  // down stays down, and the run ends once every uninformed node is down for good, never
  // truncated; an informed down node can no longer pass the rumor on.
  for (Mode m : {Mode::push, Mode::pull, Mode::push_pull})
    for (std::uint32_t trial = 0; trial < 20; ++trial) {
      const ProtocolSpec spec = spec_of(m, faults_of(0.0, sessions(geometric(0.15), geometric(0.0))));
      const RefTrial t = reference_trial(g, spec, 19, trial, 5000);
      CAPTURE(mode_name(m));
      CAPTURE(trial);
      check_fault_counters(t);
      CHECK(!t.truncated);
      CHECK(t.rounds[0].up == n);
    }
}

TEST_CASE("plain flood under churn: a node informed in round r sends in round r + 1 only if it is up then") {
  // The layered rule written out with the reference's up states (RefFaults): L_r = the nodes
  // informed in round r; in round r + 1 the up members of L_r send to their up neighbours. The
  // run ends after the first round r (>= the last event) whose informed nodes are up in r + 1
  // with an uninformed neighbour up in r + 1 in the same group, none.
  for (const char* graph : {"ring:n=40", "er:n=300,d=3"}) {
    const CsrGraph g = gen_csr(graph, 3);
    const NodeId n = g.num_nodes();
    const FaultSpec kinds[] = {
        faults_of(0.0, bernoulli(0.3, 0.5)),
        faults_of(0.0, sessions(weibull(1.5, 4), pareto(2.5, 1.5), 0.6)),
        faults_of(0.1, bernoulli(0.2, 0.6), {partition(1, 2), heal(3)}),
    };
    for (const FaultSpec& f : kinds)
      for (std::uint32_t trial = 0; trial < 10; ++trial) {
        const ProtocolSpec spec = spec_of(Mode::flood, f, 2);
        const RefTrial t = reference_trial(g, spec, 12, trial, kMax);
        CAPTURE(graph);
        CAPTURE(trial);
        check_fault_counters(t);
        RefFaults rf(spec.faults, n, 12, trial, t.sources);
        std::vector<Round> at(n, kNever);
        for (NodeId s : t.sources) at[s] = 0;
        Round r = 0;
        for (;; ++r) {
          bool live = false;
          for (NodeId v = 0; v < n; ++v)
            if (at[v] == r && rf.up(v, r + 1))
              for (NodeId i = 0; i < g.degree(v); ++i) {
                const NodeId w = g.neighbor(v, i);
                live = live || (at[w] == kNever && rf.up(w, r + 1) && rf.group(v, r + 1) == rf.group(w, r + 1));
              }
          if (!live && r >= rf.last_event_round()) break;
          for (NodeId v = 0; v < n; ++v)
            if (at[v] == r && rf.up(v, r + 1))
              for (NodeId i = 0; i < g.degree(v); ++i) {
                const NodeId w = g.neighbor(v, i);
                if (at[w] == kNever && rf.up(w, r + 1) && rf.group(v, r + 1) == rf.group(w, r + 1)) at[w] = r + 1;
              }
        }
        CHECK(t.informed_at == at);
        CHECK(last_round(t) == r);
      }
  }
}

namespace {

// Down fraction of the churn over rounds [from, to] of `trials` trials on n isolated nodes, a
// trial a sample (trials are independent; a trial's nodes too, but its rounds are not): the
// reference's `up` counters, the run kept going to round `to` by an event naming no node.
theory::Sample down_fraction(const ChurnSpec& churn, NodeId n, std::uint32_t trials, Round from, Round to) {
  const CsrGraph g = build(n, {});
  const ProtocolSpec spec = spec_of(Mode::push, faults_of(0.0, churn, {fail_fraction(to, 0.0)}));
  std::vector<double> xs;
  for (std::uint32_t trial = 0; trial < trials; ++trial) {
    const RefTrial t = reference_trial(g, spec, 21, trial, kMax);
    REQUIRE(last_round(t) == to);
    double down = 0;
    for (Round r = from; r <= to; ++r) down += static_cast<double>(n - t.rounds[static_cast<std::size_t>(r)].up);
    xs.push_back(down / (static_cast<double>(n) * static_cast<double>(to - from + 1)));
  }
  return theory::sample(xs);
}

// Up fraction at round 0 over `trials` trials: Binomial(n trials, pi), pi = up_probability.
double round0_up_z(const ChurnSpec& churn, NodeId n, std::uint32_t trials) {
  const CsrGraph g = build(n, {});
  const ProtocolSpec spec = spec_of(Mode::push, faults_of(0.0, churn));
  double up = 0;
  for (std::uint32_t trial = 0; trial < trials; ++trial)
    up += static_cast<double>(reference_trial(g, spec, 22, trial, 0).rounds[0].up);
  return z_score(up, static_cast<double>(n) * trials, faults::up_probability(churn));
}

}  // namespace

TEST_CASE("stationary down fraction: bernoulli a / (a + b), sessions E[down] / (E[up] + E[down])") {
  const NodeId n = kSmall ? 300 : 1000;
  const std::uint32_t trials = 20;
  // Geometric periods are stationary from round 0: every round counts.
  for (const auto& [a, b] : {std::pair{0.1, 0.3}, std::pair{0.05, 0.5}, std::pair{0.5, 0.5}}) {
    const theory::Sample s = down_fraction(bernoulli(a, b), n, trials, 0, 200);
    CAPTURE(a);
    CAPTURE(b);
    CAPTURE(s.mean);
    CAPTURE(s.se);
    CHECK(std::abs(s.mean - a / (a + b)) < theory::kZ * s.se);
    CHECK(std::abs(round0_up_z(bernoulli(a, b), n, trials)) < theory::kZ);
  }
  // Weibull and Pareto (shape > 2: finite variance): the long-run fraction from round 100 on
  // (the early rounds: the next test).
  const ChurnSpec kinds[] = {
      sessions(weibull(1.5, 6), weibull(0.8, 3)),
      sessions(weibull(3.0, 2.5), weibull(1.0, 1.2)),
      sessions(pareto(2.5, 3), pareto(3.0, 1.5)),
      sessions(pareto(4.0, 1.2), weibull(2.0, 5)),
  };
  for (const ChurnSpec& c : kinds) {
    const double up = faults::mean_length(c.up), down = faults::mean_length(c.down);
    const theory::Sample s = down_fraction(c, n, trials, 100, 400);
    CAPTURE(up);
    CAPTURE(down);
    CAPTURE(s.mean);
    CAPTURE(s.se);
    CHECK(std::abs(s.mean - down / (up + down)) < theory::kZ * s.se);
    CHECK(std::abs(round0_up_z(c, n, trials)) < theory::kZ);
  }
}

TEST_CASE("churn is stationary from round 0: the down fraction at rounds 0, 1, 5 and late") {
  // Nodes churn independently: the number down in a round is Binomial(nodes, E[down] / (E[up] +
  // E[down])) in every round when the first period is drawn from the residual law. A first
  // period drawn from the period law itself (heavy or light tail) moves rounds 1 and 5 by far
  // more than the sampling error.
  const NodeId n = kSmall ? 1000 : 4000;
  const std::uint32_t trials = kSmall ? 2 : 5;
  const ChurnSpec kinds[] = {
      sessions(weibull(0.5, 3), weibull(2.0, 4)),
      sessions(weibull(2.0, 6), weibull(0.5, 2)),
      sessions(pareto(1.5, 2), pareto(3.0, 3)),
      sessions(pareto(3.0, 5), pareto(1.5, 1.5)),
      sessions(weibull(0.5, 4), pareto(1.5, 2)),
  };
  for (const ChurnSpec& c : kinds) {
    const double up = faults::mean_length(c.up), down = faults::mean_length(c.down);
    const FaultSpec f = faults_of(0.0, c);
    for (const Round r : {0, 1, 5, 300}) {
      double down_count = 0;
      for (std::uint32_t trial = 0; trial < trials; ++trial) {
        RefFaults rf(f, n, 23, trial, {});
        for (NodeId v = 0; v < n; ++v) down_count += !rf.up(v, r);
      }
      CAPTURE(c.up.kind);
      CAPTURE(c.up.a);
      CAPTURE(c.down.kind);
      CAPTURE(c.down.a);
      CAPTURE(r);
      CAPTURE(down_count / (static_cast<double>(n) * trials));
      CHECK(std::abs(z_score(down_count, static_cast<double>(n) * trials, down / (up + down))) < theory::kZ);
    }
  }
}

TEST_CASE("the first period of a churning node: P(R = j) = P(L >= j) / E[L]") {
  // L = max(1, ceil X) the rounded length: P(L >= 1) = 1, P(L >= j) = P(X > j - 1) for j >= 2.
  const std::uint32_t nodes = kSmall ? 20000 : 100000;
  const PeriodDist dists[] = {weibull(0.5, 3), weibull(2.0, 4), weibull(5.0, 0.7), pareto(1.5, 2), pareto(3.0, 0.6)};
  for (const PeriodDist& d : dists) {
    auto survival = [&](double x) {
      if (d.kind == PeriodDist::weibull) return std::exp(-std::pow(x / d.b, d.a));
      return x < d.b ? 1.0 : std::pow(d.b / x, d.a);
    };
    const double mean = faults::mean_length(d);
    // Bins R = 1 .. bins - 1 and R >= bins, each expecting 25 draws or more (a normal count).
    std::vector<double> p{0.0};
    double tail = 1.0;  // P(R >= j)
    while (p.size() < 12) {
      const auto j = static_cast<double>(p.size());
      const double pj = (j == 1 ? 1.0 : survival(j - 1.0)) / mean;
      if ((tail - pj) * nodes < 25) break;
      p.push_back(pj);
      tail -= pj;
    }
    const std::size_t bins = p.size();
    REQUIRE(bins >= 2);
    std::vector<double> count(bins + 1, 0.0);
    for (NodeId v = 0; v < nodes; ++v) {
      const Round len = faults::first_period_length(d, 29, 3, v, {});
      REQUIRE(len >= 1);
      count[std::min<std::size_t>(static_cast<std::size_t>(len), bins)] += 1;
    }
    CAPTURE(d.kind);
    CAPTURE(d.a);
    for (std::size_t j = 1; j < bins; ++j) {
      CAPTURE(j);
      CAPTURE(count[j] / nodes);
      CAPTURE(p[j]);
      CHECK(std::abs(z_score(count[j], nodes, p[j])) < theory::kZ);
    }
    CHECK(std::abs(z_score(count[bins], nodes, tail)) < theory::kZ);
  }
}

namespace {

// The first period's length written out from docs/model.md ("The first period"), for Weibull and
// Pareto: rejection from the uniforms of blocks {v, 2^31 + b, 2^31 + 3, t}; 2^40 when it never ends.
std::int64_t text_first_period(const PeriodDist& dist, std::uint64_t seed, std::uint32_t trial, NodeId v) {
  constexpr std::uint32_t kPeriod = 0x80000003u;
  std::uint32_t k = 0;  // the next uniform's index
  auto next = [&] {
    const auto q = philox(seed, v, 0x80000000u + k / 2, kPeriod, trial);
    const std::uint32_t hi = k % 2 == 0 ? q.v[0] : q.v[2], lo = k % 2 == 0 ? q.v[1] : q.v[3];
    ++k;
    return static_cast<double>((((std::uint64_t{hi} << 32) | lo) >> 11) + 1) * 0x1.0p-53;
  };
  const double a = dist.a, l = dist.b;
  const bool weibull = dist.kind == PeriodDist::weibull;
  auto ln_s = [&](double x) { return weibull ? -std::pow(x / l, a) : (x > l ? -a * std::log(x / l) : 0.0); };
  const double mu = weibull ? l * std::tgamma(1.0 + 1.0 / a) : a * l / (a - 1.0);
  while (true) {
    if (next() * (1.0 + mu) <= 1.0) return 1;
    double y;
    if (weibull) {
      const double alpha = 1.0 / a, a1 = alpha >= 1.0 ? alpha : alpha + 1.0;
      const double d = a1 - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
      double g;
      while (true) {
        const double u = next(), w = next();
        const double z = std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * w);
        if (1.0 + c * z <= 0.0) continue;
        const double cube = (1.0 + c * z) * (1.0 + c * z) * (1.0 + c * z);
        if (std::log(next()) < z * z / 2.0 + d - d * cube + d * std::log(cube)) {
          g = d * cube;
          break;
        }
      }
      y = alpha < 1.0 ? l * std::pow(g, 1.0 / a) * next() : l * std::pow(g, 1.0 / a);
    } else {
      const double u = next();
      y = u > 1.0 / a ? (1.0 - u) * a * l / (a - 1.0) : l * std::pow(a * u, -1.0 / (a - 1.0));
    }
    if (y + 2.0 >= 2147483647.0) return std::int64_t{1} << 40;
    if (std::log(next()) <= ln_s(std::floor(y) + 1.0) - ln_s(y)) return static_cast<std::int64_t>(std::floor(y)) + 2;
  }
}

// A node's churn written out from the text, incrementally: the first period from block
// {v, 0, 2^31 + 3, t} (B2 < floor(pi 2^32): up; geometric: B0, B1 its length, else the residual
// length above), then at the round s where a period ends the other state, its length from block
// {v, s, 2^31 + 3, t}. Returns up[r], r = 0..R. pi_thr = floor(pi 2^32).
std::vector<bool> churn_walk(const ChurnSpec& c, std::uint64_t pi_thr, std::uint64_t seed, std::uint32_t trial, NodeId v,
                             Round last) {
  constexpr std::uint32_t kPeriod = 0x80000003u;
  auto length = [&](bool up, const r123::Philox4x32::ctr_type& b) -> std::int64_t {
    const Round l = faults::period_length(up ? c.up : c.down, faults::unit(b.v[0], b.v[1]));
    return l == kNever ? std::int64_t{1} << 40 : l;
  };
  const auto b0 = philox(seed, v, 0, kPeriod, trial);
  bool up = b0.v[2] < pi_thr;
  const PeriodDist& first = up ? c.up : c.down;
  std::int64_t end = first.kind == PeriodDist::geometric ? length(up, b0) : text_first_period(first, seed, trial, v);
  std::vector<bool> out;
  for (Round r = 0; r <= last; ++r) {
    while (r >= end) {
      up = !up;
      end += length(up, philox(seed, v, static_cast<std::uint32_t>(end), kPeriod, trial));
    }
    out.push_back(up);
  }
  return out;
}

}  // namespace

TEST_CASE("the up counter under churn and crashes equals the model's period walk, round by round") {
  const NodeId n = 400;
  const Round last = 120;
  const CsrGraph g = build(n, {});
  const ChurnSpec kinds[] = {bernoulli(0.2, 0.4), bernoulli(0.05, 0.5, 0.5), sessions(weibull(1.5, 4), weibull(0.7, 2)),
                             sessions(pareto(2.5, 3), pareto(1.5, 1), 0.8), sessions(geometric(0.0), geometric(0.3))};
  for (const ChurnSpec& c : kinds) {
    const auto pi_thr = static_cast<std::uint64_t>(std::floor(std::ldexp(faults::up_probability(c), 32)));
    for (std::uint32_t trial : {0u, 7u, 64u}) {
      // An event naming no node keeps the run going to round `last` on the edgeless graph.
      const ProtocolSpec spec = spec_of(Mode::push, faults_of(0.1, c, {fail_fraction(last, 0.0)}), 3);
      const RefTrial t = reference_trial(g, spec, 17, trial, kMax);
      REQUIRE(last_round(t) == last);
      const std::vector<bool> crashed = crashed_nodes(n, 0.1, 17, trial, t.sources);
      std::vector<std::int64_t> up(static_cast<std::size_t>(last) + 1, 0);
      const auto churn_thr = static_cast<std::uint64_t>(std::floor(std::ldexp(c.fraction, 32)));
      for (NodeId v = 0; v < n; ++v) {
        if (crashed[v]) continue;
        const bool churns = philox(17, v, 0, kCrashSub, trial).v[1] < churn_thr;
        const std::vector<bool> walk = churn_walk(c, pi_thr, 17, trial, v, last);
        for (Round r = 0; r <= last; ++r) up[static_cast<std::size_t>(r)] += !churns || walk[static_cast<std::size_t>(r)];
      }
      CAPTURE(trial);
      for (Round r = 0; r <= last; ++r) {
        CAPTURE(r);
        CHECK(t.rounds[static_cast<std::size_t>(r)].up == up[static_cast<std::size_t>(r)]);
      }
    }
  }
}

TEST_CASE("churn_fraction q: 1 - q of the nodes never go down") {
  const NodeId n = 2000;
  for (const double q : {0.3, 0.75}) {
    // Short periods: a churning node is down at some round of 0..200 but with probability
    // below 1e-15 (it starts down with probability 1/3, else stays up 200 rounds with 0.7^200).
    const ChurnSpec churn = bernoulli(0.3, 0.6, q);
    FaultSpec f = faults_of(0.0, churn);
    std::int64_t always_up = 0;
    const std::uint32_t trials = 5;
    for (std::uint32_t trial = 0; trial < trials; ++trial) {
      RefFaults rf(f, n, 31, trial, {});
      for (NodeId v = 0; v < n; ++v) {
        bool up = true;
        for (Round r = 0; r <= 200 && up; ++r) up = rf.up(v, r);
        always_up += up;
        // The churn coin (B1 of the node's coin block) alone decides who churns.
        CHECK(rf.churns(v) == (philox(31, v, 0, kCrashSub, trial).v[1] < faults::threshold(q)));
      }
    }
    CAPTURE(q);
    CAPTURE(always_up);
    CHECK(std::abs(z_score(static_cast<double>(always_up), static_cast<double>(n) * trials, 1.0 - q)) < theory::kZ);
  }
}

// ---------------------------------------------------------------------------------------------
// The parallel engine against the reference with faults, in the style of
// test_engine_reference.cpp: per node informed_at (and hops with a TTL), every round's counters
// (up, lost_down and lost_partition included), the summary, at 1, 2 and 4 threads.

namespace {

std::vector<int> thread_counts() { return kSmall ? std::vector<int>{1, 4} : std::vector<int>{1, 2, 4}; }

using gossip::test::Collect;
using gossip::test::describe;

// What the faults did across a comparison matrix: each kind must really bite somewhere.
struct Bitten {
  std::int64_t down_rounds = 0, lost_down = 0, lost_partition = 0;
};

template <class G>
void compare(const G& g, const Graph& any, const ProtocolSpec& spec, std::uint32_t trial, Bitten& bitten,
             Round max_rounds = 200) {
  const RefTrial ref = reference_trial(g, spec, 11, trial, max_rounds);
  for (const RoundStats& st : ref.rounds) {
    bitten.down_rounds += st.up < static_cast<std::int64_t>(g.num_nodes());
    bitten.lost_down += st.lost_down;
    bitten.lost_partition += st.lost_partition;
  }
  for (int threads : thread_counts()) {
    Collect c;
    const TrialSummary sum = with_threads(threads, [&] { return run_trial(any, spec, {11, trial, max_rounds}, c); });
    INFO(describe(spec), " trial ", trial, " threads ", threads);
    REQUIRE(c.rounds.size() == ref.rounds.size());
    for (std::size_t r = 0; r < ref.rounds.size(); ++r) {
      INFO("round ", r);
      CHECK(c.rounds[r] == ref.rounds[r]);
    }
    CHECK(c.informed_at == ref.informed_at);
    if (spec.ttl)
      for (std::size_t v = 0; v < ref.hops.size(); ++v)
        if (ref.informed_at[v] != kNever) CHECK(std::uint32_t{c.hops[v]} == ref.hops[v]);
    CHECK(sum.truncated == ref.truncated);
    check_summary(sum, reference_summary(ref, trial));
    check_summary(c.summary, sum);
  }
}

// Each mode with its options: fanout 2 with no_repeat, forward probability with a TTL, loss, stop
// rules (push only), flood with recovery.
std::vector<ProtocolSpec> protocol_specs() {
  std::vector<ProtocolSpec> out;
  auto base = [](Mode m) {
    return ProtocolSpec{.mode = m, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 0,
                        .stop = StopRule::none, .k = 1, .sources = 2, .source_nodes = {}, .loss = 0.0,
                        .recovery_prob = 1.0};
  };
  for (Mode m : {Mode::push, Mode::pull, Mode::push_pull}) {
    out.push_back(base(m));
    ProtocolSpec s = base(m);
    s.fanout = 2;
    s.no_repeat = true;
    out.push_back(s);
    s = base(m);
    s.forward_prob = 0.6;
    s.ttl = 3;
    out.push_back(s);
    s = base(m);
    s.loss = 0.25;
    s.fanout = 2;
    out.push_back(s);
  }
  for (const auto& [stop, k] : {std::pair{StopRule::feedback_counter, 2u}, std::pair{StopRule::feedback_coin, 2u},
                                std::pair{StopRule::blind_counter, 3u}, std::pair{StopRule::blind_coin, 3u}}) {
    ProtocolSpec s = base(Mode::push);
    s.stop = stop;
    s.k = k;
    s.loss = stop == StopRule::blind_counter ? 0.25 : 0.0;
    out.push_back(s);
  }
  for (const double recovery : {1.0, 0.4}) {
    out.push_back([&] { ProtocolSpec s = base(Mode::flood); s.recovery_prob = recovery; return s; }());
    ProtocolSpec s = base(Mode::flood);
    s.recovery_prob = recovery;
    s.forward_prob = 0.6;
    s.loss = 0.25;
    out.push_back(s);
    s = base(Mode::flood);
    s.recovery_prob = recovery;
    s.ttl = 3;
    out.push_back(s);
  }
  return out;
}

// Every fault kind, alone and combined. Node lists name nodes below 40 (every graph has them).
struct FaultCase {
  const char* name;
  FaultSpec faults;
  bool downs;       // some node is down in some round
  bool partitions;  // some copy can cross a partition
};
std::vector<FaultCase> fault_cases() {
  return {
      {"crashed", faults_of(0.2), true, false},
      {"bernoulli churn", faults_of(0.0, bernoulli(0.2, 0.4)), true, false},
      {"sessions weibull", faults_of(0.0, sessions(weibull(1.5, 4), weibull(0.8, 2))), true, false},
      // (Shapes 3.5 and 4: the rounded means converge in 10^5 terms; heavier tails, as in the oracles
      // above, make every trial's up fraction cost millions of terms, engine and reference alike.)
      {"sessions pareto", faults_of(0.0, sessions(pareto(4.0, 3), pareto(3.5, 1))), true, false},
      {"churn_fraction", faults_of(0.0, bernoulli(0.3, 0.3, 0.5)), true, false},
      {"fail/recover by fraction", faults_of(0.0, {}, {fail_fraction(2, 0.4), recover_fraction(5, 1.0)}), true, false},
      {"fail/recover by fraction, partly", faults_of(0.0, {}, {fail_fraction(1, 0.5), recover_fraction(3, 0.5)}), true, false},
      {"fail/recover by nodes",
       faults_of(0.0, {}, {fail_nodes(1, {0, 1, 2, 3, 7, 20, 33}), fail_nodes(2, {5}), recover_nodes(3, {2, 7, 5, 39})}), true,
       false},
      {"partition halves", faults_of(0.0, {}, {partition(1, 2)}), false, true},
      {"partition blocks:3, heal", faults_of(0.0, {}, {partition(0, 3), heal(4)}), false, true},
      {"partition halves, heal, again blocks:3", faults_of(0.0, {}, {partition(1, 2), heal(3), partition(3, 3)}), false, true},
      {"everything",
       faults_of(0.1, sessions(weibull(2.0, 5), geometric(0.5), 0.7), {fail_fraction(1, 0.2), partition(2, 2), fail_nodes(3, {4, 9}), heal(5), recover_fraction(6, 1.0)}),
       true, true},
      {"join linear", faults_of(0.0, {}, {}, linear_join(7, 5)), true, false},
      {"join with churn and a partition",
       faults_of(0.05, bernoulli(0.2, 0.5), {partition(2, 2), heal(6)}, linear_join(3, 10)), true, true},
  };
}

void compare_faults(const char* graph_spec) {
  const Graph any = generate(parse_spec(graph_spec), {3});
  const std::vector<ProtocolSpec> protocols = protocol_specs();
  visit_graph(any, [&](const auto& g) {
    for (const FaultCase& fc : fault_cases()) {
      Bitten bitten;
      for (ProtocolSpec spec : protocols) {
        spec.faults = fc.faults;
        // Flood's fate words are lanes of 64-trial batches: also a trial past the first batch.
        const std::vector<std::uint32_t> trials =
            spec.mode == Mode::flood ? (kSmall ? std::vector<std::uint32_t>{70} : std::vector<std::uint32_t>{0, 70})
                                     : (kSmall ? std::vector<std::uint32_t>{1} : std::vector<std::uint32_t>{0, 5});
        INFO(graph_spec, ": ", fc.name);
        for (std::uint32_t trial : trials) compare(g, any, spec, trial, bitten);
      }
      INFO(graph_spec, ": ", fc.name);
      if (fc.downs) CHECK(bitten.down_rounds > 0);
      if (fc.downs) CHECK(bitten.lost_down > 0);
      if (fc.partitions) CHECK(bitten.lost_partition > 0);
    }
  });
}

// Join rounds and partition groups from a node file (graph.node_file), read by the loader the CLI
// uses: join rounds scattered over the ids (present nodes are no prefix), groups from a column
// whose values are no contiguous id ranges. Rows in reverse id order.
std::vector<FaultCase> node_file_cases(const char* graph_spec, NodeId n, std::deque<gossip::test::TempFile>& files) {
  std::string text = "id joined region\n";
  for (NodeId v = n; v-- > 0;)
    text += fmt::format("{} {} {}\n", v, v % 5 == 0 || v % 7 == 1 ? 0 : (v * 7919u) % 6, ((v * 31u) % 3) * 10 + 4);
  files.emplace_back(text, ".csv");
  GraphOptions opt;
  opt.source = graph_spec;
  opt.node_file = files.back().path;
  std::string why;
  const JoinSpec join = *parse_join("file:joined", why);
  auto file_partition = [](Round r) {
    FaultEvent e = partition(r, 2);
    e.group_column = "region";
    return e;
  };
  std::vector<FaultCase> out{
      {"join file", faults_of(0.0, {}, {}, join), true, false},
      {"partition file, heal, blocks:2, then file for good",
       faults_of(0.0, {}, {file_partition(1), heal(3), partition(3, 2), heal(4), file_partition(5)}), false, true},
      {"join file with churn, crashes and a file partition",
       faults_of(0.05, bernoulli(0.2, 0.5), {file_partition(2), heal(6)}, join), true, true},
  };
  const Graph any = generate(parse_spec(graph_spec), {3});
  for (FaultCase& fc : out) io::load_node_columns(fc.faults, any, opt);
  return out;
}

void compare_node_file(const char* graph_spec) {
  const Graph any = generate(parse_spec(graph_spec), {3});
  const std::vector<ProtocolSpec> protocols = protocol_specs();
  std::deque<gossip::test::TempFile> files;
  visit_graph(any, [&](const auto& g) {
    for (const FaultCase& fc : node_file_cases(graph_spec, g.num_nodes(), files)) {
      Bitten bitten;
      for (ProtocolSpec spec : protocols) {
        spec.faults = fc.faults;
        const std::vector<std::uint32_t> trials =
            spec.mode == Mode::flood ? (kSmall ? std::vector<std::uint32_t>{70} : std::vector<std::uint32_t>{0, 70})
                                     : (kSmall ? std::vector<std::uint32_t>{1} : std::vector<std::uint32_t>{0, 5});
        INFO(graph_spec, ": ", fc.name);
        for (std::uint32_t trial : trials) compare(g, any, spec, trial, bitten);
      }
      INFO(graph_spec, ": ", fc.name);
      if (fc.downs) CHECK(bitten.down_rounds > 0);
      if (fc.downs) CHECK(bitten.lost_down > 0);
      if (fc.partitions) CHECK(bitten.lost_partition > 0);
    }
  });
}

}  // namespace

TEST_CASE("engine = reference with join rounds and partition groups from a node file") {
  for (const char* graph_spec : {"ring:n=40", "er:n=300,d=3", "er:n=200,d=3,directed=1", "complete:n=48"})
    compare_node_file(graph_spec);
}

TEST_CASE("a permanent partition from a node file keeps the rumor inside the source's group, in every mode") {
  // Groups by a column with the values 4, 14, 24 (v * 31 mod 3, no contiguous id ranges).
  std::deque<gossip::test::TempFile> files;
  for (const char* graph : {"complete:n=48", "er:n=300,d=4"}) {
    const Graph any = generate(parse_spec(graph), {3});
    visit_graph(any, [&](const auto& g) {
      const NodeId n = g.num_nodes();
      FaultEvent forever = node_file_cases(graph, n, files)[1].faults.events[4];  // the file partition
      forever.round = 0;
      const auto& group = forever.group_map->group;
      CHECK(forever.groups == 3);
      for (const ModeCase& m : kModeCases) {
        std::int64_t lost_partition = 0;
        for (std::uint32_t trial = 0; trial < 4; ++trial) {
          const RefTrial t = reference_trial(g, spec_of(m, faults_of(0.0, {}, {forever})), 9, trial, kMax);
          CAPTURE(graph);
          CAPTURE(m.name);
          CAPTURE(trial);
          const std::uint32_t home = group[t.sources[0]];
          std::int64_t in_home = 0;
          for (NodeId v = 0; v < n; ++v) {
            in_home += group[v] == home;
            if (group[v] != home) CHECK(t.informed_at[v] == kNever);
          }
          for (const RoundStats& st : t.rounds) lost_partition += st.lost_partition;
          if (n == 48 && m.recovery == 1.0) CHECK(reference_summary(t).final_informed == in_home);
        }
        CHECK(lost_partition > 0);
      }
    });
  }
}

TEST_CASE("engine = reference with faults on a ring") { compare_faults("ring:n=40"); }
TEST_CASE("engine = reference with faults on an er graph") { compare_faults("er:n=300,d=3"); }
TEST_CASE("engine = reference with faults on a directed er graph") {
  compare_faults("er:n=200,d=3,directed=1");
}
TEST_CASE("engine = reference with faults on the complete graph") { compare_faults("complete:n=48"); }
TEST_CASE("engine = reference with a heavy-tailed Pareto churn (shape 1.5: periods of millions of rounds)") {
  Bitten bitten;
  const Graph any = generate(parse_spec("ring:n=40"), {3});
  const auto& g = std::get<CsrGraph>(any);
  for (ProtocolSpec spec : protocol_specs())
    if (spec.fanout == 1 && spec.ttl == 0 && spec.loss == 0.0 && spec.forward_prob == 1.0 && spec.stop == StopRule::none) {
      spec.faults = faults_of(0.0, sessions(pareto(1.5, 2), pareto(1.2, 1)));
      compare(g, any, spec, 3, bitten);
    }
  CHECK(bitten.lost_down > 0);
}

TEST_CASE("engine = reference with faults: truncated runs and loss 1") {
  // max_rounds before and after the events; loss 1 (ends at round 0 without a stop rule, with a
  // stop rule when every spreader has stopped); each mode's plain spec and the stop rules.
  Bitten bitten;
  std::vector<ProtocolSpec> specs;
  for (const ProtocolSpec& s : protocol_specs())
    if ((s.fanout == 1 && s.ttl == 0 && s.loss == 0.0 && s.forward_prob == 1.0) || s.stop != StopRule::none)
      specs.push_back(s);
  for (const char* graph_spec : {"ring:n=40", "complete:n=48"}) {
    const Graph any = generate(parse_spec(graph_spec), {3});
    visit_graph(any, [&](const auto& g) {
      for (const FaultCase& fc : fault_cases())
        for (ProtocolSpec spec : specs) {
          spec.faults = fc.faults;
          INFO(graph_spec, ": ", fc.name);
          for (Round max_rounds : {2, 5}) compare(g, any, spec, 5, bitten, max_rounds);
          spec.loss = 1.0;
          compare(g, any, spec, 5, bitten);
        }
    });
  }
}

TEST_CASE("stop rules: spreaders that could never stop are not waited for, those that may are") {
  // A failed spreader with no later recover naming it, or one churned down for good, never
  // contacts anyone and so never stops; under a feedback rule neither does one whose contacts all
  // go to nodes down for good or across a partition that stays. The run ends without them, well
  // before max_rounds, at the same round in engine and reference. A recover entry that names a
  // failed spreader keeps the run going until then.
  constexpr Round kMaxRounds = 1000;
  std::vector<ProtocolSpec> specs;
  for (const ProtocolSpec& s : protocol_specs())
    if (s.stop != StopRule::none) specs.push_back(s);
  REQUIRE(specs.size() == 4);
  struct Case {
    std::string name;
    FaultSpec faults;
    bool may_wait;   // a recover or heal at round 400 may keep a spreader waited for: the run ends there or later
    bool must_wait;  // ... in some run (else some run ends with spreaders left, none waited for)
  };
  const Case cases[] = {
      {"fail by fraction", faults_of(0.0, {}, {fail_fraction(3, 0.5)}), false, false},
      {"fail, recover others", faults_of(0.0, {}, {fail_fraction(3, 0.5), recover_nodes(400, {0, 1, 2})}), true, false},
      {"fail, recover all later", faults_of(0.0, {}, {fail_fraction(3, 0.5), recover_fraction(400, 1.0)}), true, true},
      {"churn down for good", faults_of(0.1, sessions(geometric(0.1), geometric(0.0))), false, false},
      {"a partition that stays", faults_of(0.0, {}, {partition(2, 2)}), false, false},
      {"a partition, healed later", faults_of(0.0, {}, {partition(2, 2), heal(400)}), true, true},
  };
  std::vector<std::int64_t> left(std::size(cases), 0), waited(std::size(cases), 0);
  for (const char* graph_spec : {"er:n=300,d=3", "complete:n=48"}) {
    const Graph any = generate(parse_spec(graph_spec), {3});
    visit_graph(any, [&](const auto& g) {
      for (std::size_t k = 0; k < std::size(cases); ++k) {
        const Case& c = cases[k];
        for (ProtocolSpec spec : specs) {
          spec.faults = c.faults;
          for (std::uint32_t trial : {0u, 1u, 2u, 3u}) {
            INFO(std::string(graph_spec), ": ", c.name, ", ", describe(spec), " trial ", trial);
            Bitten bitten;
            compare(g, any, spec, trial, bitten, kMaxRounds);
            const RefTrial t = reference_trial(g, spec, 11, trial, kMaxRounds);
            CHECK(!t.truncated);
            CHECK((last_round(t) < 200 || (c.may_wait && last_round(t) >= 400 && last_round(t) < 600)));
            left[k] += t.rounds.back().spreaders > 0;  // ended with spreaders left, none waited for
            waited[k] += last_round(t) >= 400;
          }
        }
      }
    });
  }
  for (std::size_t k = 0; k < std::size(cases); ++k) {
    INFO(cases[k].name);
    CAPTURE(left[k]);
    CAPTURE(waited[k]);
    if (cases[k].must_wait) CHECK(waited[k] > 0);
    else CHECK(left[k] > 0);
  }
}
