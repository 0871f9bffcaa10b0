// Push from the receivers' side: a dense push round computed over the uninformed nodes, the way
// a bottom-up BFS step (bottom_up.hpp) looks from the unvisited side. Each uninformed node u asks
// of each distinct informed neighbour v which rows slots v's contacts j = 0 .. fanout-1 pick
// (the very blocks Rng(seed, trial, r).block(v, j) and pick_index the sweep uses) and is informed
// if one is u. On an undirected graph every copy that can reach an uninformed node is found so;
// with nothing lost and every copy accepted (Thresholds::certain) the counters follow exactly:
// messages = fanout x pushers, redundant = messages - (copies reaching uninformed nodes), lost =
// 0. Late in a run, when the uninformed nodes' arcs are far fewer than the pushers, this costs a
// draw per such arc instead of one per pusher. The sweep's bitmaps (sweep_bitmaps.hpp) are read
// as "informed before the round" and advanced, so sweep and receiver rounds may alternate.
#pragma once
#include <algorithm>
#include <bit>
#include <vector>

#include "core/parallel.hpp"
#include "core/philox_lanes.hpp"
#include "graph/csr.hpp"
#include "protocol/rumor.hpp"
#include "sim/sweep_bitmaps.hpp"

namespace gossip {

// Push, no TTL/stop rule/no_repeat (the sweep's domain), certain copies, undirected CSR.
inline bool receive_eligible(const CsrGraph& g, const ProtocolSpec& s, const Thresholds& t) {
  return s.mode == Mode::push && RumorState::needs_bits(s) && t.certain() && !g.directed();
}
template <class G>
bool receive_eligible(const G&, const ProtocolSpec&, const Thresholds&) { return false; }

namespace receive {

// Up to kPhiloxLanes (receiver, informed neighbour) pairs whose contacts are drawn together.
struct Pairs {
  alignas(64) std::uint32_t node[kPhiloxLanes];  // the neighbour v (the Philox item)
  std::uint32_t to[kPhiloxLanes];                // the receiver u
  std::uint64_t row[kPhiloxLanes];               // v's row start
  std::uint32_t deg[kPhiloxLanes];
  std::uint32_t slot[kPhiloxLanes];
  std::size_t count = 0;
};

// The copies of the pairs' contacts that reach their receivers; marks those in `found`.
inline std::int64_t flush(const CsrGraph& g, const RoundContext& c, Pairs& p, std::uint64_t* found) {
  std::int64_t hits = 0;
  PhiloxLanes b;
  const NodeId* nbr = g.adjacency().data();
  for (std::uint32_t j = 0; j < c.spec.fanout; ++j) {
    philox_lanes(c.rng, j, p.node, p.count, b);
    for (std::uint64_t m = pick_lanes(b, p.deg, 0, p.count, p.slot); m; m &= m - 1) {
      const auto l = static_cast<std::uint32_t>(std::countr_zero(m));
      const Block blk{{b.w[0][l], b.w[1][l], 0, 0}};
      p.slot[l] = pick_index(c.rng, blk, p.node[l], j, p.deg[l]);
    }
    for (std::size_t l = 0; l < p.count; ++l)
      if (nbr[p.row[l] + p.slot[l]] == p.to[l]) {
        ++hits;
        found[p.to[l] >> 6] |= std::uint64_t{1} << (p.to[l] & 63);
      }
  }
  p.count = 0;
  return hits;
}

}  // namespace receive

// The dense push round c.r from the receivers' side (receive_eligible; st.bits allocated).
inline RoundStats step_receive(const CsrGraph& g, RumorState& st, const RoundContext& c) {
  using namespace receive;
  const std::size_t n = g.num_nodes();
  const sweep::Bitmaps bm = sweep::bitmaps(st, n);
  if (!st.arcs_ready) sweep::arcs_bitmap(g, bm.arcs, bm.words, n);
  st.arcs_ready = true;
  if (st.bits_round != c.r) sweep::snapshot(st, c.r, bm, n);
  std::vector<std::uint64_t> found(bm.words, 0);  // the receivers reached; known is read meanwhile
  const EdgeIdx* off = g.offsets().data();
  const NodeId* nbr = g.adjacency().data();
  struct Part {
    std::int64_t pushers = 0, hits = 0;
  };
  const Part total = par::reduce_blocks(
      bm.words, bm.block(), Part{},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        Part part;
        Pairs p;
        for (std::size_t k = lo; k < hi; ++k) {
          part.pushers += std::popcount(bm.known[k] & bm.arcs[k]);
          for (std::uint64_t m = ~bm.known[k] & bm.arcs[k]; m; m &= m - 1) {
            const auto u = static_cast<NodeId>(64 * k + static_cast<std::size_t>(std::countr_zero(m)));
            NodeId prev = u;  // rows are sorted: a repeated neighbour (a multi-edge) is one sender
            for (EdgeIdx e = off[u]; e < off[u + 1]; ++e) {
              const NodeId v = nbr[e];
              if (v == prev || !sweep::bit(bm.known, v)) continue;
              prev = v;
              p.node[p.count] = v;
              p.to[p.count] = u;
              p.row[p.count] = off[v];
              p.deg[p.count] = static_cast<std::uint32_t>(off[v + 1] - off[v]);
              if (++p.count == kPhiloxLanes) part.hits += flush(g, c, p, found.data());
            }
          }
        }
        if (p.count) part.hits += flush(g, c, p, found.data());
        return part;
      },
      [](Part a, const Part& b) { return Part{a.pushers + b.pushers, a.hits + b.hits}; });

  RoundStats stats = par::reduce_blocks(
      bm.words, bm.block(), RoundStats{},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        RoundStats s;
        for (std::size_t k = lo; k < hi; ++k) {
          for (std::uint64_t m = found[k]; m; m &= m - 1)
            st.informed_at[64 * k + static_cast<std::size_t>(std::countr_zero(m))] = c.r;
          bm.known[k] |= found[k];
          s.newly_informed += std::popcount(found[k]);
          s.spreaders += std::popcount(found[k] & bm.arcs[k]);
        }
        sweep::summarize(bm, lo, hi);
        return s;
      },
      [](RoundStats a, const RoundStats& b) { return a + b; });
  st.bits_round = c.r + 1;
  stats.messages = total.pushers * c.spec.fanout;
  stats.redundant = stats.messages - total.hits;
  return stats;
}

}  // namespace gossip
