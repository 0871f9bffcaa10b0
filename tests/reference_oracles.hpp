// Shared oracles of the reference simulator's tests (test_reference_*.cpp): the defaults of
// SimConfig with explicit sources, literal round counters, BFS distances, the invariants every
// trial satisfies, flood against BFS, Philox written out directly, and a small digraph. Derived
// from docs/model.md by hand, never from the reference itself.
#pragma once
#include <algorithm>
#include <cmath>
#include <deque>
#include <set>

#include "graph/complete.hpp"
#include "reference_sim.hpp"
#include "config/config.hpp"
#include "support.hpp"

namespace gossip::test {

inline constexpr Round kMax = 100000;

// The defaults of SimConfig (config/config.hpp), with explicit sources.
inline ProtocolSpec make_spec(Mode mode, std::vector<NodeId> sources = {0}) {
  ProtocolSpec s = SimConfig{}.protocol;
  s.mode = mode;
  s.source_nodes = std::move(sources);
  return s;
}

// The counters of a round without faults: `up` = `present` = n, nothing lost to faults.
inline RoundStats stats(std::int64_t informed, std::int64_t newly, std::int64_t messages, std::int64_t requests,
                        std::int64_t redundant, std::int64_t lost, std::int64_t spreaders, std::int64_t up) {
  return {informed, newly, messages, requests, redundant, lost, spreaders, up, 0, 0, up};
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
inline void check_consistent(const RefTrial& t) {
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
inline r123::Philox4x32::ctr_type philox(std::uint64_t seed, std::uint32_t item, std::uint32_t draw,
                                  std::uint32_t sub, std::uint32_t stream) {
  const r123::Philox4x32::key_type key{
      {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  return r123::Philox4x32{}(r123::Philox4x32::ctr_type{{item, draw, sub, stream}}, key);
}

// 0 -> 1 -> 2 -> 3 -> 6          directed; 6 has no out-arc, 2 -> 0 goes back,
//  \         ^                   4 -> 0 makes 4 unreachable from 0
//   `-> 5 ---'
inline CsrGraph small_digraph() {
  return build(7, {{0, 1}, {1, 2}, {2, 3}, {3, 6}, {0, 5}, {5, 3}, {2, 0}, {4, 0}}, {.directed = true});
}

}  // namespace gossip::test
