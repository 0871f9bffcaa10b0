// Oracles for the serial reference simulator (reference_sim.hpp) itself, before it judges the
// engine: flood against BFS (distances, TTL balls, per-round counters), exact traces on tiny
// graphs (star, path, K_2, stop rules), no_repeat's cycles, loss and isolated sources, the fate
// and coin thresholds, the rejection fallback, statistics of the fates, determinism, and the
// source draw. Everything here is derived from docs/model.md by hand, never from the reference.
#include "reference_sim.hpp"
#include "sim/config.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <set>

#include "graph/complete.hpp"
#include "support.hpp"

using namespace gossip;
using gossip::test::build;
using gossip::test::gen_csr;
using gossip::test::kNoHops;
using gossip::test::reference_sources;
using gossip::test::reference_summary;
using gossip::test::reference_trial;
using gossip::test::RefTrial;

namespace {

constexpr Round kMax = 100000;

// The defaults of SimConfig (sim/config.hpp), with explicit sources.
ProtocolSpec make_spec(Mode mode, std::vector<NodeId> sources = {0}) {
  ProtocolSpec s = SimConfig{}.protocol;
  s.mode = mode;
  s.source_nodes = std::move(sources);
  return s;
}

RoundStats stats(std::int64_t informed, std::int64_t newly, std::int64_t messages, std::int64_t requests,
                 std::int64_t redundant, std::int64_t lost, std::int64_t spreaders) {
  return {informed, newly, messages, requests, redundant, lost, spreaders};
}

// Hop distances from s along out-arcs (kNever = unreachable).
template <class G>
std::vector<Round> bfs(const G& g, NodeId s) {
  std::vector<Round> dist(g.num_nodes(), kNever);
  std::deque<NodeId> queue{s};
  dist[s] = 0;
  while (!queue.empty()) {
    const NodeId v = queue.front();
    queue.pop_front();
    for (NodeId i = 0; i < g.degree(v); ++i) {
      const NodeId w = g.neighbor(v, i);
      if (dist[w] == kNever) {
        dist[w] = dist[v] + 1;
        queue.push_back(w);
      }
    }
  }
  return dist;
}

// What every trial satisfies: the per-round informed counts match informed_at, sources are
// informed at round 0 with hops 0, hops are set exactly for informed nodes.
void check_consistent(const RefTrial& t) {
  REQUIRE(!t.rounds.empty());
  const auto last = static_cast<Round>(t.rounds.size()) - 1;
  for (Round r = 0; r <= last; ++r) {
    std::int64_t informed = 0, newly = 0;
    for (Round at : t.informed_at) {
      informed += at <= r;
      newly += at == r;
    }
    CHECK(t.rounds[static_cast<std::size_t>(r)].informed == informed);
    CHECK(t.rounds[static_cast<std::size_t>(r)].newly_informed == newly);
  }
  for (NodeId s : t.sources) {
    CHECK(t.informed_at[s] == 0);
    CHECK(t.hops[s] == 0);
  }
  for (std::size_t v = 0; v < t.informed_at.size(); ++v) {
    CHECK((t.informed_at[v] == kNever) == (t.hops[v] == kNoHops));
    if (t.informed_at[v] != kNever) CHECK(t.informed_at[v] <= last);
  }
  CHECK(t.rounds[0].informed == static_cast<std::int64_t>(t.sources.size()));
}

// Flood with forward_prob 1 and no loss is BFS: node v is informed in round dist(v) with
// hops dist(v) when dist(v) <= ttl; nodes with dist < ttl send one copy per out-arc in round
// dist + 1. The run ends after the first round r with no live arc (a node informed in r with
// dist < ttl and an uninformed out-neighbour): r = min(ttl, eccentricity).
template <class G>
void check_flood_is_bfs(const G& g, NodeId source, std::uint32_t ttl = 0) {
  CAPTURE(source);
  CAPTURE(ttl);
  ProtocolSpec spec = make_spec(Mode::flood, {source});
  spec.ttl = ttl;
  const RefTrial t = reference_trial(g, spec, 1, 0, kMax);
  check_consistent(t);
  const std::vector<Round> dist = bfs(g, source);
  const Round limit = ttl == 0 ? kNever : static_cast<Round>(ttl);  // reached: dist <= limit
  auto sends = [&](NodeId v) { return dist[v] != kNever && dist[v] < limit; };
  Round ecc = 0;
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    const bool reached = dist[v] != kNever && dist[v] <= limit;
    CHECK(t.informed_at[v] == (reached ? dist[v] : kNever));
    CHECK(t.hops[v] == (reached ? static_cast<std::uint32_t>(dist[v]) : kNoHops));
    if (dist[v] != kNever) ecc = std::max(ecc, dist[v]);
  }
  const Round expected_rounds = std::min(limit, ecc);
  REQUIRE(static_cast<Round>(t.rounds.size()) - 1 == expected_rounds);
  CHECK(!t.truncated);
  std::int64_t total_messages = 0;
  for (Round r = 1; r <= expected_rounds; ++r) {
    std::int64_t messages = 0, redundant = 0, spreaders = 0;
    for (NodeId v = 0; v < g.num_nodes(); ++v) {
      if (dist[v] == r && sends(v) && g.degree(v) > 0) spreaders += 1;
      if (dist[v] != r - 1 || !sends(v)) continue;
      for (NodeId i = 0; i < g.degree(v); ++i) {
        messages += 1;
        redundant += dist[g.neighbor(v, i)] < r;  // the target was informed before round r
      }
    }
    const RoundStats& st = t.rounds[static_cast<std::size_t>(r)];
    CAPTURE(r);
    CHECK(st.messages == messages);
    CHECK(st.redundant == redundant);
    CHECK(st.spreaders == spreaders);
    CHECK(st.requests == 0);
    CHECK(st.lost == 0);
    total_messages += messages;
  }
  // Each node that can pass on sends once, before the run ends: the sum of their out-degrees.
  std::int64_t degree_sum = 0;
  for (NodeId v = 0; v < g.num_nodes(); ++v)
    if (sends(v) && dist[v] < expected_rounds) degree_sum += g.degree(v);
  CHECK(total_messages == degree_sum);
  CHECK(reference_summary(t).messages == degree_sum);
}

// Philox4x32-10 with key = seed and counter {item, draw, sub, stream}, written out directly.
r123::Philox4x32::ctr_type philox(std::uint64_t seed, std::uint32_t item, std::uint32_t draw,
                                  std::uint32_t sub, std::uint32_t stream) {
  const r123::Philox4x32::key_type key{
      {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  return r123::Philox4x32{}(r123::Philox4x32::ctr_type{{item, draw, sub, stream}}, key);
}

// 0 -> 1 -> 2 -> 3 -> 6          directed; 6 has no out-arc, 2 -> 0 goes back,
//  \         ^                   4 -> 0 makes 4 unreachable from 0
//   `-> 5 ---'
CsrGraph small_digraph() {
  return build(7, {{0, 1}, {1, 2}, {2, 3}, {3, 6}, {0, 5}, {5, 3}, {2, 0}, {4, 0}}, {.directed = true});
}

}  // namespace

TEST_CASE("flood without loss is BFS: informed_at = hops = distance, rounds = ecc") {
  check_flood_is_bfs(gen_csr("ring:n=17"), 0);
  check_flood_is_bfs(gen_csr("ring:n=16"), 5);
  check_flood_is_bfs(gen_csr("path:n=12"), 4);
  check_flood_is_bfs(gen_csr("grid:rows=7,cols=9"), 0);
  check_flood_is_bfs(gen_csr("grid:rows=7,cols=9"), 31);
  check_flood_is_bfs(gen_csr("grid:rows=6,cols=6,torus=1"), 14);
  check_flood_is_bfs(gen_csr("star:n=12"), 0);
  check_flood_is_bfs(gen_csr("star:n=12"), 7);
  check_flood_is_bfs(gen_csr("hypercube:dim=6"), 0);
  check_flood_is_bfs(gen_csr("hypercube:dim=5"), 19);
  check_flood_is_bfs(small_digraph(), 0);
  check_flood_is_bfs(small_digraph(), 4);
  check_flood_is_bfs(small_digraph(), 6);  // no out-arc: round 1 sends nothing
  check_flood_is_bfs(CompleteGraph(9), 3);
  // The directed one by hand: distances 0:0 1:1 5:1 2:2 3:2 6:3 4:never; out-degrees of the
  // reached nodes 0:2 1:1 2:2 3:1 5:1 6:0 = 7 copies; the run ends after round 3 (= ecc).
  const RefTrial t = reference_trial(small_digraph(), make_spec(Mode::flood), 1, 0, kMax);
  CHECK(t.informed_at == std::vector<Round>{0, 1, 2, 2, kNever, 1, 3});
  CHECK(t.rounds.size() == 4);
  CHECK(reference_summary(t).messages == 7);
}

TEST_CASE("flood with ttl reaches exactly the ball of radius ttl") {
  for (std::uint32_t ttl : {1u, 2u, 3u, 5u, 40u}) {
    check_flood_is_bfs(gen_csr("grid:rows=7,cols=9"), 31, ttl);
    check_flood_is_bfs(gen_csr("ring:n=17"), 3, ttl);
    check_flood_is_bfs(gen_csr("hypercube:dim=6"), 9, ttl);
    check_flood_is_bfs(small_digraph(), 0, ttl);
  }
  // path 0 - 1 - 2 - 3 - 4 - 5 - 6, ttl 2 from node 3: nodes 1..5 informed; node 3 sends 2 copies
  // (round 1), nodes 2 and 4 send 2 each (round 2), nodes 1 and 5 hold hops 2 = ttl and stay quiet
  const RefTrial t = reference_trial(gen_csr("path:n=7"), [] {
    ProtocolSpec s = make_spec(Mode::flood, {3});
    s.ttl = 2;
    return s;
  }(), 1, 0, kMax);
  CHECK(t.informed_at == std::vector<Round>{kNever, 2, 1, 0, 1, 2, kNever});
  CHECK(t.hops == std::vector<std::uint32_t>{kNoHops, 2, 1, 0, 1, 2, kNoHops});
  CHECK(t.rounds.size() == 3);
  CHECK(reference_summary(t).messages == 6);
  CHECK(t.rounds[2].spreaders == 0);
}

//        1   2
//         \ /
//    8 --- 0 --- 3        star:n=9, the rumor starts at leaf 5
//         / \  ...
TEST_CASE("push on a star from a leaf: the centre first, then at most one leaf a round") {
  const CsrGraph g = gen_csr("star:n=9");
  for (std::uint32_t trial = 0; trial < 20; ++trial) {
    CAPTURE(trial);
    const RefTrial t = reference_trial(g, make_spec(Mode::push, {5}), 7, trial, kMax);
    check_consistent(t);
    // Round 1: the leaf's only neighbour is the centre.
    REQUIRE(t.rounds.size() >= 2);
    CHECK(t.rounds[1] == stats(2, 1, 1, 0, 0, 0, 2));
    CHECK(t.informed_at[0] == 1);
    CHECK(t.hops[0] == 1);
    // Later: every informed node makes one contact; leaves can only hit the (informed) centre,
    // the centre informs at most one new leaf, which then has hops 2.
    for (std::size_t r = 2; r < t.rounds.size(); ++r) {
      const RoundStats& st = t.rounds[r];
      CHECK(st.messages == t.rounds[r - 1].informed);
      CHECK(st.newly_informed <= 1);
      CHECK(st.redundant == st.messages - st.newly_informed);
      CHECK(st.lost == 0);
      CHECK(st.spreaders == st.informed);
    }
    std::set<Round> leaf_rounds;
    for (NodeId v = 1; v < 9; ++v) {
      if (v == 5) continue;
      CHECK(t.hops[v] == 2);
      leaf_rounds.insert(t.informed_at[v]);
    }
    CHECK(leaf_rounds.size() == 7);  // one leaf per round
    // Ends exactly when everybody knows.
    CHECK(t.rounds.back().informed == 9);
    CHECK(t.rounds[t.rounds.size() - 2].informed == 8);
    CHECK(!t.truncated);
  }
}

// 0 --- 1 --- 2 --- ... --- 7      a path: the reply has to walk
TEST_CASE("pull on a path: node i no earlier than round i, hops i, one reply per new node") {
  const CsrGraph g = gen_csr("path:n=8");
  for (std::uint32_t trial = 0; trial < 10; ++trial) {
    CAPTURE(trial);
    const RefTrial t = reference_trial(g, make_spec(Mode::pull), 3, trial, kMax);
    check_consistent(t);
    for (NodeId i = 0; i < 8; ++i) {
      CHECK(t.informed_at[i] >= static_cast<Round>(i));
      CHECK(t.hops[i] == i);
      if (i > 0) CHECK(t.informed_at[i] > t.informed_at[i - 1]);
    }
    for (std::size_t r = 1; r < t.rounds.size(); ++r) {
      const RoundStats& st = t.rounds[r];
      CHECK(st.requests == 8 - t.rounds[r - 1].informed);  // every uninformed node asks once
      CHECK(st.messages == st.newly_informed);             // each reply informs its requester
      CHECK(st.redundant == 0);
      CHECK(st.lost == 0);
    }
    CHECK(static_cast<Round>(t.rounds.size()) - 1 == t.informed_at[7]);  // ends when all know
    CHECK(t.rounds.back().informed == 8);
  }
}

// 0 --- 1      K_2 (implicit and as a CSR)
TEST_CASE("push-pull on K_2: one push and one pull reply in round 1") {
  const RefTrial a = reference_trial(CompleteGraph(2), make_spec(Mode::push_pull), 1, 0, kMax);
  const RefTrial b = reference_trial(build(2, {{0, 1}}), make_spec(Mode::push_pull), 1, 0, kMax);
  for (const RefTrial* t : {&a, &b}) {
    check_consistent(*t);
    REQUIRE(t->rounds.size() == 2);
    CHECK(t->rounds[0] == stats(1, 1, 0, 0, 0, 0, 1));
    CHECK(t->rounds[1] == stats(2, 1, 2, 1, 0, 0, 2));
    CHECK(t->informed_at == std::vector<Round>{0, 1});
    CHECK(t->hops == std::vector<std::uint32_t>{0, 1});
  }
  // Pull alone: one request, one reply.
  const RefTrial p = reference_trial(CompleteGraph(2), make_spec(Mode::pull, {1}), 1, 0, kMax);
  REQUIRE(p.rounds.size() == 2);
  CHECK(p.rounds[1] == stats(2, 1, 1, 1, 0, 0, 2));
}

// 0 --- 1      K_2: each node has one neighbour, so no random number matters but the coins
TEST_CASE("stop rules on K_2: exact traces") {
  auto run = [](StopRule stop, std::uint32_t k) {
    ProtocolSpec s = make_spec(Mode::push);
    s.stop = stop;
    s.k = k;
    return reference_trial(CompleteGraph(2), s, 5, 0, kMax);
  };
  // feedback-counter, k = 1: round 1 informs 1 (no feedback); round 2 both hit an informed node,
  // count 1 = k, both removed, no spreader left.
  for (StopRule stop : {StopRule::feedback_counter, StopRule::feedback_coin}) {
    CAPTURE(static_cast<int>(stop));
    const RefTrial t = run(stop, 1);  // the coin with k = 1 always says "lose interest"
    check_consistent(t);
    REQUIRE(t.rounds.size() == 3);
    CHECK(t.rounds[0] == stats(1, 1, 0, 0, 0, 0, 1));
    CHECK(t.rounds[1] == stats(2, 1, 1, 0, 0, 0, 2));
    CHECK(t.rounds[2] == stats(2, 0, 2, 0, 2, 0, 0));
    CHECK(!t.truncated);
  }
  // feedback-counter, k = 2: one more round of redundant pushes.
  const RefTrial fc2 = run(StopRule::feedback_counter, 2);
  REQUIRE(fc2.rounds.size() == 4);
  CHECK(fc2.rounds[2] == stats(2, 0, 2, 0, 2, 0, 2));
  CHECK(fc2.rounds[3] == stats(2, 0, 2, 0, 2, 0, 0));
  // blind rules, k = 1: node 0 is removed by its first contact (which informs 1); node 1 by its
  // first one in round 2.
  for (StopRule stop : {StopRule::blind_counter, StopRule::blind_coin}) {
    CAPTURE(static_cast<int>(stop));
    const RefTrial t = run(stop, 1);
    REQUIRE(t.rounds.size() == 3);
    CHECK(t.rounds[1] == stats(2, 1, 1, 0, 0, 0, 1));
    CHECK(t.rounds[2] == stats(2, 0, 1, 0, 1, 0, 0));
  }
  // blind-counter, k = 3 with fanout 2: node 0 removed after its 3rd contact (round 2, 1st of 2).
  ProtocolSpec s = make_spec(Mode::push);
  s.stop = StopRule::blind_counter;
  s.k = 3;
  s.fanout = 2;
  const RefTrial t = reference_trial(CompleteGraph(2), s, 5, 0, kMax);
  REQUIRE(t.rounds.size() >= 3);
  // Round 1: the 2nd copy finds node 1 informed in this round, not before it: not redundant.
  CHECK(t.rounds[1] == stats(2, 1, 2, 0, 0, 0, 2));
  CHECK(t.rounds[2] == stats(2, 0, 3, 0, 3, 0, 1));  // node 0 once (then removed), node 1 twice
  CHECK(t.rounds.size() == 4);                       // node 1's 3rd contact in round 3 removes it
  CHECK(t.rounds[3] == stats(2, 0, 1, 0, 1, 0, 0));
}

TEST_CASE("the stop coin fires with probability 1/k") {
  // K_2, blind-coin, k = 4: after round 1 node 0 (its one contact) is removed with prob. 1/4.
  ProtocolSpec s = make_spec(Mode::push);
  s.stop = StopRule::blind_coin;
  s.k = 4;
  int removed = 0;
  const int trials = 4000;
  for (int trial = 0; trial < trials; ++trial) {
    const RefTrial t = reference_trial(CompleteGraph(2), s, 11, static_cast<std::uint32_t>(trial), 3);
    removed += t.rounds[1].spreaders == 1;
  }
  CHECK(std::abs(removed - trials / 4) < 5 * std::sqrt(trials * 0.25 * 0.75));
}

TEST_CASE("the counted 'redundant' is the target known before the round, not within it") {
  // 1 --- 0 --- 2 with both leaves as sources pushing at the centre in round 1: two copies reach
  // the centre in the same round, neither is redundant, messages 2, newly 1.
  const RefTrial t = reference_trial(gen_csr("star:n=3"), make_spec(Mode::push, {1, 2}), 1, 0, kMax);
  REQUIRE(t.rounds.size() == 2);
  CHECK(t.rounds[1] == stats(3, 1, 2, 0, 0, 0, 3));
  CHECK(t.hops[0] == 1);
}

//   4 <--- 0 ---> 3 <--- 2 <--- 1      directed; sources 0 and 1 (hops 0)
TEST_CASE("copies accepted in the same round: the smallest hop count wins") {
  // push, no_repeat, fanout 1: node 0 reaches 3 and 4 in rounds 1 and 2 in some order. When it
  // picks 4 first, node 3 gets in round 2 both 0's copy (hops 1) and 2's copy (hops 2).
  const CsrGraph g = build(5, {{0, 3}, {0, 4}, {1, 2}, {2, 3}}, {.directed = true});
  ProtocolSpec s = make_spec(Mode::push, {0, 1});
  s.no_repeat = true;
  int both = 0, direct = 0;
  for (std::uint32_t trial = 0; trial < 40; ++trial) {
    CAPTURE(trial);
    const RefTrial t = reference_trial(g, s, 6, trial, kMax);
    check_consistent(t);
    CHECK(t.hops == std::vector<std::uint32_t>{0, 0, 1, 1, 1});
    if (t.informed_at[3] == 2) {
      // 0 -> 3 and 2 -> 3 (neither redundant), 1 -> 2 redundant; spreaders 0, 1, 2 (3 and 4
      // have no out-arc)
      CHECK(t.rounds[2] == stats(5, 1, 3, 0, 1, 0, 3));
      ++both;
    } else {
      CHECK(t.informed_at[3] == 1);
      ++direct;
    }
  }
  CHECK(both > 5);
  CHECK(direct > 5);
}

TEST_CASE("push: the fate word (B2) and the stop coin (B3) are independent") {
  // 0 --- 1 (K_2), blind-coin k = 2, forward_prob 1/2: after round 1, node 1 is informed with
  // probability 1/2 and node 0 removed with probability 1/2, independently: each of the four
  // outcomes has probability 1/4.
  ProtocolSpec s = make_spec(Mode::push);
  s.stop = StopRule::blind_coin;
  s.k = 2;
  s.forward_prob = 0.5;
  int outcome[2][2] = {};
  const int trials = 4000;
  for (int trial = 0; trial < trials; ++trial) {
    const RefTrial t = reference_trial(CompleteGraph(2), s, 13, static_cast<std::uint32_t>(trial), 1);
    const RoundStats& r1 = t.rounds[1];
    const bool informed = r1.informed == 2;
    const bool removed = r1.spreaders == (informed ? 1 : 0);
    ++outcome[informed][removed];
  }
  for (auto& row : outcome)
    for (int c : row) CHECK(std::abs(c - trials / 4) < 5 * std::sqrt(trials * 0.25 * 0.75));
}

TEST_CASE("loss = 1 never spreads and ends at round 0 without a stop rule") {
  const CsrGraph g = gen_csr("grid:rows=5,cols=5");
  for (Mode mode : {Mode::push, Mode::pull, Mode::push_pull, Mode::flood}) {
    CAPTURE(static_cast<int>(mode));
    ProtocolSpec s = make_spec(mode, {12});
    s.loss = 1.0;
    s.fanout = 3;
    const RefTrial t = reference_trial(g, s, 1, 0, kMax);
    check_consistent(t);
    CHECK(t.rounds.size() == 1);
    CHECK(!t.truncated);
    CHECK(reference_summary(t).coverage == doctest::Approx(1.0 / 25));
  }
  // With blind-counter k = 2 the source still talks until removed: every copy is lost.
  //   0 --- 1 --- ... --- 9 --- 0   (ring)
  ProtocolSpec s = make_spec(Mode::push);
  s.loss = 1.0;
  s.stop = StopRule::blind_counter;
  s.k = 2;
  const RefTrial t = reference_trial(gen_csr("ring:n=10"), s, 1, 0, kMax);
  REQUIRE(t.rounds.size() == 3);
  CHECK(t.rounds[1] == stats(1, 0, 1, 0, 0, 1, 1));
  CHECK(t.rounds[2] == stats(1, 0, 1, 0, 0, 1, 0));
  // feedback-counter: a lost copy gives no feedback, so nothing can ever change: the run ends
  // at round 0 ("loss = 1 and ... a feedback rule").
  s.stop = StopRule::feedback_counter;
  const RefTrial f = reference_trial(gen_csr("ring:n=10"), s, 1, 0, 30);
  CHECK(f.rounds.size() == 1);
  CHECK(!f.truncated);
  CHECK(reference_summary(f).messages == 0);
}

// 0        1 --- 2 --- 3       node 0 has no neighbour
TEST_CASE("a source without neighbours: coverage 1/n") {
  const CsrGraph g = build(4, {{1, 2}, {2, 3}});
  for (Mode mode : {Mode::push, Mode::pull, Mode::push_pull}) {
    CAPTURE(static_cast<int>(mode));
    const RefTrial t = reference_trial(g, make_spec(mode), 1, 0, kMax);
    CHECK(t.rounds.size() == 1);  // no live arc after round 0
    CHECK(!t.truncated);
    CHECK(reference_summary(t).coverage == doctest::Approx(0.25));
  }
  // Flood has no live arc either: it ends at round 0.
  const RefTrial f = reference_trial(g, make_spec(Mode::flood), 1, 0, kMax);
  REQUIRE(f.rounds.size() == 1);
  CHECK(f.rounds[0] == stats(1, 1, 0, 0, 0, 0, 0));
  // With a stop rule a run ends when spreaders = 0; an isolated node is no spreader (deg 0).
  ProtocolSpec s = make_spec(Mode::push);
  s.stop = StopRule::feedback_counter;
  const RefTrial st = reference_trial(g, s, 1, 0, 12);
  CHECK(st.rounds.size() == 1);
  CHECK(!st.truncated);
}

//        1   2
//         \ /
//    11 -- 0 -- 3        star:n=12, rumor at the centre
//         / \  ...
TEST_CASE("no_repeat push from a star's centre informs a new leaf every round") {
  const CsrGraph g = gen_csr("star:n=12");
  ProtocolSpec s = make_spec(Mode::push);
  s.no_repeat = true;
  for (std::uint32_t trial = 0; trial < 10; ++trial) {
    CAPTURE(trial);
    const RefTrial t = reference_trial(g, s, 2, trial, kMax);
    check_consistent(t);
    REQUIRE(t.rounds.size() == 12);  // full at round n - 1 = 11 exactly
    for (std::int64_t r = 1; r <= 11; ++r) {
      CAPTURE(r);
      // the centre informs one leaf; the r - 1 informed leaves push at the centre
      CHECK(t.rounds[static_cast<std::size_t>(r)] == stats(r + 1, 1, r, 0, r - 1, 0, r + 1));
    }
    std::vector<Round> leaf_rounds(t.informed_at.begin() + 1, t.informed_at.end());
    std::sort(leaf_rounds.begin(), leaf_rounds.end());
    CHECK(leaf_rounds == std::vector<Round>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  }
  // Without no_repeat the centre repeats itself long before 11 leaves (coupon collector).
  bool slower = false;
  for (std::uint32_t trial = 0; trial < 10; ++trial)
    slower |= reference_trial(g, make_spec(Mode::push), 2, trial, kMax).rounds.size() > 12;
  CHECK(slower);
}

//    1 ... 7 around centre 0 (star:n=8), fanout 3, no_repeat
TEST_CASE("no_repeat cycles through all neighbours before repeating, across rounds") {
  ProtocolSpec s = make_spec(Mode::push);
  s.no_repeat = true;
  s.fanout = 3;
  for (std::uint32_t trial = 0; trial < 10; ++trial) {
    const RefTrial t = reference_trial(gen_csr("star:n=8"), s, 9, trial, kMax);
    REQUIRE(t.rounds.size() == 4);
    // round 1: contacts 0-2 of the centre, 3 new leaves; round 2: contacts 3-5, 3 more (the
    // 3 informed leaves push 3 copies each at the centre); round 3: contact 6 is the last leaf,
    // contacts 7-8 start the second cycle at informed leaves.
    CHECK(t.rounds[1] == stats(4, 3, 3, 0, 0, 0, 4));
    CHECK(t.rounds[2] == stats(7, 3, 3 + 9, 0, 9, 0, 7));
    // (one of contacts 7-8 may hit the leaf contact 6 informed in this very round: not redundant)
    const RoundStats& r3 = t.rounds[3];
    CHECK(r3.informed == 8);
    CHECK(r3.newly_informed == 1);
    CHECK(r3.messages == 3 + 18);
    CHECK(r3.redundant >= 18 + 1);
    CHECK(r3.redundant <= 18 + 2);
  }
  // fanout = degree: every neighbour exactly once in round 1.
  s.fanout = 7;
  const RefTrial all = reference_trial(gen_csr("star:n=8"), s, 9, 0, kMax);
  CHECK(all.rounds[1] == stats(8, 7, 7, 0, 0, 0, 8));
}

// 0 <--> 1 --> 2      directed: node 2 has no out-arc, so it never pulls
TEST_CASE("no_repeat counts the contacts of both roles (push-pull)") {
  // Round 1: 0 pushes to 1 and informs it; 1 (uninformed) pulls with its contact 0, from 0 (a
  // reply: 2 messages) or from 2 (no reply: 1 message). Round 2: 1 pushes with its contact 1,
  // which goes to the neighbour it did not ask in round 1.
  const CsrGraph g = build(3, {{0, 1}, {1, 0}, {1, 2}}, {.directed = true});
  ProtocolSpec s = make_spec(Mode::push_pull);
  s.no_repeat = true;
  int asked_0 = 0, asked_2 = 0;
  for (std::uint32_t trial = 0; trial < 40; ++trial) {
    CAPTURE(trial);
    const RefTrial t = reference_trial(g, s, 4, trial, kMax);
    check_consistent(t);
    REQUIRE(t.rounds.size() >= 3);
    CHECK(t.informed_at[1] == 1);
    if (t.rounds[1].messages == 2) {
      CHECK(t.informed_at[2] == 2);
      CHECK(t.rounds[2] == stats(3, 1, 2, 0, 1, 0, 2));  // 0 -> 1 redundant, 1 -> 2 new; 2 has no out-arc
      ++asked_0;
    } else {
      CHECK(t.rounds[1].messages == 1);
      CHECK(t.informed_at[2] > 2);
      CHECK(t.rounds[2] == stats(2, 0, 2, 0, 2, 0, 2));  // both pushes redundant
      ++asked_2;
    }
  }
  CHECK(asked_0 > 5);
  CHECK(asked_2 > 5);
}

//   5 --- 6 --- 7 --- 0 --- 1 --- 2 --- 3      ring:n=8 (4 closes it between 3 and 5), rumor at 0
TEST_CASE("ttl in pull and push-pull: a node holding hops = ttl neither answers nor pushes") {
  // While one side is still on its way, nodes 3 and 5 keep asking nodes 2 and 6 in vain.
  const CsrGraph g = gen_csr("ring:n=8");
  for (Mode mode : {Mode::pull, Mode::push_pull, Mode::push}) {
    CAPTURE(static_cast<int>(mode));
    ProtocolSpec s = make_spec(mode);
    s.ttl = 2;
    for (std::uint32_t trial = 0; trial < 10; ++trial) {
      const RefTrial t = reference_trial(g, s, 17, trial, kMax);
      check_consistent(t);
      CHECK(t.hops == std::vector<std::uint32_t>{0, 1, 2, kNoHops, kNoHops, kNoHops, 2, 1});
      // No live arc once nodes 2 and 6 hold the rumor: the run ends in that round.
      CHECK(static_cast<Round>(t.rounds.size()) - 1 == std::max(t.informed_at[2], t.informed_at[6]));
      CHECK(!t.truncated);
      CHECK(t.rounds.back().spreaders == 3);
    }
  }
}

//        1   2
//         \ /
//   999 -- 0 -- 3      star:n=1000 (centre row: neighbour i is leaf i + 1)
//         / \  ...
TEST_CASE("draw layout: blocks {v, j, r, t}, sources {0, d, 2^31 + 1, t}, no_repeat {v, q, 2^31, t}") {
  const CsrGraph g = gen_csr("star:n=1000");
  const std::uint64_t seed = 0x0123456789abcdefull;
  const std::uint32_t trial = 7;
  auto lemire = [](const r123::Philox4x32::ctr_type& b, std::uint64_t deg) {
    const std::uint64_t x = (std::uint64_t{b.v[0]} << 32) | b.v[1];
    return static_cast<NodeId>((Uint128{x} * deg) >> 64);  // rejection has probability < 2^-54
  };
  // Push from the centre: its target in round r is leaf 1 + lemire(philox(seed; {0, 0, r, t})).
  const RefTrial t = reference_trial(g, make_spec(Mode::push), seed, trial, 3);
  const NodeId first = 1 + lemire(philox(seed, 0, 0, 1, trial), 999);
  const NodeId second = 1 + lemire(philox(seed, 0, 0, 2, trial), 999);
  REQUIRE(first != second);
  CHECK(t.informed_at[first] == 1);
  CHECK(t.informed_at[second] == 2);
  CHECK(t.rounds[1].newly_informed == 1);
  // Pull from the centre, fanout 2: leaf v asks the centre (its only neighbour); requests with
  // B2 < L = 2^31 are lost; a reply is accepted when L <= B3 < L + A, A = 2^31 / 2.
  ProtocolSpec p = make_spec(Mode::pull);
  p.fanout = 2;
  p.loss = 0.5;
  p.forward_prob = 0.5;
  const RefTrial u = reference_trial(g, p, seed, trial, 1);
  for (NodeId v = 1; v < 1000; ++v) {
    bool informed = false;
    for (std::uint32_t j = 0; j < 2; ++j) {
      const auto b = philox(seed, v, j, 1, trial);
      informed |= b.v[2] >= 0x80000000u && b.v[3] >= 0x80000000u && b.v[3] < 0xc0000000u;
    }
    CHECK((u.informed_at[v] == 1) == informed);
  }
  // One random source: Floyd's single step j = n - 1 takes x = below(n) from {0, 0, 2^31 + 1, t}.
  ProtocolSpec r = make_spec(Mode::push, {});
  const auto w = philox(seed, 0, 0, 0x80000001u, trial);
  const std::uint64_t m = std::uint64_t{w.v[0]} * 1000;
  REQUIRE(static_cast<std::uint32_t>(m) >= 1000);  // no rejection
  CHECK(reference_sources(1000, r, seed, trial) == std::vector<NodeId>{static_cast<NodeId>(m >> 32)});
  // no_repeat: the centre's c-th contact goes to leaf 1 + P_0(c), P_0 keyed by {0, 0, 2^31, t}.
  ProtocolSpec q = make_spec(Mode::push);
  q.no_repeat = true;
  q.fanout = 4;
  const RefTrial nr = reference_trial(g, q, seed, trial, 1);
  const RandomPermutation perm(999, philox(seed, 0, 0, 0x80000000u, trial));
  for (std::uint32_t c = 0; c < 4; ++c) CHECK(nr.informed_at[1 + perm.apply(c)] == 1);
  CHECK(nr.rounds[1].newly_informed == 4);
}

TEST_CASE("max_rounds truncates; a natural end at max_rounds is not a truncation") {
  const CsrGraph path = gen_csr("path:n=30");
  const RefTrial t = reference_trial(path, make_spec(Mode::push), 1, 0, 5);
  CHECK(t.rounds.size() == 6);
  CHECK(t.truncated);
  const RefTrial zero = reference_trial(path, make_spec(Mode::push), 1, 0, 0);
  CHECK(zero.rounds.size() == 1);
  CHECK(zero.truncated);
  // flood on path:n=4 from 0 ends naturally after round 3 (= ecc)
  const RefTrial exact = reference_trial(gen_csr("path:n=4"), make_spec(Mode::flood), 1, 0, 3);
  CHECK(exact.rounds.size() == 4);
  CHECK(!exact.truncated);
  const RefTrial early = reference_trial(gen_csr("path:n=4"), make_spec(Mode::flood), 1, 0, 2);
  CHECK(early.rounds.size() == 3);
  CHECK(early.truncated);
}

TEST_CASE("thresholds: L, A and the coin in 64-bit arithmetic") {
  using namespace gossip::test::ref_detail;
  const std::uint64_t two32 = std::uint64_t{1} << 32;
  CHECK(loss_threshold(0.0) == 0);
  CHECK(loss_threshold(1.0) == two32);
  CHECK(loss_threshold(0.5) == two32 / 2);
  CHECK(loss_threshold(0.25) == two32 / 4);
  CHECK(accept_threshold(1.0, 0) == two32);
  CHECK(accept_threshold(1.0, two32) == 0);
  CHECK(accept_threshold(0.5, two32 / 2) == two32 / 4);
  CHECK(coin_threshold(1) == two32);
  CHECK(coin_threshold(3) == 1431655765);
  // Exact floors: 0.3 is 0.29999999999999998889..., so floor(0.3 * 10) = 2, while the double
  // product 0.3 * 10 rounds to 3.0.
  CHECK(floor_mul(0.3, 10) == 2);
  CHECK(floor_mul(0.1, two32) == 429496729);
  CHECK(floor_mul(1e-300, two32) == 0);
  CHECK(floor_mul(0x1.fffffffffffffp-1, two32) == two32 - 1);
}

TEST_CASE("Lemire's rejection draws the replacement from the fallback stream") {
  using gossip::test::ref_detail::lemire_index;
  const Rng rng(3, 4, 5);
  const Rng::Stream fallback(rng, 6, 0x80000000u);
  Rng::Stream copy = fallback;
  std::uint64_t y = copy.next_u64();
  // deg 3: 2^64 mod 3 = 1, so x = 0 (low bits 0 < 1) is rejected; the stream gives the index.
  // (x = 0 is the only rejected value for deg 3; if y were 0 too the loop would go on.)
  REQUIRE(y != 0);
  CHECK(lemire_index(0, 3, fallback) == static_cast<std::uint32_t>((Uint128{y} * 3) >> 64));
  // Accepted draws: floor(x * deg / 2^64).
  CHECK(lemire_index(1, 3, fallback) == 0);
  CHECK(lemire_index(~std::uint64_t{0}, 3, fallback) == 2);
  CHECK(lemire_index(std::uint64_t{1} << 63, 3, fallback) == 1);
  CHECK(lemire_index(0, 1, fallback) == 0);  // 2^64 mod 1 = 0: never rejected
  CHECK(lemire_index(0, 4, fallback) == 0);  // powers of two never reject
  // deg 5: 2^64 mod 5 = 1; x = 0 rejected, x = 2^62 * 0 + 1 is fine.
  CHECK(lemire_index(0, 5, fallback) == static_cast<std::uint32_t>((Uint128{y} * 5) >> 64));
}

TEST_CASE("fates: loss and forward_prob split the copies as L and A say") {
  // star:n=20001, flood from the centre: 20000 copies in round 1; the informed leaves' only
  // neighbour, the centre, knows already, so no live arc remains and the run ends.
  const CsrGraph g = gen_csr("star:n=20001");
  ProtocolSpec s = make_spec(Mode::flood);
  s.loss = 0.25;
  s.forward_prob = 0.6;
  const RefTrial t = reference_trial(g, s, 8, 0, kMax);
  check_consistent(t);
  REQUIRE(t.rounds.size() == 2);
  const double m = 20000;
  auto near = [](double got, double p, double trials) {
    return std::abs(got - p * trials) < 5 * std::sqrt(trials * p * (1 - p));
  };
  CHECK(t.rounds[1].messages == 20000);
  CHECK(near(static_cast<double>(t.rounds[1].lost), 0.25, m));
  CHECK(near(static_cast<double>(t.rounds[1].newly_informed), 0.75 * 0.6, m));
  CHECK(t.rounds[1].redundant == 0);

  // Pull from the centre: 20000 requests; lost ones (B2) get no reply; replies are lost (B3 < L),
  // accepted, or refused.
  ProtocolSpec p = make_spec(Mode::pull);
  p.loss = 0.2;
  p.forward_prob = 0.5;
  const RefTrial u = reference_trial(g, p, 8, 0, 1);
  const RoundStats& r1 = u.rounds[1];
  CHECK(r1.requests == 20000);
  CHECK(near(static_cast<double>(r1.messages), 0.8, m));  // replies to requests that arrived
  CHECK(near(static_cast<double>(r1.newly_informed), 0.8 * 0.8 * 0.5, m));
  CHECK(near(static_cast<double>(r1.lost - (20000 - r1.messages)), 0.2, static_cast<double>(r1.messages)));
}

TEST_CASE("hops: each non-source holds 1 + the hops of a neighbour informed before it") {
  const CsrGraph g = gen_csr("grid:rows=12,cols=12");
  ProtocolSpec s = make_spec(Mode::push_pull, {0, 77});
  s.forward_prob = 0.7;
  s.fanout = 2;
  const RefTrial t = reference_trial(g, s, 21, 3, kMax);
  check_consistent(t);
  const std::vector<Round> d0 = bfs(g, 0), d77 = bfs(g, 77);
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    if (t.informed_at[v] == kNever || t.informed_at[v] == 0) continue;
    CHECK(t.hops[v] >= static_cast<std::uint32_t>(std::min(d0[v], d77[v])));
    CHECK(t.hops[v] <= static_cast<std::uint32_t>(t.informed_at[v]));
    bool parent = false;
    for (NodeId i = 0; i < g.degree(v); ++i) {
      const NodeId w = g.neighbor(v, i);
      parent |= t.informed_at[w] < t.informed_at[v] && t.hops[w] + 1 == t.hops[v];
    }
    CHECK(parent);
  }
}

TEST_CASE("determinism: the same call gives the same trial, another seed or trial another") {
  const CsrGraph g = gen_csr("grid:rows=10,cols=10");
  ProtocolSpec s = make_spec(Mode::push, {});
  s.sources = 2;
  auto same = [](const RefTrial& a, const RefTrial& b) {
    return a.rounds == b.rounds && a.informed_at == b.informed_at && a.hops == b.hops &&
           a.truncated == b.truncated && a.sources == b.sources;
  };
  for (Mode mode : {Mode::push, Mode::pull, Mode::push_pull}) {
    s.mode = mode;
    const RefTrial a = reference_trial(g, s, 42, 3, kMax);
    CHECK(same(a, reference_trial(g, s, 42, 3, kMax)));
    CHECK(a.informed_at != reference_trial(g, s, 43, 3, kMax).informed_at);
    CHECK(a.informed_at != reference_trial(g, s, 42, 4, kMax).informed_at);
  }
  // Same sources, different seed: the spreading itself differs.
  const ProtocolSpec fixed = make_spec(Mode::push, {55});
  CHECK(reference_trial(g, fixed, 1, 0, kMax).informed_at !=
        reference_trial(g, fixed, 2, 0, kMax).informed_at);
  CHECK(reference_trial(gen_csr("hypercube:dim=7"), fixed, 1, 0, kMax).informed_at !=
        reference_trial(gen_csr("hypercube:dim=7"), fixed, 1, 1, kMax).informed_at);
}

TEST_CASE("sources: k distinct sorted nodes, fixed per trial, varying across trials, uniform") {
  ProtocolSpec s = make_spec(Mode::push, {});
  s.sources = 5;
  std::set<std::vector<NodeId>> seen;
  for (std::uint32_t trial = 0; trial < 20; ++trial) {
    const std::vector<NodeId> src = reference_sources(50, s, 9, trial);
    REQUIRE(src.size() == 5);
    CHECK(std::is_sorted(src.begin(), src.end()));
    CHECK(std::adjacent_find(src.begin(), src.end()) == src.end());
    CHECK(src.back() < 50);
    CHECK(src == reference_sources(50, s, 9, trial));
    seen.insert(src);
  }
  CHECK(seen.size() >= 18);
  // In a trial they are informed at round 0.
  const RefTrial t = reference_trial(gen_csr("ring:n=50"), s, 9, 4, kMax);
  CHECK(t.sources == reference_sources(50, s, 9, 4));
  CHECK(t.rounds[0] == stats(5, 5, 0, 0, 0, 0, 5));
  check_consistent(t);
  // Floyd's algorithm is uniform: every node is picked with probability k / n.
  s.sources = 3;
  std::vector<int> hits(10, 0);
  const int trials = 4000;
  for (int trial = 0; trial < trials; ++trial)
    for (NodeId v : reference_sources(10, s, 1, static_cast<std::uint32_t>(trial))) ++hits[v];
  for (int h : hits) CHECK(std::abs(h - trials * 3 / 10) < 5 * std::sqrt(trials * 0.3 * 0.7));
  // k = n takes every node; k > n is refused.
  s.sources = 10;
  CHECK(reference_sources(10, s, 1, 0) == std::vector<NodeId>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  s.sources = 11;
  CHECK_THROWS_AS(reference_sources(10, s, 1, 0), std::invalid_argument);
  // Explicit nodes: the same every trial, sorted; outside the graph is refused.
  const ProtocolSpec e = make_spec(Mode::push, {7, 3});
  CHECK(reference_sources(10, e, 1, 0) == std::vector<NodeId>{3, 7});
  CHECK(reference_sources(10, e, 2, 5) == std::vector<NodeId>{3, 7});
  CHECK_THROWS_AS(reference_sources(7, e, 1, 0), std::invalid_argument);
}

// 0 --- 1 --- ... --- 9     flood from 0: node i at round i
TEST_CASE("summary: coverage, messages, t_avg, t_last and the first rounds reaching ceil(f n)") {
  const RefTrial t = reference_trial(gen_csr("path:n=10"), make_spec(Mode::flood), 1, 0, kMax);
  const TrialSummary s = reference_summary(t, 6);
  CHECK(s.trial == 6);
  CHECK(s.rounds == 9);  // the eccentricity: node 9 has no uninformed neighbour to flood
  CHECK(!s.truncated);
  CHECK(s.final_informed == 10);
  CHECK(s.coverage == 1.0);
  CHECK(s.residue == 0.0);
  CHECK(s.messages == 17);  // nodes 0..8 send: 1 + 2 * 8
  CHECK(s.requests == 0);
  CHECK(s.traffic == doctest::Approx(1.7));
  CHECK(s.t_avg == doctest::Approx(4.5));
  CHECK(s.t_last == 9);
  CHECK(s.round_50 == 4);   // 5 informed
  CHECK(s.round_90 == 8);   // 9 informed
  CHECK(s.round_99 == 9);   // ceil(9.9) = 10
  CHECK(s.round_full == 9);
  // ttl 3: 4 of 10, never half.
  ProtocolSpec ttl = make_spec(Mode::flood);
  ttl.ttl = 3;
  const TrialSummary p = reference_summary(reference_trial(gen_csr("path:n=10"), ttl, 1, 0, kMax));
  CHECK(p.final_informed == 4);
  CHECK(p.coverage == doctest::Approx(0.4));
  CHECK(p.residue == doctest::Approx(0.6));
  CHECK(p.t_avg == doctest::Approx(1.5));
  CHECK(p.t_last == 3);
  CHECK(!p.round_50);
  CHECK(!p.round_full);
  CHECK(p.rounds == 3);
}
