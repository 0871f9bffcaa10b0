// Batched rounds: the same operators as rumor.hpp, reordered to overlap cache misses. A round is
// latency-bound (one random gather of a neighbour's state per contact); a batch first draws the
// targets of up to kBatch contacts (Philox, Lemire index) and prefetches their row slots, then
// loads the targets and prefetches their state, then delivers in order. The blocks of up to
// kPhiloxLanes acting nodes are drawn together (philox_lanes). Within a round the order
// of deliveries cannot change any result (claims commute; "informed before r" is stable; a node's
// own counters are its own), so this equals act() node by node. Supports every run in which each
// drawn contact is made: no stop rule, or fanout 1 (a stop rule ends a node's turn only after its
// last contact): kStopMidTurn in sim/step.hpp. With faults a down actor does nothing and a copy
// or request is dropped where rumor.hpp's dropped() says; with delays each contact's delay is
// drawn (delay_of, from its row index) before the batch resolves its target.
#pragma once
#include <type_traits>
#include <vector>

#include "core/philox_lanes.hpp"
#include "graph/graph.hpp"
#include "sim/rumor.hpp"

namespace gossip {

inline constexpr std::size_t kRoundBlock = 2048;  // nodes a block of a round
inline constexpr std::size_t kBatch = 64;   // contacts in flight per thread
inline constexpr std::size_t kAhead = 16;   // sparse frontiers: nodes prefetched ahead

namespace batch {

enum class Role : std::uint8_t { push, pull, copy };

struct Contact {
  NodeId v;          // sender (push, copy) or requester (pull)
  NodeId w;          // row index, then the target
  std::uint32_t w2;  // fate (push, copy: a Fate) or request word (pull)
  std::uint32_t w3;  // stop coin (push) or reply word (pull)
  std::uint16_t h;   // sender's hops (push, copy)
  Role role;
  bool last;         // pull: the requester's last contact
  std::uint32_t j;   // the contact's index among the actor's (push, pull), the arc's (copy)
  Round d = 0;       // the delay of its copy (push, copy) or reply (pull): faults.delay
};

template <class G>
void prefetch_node(const G& g, const RumorState& st, NodeId v) {
  __builtin_prefetch(st.informed_at.data() + v, 0, 3);
  if constexpr (has_rows<G>) __builtin_prefetch(g.offsets().data() + v, 0, 3);
}

template <class G>
void prefetch_slot(const G& g, NodeId v, NodeId i) {
  if constexpr (has_rows<G>) __builtin_prefetch(g.adjacency().data() + g.offsets()[v] + i, 0, 3);
}

// The fate of flood's copy along arc k of v (as flood_from draws it).
inline Fate copy_fate(const RoundContext& c, NodeId v, std::uint32_t k) {
  return flood_fate(c.seed, c.trial, c.r, v, k, c.thresholds);
}

// The target's state (a pull target is only read; a copy's may be claimed: on x86-64-v2 both
// are plain prefetches).
inline void prefetch_target(const RumorState& st, NodeId w) {
  __builtin_prefetch(st.informed_at.data() + w, 0, 3);
  if (!st.hops.empty()) __builtin_prefetch(st.hops.data() + w, 0, 3);
}

// Loads every target, prefetches its state, then delivers the contacts in order.
template <class G, class OnNew>
void flush(const G& g, RumorState& st, const RoundContext& c, std::vector<Contact>& buf, RoundStats& s,
           OnNew&& on_new) {
  for (Contact& e : buf) {
    if (st.delays) e.d = delay_of(g, st, c, e.v, e.j, e.role == Role::copy ? e.j : e.w);  // e.w: still the row index
    if (e.role != Role::copy) e.w = g.neighbor(e.v, e.w);
    prefetch_target(st, e.w);
    // A first claim reads the target's degree (count_claim, without a TTL): its row offset too.
    if constexpr (has_rows<G>)
      if (e.role != Role::pull && st.ttl == 0) __builtin_prefetch(g.offsets().data() + e.w, 0, 3);
  }
  std::uint16_t best = kNoHops;
  for (const Contact& e : buf) {
    if (e.role == Role::pull) {
      best = std::min(best, pull_contact(st, c, e.v, e.w, e.w2, e.w3, s, e.d));
      if (e.last) {
        pull_done(g, st, c, e.v, best, s, on_new);
        best = kNoHops;
      }
      continue;
    }
    const bool knew = deliver(g, st, c, e.v, e.w, e.h, static_cast<Fate>(e.w2), s, on_new, e.d);
    if (e.role == Role::push && c.spec.stop != StopRule::none) {
      Block b{};
      b.v[3] = e.w3;
      after_contact(st, c, e.v, knew, b, s);
    }
  }
  buf.clear();
}

// Actors waiting for their draws: up to kPhiloxLanes of them get their blocks together.
struct Pending {
  NodeId v;
  Role role;
  std::uint16_t h;  // the sender's hops (push)
};

// Queues the pending actors' contacts (random ones), each actor's fanout contacts in a row: the
// blocks of every pending actor are drawn together, one philox_lanes per contact index j (16
// blocks per instruction instead of one scalar block per contact), then picked in actor order.
template <class G>
void queue_pending(const G& g, RumorState& st, const RoundContext& c, std::vector<Pending>& pend,
                   std::vector<Contact>& buf) {
  if (pend.empty()) return;
  thread_local std::vector<PhiloxLanes> lanes;
  alignas(64) std::uint32_t items[kPhiloxLanes] = {};
  const std::size_t m = pend.size();
  for (std::size_t l = 0; l < m; ++l) items[l] = pend[l].v;
  lanes.resize(c.spec.fanout);
  for (std::uint32_t j = 0; j < c.spec.fanout; ++j) philox_lanes(c.rng, j, items, m, lanes[j]);
  for (std::size_t l = 0; l < m; ++l) {
    const Pending& p = pend[l];
    for (std::uint32_t j = 0; j < c.spec.fanout; ++j) {
      const PhiloxLanes& b4 = lanes[j];
      const Block b{{b4.w[0][l], b4.w[1][l], b4.w[2][l], b4.w[3][l]}};
      const std::uint32_t i = contact_index(g, st, c, p.v, j, b);
      prefetch_slot(g, p.v, i);
      const std::uint32_t w2 = p.role == Role::push ? static_cast<std::uint32_t>(c.thresholds.fate(b.v[2])) : b.v[2];
      buf.push_back({p.v, i, w2, b.v[3], p.h, p.role, j + 1 == c.spec.fanout, j});
    }
  }
  pend.clear();
}

}  // namespace batch

// Acts for the nodes node_at(lo .. hi-1) (each at most once), batched; equal to act() on each.
template <class G, class NodeAt, class OnNew>
void act_batched(const G& g, RumorState& st, const RoundContext& c, std::size_t lo, std::size_t hi, NodeAt&& node_at,
                 bool sparse, RoundStats& s, OnNew&& on_new) {
  using namespace batch;
  thread_local std::vector<Contact> buf;
  thread_local std::vector<Pending> pend;
  buf.clear();
  pend.clear();
  const Mode mode = c.spec.mode;
  for (std::size_t i = lo; i < hi; ++i) {
    if (sparse && i + kAhead < hi) prefetch_node(g, st, node_at(i + kAhead));
    const NodeId v = node_at(i);
    if (!st.up(v)) continue;  // a down node does nothing this round (faults)
    const Round t = st.when(v);
    if (mode == Mode::flood) {
      if (!st.floods(v, c.r)) continue;
      const std::uint16_t h = st.hops_of(v);
      const std::uint32_t deg = g.degree(v);
      const bool draw = !c.thresholds.certain();
      for (std::uint32_t k = 0; k < deg; ++k) {
        const Fate f = draw ? copy_fate(c, v, k) : Fate::accepted;
        buf.push_back({v, g.neighbor(v, k), static_cast<std::uint32_t>(f), 0, h, Role::copy, false, k});
        if (buf.size() >= kBatch) flush(g, st, c, buf, s, on_new);
      }
      after_flood(g, st, c, v, s);  // v's own state: no other contact reads it this round
      continue;
    }
    if (g.degree(v) == 0) continue;
    if (t < c.r) {
      if (mode != Mode::pull && st.can_pass(v, c.r)) pend.push_back({v, Role::push, st.hops_of(v)});
    } else if (mode != Mode::push) {
      pend.push_back({v, Role::pull, 0});
    }
    if (pend.size() == kPhiloxLanes) queue_pending(g, st, c, pend, buf);
    if (buf.size() >= kBatch) flush(g, st, c, buf, s, on_new);
  }
  queue_pending(g, st, c, pend, buf);
  flush(g, st, c, buf, s, on_new);
}

}  // namespace gossip
