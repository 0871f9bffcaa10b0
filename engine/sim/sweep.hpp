// The dense sweep: a dense round of push, pull or push-pull without TTL, stop rule or
// no_repeat, where a node's whole state is "informed before the round or not", a bit of the
// sweep's bitmaps (sweep_bitmaps.hpp: `known`, `arcs`, the `summary`). The nodes are swept 64 at
// a time (one bitmap word), in a four-stage pipeline of units (one contact of a word's acting
// nodes, listed by bit_positions, their CSR rows by row_positions): (1) the Philox blocks drawn
// together (philox_lanes: 16 per instruction), the row slots picked (pick_lanes: Lemire, 8 per
// instruction) and prefetched; (2) the targets loaded, the summary probed, the other targets'
// bitmap words prefetched; (3) the bits (bit_test: a gather per 8 lanes) and fates made lane
// masks, the state an informing copy will write prefetched;
// (4) the contacts counted from the masks (popcounts). Only a copy that informs writes
// informed_at, with a plain store (inform). A last sequential pass (count_new) counts the newly
// informed and turns the bitmaps into the next round's (bits_round), so consecutive dense rounds
// read informed_at once each. Same draws, same decisions and same counters as act() (rumor.hpp):
// results equal the other paths bit for bit. On the complete graph, certain push contacts skip the
// pipeline (sweep_complete.hpp: drawn, picked and formed in registers, and tested there too while
// the bitmap is in cache).
#pragma once
#include <algorithm>
#include <bit>
#include <type_traits>

#include "core/bit_pack.hpp"
#include "core/parallel.hpp"
#include "core/philox_lanes.hpp"
#include "graph/graph.hpp"
#include "sim/rumor.hpp"
#include "sim/sweep_bitmaps.hpp"
#include "sim/sweep_complete.hpp"

namespace gossip {

namespace sweep {

// The contact j of a word's acting nodes (push lanes first, then pull lanes): one pipeline unit.
struct Unit {
  PhiloxLanes b;                                   // the lanes' blocks: B0,B1 target, B2, B3 fates
  alignas(64) std::uint32_t node[kPhiloxLanes + kPositionsSlack];
  std::uint32_t slot[kPhiloxLanes];                // the contact's index in its row, then its target
  // CSR: the lanes' row starts and degrees (row_positions).
  std::uint64_t row[kPhiloxLanes + kPositionsSlack];
  std::uint32_t deg[kPhiloxLanes + kPositionsSlack];
  std::uint32_t count = 0, pushers = 0, j = 0;
  bool last = false;                               // the word's last contact
  // Stage 3's lane masks: target informed before the round; B2 lost (a push copy or a request);
  // B3 lost (a pull reply); the lane's copy accepted (push: B2, pull: B3).
  std::uint64_t seen = 0, lost2 = 0, lost3 = 0, accepted = 0;
  std::uint64_t cut = 0, down = 0;  // faults: lanes dropped by the partition, by a down target (in lost2)
};

// The offsets of the word kAhead words after k (8 cache lines): row_positions's masked loads do
// not set off the hardware prefetcher, and without this er:n=1e7 push ran 1.5x slower.
inline void prefetch_rows(const EdgeIdx* offsets, std::size_t k, std::size_t n) {
  constexpr std::size_t kAhead = 8;
  const std::size_t from = std::min(64 * (k + kAhead), n);
  for (std::size_t q = 0; q < 8; ++q) __builtin_prefetch(offsets + std::min(from + 8 * q, n), 0, 3);
}

// Stage 1: draw the blocks, pick the row slots (pick_lanes; pick_index where it may reject),
// prefetch them.
template <class G>
void draw(const G& g, const RoundContext& c, Unit& u) {
  philox_lanes(c.rng, u.j, u.node, u.count, u.b);
  constexpr bool kCsr = has_rows<G>;
  const std::uint32_t deg_all = kCsr ? 0 : g.degree(0);
  for (std::uint64_t m = pick_lanes(u.b, kCsr ? u.deg : nullptr, deg_all, u.count, u.slot); m; m &= m - 1) {
    const auto l = static_cast<std::uint32_t>(std::countr_zero(m));
    const Block blk{{u.b.w[0][l], u.b.w[1][l], 0, 0}};
    u.slot[l] = pick_index(c.rng, blk, u.node[l], u.j, kCsr ? u.deg[l] : deg_all);
  }
  if constexpr (kCsr)
    for (std::uint32_t l = 0; l < u.count; ++l)
      __builtin_prefetch(g.adjacency().data() + u.row[l] + u.slot[l], 0, 3);
}

// Stage 2: load the targets; note those the summary decides, prefetch the others' bitmap words.
template <class G>
void resolve(const G& g, const Bitmaps& bm, Unit& u) {
  for (std::uint32_t l = 0; l < u.count; ++l) {
    if constexpr (has_rows<G>)
      u.slot[l] = g.adjacency()[u.row[l] + u.slot[l]];
    else
      u.slot[l] = g.neighbor(u.node[l], u.slot[l]);
  }
  std::uint64_t full = 0;
  if (bm.summary)
    for (std::uint32_t l = 0; l < u.count; ++l) full |= std::uint64_t{bm.full(u.slot[l])} << l;
  if (bm.prefetch)
    for (std::uint64_t m = low_lanes(u.count) & ~full; m; m &= m - 1)
      __builtin_prefetch(bm.known + (u.slot[std::countr_zero(m)] >> 6), 0, 3);
  u.seen = full;
}

// Stage 3: the lanes' bits and fates as masks; prefetch the state a push copy will write.
inline void check(const Thresholds& th, const Bitmaps& bm, RumorState& st, Unit& u) {
  const std::uint64_t seen = u.seen = bit_test(bm.known, u.slot, u.count, u.seen);
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
  if (st.faults.on()) {  // rumor.hpp's dropped(): the partition first, then a down target
    std::uint64_t cut = 0, down = 0;
    for (std::uint32_t l = 0; l < u.count; ++l) {
      if (st.faults.cut(u.node[l], u.slot[l])) cut |= std::uint64_t{1} << l;
      else if (!st.faults.up(u.slot[l])) down |= std::uint64_t{1} << l;
    }
    u.cut = cut, u.down = down;
    u.lost2 |= cut | down;  // a dropped copy or request is lost, whatever its fate word
    u.accepted &= ~(cut | down);
  }
  for (std::uint64_t m = push & ~seen & u.accepted; m; m &= m - 1)
    __builtin_prefetch(st.informed_at.data() + u.slot[std::countr_zero(m)], 1, 3);
}

// The contacts of a dense round c.r through the pipeline of units; count_new is left to the caller.
template <class G>
RoundStats sweep_units(const G& g, RumorState& st, const RoundContext& c, const Bitmaps& bm) {
  const std::size_t n = g.num_nodes();
  const Mode mode = c.spec.mode;
  const Thresholds& th = c.thresholds;
  constexpr std::size_t kWords = 32;  // 2048 nodes a block, as the other steps
  const std::size_t words = bm.words;
  const std::uint64_t* up_words = st.faults.on() ? st.faults.up_words() : nullptr;  // only up nodes act
  return par::reduce_blocks(
      words, kWords, RoundStats{},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        RoundStats s;
        std::uint64_t accepted = 0;  // pull lanes of the word being decided that got the rumor
        // Stage 4: count every contact from the masks; only a copy that informs stores.
        auto decide = [&](const Unit& u) {
          const std::uint64_t push = low_lanes(u.pushers), pull = low_lanes(u.count) & ~push;
          s.lost_partition += std::popcount(u.cut);
          s.lost_down += std::popcount(u.down);
          for (std::uint64_t m = push_lanes(push, u.seen, u.lost2, u.accepted, s); m; m &= m - 1)
            inform(st, u.slot[std::countr_zero(m)], c.r);
          accepted |= pull_lanes(pull, u.seen, u.lost2, u.lost3, u.accepted, s);
          if (!u.last) return;
          for (std::uint64_t m = accepted; m; m &= m - 1) inform(st, u.node[std::countr_zero(m)], c.r);
          accepted = 0;
        };
        // Unit i is drawn while unit i - 2 is resolved, i - 3 checked and i - 4 decided: the row
        // slots prefetched by the draw have two units' work to arrive in (one was 10 % slower on
        // er:n=1e6 and 1e7), the bitmap words and the state one each.
        constexpr std::size_t kRing = 5;
        Unit ring[kRing];
        std::size_t i = 0;
        auto advance = [&](std::size_t upto) {  // the later stages of the units before `upto`
          if (upto >= 2 && upto - 2 < i) resolve(g, bm, ring[(upto - 2) % kRing]);
          if (upto >= 3 && upto - 3 < i) check(th, bm, st, ring[(upto - 3) % kRing]);
          if (upto >= 4 && upto - 4 < i) decide(ring[(upto - 4) % kRing]);
        };
        for (std::size_t k = lo; k < hi; ++k) {
          const std::uint64_t inf = bm.known[k], up = up_words ? up_words[k] : ~std::uint64_t{0};
          const std::uint64_t push = mode == Mode::pull ? 0 : inf & bm.arcs[k] & up;
          const std::uint64_t pull = mode == Mode::push ? 0 : ~inf & bm.arcs[k] & up;
          if ((push | pull) == 0) continue;
          for (std::uint32_t j = 0; j < c.spec.fanout; ++j, ++i) {
            Unit& u = ring[i % kRing];
            if (j == 0) {
              const auto base = static_cast<NodeId>(64 * k);
              u.pushers = push ? bit_positions(push, base, u.node) : 0;
              u.count = u.pushers + (pull ? bit_positions(pull, base, u.node + u.pushers) : 0);
              if constexpr (has_rows<G>) {
                const EdgeIdx* offsets = g.offsets().data();
                prefetch_rows(offsets, k, n);
                if (push) row_positions(offsets, push, base, u.row, u.deg);
                if (pull) row_positions(offsets, pull, base, u.row + u.pushers, u.deg + u.pushers);
              }
            } else {
              const Unit& prev = ring[(i - 1) % kRing];
              std::copy_n(prev.node, prev.count, u.node);
              if constexpr (has_rows<G>) {
                std::copy_n(prev.row, prev.count, u.row);
                std::copy_n(prev.deg, prev.count, u.deg);
              }
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
}

}  // namespace sweep

// The sweep's bitmaps as of round c.r (built from informed_at unless the last round left them).
template <class G>
sweep::Bitmaps sweep_bitmaps(const G& g, RumorState& st, const RoundContext& c) {
  const std::size_t n = g.num_nodes();
  const sweep::Bitmaps bm = sweep::bitmaps(st, n);
  if (!st.arcs_ready) sweep::arcs_bitmap(g, bm.arcs, bm.words, n);
  st.arcs_ready = true;
  if (st.bits_round != c.r) sweep::snapshot(st, c.r, bm, n);
  return bm;
}

// The dense round c.r over every node (StepKind::sweep); st.bits is advanced to round c.r + 1.
template <class G>
RoundStats step_sweep(const G& g, RumorState& st, const RoundContext& c) {
  const sweep::Bitmaps bm = sweep_bitmaps(g, st, c);
  RoundStats stats = sweep::sweep_units(g, st, c, bm);
  const RoundStats fresh = sweep::count_new(st, c.r, bm, g.num_nodes());
  st.bits_round = c.r + 1;
  stats.newly_informed = fresh.newly_informed;
  stats.spreaders = fresh.spreaders;
  return stats;
}

// The fused dense push on the implicit complete graph (StepKind::complete_near or complete_far).
inline RoundStats step_complete(const CompleteGraph& g, RumorState& st, const RoundContext& c, bool near) {
  const sweep::Bitmaps bm = sweep_bitmaps(g, st, c);
  const RoundStats stats = sweep::sweep_complete(g, st, c, bm, near);  // counts the new nodes itself
  st.bits_round = c.r + 1;
  return stats;
}

}  // namespace gossip
