// The sparse push and flood round by propagation blocking (Beamer, Asanovic & Patterson, IPDPS
// 2017): phase 1 draws the actors' contacts block by block and stages each copy (target, hops,
// accepted) in sender order, then groups the block's copies by the target's range (bins.hpp);
// phase 2 hands each range to one owner, which applies the copies bound for it, block by block,
// with plain loads and stores (no compare-and-swap, whose locked claims scaled poorly:
// bench/README.md). A range is "the vertices one owner computes" and a bin "the messages that
// cross ranges": the owner-computes shape of a distributed round. A copy's leaving (leave: faults,
// loss, a delay putting it in flight) and its arrival (receive_copy) are rumor.hpp's; blocks are
// cut by the data alone, so copies are applied in one order for any thread count.
#pragma once
#include <algorithm>
#include <type_traits>
#include <vector>

#include "core/parallel.hpp"
#include "graph/graph.hpp"
#include "sim/batch.hpp"
#include "sim/bins.hpp"

namespace gossip {

namespace binned {

inline constexpr std::size_t kAheadCopies = 16;  // phase 2: copies whose target is prefetched ahead

// Phase 1 for the actors frontier[lo, hi) (one block): every copy sent; those arriving this round
// staged in sender order and counted by range in count[range + 1] (a copy dropped by a fault,
// lost or delayed is rumor.hpp's leave()). kTimed: the run has faults or delays.
template <bool kTimed, class G>
void stage_copies(const G& g, RumorState& st, const RoundContext& c, const std::vector<NodeId>& frontier,
                  std::size_t lo, std::size_t hi, unsigned shift, std::vector<std::uint64_t>& staged,
                  std::uint32_t* count, RoundStats& s) {
  using namespace batch;
  auto put = [&](NodeId v, NodeId w, std::uint16_t h, Fate f, Round d) {
    if (leave<kTimed>(st, c.r, v, w, h, f, d, s) != Leave::now) return;
    staged.push_back(pack(w, h, f == Fate::accepted));
    ++count[(w >> shift) + 1];
  };
  auto delay = [&](NodeId v, std::uint32_t x, std::uint32_t i) { return kTimed ? delay_of(g, st, c, v, x, i) : 0; };
  if (c.spec.mode == Mode::flood) {
    const bool draw = !c.thresholds.certain();
    for (std::size_t i = lo; i < hi; ++i) {
      // The row of an actor kAhead on, from its offset prefetched kAhead earlier.
      if (i + 2 * kAhead < hi) prefetch_node(g, st, frontier[i + 2 * kAhead]);
      if (i + kAhead < hi) prefetch_slot(g, frontier[i + kAhead], 0);
      const NodeId v = frontier[i];
      if ((kTimed && !st.up(v)) || !st.floods(v, c.r)) continue;
      const std::uint16_t h = st.hops_of(v);
      const std::uint32_t deg = g.degree(v);
      for (std::uint32_t k = 0; k < deg; ++k)
        put(v, g.neighbor(v, k), h, draw ? copy_fate(c, v, k) : Fate::accepted, delay(v, k, k));
      after_flood(g, st, c, v, s);
    }
    return;
  }
  thread_local std::vector<Contact> buf;
  thread_local std::vector<Pending> pend;
  buf.clear();
  pend.clear();
  auto drain = [&] {
    for (const Contact& e : buf) put(e.v, g.neighbor(e.v, e.w), e.h, static_cast<Fate>(e.w2), delay(e.v, e.j, e.w));
    buf.clear();
  };
  for (std::size_t i = lo; i < hi; ++i) {
    if (i + kAhead < hi) prefetch_node(g, st, frontier[i + kAhead]);
    const NodeId v = frontier[i];
    if (g.degree(v) == 0 || (kTimed && !st.up(v)) || !st.can_pass(v, c.r)) continue;
    pend.push_back({v, Role::push, st.hops_of(v)});
    if (pend.size() == kPhiloxLanes) queue_pending(g, st, c, pend, buf);
    if (buf.size() >= kBatch) drain();
  }
  queue_pending(g, st, c, pend, buf);
  drain();
}

// Phase 2 for one range: the copies bound for it applied block by block, a prefetch cursor
// kAheadCopies ahead across the blocks; the informed listed in fresh. Only this range's owner
// writes its nodes: a plain claim (claim_owned).
template <class G>
RoundStats deliver_range(const G& g, RumorState& st, const RoundContext& c, Bins& bins, std::size_t range) {
  RoundStats s;
  std::vector<NodeId>& fresh = bins.fresh[range];
  fresh.clear();
  auto on_new = [&](NodeId x) { fresh.push_back(x); };
  // The prefetch cursor: [p, end) what is left of block ab's part of the range.
  std::size_t ab = 0;
  const std::uint64_t *p = nullptr, *end = nullptr;
  auto ahead = [&] {
    while (p == end) {
      if (ab == bins.blocks) return;
      const std::span<const std::uint64_t> part = bins.of(ab++, range);
      p = part.data();
      end = p + part.size();
    }
    const NodeId x = target_of(*p++);
    batch::prefetch_target(st, x);
    if constexpr (has_rows<G>)
      if (st.ttl == 0) __builtin_prefetch(g.offsets().data() + x, 0, 3);
  };
  for (std::size_t k = 0; k < kAheadCopies; ++k) ahead();
  for (std::size_t b = 0; b < bins.blocks; ++b)
    for (const std::uint64_t e : bins.of(b, range)) {
      ahead();
      receive_copy<true>(g, st, c.r, target_of(e), static_cast<std::uint16_t>(e >> 32), (e >> 48) != 0, s, on_new);
    }
  return s;
}

// How the binned round cuts its actors, from the data and the Tuning alone (never the thread
// count): blocks of bin_block_actors, more where a block would stage fewer than
// bin_block_copies_per_range copies a range; a chunk is whole blocks, about bin_chunk_copies
// copies at `per_actor` copies an actor.
struct Layout {
  std::size_t block;  // actors a block
  std::size_t chunk;  // actors a chunk
};
inline Layout layout(std::size_t ranges, std::size_t per_actor, const Tuning& t) {
  const std::size_t block = std::max<std::size_t>(
      {1, t.bin_block_actors, (t.bin_block_copies_per_range * ranges + per_actor - 1) / per_actor});
  return {block, std::max<std::size_t>(1, t.bin_chunk_copies / per_actor / block) * block};
}
// Copies an actor sends, for the layout: flood its mean degree, push its fanout.
inline std::size_t copies_per_actor(Mode mode, std::uint32_t fanout, std::uint64_t nodes, std::uint64_t arcs) {
  return mode == Mode::flood ? static_cast<std::size_t>(std::max<std::uint64_t>(1, arcs / std::max<std::uint64_t>(1, nodes)))
                             : fanout;
}

}  // namespace binned

// The sparse round over `frontier` (StepKind::binned), appending the nodes it informed to `newly`
// (range by range, each in its fixed order of delivery).
template <class G>
RoundStats step_binned(const G& g, RumorState& st, const RoundContext& c, const std::vector<NodeId>& frontier,
                       std::vector<NodeId>& newly) {
  binned::Bins& bins = st.bins;
  const Tuning& t = c.tuning;
  bins.size_for(g.num_nodes(), t.bin_min_shift, t.bin_max_ranges);
  const auto [block, chunk] = binned::layout(
      bins.ranges, binned::copies_per_actor(c.spec.mode, c.spec.fanout, g.num_nodes(), g.num_arcs()), t);
  const bool timed = st.faults.on() || st.delays;
  auto sum = [](RoundStats a, const RoundStats& b) { return a + b; };
  RoundStats total;
  for (std::size_t first = 0; first < frontier.size(); first += chunk) {
    const std::size_t count = std::min(chunk, frontier.size() - first);
    bins.start_chunk(par::num_blocks(count, block));
    const RoundStats sent = par::reduce_blocks(
        count, block, RoundStats{},
        [&](std::size_t b, std::size_t lo, std::size_t hi) {
          thread_local std::vector<std::uint64_t> staged;
          staged.clear();
          std::uint32_t* per_range = bins.start_block(b);
          RoundStats s;
          if (timed) binned::stage_copies<true>(g, st, c, frontier, first + lo, first + hi, bins.shift, staged, per_range, s);
          else binned::stage_copies<false>(g, st, c, frontier, first + lo, first + hi, bins.shift, staged, per_range, s);
          bins.put_block(b, staged, binned::target_of);
          return s;
        },
        sum);
    total = total + sent;
    // Few copies (the first and last rounds): one worker delivers them all, no parallel region.
    const bool serial = sent.messages - sent.lost < static_cast<std::int64_t>(kRoundBlock);
    auto deliver = [&](std::size_t b, std::size_t, std::size_t) { return binned::deliver_range(g, st, c, bins, b); };
    if (serial) {
      for (std::size_t b = 0; b < bins.ranges; ++b) total = total + deliver(b, b, b + 1);
    } else {
      total = total + par::reduce_blocks(bins.ranges, 1, RoundStats{}, deliver, sum);
    }
    std::vector<std::size_t> at(bins.ranges + 1, newly.size());
    for (std::size_t b = 0; b < bins.ranges; ++b) at[b + 1] = at[b] + bins.fresh[b].size();
    newly.resize(at[bins.ranges]);
    auto gather = [&](std::size_t b, std::size_t, std::size_t) {
      std::copy(bins.fresh[b].begin(), bins.fresh[b].end(), newly.begin() + static_cast<std::ptrdiff_t>(at[b]));
    };
    if (serial) {
      for (std::size_t b = 0; b < bins.ranges; ++b) gather(b, b, b + 1);
    } else {
      par::for_blocks(bins.ranges, 1, gather);
    }
  }
  return total;
}

}  // namespace gossip
