// The dense sweep's bitmaps (sim/sweep.hpp) in RumorState::bits: `known` (informed before the
// round, a bit per node), `arcs` (nodes with out-neighbours, made once per trial) and, for bitmaps
// larger than the cache, a `summary` of known (RumorState::summary_words). Built from informed_at
// by snapshot after sparse rounds, advanced by count_new after each dense one; both pack 16 or 8
// states per instruction (core/bit_pack).
#pragma once
#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdint>
#include <type_traits>

#include "core/bit_pack.hpp"
#include "core/parallel.hpp"
#include "graph/graph.hpp"
#include "sim/rumor.hpp"

namespace gossip::sweep {

// Informs w in round r unless it was informed before (then the bitmap said so and no copy gets
// here) or earlier in this round (then it holds r already): every writer stores the same value,
// so a relaxed store does, without a locked instruction (which would stall the sweep's
// outstanding loads); the first informers are counted afterwards by count_new.
inline void inform(RumorState& st, NodeId w, Round r) {
  std::atomic_ref<Round>(st.informed_at[w]).store(r, std::memory_order_relaxed);
}

// The lanes 0 .. k-1 of a 64-lane mask (k <= 64).
inline std::uint64_t low_lanes(std::uint32_t k) { return k >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << k) - 1; }

inline bool bit(const std::uint64_t* bits, NodeId v) { return (bits[v >> 6] >> (v & 63)) & 1; }

// The sweep's bitmaps in st.bits: known[k] = the nodes 64k .. 64k+63 informed before the round;
// arcs[k] = those with out-neighbours; summary (RumorState::summary_words; none for bitmaps that
// stay in cache): bit b set only if all of known[b << shift .. (b + 1) << shift) are ones,
// probed first so that, once most nodes are informed, most contacts are decided without touching
// the bitmap.
struct Bitmaps {
  std::uint64_t* known;
  std::uint64_t* arcs;
  std::uint64_t* summary;
  unsigned shift;
  std::size_t words;
  // Prefetch the bitmap words probed (the bitmap is out of cache: Tuning::prefetch_words):
  // below, the probes hit L2 or L3 and the prefetches cost more than they save (complete:n=1e5,
  // 1e6 push 12 % faster).
  bool prefetch;
  // Blocks of whole summary words, so that blocks write disjoint summary words; without a summary
  // 128 words (8192 nodes), so that a small graph's pass splits evenly over the threads (1024 made
  // complete:n=1e5's count_new two blocks of 1024 and 539 words).
  std::size_t block() const { return summary ? std::max<std::size_t>(1024, std::size_t{64} << shift) : 128; }
  bool full(NodeId w) const {
    const std::size_t grp = std::size_t{w} >> (6 + shift);
    return (summary[grp >> 6] >> (grp & 63)) & 1;
  }
};

inline Bitmaps bitmaps(RumorState& st, std::size_t n) {
  const auto nn = static_cast<NodeId>(n);
  const std::size_t words = RumorState::bit_words(nn);
  const Tuning& t = st.tuning;
  std::uint64_t* const summary = RumorState::summary_words(nn, t) ? st.bits.data() + 2 * words : nullptr;
  return {st.bits.data(), st.bits.data() + words, summary, RumorState::summary_shift(nn, t), words,
          !bitmap_in_cache(nn, t)};
}

// The summary words of known words [lo, hi) (lo a multiple of 64 << shift), if there is a summary.
inline void summarize(const Bitmaps& bm, std::size_t lo, std::size_t hi) {
  if (!bm.summary) return;
  const std::size_t g = std::size_t{1} << bm.shift;
  for (std::size_t base = lo; base < hi; base += 64 * g) {
    std::uint64_t sw = 0;
    for (std::size_t b = 0; b < 64 && base + b * g < hi; ++b) {
      std::uint64_t all = ~std::uint64_t{0};
      for (std::size_t k = base + b * g, end = std::min(k + g, hi); k < end; ++k) all &= bm.known[k];
      sw |= std::uint64_t{all == ~std::uint64_t{0}} << b;
    }
    bm.summary[base / (64 * g)] = sw;
  }
}

// known (and the summary) as of round r.
inline void snapshot(const RumorState& st, Round r, const Bitmaps& bm, std::size_t n) {
  par::for_blocks(bm.words, bm.block(), [&](std::size_t, std::size_t lo, std::size_t hi) {
    pack_compare(st.informed_at.data() + 64 * lo, std::min(n, 64 * hi) - 64 * lo, Compare::less, r, bm.known + lo);
    summarize(bm, lo, hi);
  });
}

// arcs[k] = the nodes 64k .. 64k+63 with out-neighbours.
template <class G>
void arcs_bitmap(const G& g, std::uint64_t* arcs, std::size_t words, std::size_t n) {
  par::for_blocks(words, 1024, [&](std::size_t, std::size_t lo, std::size_t hi) {
    for (std::size_t k = lo; k < hi; ++k) {
      if constexpr (is_implicit_complete<G>) {  // all or none (the bit loop: 1/4 of complete:n=1e5's first dense round)
        arcs[k] = g.degree(0) > 0 ? low_lanes(static_cast<std::uint32_t>(std::min<std::size_t>(64, n - 64 * k))) : 0;
        continue;
      }
      std::uint64_t m = 0;
      const std::size_t end = std::min(n, 64 * k + 64);
      for (std::size_t v = 64 * k; v < end; ++v) m |= std::uint64_t{g.degree(static_cast<NodeId>(v)) > 0} << (v & 63);
      arcs[k] = m;
    }
  });
}

// Counts the nodes informed in round r and, of them, those with out-neighbours (new spreaders; no
// TTL); known becomes the bitmap of round r + 1 on the way.
inline RoundStats count_new(const RumorState& st, Round r, const Bitmaps& bm, std::size_t n) {
  constexpr std::size_t kChunk = 1024;
  return par::reduce_blocks(
      bm.words, bm.block(), RoundStats{},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        RoundStats s;
        for (std::size_t c0 = lo; c0 < hi; c0 += kChunk) {
          const std::size_t c1 = std::min(hi, c0 + kChunk);
          std::uint64_t fresh[kChunk];
          pack_compare(st.informed_at.data() + 64 * c0, std::min(n, 64 * c1) - 64 * c0, Compare::equal, r, fresh);
          for (std::size_t k = c0; k < c1; ++k) {
            bm.known[k] |= fresh[k - c0];
            claim_lanes(fresh[k - c0], bm.arcs[k], s);
          }
        }
        summarize(bm, lo, hi);
        return s;
      },
      [](RoundStats a, const RoundStats& b) { return a + b; });
}

// count_new where the round's informing copies set bits in the workers' bitmaps of st.fresh
// (sweep_complete_near) instead of writing informed_at: a node is new if a worker's bit is set;
// it gets informed_at = r here, in node order, and the bitmaps are cleared for the next round.
inline RoundStats count_fresh(RumorState& st, Round r, const Bitmaps& bm) {
  const std::size_t slots = st.fresh.size() / bm.words;
  return par::reduce_blocks(
      bm.words, bm.block(), RoundStats{},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        RoundStats s;
        for (std::size_t k = lo; k < hi; ++k) {
          std::uint64_t f = 0;
          for (std::size_t t = 0; t < slots; ++t) {
            f |= st.fresh[t * bm.words + k];
            st.fresh[t * bm.words + k] = 0;
          }
          for (std::uint64_t m = f; m; m &= m - 1) st.informed_at[64 * k + static_cast<std::size_t>(std::countr_zero(m))] = r;
          bm.known[k] |= f;
          claim_lanes(f, bm.arcs[k], s);
        }
        summarize(bm, lo, hi);
        return s;
      },
      [](RoundStats a, const RoundStats& b) { return a + b; });
}

}  // namespace gossip::sweep
