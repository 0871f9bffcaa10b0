// Push from the receivers' side: a dense push round computed over the uninformed nodes, the way
// a bottom-up BFS step (bottom_up.hpp) looks from the unvisited side. Each uninformed node u asks
// of each distinct informed neighbour v which row slots v's contacts j = 0 .. fanout-1 pick
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
#include "sim/rumor.hpp"
#include "sim/sweep.hpp"

namespace gossip {

namespace receive {

// Up to kPhiloxLanes (receiver u, neighbour v) pairs whose contacts are drawn together.
struct Batch {
  alignas(64) std::uint32_t node[kPhiloxLanes];  // v (the Philox item)
  std::uint32_t to[kPhiloxLanes];                // u
  std::uint64_t row[kPhiloxLanes];               // v's row start
  std::uint32_t deg[kPhiloxLanes];
  std::uint32_t slot[kPhiloxLanes];              // the row slot v's contact picks
  std::uint64_t senders = 0;                     // lanes whose v was informed before the round
  std::size_t count = 0;
};

// Contact j of the batch's pairs: the blocks drawn, the slots picked, their targets prefetched.
inline void draw(const RoundContext& c, Batch& b, std::uint32_t j, const NodeId* nbr) {
  PhiloxLanes blocks;
  philox_lanes(c.rng, j, b.node, b.count, blocks);
  for (std::uint64_t m = pick_lanes(blocks, b.deg, 0, b.count, b.slot); m; m &= m - 1) {
    const auto l = static_cast<std::uint32_t>(std::countr_zero(m));
    const Block blk{{blocks.w[0][l], blocks.w[1][l], 0, 0}};
    b.slot[l] = pick_index(c.rng, blk, b.node[l], j, b.deg[l]);
  }
  for (std::uint64_t m = b.senders; m; m &= m - 1) __builtin_prefetch(nbr + b.row[std::countr_zero(m)] + b.slot[std::countr_zero(m)], 0, 3);
}

// The copies of the drawn contact that reach their receivers, marked in `found`.
inline std::int64_t check(const Batch& b, const NodeId* nbr, std::uint64_t* found) {
  std::int64_t hits = 0;
  for (std::uint64_t m = b.senders; m; m &= m - 1) {
    const auto l = static_cast<std::size_t>(std::countr_zero(m));
    const bool hit = nbr[b.row[l] + b.slot[l]] == b.to[l];
    hits += hit;
    found[b.to[l] >> 6] |= std::uint64_t{hit} << (b.to[l] & 63);
  }
  return hits;
}

// Batches in a ring of three, each a stage apart: the one being listed (its neighbours' offsets
// prefetched), the one before it (rows and sender lanes loaded, contact 0 drawn, its targets
// prefetched), the one before that (checked, then its other contacts, fanout > 1, drawn and
// checked in turn). Each load has a whole batch's work to arrive in.
struct Pipeline {
  static constexpr int kStages = 3;
  const CsrGraph& g;
  const RoundContext& c;
  const std::uint64_t* known;
  std::uint64_t* found;
  Batch batch[kStages] = {};
  std::size_t listed = 0;  // batches handed on so far

  Pipeline(const CsrGraph& graph, const RoundContext& ctx, const std::uint64_t* k, std::uint64_t* f)
      : g(graph), c(ctx), known(k), found(f) {}

  Batch& current() { return batch[listed % kStages]; }
  void prepare(Batch& b) {
    const EdgeIdx* off = g.offsets().data();
    std::uint64_t senders = 0;
    for (std::size_t l = 0; l < b.count; ++l) {
      b.row[l] = off[b.node[l]];
      b.deg[l] = static_cast<std::uint32_t>(off[b.node[l] + 1] - b.row[l]);
      senders |= std::uint64_t{sweep::bit(known, b.node[l])} << l;
    }
    b.senders = senders;
    draw(c, b, 0, g.adjacency().data());
  }
  std::int64_t finish(Batch& b) {
    const NodeId* nbr = g.adjacency().data();
    std::int64_t hits = check(b, nbr, found);
    for (std::uint32_t j = 1; j < c.spec.fanout; ++j) {
      draw(c, b, j, nbr);
      hits += check(b, nbr, found);
    }
    b.count = 0;
    return hits;
  }
  // The current batch is full (or the last): every stage moves on one batch.
  std::int64_t advance() {
    std::int64_t hits = 0;
    if (listed >= 2) hits = finish(batch[(listed - 2) % kStages]);
    if (listed >= 1) prepare(batch[(listed - 1) % kStages]);
    ++listed;
    return hits;
  }
  std::int64_t drain() {
    std::int64_t hits = current().count ? advance() : 0;
    for (int s = 1; s < kStages; ++s) hits += advance();
    return hits;
  }
};

}  // namespace receive

// The dense push round c.r from the receivers' side (StepKind::receive; st.bits allocated).
inline RoundStats step_receive(const CsrGraph& g, RumorState& st, const RoundContext& c) {
  using namespace receive;
  const sweep::Bitmaps bm = sweep_bitmaps(g, st, c);
  std::vector<std::uint64_t> found(bm.words, 0);  // the receivers reached; known is read meanwhile
  const EdgeIdx* off = g.offsets().data();
  const NodeId* nbr = g.adjacency().data();
  auto receivers = [&](std::size_t k) { return k < bm.words ? ~bm.known[k] & bm.arcs[k] : 0; };
  struct Part {
    std::int64_t pushers = 0, hits = 0;
  };
  const Part total = par::reduce_blocks(
      bm.words, bm.block(), Part{},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        Part part;
        Pipeline pipe{g, c, bm.known, found.data()};
        for (std::size_t k = lo; k < hi; ++k) {
          // Four words ahead the receivers' offsets, two words ahead their rows' first lines.
          for (std::uint64_t m = receivers(k + 4); m; m &= m - 1) __builtin_prefetch(off + 64 * (k + 4) + std::countr_zero(m), 0, 3);
          for (std::uint64_t m = receivers(k + 2); m; m &= m - 1) __builtin_prefetch(nbr + off[64 * (k + 2) + std::countr_zero(m)], 0, 3);
          part.pushers += std::popcount(bm.known[k] & bm.arcs[k]);
          for (std::uint64_t m = receivers(k); m; m &= m - 1) {
            const auto u = static_cast<NodeId>(64 * k + static_cast<std::size_t>(std::countr_zero(m)));
            NodeId prev = u;  // rows are sorted: a repeated neighbour (a multi-edge) is one sender
            for (EdgeIdx e = off[u]; e < off[u + 1]; ++e) {
              const NodeId v = nbr[e];
              Batch& b = pipe.current();
              __builtin_prefetch(off + v, 0, 3);
              b.node[b.count] = v;
              b.to[b.count] = u;
              b.count += static_cast<std::size_t>(v != prev);  // whether v sends: a lane mask later
              prev = v;
              if (b.count == kPhiloxLanes) part.hits += pipe.advance();
            }
          }
        }
        part.hits += pipe.drain();
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
          claim_lanes(found[k], bm.arcs[k], s);
        }
        sweep::summarize(bm, lo, hi);
        return s;
      },
      [](RoundStats a, const RoundStats& b) { return a + b; });
  st.bits_round = c.r + 1;
  certain_copies(total.pushers * c.spec.fanout, total.hits, stats);
  return stats;
}

}  // namespace gossip
