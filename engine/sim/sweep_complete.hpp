// The dense push round on the implicit complete graph, fused (core/complete_lanes): where every
// copy arrives and is accepted (no loss, forward probability 1), the contact of 64 pushers is drawn,
// picked and formed in one call. With the bitmap in cache (no prefetching, Bitmaps::prefetch:
// n <= 2^24) the call tests the bits too, and a copy that informs sets a bit in its worker's own
// bitmap, which count_fresh turns into informed_at (sweep_complete_near). Out of cache,
// unprefetched gathers made that 1.7x slower (1e8), so there the targets' words are prefetched
// and tested two units later and only the informing copies write informed_at
// (sweep_complete_far). The same draws, decisions and counters as the pipeline of units
// (sweep.hpp) and act() (rumor.hpp).
#pragma once
#include <algorithm>
#include <bit>

#include "core/bit_pack.hpp"
#include "core/complete_lanes.hpp"
#include "core/parallel.hpp"
#include "graph/complete.hpp"
#include "sim/rumor.hpp"
#include "sim/sweep_bitmaps.hpp"

namespace gossip::sweep {

// Lanes where Lemire's pick may reject: the target from pick_index (u.seen is left to the caller).
inline void redo_lanes(const CompleteGraph& g, const RoundContext& c, std::uint32_t j, const NodeId* node,
                       CompleteLanes& u) {
  for (std::uint64_t m = u.redo; m; m &= m - 1) {
    const auto l = static_cast<unsigned>(std::countr_zero(m));
    const NodeId v = node[l];
    u.target[l] = g.neighbor(v, pick_index(c.rng, c.rng.block(v, j), v, j, g.num_nodes() - 1));
  }
}

// The pushers of the words [lo, hi) (known & arcs) in groups of 64, a group spanning words, and
// the last one shorter: emit(node, count). A group per word cost a whole kernel call for a few
// pushers: complete:n=1e5's first dense rounds (5 pushers a word) cost 10x more a contact than
// the last ones.
template <class Emit>
void for_pusher_groups(const Bitmaps& bm, std::size_t lo, std::size_t hi, Emit&& emit) {
  alignas(64) NodeId stage[2 * 64 + kPositionsSlack] = {};  // readable past the count (complete_lanes)
  std::uint32_t m = 0;
  for (std::size_t k = lo; k < hi; ++k) {
    const std::uint64_t push = bm.known[k] & bm.arcs[k];
    if (push == 0) continue;
    m += bit_positions(push, static_cast<NodeId>(64 * k), stage + m);
    if (m < 64) continue;
    emit(static_cast<const NodeId*>(stage), 64u);
    m -= 64;
    std::copy_n(stage + 64, m, stage);
  }
  if (m) emit(static_cast<const NodeId*>(stage), m);
}

// The bitmap out of cache: unit i is drawn (no test), its targets' summary bits probed and their
// bitmap words prefetched; unit i - 2 is tested (bit_test) and the state its informing copies
// will write prefetched; unit i - 3's informs are written (a lag of one unit instead of two was
// 3-19 % slower on complete:n=4e7 at 1 thread, three interleaved runs).
inline RoundStats sweep_complete_far(const CompleteGraph& g, RumorState& st, const RoundContext& c, const Bitmaps& bm) {
  const NodeId n = g.num_nodes();
  constexpr std::size_t kWords = 32, kLag = 2, kRing = kLag + 2;
  return par::reduce_blocks(
      bm.words, kWords, RoundStats{},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        RoundStats s;
        struct Slot {
          CompleteLanes u;
          std::uint32_t count = 0;
          std::uint64_t informs = 0;
        } ring[kRing];
        auto test = [&](Slot& x) {
          x.u.seen = bit_test(bm.known, x.u.target, x.count, x.u.seen);
          const std::uint64_t lanes = low_lanes(x.count);
          x.informs = push_lanes(lanes, x.u.seen, 0, lanes, s);
          for (std::uint64_t m = x.informs; m; m &= m - 1)
            __builtin_prefetch(st.informed_at.data() + x.u.target[std::countr_zero(m)], 1, 3);
        };
        auto write = [&](const Slot& x) {
          for (std::uint64_t m = x.informs; m; m &= m - 1) inform(st, x.u.target[std::countr_zero(m)], c.r);
        };
        std::size_t i = 0;
        for_pusher_groups(bm, lo, hi, [&](const NodeId* node, std::uint32_t count) {
          for (std::uint32_t j = 0; j < c.spec.fanout; ++j, ++i) {
            Slot& x = ring[i % kRing];
            x.count = count;
            complete_lanes(c.rng, j, node, count, n, nullptr, x.u);
            redo_lanes(g, c, j, node, x.u);
            std::uint64_t full = 0;
            if (bm.summary)
              for (std::uint32_t l = 0; l < x.count; ++l) full |= std::uint64_t{bm.full(x.u.target[l])} << l;
            for (std::uint64_t m = low_lanes(x.count) & ~full; m; m &= m - 1)
              __builtin_prefetch(bm.known + (x.u.target[std::countr_zero(m)] >> 6), 0, 3);
            x.u.seen = full;
            if (i >= kLag) test(ring[(i - kLag) % kRing]);
            if (i >= kLag + 1) write(ring[(i - kLag - 1) % kRing]);
          }
        });
        // Drain: the last kLag units are tested, the last kLag + 1 written (tests read only the bitmap).
        for (std::size_t u = i > kLag ? i - kLag : 0; u < i; ++u) test(ring[u % kRing]);
        for (std::size_t u = i > kLag + 1 ? i - kLag - 1 : 0; u < i; ++u) write(ring[u % kRing]);
        return s;
      },
      [](RoundStats a, const RoundStats& b) { return a + b; });
}

// The bitmap in cache: the call tests the bits too, and a copy that informs sets its target's bit
// in the worker's own bitmap of st.fresh (in cache too, where informed_at, 4 B a node, leaves it
// from n = 2e6 on, and where two workers' stores to informed_at would move its lines between
// their caches); count_fresh then writes informed_at in node order.
inline RoundStats sweep_complete_near(const CompleteGraph& g, RumorState& st, const RoundContext& c, const Bitmaps& bm) {
  const NodeId n = g.num_nodes();
  const auto slots = static_cast<std::size_t>(par::worker_slots());
  if (st.fresh.size() != slots * bm.words) {
    st.fresh = Array<std::uint64_t>(slots * bm.words);
    std::fill(st.fresh.begin(), st.fresh.end(), 0);
  }
  constexpr std::size_t kWords = 32;  // 2048 nodes a block, as the other steps
  return par::reduce_blocks(
      bm.words, kWords, RoundStats{},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        RoundStats s;
        std::uint64_t* const fresh = st.fresh.data() + bm.words * static_cast<std::size_t>(par::worker_index());
        CompleteLanes u;
        for_pusher_groups(bm, lo, hi, [&](const NodeId* node, std::uint32_t count) {
          for (std::uint32_t j = 0; j < c.spec.fanout; ++j) {
            complete_lanes(c.rng, j, node, count, n, bm.known, u);
            redo_lanes(g, c, j, node, u);
            u.seen &= ~u.redo;  // unspecified there (complete_lanes): set from the redone targets
            for (std::uint64_t m = u.redo; m; m &= m - 1)
              u.seen |= std::uint64_t{bit(bm.known, u.target[std::countr_zero(m)])} << std::countr_zero(m);
            const std::uint64_t lanes = low_lanes(count);
            for (std::uint64_t m = push_lanes(lanes, u.seen, 0, lanes, s); m; m &= m - 1) {
              const NodeId w = u.target[std::countr_zero(m)];
              fresh[w >> 6] |= std::uint64_t{1} << (w & 63);
            }
          }
        });
        return s;
      },
      [](RoundStats a, const RoundStats& b) { return a + b; });
}

// The dense push round c.r, near or far, with the newly informed counted.
inline RoundStats sweep_complete(const CompleteGraph& g, RumorState& st, const RoundContext& c, const Bitmaps& bm,
                                 bool near) {
  const std::size_t n = g.num_nodes();
  RoundStats s = near ? sweep_complete_near(g, st, c, bm) : sweep_complete_far(g, st, c, bm);
  const RoundStats fresh = near ? count_fresh(st, c.r, bm) : count_new(st, c.r, bm, n);
  s.newly_informed = fresh.newly_informed;
  s.spreaders = fresh.spreaders;
  return s;
}

}  // namespace gossip::sweep
