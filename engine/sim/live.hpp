// The end-of-run test of docs/model.md ("When a run ends") for runs without a stop rule: is
// there still a live arc, from a node that can pass the rumor on to an uninformed node (push),
// or from an uninformed node to one that can answer (pull)? For flood the senders are the nodes
// informed in the last round (with recovery: the informed that have not recovered). A parallel
// scan with early exit (over the dense sweep's bitmaps where they are current); O(1) on the
// complete graph.
#pragma once
#include <atomic>
#include <bit>
#include <vector>

#include "core/parallel.hpp"
#include "graph/graph.hpp"
#include "sim/state.hpp"
#include "sim/sweep_bitmaps.hpp"

namespace gossip {

// `next` is the next round (can_pass is evaluated as of its start).
inline bool has_live_arc(const CompleteGraph& g, const RumorState&, Mode, Round, std::int64_t informed,
                         std::int64_t spreaders, const std::vector<NodeId>* = nullptr) {
  return g.num_nodes() >= 2 && informed < g.num_nodes() && spreaders > 0;
}

// senders: when given, a list holding every node that sends in round `next` (the sparse
// frontier of push or flood); only their arcs are scanned.
inline bool has_live_arc(const CsrGraph& g, const RumorState& st, Mode mode, Round next, std::int64_t informed,
                         std::int64_t spreaders, const std::vector<NodeId>* senders = nullptr) {
  const std::int64_t n = g.num_nodes();
  if (informed >= n) return false;
  // Senders are spreaders; so are answerers, except in a directed graph, where a node without
  // out-neighbours (not counted as a spreader) can still be asked.
  if (spreaders == 0 && (mode == Mode::push || mode == Mode::flood || !g.directed())) return false;
  bool push_side = mode != Mode::pull, pull_side = mode == Mode::pull || mode == Mode::push_pull;
  if (!g.directed() && mode != Mode::flood) {  // both sides see the same edges: scan the smaller node set
    pull_side = n - informed < spreaders;
    push_side = !pull_side;
  }
  std::atomic<bool> found{false};
  if (senders && (mode == Mode::push || mode == Mode::flood)) {
    // Mostly the first sender's arcs decide; a long list (flood with recovery keeps infectious
    // nodes whose neighbours are all informed) is scanned in parallel blocks.
    const std::vector<NodeId>& list = *senders;
    par::for_blocks(list.size(), 2048, [&](std::size_t, std::size_t lo, std::size_t hi) {
      if (found.load(std::memory_order_relaxed)) return;
      for (std::size_t k = lo; k < hi; ++k)
        for (NodeId w : g.neighbors(list[k]))
          if (st.when(w) == kNever) return found.store(true, std::memory_order_relaxed);
    });
    return found.load();
  }
  if (mode != Mode::flood && st.arcs_ready && st.bits_round == next) {
    // After a dense sweep its bitmaps hold "informed before next" (= can pass: no TTL, no stop
    // rule) and "has out-neighbours" a bit per node: only the words' candidate nodes are visited.
    const std::uint64_t* known = st.bits.data();  // the layout of sweep::bitmaps
    const std::uint64_t* arcs = known + RumorState::bit_words(g.num_nodes());
    par::for_blocks(RumorState::bit_words(g.num_nodes()), 64, [&](std::size_t, std::size_t lo, std::size_t hi) {
      if (found.load(std::memory_order_relaxed)) return;
      for (std::size_t k = lo; k < hi; ++k)
        for (int side = 0; side < 2; ++side) {
          if (!(side == 0 ? push_side : pull_side)) continue;
          for (std::uint64_t m = (side == 0 ? known[k] : ~known[k]) & arcs[k]; m; m &= m - 1) {
            const auto v = static_cast<NodeId>(64 * k + std::countr_zero(m));
            for (NodeId w : g.neighbors(v))
              if (sweep::bit(known, w) == (side == 1)) return found.store(true, std::memory_order_relaxed);
          }
        }
    });
    return found.load();
  }
  par::for_blocks(static_cast<std::size_t>(n), 4096, [&](std::size_t, std::size_t lo, std::size_t hi) {
    if (found.load(std::memory_order_relaxed)) return;
    for (std::size_t x = lo; x < hi; ++x) {
      const auto v = static_cast<NodeId>(x);
      const bool uninformed = st.when(v) == kNever;
      const bool sends = mode == Mode::flood ? st.floods(v, next) : !uninformed && st.can_pass(v, next);
      if (push_side && sends) {
        for (NodeId w : g.neighbors(v))
          if (st.when(w) == kNever) return found.store(true, std::memory_order_relaxed);
      }
      if (pull_side && uninformed) {
        for (NodeId w : g.neighbors(v))
          if (st.can_pass(w, next)) return found.store(true, std::memory_order_relaxed);
      }
    }
  });
  return found.load();
}

// With a stop rule and faults (docs/model.md, "When a run ends"): some spreader of round `next`
// (out-neighbours, can pass on) is waited for: not down for good and, under a feedback rule,
// with an out-neighbour that is neither down for good nor cut off for good (else every contact
// is lost and gives no feedback). senders: when given, a list holding every such spreader (the
// sparse frontier of push).
template <class G>
bool has_waiting_spreader(const G& g, const RumorState& st, Round next, bool feedback,
                          const std::vector<NodeId>* senders = nullptr) {
  const FaultState& f = st.faults;
  const bool groups_final = feedback && f.groups_final();
  auto reachable = [&](NodeId v) {
    for (NodeId i = 0; i < g.degree(v); ++i) {
      const NodeId w = g.neighbor(v, i);
      if (!f.down_for_good(w) && !(groups_final && f.cut(v, w))) return true;
    }
    return false;
  };
  const std::size_t count = senders ? senders->size() : static_cast<std::size_t>(g.num_nodes());
  std::atomic<bool> found{false};
  par::for_blocks(count, 4096, [&](std::size_t, std::size_t lo, std::size_t hi) {
    for (std::size_t x = lo; x < hi && !found.load(std::memory_order_relaxed); ++x) {
      const NodeId v = senders ? (*senders)[x] : static_cast<NodeId>(x);
      if (g.degree(v) > 0 && st.can_pass(v, next) && !f.down_for_good(v) && (!feedback || reachable(v)))
        found.store(true, std::memory_order_relaxed);
    }
  });
  return found.load();
}

// With faults (docs/model.md, "When a run ends", after the last event): a live arc joins nodes
// that may be up later (plain flood: up in round `next`, when its copies go) within one group of
// the partition. On the complete graph, per group: a sender and an uninformed target (push), an
// uninformed requester and an answerer (pull); elsewhere the arcs are scanned.
template <class G>
bool has_live_arc_faults(const G& g, const RumorState& st, Mode mode, Round next) {
  const FaultState& f = st.faults;
  const bool plain_flood = mode == Mode::flood && !st.sir;
  const bool push_side = mode != Mode::pull, pull_side = mode == Mode::pull || mode == Mode::push_pull;
  auto alive = [&](NodeId v) { return plain_flood ? f.up(v) : f.may_up_later(v); };
  auto sends = [&](NodeId v) {
    return g.degree(v) > 0 && (mode == Mode::flood ? st.floods(v, next) : st.can_pass(v, next)) && alive(v);
  };
  auto uninformed = [&](NodeId v) { return st.when(v) == kNever && alive(v); };
  auto answers = [&](NodeId v) { return st.can_pass(v, next) && alive(v); };
  const auto n = static_cast<std::size_t>(g.num_nodes());
  if constexpr (is_implicit_complete<G>) {
    enum : std::uint8_t { kSender = 1, kTarget = 2, kRequester = 4, kAnswerer = 8 };
    std::vector<std::atomic<std::uint8_t>> seen(f.groups());
    par::for_blocks(n, 4096, [&](std::size_t, std::size_t lo, std::size_t hi) {
      for (std::size_t x = lo; x < hi; ++x) {
        const auto v = static_cast<NodeId>(x);
        std::uint8_t m = 0;
        if (push_side && sends(v)) m |= kSender;
        if (uninformed(v)) m |= (push_side ? kTarget : 0) | (pull_side && g.degree(v) > 0 ? kRequester : 0);
        if (pull_side && answers(v)) m |= kAnswerer;
        std::atomic<std::uint8_t>& a = seen[f.group(v)];
        if ((a.load(std::memory_order_relaxed) & m) != m) a.fetch_or(m, std::memory_order_relaxed);
      }
    });
    for (const auto& a : seen) {
      const std::uint8_t m = a.load();
      if ((m & (kSender | kTarget)) == (kSender | kTarget) || (m & (kRequester | kAnswerer)) == (kRequester | kAnswerer))
        return true;
    }
    return false;
  } else {
    std::atomic<bool> found{false};
    auto scan = [&](auto&& visit) {
      par::for_blocks(n, 4096, [&](std::size_t, std::size_t lo, std::size_t hi) {
        for (std::size_t x = lo; x < hi && !found.load(std::memory_order_relaxed); ++x)
          if (visit(static_cast<NodeId>(x))) found.store(true, std::memory_order_relaxed);
      });
    };
    if (!g.directed() && mode != Mode::flood) {
      // Both sides see the same edges: from each uninformed node, look for a neighbour that
      // pushes to it or answers its pull (the uninformed are few when the scan is long).
      scan([&](NodeId u) {
        if (!uninformed(u)) return false;
        for (NodeId w : g.neighbors(u))
          if (((push_side && sends(w)) || (pull_side && answers(w))) && !f.cut(u, w)) return true;
        return false;
      });
    } else {
      scan([&](NodeId v) {
        if (push_side && sends(v))
          for (NodeId w : g.neighbors(v))
            if (uninformed(w) && !f.cut(v, w)) return true;
        if (pull_side && g.degree(v) > 0 && uninformed(v))
          for (NodeId w : g.neighbors(v))
            if (answers(w) && !f.cut(v, w)) return true;
        return false;
      });
    }
    return found.load();
  }
}

}  // namespace gossip
