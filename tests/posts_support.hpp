// Helpers of the posts tests (test_reference_posts.cpp, test_posts.cpp): a posts spec, small
// graphs, BFS distances, fault and delay specs as the config would give them.
#pragma once
#include <doctest/doctest.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "protocol/fault_spec.hpp"
#include "protocol/posts.hpp"
#include "protocol/spec.hpp"
#include "sim/posts.hpp"
#include "sim/round_stats.hpp"
#include "support.hpp"

namespace gossip::test {

struct PostsOptions {
  std::uint32_t fanout = 1;
  double forward_prob = 1.0;
  double loss = 0.0;
  std::uint32_t ttl = 0;
  Round lifetime = 0;
};

inline ProtocolSpec posts_spec(Mode m, std::vector<PostSeed> list, const PostsOptions& o = {}) {
  ProtocolSpec s{.mode = m, .fanout = o.fanout, .no_repeat = false, .forward_prob = o.forward_prob, .ttl = o.ttl,
                 .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = {}, .loss = o.loss,
                 .recovery_prob = 1.0, .faults = {}, .aggregate = {}, .posts = {}};
  s.posts.list = std::move(list);
  s.posts.lifetime = o.lifetime;
  s.posts.arrivals = true;
  return s;
}

inline std::string describe_posts(const ProtocolSpec& s) {
  std::string out = std::string(mode_name(s.mode)) + " fanout=" + std::to_string(s.fanout) +
                    " p=" + std::to_string(s.forward_prob) + " loss=" + std::to_string(s.loss) +
                    " ttl=" + std::to_string(s.ttl) + " lifetime=" + std::to_string(s.posts.lifetime) +
                    " delay=" + s.faults.delay.text + " crashed=" + std::to_string(s.faults.crashed) +
                    " churn=" + s.faults.churn.text + " events=" + std::to_string(s.faults.events.size()) +
                    " join=" + s.faults.join.text + " posts=[";
  for (const PostSeed& p : s.posts.list)
  {
    out += '(';
    out += std::to_string(p.id);
    out += " by ";
    out += std::to_string(p.author);
    out += " at ";
    out += std::to_string(p.created);
    out += ')';
  }
  return out + "]";
}

// Out-arc BFS distances from a (kNever: unreachable).
template <class G>
std::vector<Round> bfs(const G& g, NodeId a) {
  std::vector<Round> d(g.num_nodes(), kNever);
  std::deque<NodeId> q{a};
  d[a] = 0;
  while (!q.empty()) {
    const NodeId v = q.front();
    q.pop_front();
    for (NodeId i = 0; i < g.degree(v); ++i) {
      const NodeId w = g.neighbor(v, i);
      if (d[w] == kNever) {
        d[w] = d[v] + 1;
        q.push_back(w);
      }
    }
  }
  return d;
}

// --- graphs --------------------------------------------------------------------------------

// 0 -> 1 -> 2 -> 3 -> 6          directed; 6 has no out-arc, 2 -> 0 goes back,
//  \         ^                   4 -> 0 makes 4 unreachable from 0
//   `-> 5 ---'
inline CsrGraph posts_digraph() {
  return build(7, {{0, 1}, {1, 2}, {2, 3}, {3, 6}, {0, 5}, {5, 3}, {2, 0}, {4, 0}}, {.directed = true});
}
// Two components and isolated nodes 3, 8, 11: 0-1-2-0 triangle with a tail 2-4-5, and 6-7-9-10.
inline CsrGraph posts_isolated() {
  return build(12, {{0, 1}, {1, 2}, {2, 0}, {2, 4}, {4, 5}, {6, 7}, {7, 9}, {9, 10}, {10, 6}, {6, 9}});
}
// The four friends: Alice 0, Bob 1, Charlie 2, Dave 3; Alice-Bob, Bob-Charlie, Alice-Dave.
inline CsrGraph four_friends() { return build(4, {{0, 1}, {1, 2}, {0, 3}}); }

// The four friends of data/social by hand (test_reference_posts.cpp derives them): Alice 0, Bob
// 1, Charlie 2, Dave 3 (joining in round 3); posts 0 .. 3 by Alice (round 0), Bob (0), Charlie
// (1), Dave (3); flood, forward probability 1, TTL 3, no delays. Dave, absent until round 3,
// loses Alice's and Bob's posts (flood sends each once): his timeline is his own and Charlie's.
inline ProtocolSpec four_friends_spec() {
  ProtocolSpec s{.mode = Mode::flood, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 3,
                 .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = {}, .loss = 0.0,
                 .recovery_prob = 1.0, .faults = {}, .aggregate = {}, .posts = {}};
  s.posts.list = {{0, 0, 0}, {1, 1, 0}, {2, 2, 1}, {3, 3, 3}};
  s.posts.arrivals = true;
  s.faults.join = {.kind = JoinSpec::file, .per_round = 1, .start = 1, .text = "file:joined", .column = "joined",
                   .rounds = std::make_shared<const JoinRounds>(std::vector<Round>{0, 0, 0, 3})};
  return s;
}
// Timelines (post, user, arrival round, hops), by post then user.
inline std::vector<PostArrival> four_friends_arrivals() {
  return {{0, 0, 0, 0}, {0, 1, 1, 1}, {0, 2, 2, 2},
          {1, 0, 1, 1}, {1, 1, 0, 0}, {1, 2, 1, 1},
          {2, 0, 3, 2}, {2, 1, 2, 1}, {2, 2, 1, 0}, {2, 3, 4, 3},
          {3, 0, 4, 1}, {3, 1, 5, 2}, {3, 2, 6, 3}, {3, 3, 3, 0}};
}
// Per round: informed, newly, messages, requests, redundant, lost, spreaders, up, lost_down,
// lost_partition, present, in_flight. Spreaders as the text defines them (every node with S_v
// not empty in the next round: Alice keeps her post at hops 0) or as the engine counts them, as
// for a rumor's flood (nodes with out-arcs and F_v not empty: new posts below the TTL).
inline std::vector<RoundStats> four_friends_rounds() {
  std::vector<RoundStats> out{
      {2, 2, 0, 0, 0, 0, 2, 3, 0, 0, 3, 0},   {6, 4, 4, 0, 0, 1, 3, 3, 1, 0, 3, 0},
      {8, 2, 5, 0, 3, 1, 3, 3, 1, 0, 3, 0},   {10, 2, 3, 0, 2, 0, 4, 4, 0, 0, 4, 0},
      {12, 2, 3, 0, 1, 0, 4, 4, 0, 0, 4, 0},  {13, 1, 2, 0, 1, 0, 4, 4, 0, 0, 4, 0},
      {14, 1, 2, 0, 1, 0, 4, 4, 0, 0, 4, 0}};
  // New below the TTL: r0 A, B; r1 A, B, C; r2 C, B; r3 A, D; r4 A (D's is at hops 3); r5 B;
  // r6 none (C's at hops 3).
  const std::int64_t flood[] = {2, 3, 2, 2, 1, 1, 0};
  for (std::size_t r = 0; r < out.size(); ++r) out[r].spreaders = flood[r];
  return out;
}
// reach[r * 4 + k].
inline std::vector<std::int64_t> four_friends_reach() {
  return {1, 1, 0, 0, 2, 3, 1, 0, 3, 3, 2, 0, 3, 3, 3, 1, 3, 3, 4, 2, 3, 3, 4, 3, 3, 3, 4, 4};
}
// Rounds after created to ceil(50 %) and ceil(90 %) = all holders; duplicates up to the last new
// holder's round: Alice's, by round 2: B -> A (not C -> B of round 3); Bob's, by round 1: none
// (A -> B and C -> B come in round 2); Charlie's B -> C, A -> B; Dave's A -> D, B -> A. The round
// counter `redundant` counts them all (8).
inline std::vector<PostOutcome> four_friends_posts() {
  return {{0, 0, 0, 3, 1, 2, 2, 2, 2, 1},
          {1, 1, 0, 3, 1, 1, 1, 1, 1, 0},
          {2, 2, 1, 4, 1, 3, 3, 3, 3, 2},
          {3, 3, 3, 4, 1, 3, 3, 3, 3, 2}};
}

// --- faults and delays, as the config would give them ----------------------------------------

inline DelaySpec uniform_delay(double lo, double hi) {
  return {.kind = DelaySpec::uniform, .a = lo, .b = hi, .text = "uniform:min=" + std::to_string(int(lo)) +
                                                                 ",max=" + std::to_string(int(hi))};
}
inline DelaySpec fixed_delay(double d) { return {.kind = DelaySpec::fixed, .a = d, .b = 0, .text = "fixed"}; }
inline ChurnSpec churn_bernoulli(double fail, double recover) {
  return {.kind = ChurnSpec::bernoulli,
          .up = {.kind = PeriodDist::geometric, .a = fail, .b = 1.0},
          .down = {.kind = PeriodDist::geometric, .a = recover, .b = 1.0},
          .fraction = 1.0,
          .text = "bernoulli"};
}
inline FaultEvent event(FaultEvent::Kind kind, Round r, std::vector<NodeId> nodes = {}, double fraction = 0.0,
                        std::uint32_t groups = 2) {
  return {.kind = kind, .round = r, .fraction = fraction, .nodes = std::move(nodes), .groups = groups,
          .group_column = {}, .group_map = {}};
}
inline JoinSpec join_linear(std::uint64_t per_round, std::uint64_t start) {
  return {.kind = JoinSpec::linear, .per_round = per_round, .start = start, .text = "linear", .column = {}, .rounds = {}};
}

}  // namespace gossip::test
