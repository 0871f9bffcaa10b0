// The dense push round on the implicit complete graph, fused (core/complete_lanes): where every
// copy arrives and is accepted (no loss, forward probability 1) and the bitmap stays in cache (no
// prefetching, Bitmaps::prefetch: n <= 2^24), a word's contact is drawn, picked, formed and tested
// in one call, and only the copies that inform touch informed_at. complete:n=1e5 push 1.2x faster
// at 1 and 2 threads, 1e7 1.1x; with the bitmap out of cache (1e8) the unprefetched gathers made
// it 1.7x slower, so there the pipeline of units stays. The same draws, decisions and counters
// as the pipeline of units (sweep.hpp) and act() (rumor.hpp).
#pragma once
#include <bit>

#include "core/complete_lanes.hpp"
#include "core/parallel.hpp"
#include "graph/complete.hpp"
#include "protocol/rumor.hpp"
#include "sim/sweep_bitmaps.hpp"

namespace gossip::sweep {

inline bool complete_fused(const RoundContext& c, const Bitmaps& bm) {
  return c.spec.mode == Mode::push && c.thresholds.certain() && !bm.prefetch;
}

// The contacts of the dense push round c.r (complete_fused); count_new is left to the caller.
inline RoundStats sweep_complete(const CompleteGraph& g, RumorState& st, const RoundContext& c, const Bitmaps& bm) {
  const NodeId n = g.num_nodes();
  constexpr std::size_t kWords = 32;  // 2048 nodes a block, as the other steps
  return par::reduce_blocks(
      bm.words, kWords, RoundStats{},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        RoundStats s;
        // Two units alternate: the state a unit's informing copies will write is prefetched when
        // it is drawn and written after the next unit is drawn (informed_at is 4 B a node and
        // leaves the cache from n = 2e6 on; the bitmap stays in it).
        CompleteLanes units[2];
        std::uint64_t pending = 0;  // lanes of the previous unit that inform
        std::uint32_t i = 0;
        auto flush = [&](const CompleteLanes& u) {
          for (std::uint64_t m = pending; m; m &= m - 1) inform(st, u.target[std::countr_zero(m)], c.r);
        };
        for (std::size_t k = lo; k < hi; ++k) {
          const std::uint64_t push = bm.known[k] & bm.arcs[k];
          if (push == 0) continue;
          for (std::uint32_t j = 0; j < c.spec.fanout; ++j, ++i) {
            CompleteLanes& u = units[i & 1];
            const std::uint32_t count = complete_lanes(c.rng, j, push, static_cast<NodeId>(64 * k), n, bm.known, u);
            for (std::uint64_t m = u.redo; m; m &= m - 1) {  // lanes where Lemire's pick may reject
              const auto l = static_cast<unsigned>(std::countr_zero(m));
              const NodeId v = u.node[l];
              u.target[l] = g.neighbor(v, pick_index(c.rng, c.rng.block(v, j), v, j, n - 1));
              u.seen |= std::uint64_t{bit(bm.known, u.target[l])} << l;
            }
            s.messages += count;
            s.redundant += std::popcount(u.seen);
            const std::uint64_t lanes = count >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << count) - 1;
            const std::uint64_t informs = lanes & ~u.seen;
            for (std::uint64_t m = informs; m; m &= m - 1)
              __builtin_prefetch(st.informed_at.data() + u.target[std::countr_zero(m)], 1, 3);
            flush(units[(i + 1) & 1]);
            pending = informs;
          }
        }
        flush(units[(i + 1) & 1]);
        return s;
      },
      [](RoundStats a, const RoundStats& b) { return a + b; });
}

}  // namespace gossip::sweep
