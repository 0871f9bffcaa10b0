// The dense sweep: a dense round of push, pull or push-pull without TTL, stop rule or
// no_repeat, where a node's whole state is "informed before the round or not". That state is a
// bitmap (n / 8 bytes, mostly held in cache), kept beside a bitmap of the nodes with
// out-neighbours (made once per trial). The nodes are swept 64 at a time (one bitmap word), in a
// three-stage pipeline of units (one contact of a word's acting nodes): the Philox blocks drawn
// together (philox_lanes: 16 per instruction), the targets picked (Lemire) and their row slots
// prefetched; then the targets loaded and their bitmap words prefetched; then every contact
// decided from the bitmap alone. Only a copy that informs writes informed_at, with a plain store
// (inform). A last sequential pass counts the newly informed and turns the bitmap into the next
// round's (bits_round), so consecutive dense rounds read informed_at once each. Same draws, same
// decisions and same counters as act() (rumor.hpp): results equal the other paths bit for bit.
#pragma once
#include <atomic>
#include <algorithm>
#include <bit>
#include <type_traits>

#include "core/bit_pack.hpp"
#include "core/parallel.hpp"
#include "core/philox_lanes.hpp"
#include "graph/csr.hpp"
#include "protocol/rumor.hpp"

namespace gossip {

inline bool sweep_eligible(const ProtocolSpec& s) { return s.mode != Mode::flood && RumorState::needs_bits(s); }

namespace sweep {

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
  // Blocks of whole summary words, so that blocks write disjoint summary words.
  std::size_t block() const { return std::max<std::size_t>(1024, std::size_t{64} << shift); }
  bool full(NodeId w) const {
    const std::size_t grp = std::size_t{w} >> (6 + shift);
    return (summary[grp >> 6] >> (grp & 63)) & 1;
  }
};

inline Bitmaps bitmaps(RumorState& st, std::size_t n) {
  const auto nn = static_cast<NodeId>(n);
  const std::size_t words = RumorState::bit_words(nn);
  std::uint64_t* const summary = RumorState::summary_words(nn) ? st.bits.data() + 2 * words : nullptr;
  return {st.bits.data(), st.bits.data() + words, summary, RumorState::summary_shift(nn), words};
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
      std::uint64_t m = 0;
      const std::size_t end = std::min(n, 64 * k + 64);
      for (std::size_t v = 64 * k; v < end; ++v) m |= std::uint64_t{g.degree(static_cast<NodeId>(v)) > 0} << (v & 63);
      arcs[k] = m;
    }
  });
}

// The contact j of a word's acting nodes (push lanes first, then pull lanes): one pipeline unit.
struct Unit {
  PhiloxLanes b;                                   // the lanes' blocks: B0,B1 target, B2, B3 fates
  alignas(64) std::uint32_t node[kPhiloxLanes + kPositionsSlack];
  std::uint32_t slot[kPhiloxLanes];                // the contact's index in its row, then its target
  std::uint32_t count = 0, pushers = 0, j = 0;
  bool last = false;                               // the word's last contact
  // Stage 3's lane masks: target informed before the round; B2 lost (a push copy or a request);
  // B3 lost (a pull reply); the lane's copy accepted (push: B2, pull: B3).
  std::uint64_t seen = 0, lost2 = 0, lost3 = 0, accepted = 0;
};

inline std::uint64_t low_lanes(std::uint32_t k) { return k >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << k) - 1; }

// Stage 1: draw the blocks, pick the row slots (pick_lanes; pick_index where it may reject),
// prefetch them.
template <class G>
void draw(const G& g, const RoundContext& c, Unit& u) {
  philox_lanes(c.rng, u.j, u.node, u.count, u.b);
  constexpr bool kCsr = std::is_same_v<G, CsrGraph>;
  alignas(64) std::uint32_t deg[kPhiloxLanes];
  if constexpr (kCsr)
    for (std::uint32_t l = 0; l < u.count; ++l) deg[l] = g.degree(u.node[l]);
  const std::uint32_t deg_all = kCsr ? 0 : g.degree(0);
  for (std::uint64_t m = pick_lanes(u.b, kCsr ? deg : nullptr, deg_all, u.count, u.slot); m; m &= m - 1) {
    const auto l = static_cast<std::uint32_t>(std::countr_zero(m));
    const Block blk{{u.b.w[0][l], u.b.w[1][l], 0, 0}};
    u.slot[l] = pick_index(c.rng, blk, u.node[l], u.j, kCsr ? deg[l] : deg_all);
  }
  if constexpr (kCsr)
    for (std::uint32_t l = 0; l < u.count; ++l)
      __builtin_prefetch(g.adjacency().data() + g.offsets()[u.node[l]] + u.slot[l], 0, 3);
}

// Stage 2: load the targets; note those the summary decides, prefetch the others' bitmap words.
template <class G>
void resolve(const G& g, const Bitmaps& bm, Unit& u) {
  std::uint64_t full = 0;
  for (std::uint32_t l = 0; l < u.count; ++l) {
    const NodeId w = g.neighbor(u.node[l], u.slot[l]);
    u.slot[l] = w;
    if (bm.summary && bm.full(w))
      full |= std::uint64_t{1} << l;
    else
      __builtin_prefetch(bm.known + (w >> 6), 0, 3);
  }
  u.seen = full;
}

// Stage 3: the lanes' bits and fates as masks; prefetch the state a push copy will write.
inline void check(const Thresholds& th, const Bitmaps& bm, RumorState& st, Unit& u) {
  std::uint64_t seen = u.seen;
  const std::uint64_t ones = ~std::uint64_t{0};
  for (std::uint32_t l = 0; l < u.count; ++l) {
    const std::uint64_t* word = (seen >> l) & 1 ? &ones : bm.known + (u.slot[l] >> 6);  // no load when decided
    seen |= ((*word >> (u.slot[l] & 63)) & 1) << l;
  }
  u.seen = seen;
  const std::uint64_t lanes = low_lanes(u.count), push = low_lanes(u.pushers);
  if (th.certain()) {
    u.lost2 = u.lost3 = 0;
    u.accepted = lanes;
  } else {
    std::uint64_t lost2 = 0, lost3 = 0, acc = 0;
    for (std::uint32_t l = 0; l < u.count; ++l) {
      const std::uint32_t w2 = u.b.w[2][l], w3 = u.b.w[3][l];
      lost2 |= std::uint64_t{th.request_lost(w2)} << l;
      lost3 |= std::uint64_t{th.request_lost(w3)} << l;
      acc |= std::uint64_t{th.fate(l < u.pushers ? w2 : w3) == Fate::accepted} << l;
    }
    u.lost2 = lost2, u.lost3 = lost3, u.accepted = acc;
  }
  for (std::uint64_t m = push & ~seen & u.accepted; m; m &= m - 1)
    __builtin_prefetch(st.informed_at.data() + u.slot[std::countr_zero(m)], 1, 3);
}

// Informs w in round r unless it was informed before (then the bitmap said so and no copy gets
// here) or earlier in this round (then it holds r already): every writer stores the same value,
// so a relaxed store does, without a locked instruction (which would stall the sweep's
// outstanding loads); the first informers are counted afterwards by count_new.
inline void inform(RumorState& st, NodeId w, Round r) {
  std::atomic_ref<Round>(st.informed_at[w]).store(r, std::memory_order_relaxed);
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
            s.newly_informed += std::popcount(fresh[k - c0]);
            s.spreaders += std::popcount(fresh[k - c0] & bm.arcs[k]);
          }
        }
        summarize(bm, lo, hi);
        return s;
      },
      [](RoundStats a, const RoundStats& b) { return a + b; });
}

}  // namespace sweep

// The dense round c.r over every node (sweep_eligible(c.spec), st.bits allocated); st.bits is
// overwritten.
template <class G>
RoundStats step_sweep(const G& g, RumorState& st, const RoundContext& c) {
  using namespace sweep;
  const std::size_t n = g.num_nodes(), words = RumorState::bit_words(g.num_nodes());
  const Bitmaps bm = bitmaps(st, n);
  if (!st.arcs_ready) arcs_bitmap(g, bm.arcs, words, n);
  st.arcs_ready = true;
  if (st.bits_round != c.r) snapshot(st, c.r, bm, n);
  const Mode mode = c.spec.mode;
  const Thresholds& th = c.thresholds;
  constexpr std::size_t kWords = 32;  // 2048 nodes a block, as the other steps
  RoundStats stats = par::reduce_blocks(
      words, kWords, RoundStats{},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        RoundStats s;
        std::uint64_t accepted = 0;  // pull lanes of the word being decided that got the rumor
        // Stage 4: count every contact from the masks; only a copy that informs stores.
        auto decide = [&](const Unit& u) {
          const std::uint64_t push = low_lanes(u.pushers), pull = low_lanes(u.count) & ~push;
          s.messages += u.pushers;
          s.lost += std::popcount(u.lost2 & push);
          s.redundant += std::popcount(u.seen & push & ~u.lost2);
          for (std::uint64_t m = push & ~u.seen & u.accepted; m; m &= m - 1)
            inform(st, u.slot[std::countr_zero(m)], c.r);
          s.requests += u.count - u.pushers;
          s.lost += std::popcount(u.lost2 & pull);
          const std::uint64_t answered = u.seen & pull & ~u.lost2;
          s.messages += std::popcount(answered);
          s.lost += std::popcount(answered & u.lost3);
          accepted |= answered & u.accepted;
          if (!u.last) return;
          for (std::uint64_t m = accepted; m; m &= m - 1) inform(st, u.node[std::countr_zero(m)], c.r);
          accepted = 0;
        };
        // Unit i is drawn while unit i - 1 is resolved, i - 2 checked and i - 3 decided: each load
        // has a unit's work to arrive in.
        constexpr std::size_t kRing = 4;
        Unit ring[kRing];
        std::size_t i = 0;
        auto advance = [&](std::size_t upto) {  // the later stages of the units before `upto`
          if (upto >= 1 && upto - 1 < i) resolve(g, bm, ring[(upto - 1) % kRing]);
          if (upto >= 2 && upto - 2 < i) check(th, bm, st, ring[(upto - 2) % kRing]);
          if (upto >= 3 && upto - 3 < i) decide(ring[(upto - 3) % kRing]);
        };
        for (std::size_t k = lo; k < hi; ++k) {
          const std::uint64_t inf = bm.known[k];
          const std::uint64_t push = mode == Mode::pull ? 0 : inf & bm.arcs[k];
          const std::uint64_t pull = mode == Mode::push ? 0 : ~inf & bm.arcs[k];
          if ((push | pull) == 0) continue;
          for (std::uint32_t j = 0; j < c.spec.fanout; ++j, ++i) {
            Unit& u = ring[i % kRing];
            if (j == 0) {
              const auto base = static_cast<NodeId>(64 * k);
              u.pushers = push ? bit_positions(push, base, u.node) : 0;
              u.count = u.pushers + (pull ? bit_positions(pull, base, u.node + u.pushers) : 0);
            } else {
              const Unit& prev = ring[(i - 1) % kRing];
              std::copy_n(prev.node, prev.count, u.node);
              u.count = prev.count;
              u.pushers = prev.pushers;
            }
            u.j = j;
            u.last = j + 1 == c.spec.fanout;
            draw(g, c, u);
            advance(i);
          }
        }
        for (std::size_t e = i; e < i + kRing - 1; ++e) advance(e);
        return s;
      },
      [](RoundStats a, const RoundStats& b) { return a + b; });
  const RoundStats fresh = count_new(st, c.r, bm, n);
  st.bits_round = c.r + 1;
  stats.newly_informed = fresh.newly_informed;
  stats.spreaders = fresh.spreaders;
  return stats;
}

}  // namespace gossip
