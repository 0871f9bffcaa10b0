// The dense sweep: a dense round of push, pull or push-pull without TTL, stop rule or
// no_repeat, where a node's whole state is "informed before the round or not". It first takes
// that state as a bitmap (one sequential pass; n / 8 bytes, mostly held in cache), then sweeps
// the nodes 64 at a time (one bitmap word): the acting nodes' Philox blocks for contact j are
// drawn together (philox_lanes: 16 per instruction), their targets picked (Lemire) and their
// row slots prefetched, the targets loaded and their bitmap words prefetched, then every
// contact is decided from the bitmap alone. Only a copy that informs (the target not informed
// before the round) writes informed_at, with a plain store (inform); a last sequential pass
// counts the newly informed. Same draws, same decisions and same counters as act() (rumor.hpp),
// so results equal the other paths bit for bit.
#pragma once
#include <atomic>
#include <bit>
#include <type_traits>

#include "core/parallel.hpp"
#include "core/philox_lanes.hpp"
#include "graph/csr.hpp"
#include "protocol/rumor.hpp"

namespace gossip {

inline bool sweep_eligible(const ProtocolSpec& s) { return s.mode != Mode::flood && RumorState::needs_bits(s); }

namespace sweep {

inline bool bit(const Array<std::uint64_t>& bits, NodeId v) { return (bits[v >> 6] >> (v & 63)) & 1; }

// bits[k] = the nodes 64k .. 64k+63 informed before round r.
inline void snapshot(const RumorState& st, Round r, Array<std::uint64_t>& bits, std::size_t n) {
  par::for_blocks(bits.size(), 1024, [&](std::size_t, std::size_t lo, std::size_t hi) {
    for (std::size_t k = lo; k < hi; ++k) {
      std::uint64_t w = 0;
      const std::size_t end = std::min(n, 64 * k + 64);
      for (std::size_t v = 64 * k; v < end; ++v) w |= std::uint64_t{st.informed_at[v] < r} << (v & 63);
      bits[k] = w;
    }
  });
}

// The nodes of word k with out-neighbours (all 64 where the graph is complete, but the tail).
template <class G>
std::uint64_t has_arcs(const G& g, std::size_t k, std::size_t n) {
  const std::size_t end = std::min(n, 64 * k + 64);
  std::uint64_t m = 0;
  if constexpr (std::is_same_v<G, CsrGraph>) {
    const auto off = g.offsets();
    for (std::size_t v = 64 * k; v < end; ++v) m |= std::uint64_t{off[v + 1] != off[v]} << (v & 63);
  } else {
    m = end - 64 * k == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << (end - 64 * k)) - 1;
    if (g.num_nodes() < 2) m = 0;
  }
  return m;
}

// One word's acting nodes: push lanes first, then pull lanes.
struct Lanes {
  alignas(64) std::uint32_t node[kPhiloxLanes];
  std::uint32_t slot[kPhiloxLanes];  // the contact's index in its row, then its target
  std::size_t count = 0, pushers = 0;
  std::uint64_t accepted = 0;  // pull lanes that got the rumor
};

template <class G>
void contacts(const G& g, const RoundContext& c, const Array<std::uint64_t>& known, std::uint32_t j, Lanes& ln,
              PhiloxLanes& b) {
  philox_lanes(c.rng, j, ln.node, ln.count, b);
  for (std::size_t l = 0; l < ln.count; ++l) {
    const NodeId v = ln.node[l];
    const Block blk{{b.w[0][l], b.w[1][l], 0, 0}};
    ln.slot[l] = pick_index(c.rng, blk, v, j, g.degree(v));
    if constexpr (std::is_same_v<G, CsrGraph>)
      __builtin_prefetch(g.adjacency().data() + g.offsets()[v] + ln.slot[l], 0, 3);
  }
  for (std::size_t l = 0; l < ln.count; ++l) {
    ln.slot[l] = g.neighbor(ln.node[l], ln.slot[l]);
    __builtin_prefetch(known.data() + (ln.slot[l] >> 6), 0, 3);
  }
}

// Informs w in round r unless it was informed before (then the bitmap said so and no copy gets
// here) or earlier in this round (then it holds r already): every writer stores the same value,
// so a relaxed store does, without a locked instruction (which would stall the sweep's
// outstanding loads); the first informers are counted afterwards by count_new.
inline void inform(RumorState& st, NodeId w, Round r) {
  std::atomic_ref<Round>(st.informed_at[w]).store(r, std::memory_order_relaxed);
}

// The nodes informed in round r and, of them, those with out-neighbours (new spreaders; no TTL).
template <class G>
RoundStats count_new(const G& g, const RumorState& st, Round r, std::size_t n) {
  return par::reduce_blocks(
      n, std::size_t{1} << 16, RoundStats{},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        RoundStats s;
        for (std::size_t v = lo; v < hi; ++v)
          if (st.informed_at[v] == r) {
            ++s.newly_informed;
            s.spreaders += g.degree(static_cast<NodeId>(v)) > 0;
          }
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
  const std::size_t n = g.num_nodes();
  Array<std::uint64_t>& known = st.bits;
  snapshot(st, c.r, known, n);
  const Mode mode = c.spec.mode;
  const Thresholds& th = c.thresholds;
  constexpr std::size_t kWords = 32;  // 2048 nodes a block, as the other steps
  RoundStats stats = par::reduce_blocks(
      known.size(), kWords, RoundStats{},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        RoundStats s;
        Lanes ln;
        PhiloxLanes b;
        for (std::size_t k = lo; k < hi; ++k) {
          const std::uint64_t arcs = has_arcs(g, k, n), inf = known[k];
          const std::uint64_t push = mode == Mode::pull ? 0 : inf & arcs;
          const std::uint64_t pull = mode == Mode::push ? 0 : ~inf & arcs;
          ln.count = 0;
          for (std::uint64_t m = push; m; m &= m - 1) ln.node[ln.count++] = static_cast<NodeId>(64 * k + std::countr_zero(m));
          ln.pushers = ln.count;
          for (std::uint64_t m = pull; m; m &= m - 1) ln.node[ln.count++] = static_cast<NodeId>(64 * k + std::countr_zero(m));
          if (ln.count == 0) continue;
          ln.accepted = 0;
          for (std::uint32_t j = 0; j < c.spec.fanout; ++j) {
            contacts(g, c, known, j, ln, b);
            s.messages += static_cast<std::int64_t>(ln.pushers);
            for (std::size_t l = 0; l < ln.pushers; ++l) {
              const NodeId w = ln.slot[l];
              const Fate f = th.fate(b.w[2][l]);
              if (f == Fate::lost) {
                ++s.lost;
              } else if (bit(known, w)) {
                ++s.redundant;
              } else if (f == Fate::accepted) {
                inform(st, w, c.r);
              }
            }
            s.requests += static_cast<std::int64_t>(ln.count - ln.pushers);
            for (std::size_t l = ln.pushers; l < ln.count; ++l) {
              if (th.request_lost(b.w[2][l])) {
                ++s.lost;
              } else if (bit(known, ln.slot[l])) {
                ++s.messages;
                const Fate f = th.fate(b.w[3][l]);
                if (f == Fate::lost) ++s.lost;
                if (f == Fate::accepted) ln.accepted |= std::uint64_t{1} << l;
              }
            }
          }
          for (std::uint64_t m = ln.accepted; m; m &= m - 1) inform(st, ln.node[std::countr_zero(m)], c.r);
        }
        return s;
      },
      [](RoundStats a, const RoundStats& b) { return a + b; });
  const RoundStats fresh = count_new(g, st, c.r, n);
  stats.newly_informed = fresh.newly_informed;
  stats.spreaders = fresh.spreaders;
  return stats;
}

}  // namespace gossip
