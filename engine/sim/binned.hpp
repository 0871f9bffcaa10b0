// The sparse push and flood round by propagation blocking (Beamer, Asanovic & Patterson, IPDPS
// 2017): phase 1 draws the actors' contacts and appends each copy (target, hops, accepted) to
// the bin of the target's range, in the worker's own bins; phase 2 hands each range to one owner,
// which applies every copy bound for it with plain loads and stores (no compare-and-swap, whose
// locked claims scaled poorly: bench/README.md). A range is "the vertices one owner computes"
// and a bin "the messages that cross ranges": the owner-computes shape of a distributed round.
// The copies' sending (send_copy) and arrival (receive_copy) are rumor.hpp's; what a copy does
// commutes, so neither the order of delivery nor the cut of the frontier into chunks changes a
// result.
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

// Phase 1 for the actors frontier[lo, hi): every copy sent, those not lost binned in the worker's bins.
template <class G>
void bin_copies(const G& g, RumorState& st, const RoundContext& c, const std::vector<NodeId>& frontier,
                std::size_t lo, std::size_t hi, Bins& bins, RoundStats& s) {
  using namespace batch;
  const auto slot = static_cast<std::size_t>(par::worker_index());
  auto put = [&](NodeId w, std::uint16_t h, Fate f) {
    if (send_copy(f, s)) bins.of(slot, w).push_back(pack(w, h, f == Fate::accepted));
  };
  if (c.spec.mode == Mode::flood) {
    const bool draw = !c.thresholds.certain();
    for (std::size_t i = lo; i < hi; ++i) {
      // The row of an actor kAhead on, from its offset prefetched kAhead earlier.
      if (i + 2 * kAhead < hi) prefetch_node(g, st, frontier[i + 2 * kAhead]);
      if (i + kAhead < hi) prefetch_slot(g, frontier[i + kAhead], 0);
      const NodeId v = frontier[i];
      if (!st.floods(v, c.r)) continue;
      const std::uint16_t h = st.hops_of(v);
      const std::uint32_t deg = g.degree(v);
      for (std::uint32_t k = 0; k < deg; ++k) put(g.neighbor(v, k), h, draw ? copy_fate(c, v, k) : Fate::accepted);
      after_flood(g, st, c, v, s);
    }
    return;
  }
  thread_local std::vector<Contact> buf;
  thread_local std::vector<Pending> pend;
  buf.clear();
  pend.clear();
  auto drain = [&] {
    for (const Contact& e : buf) put(g.neighbor(e.v, e.w), e.h, static_cast<Fate>(e.w2));
    buf.clear();
  };
  for (std::size_t i = lo; i < hi; ++i) {
    if (i + kAhead < hi) prefetch_node(g, st, frontier[i + kAhead]);
    const NodeId v = frontier[i];
    if (g.degree(v) == 0 || !st.can_pass(v, c.r)) continue;
    pend.push_back({v, Role::push, st.hops_of(v)});
    if (pend.size() == kPhiloxLanes) queue_pending(g, st, c, pend, buf);
    if (buf.size() >= kBatch) drain();
  }
  queue_pending(g, st, c, pend, buf);
  drain();
}

// Phase 2 for one range: every worker's bin of it applied, the informed listed in fresh. Only
// this range's owner writes its nodes: a plain claim (claim_owned).
template <class G>
RoundStats deliver_range(const G& g, RumorState& st, const RoundContext& c, Bins& bins, std::size_t range) {
  RoundStats s;
  std::vector<NodeId>& fresh = bins.fresh[range];
  fresh.clear();
  auto on_new = [&](NodeId x) { fresh.push_back(x); };
  for (std::size_t k = 0; k < bins.slots; ++k) {
    std::vector<std::uint64_t>& b = bins.at(k, range);
    const std::size_t m = b.size();
    for (std::size_t i = 0; i < m; ++i) {
      if (i + kAheadCopies < m) {
        const auto x = static_cast<NodeId>(b[i + kAheadCopies]);
        batch::prefetch_target(st, x);
        if constexpr (has_rows<G>)
          if (st.ttl == 0) __builtin_prefetch(g.offsets().data() + x, 0, 3);
      }
      const std::uint64_t e = b[i];
      receive_copy<true>(g, st, c.r, static_cast<NodeId>(e), static_cast<std::uint16_t>(e >> 32), (e >> 48) != 0, s,
                         on_new);
    }
    b.clear();
  }
  return s;
}

}  // namespace binned

// The sparse round over `frontier` (StepKind::binned), appending the nodes it informed to `newly`.
template <class G>
RoundStats step_binned(const G& g, RumorState& st, const RoundContext& c, const std::vector<NodeId>& frontier,
                       std::vector<NodeId>& newly) {
  binned::Bins& bins = st.bins;
  const Tuning& t = c.tuning;
  bins.size_for(g.num_nodes(), t.bin_min_shift, t.bin_max_ranges, static_cast<std::size_t>(par::worker_slots()));
  const std::size_t per_actor =
      c.spec.mode == Mode::flood ? std::max<std::size_t>(1, g.num_arcs() / std::max<std::size_t>(1, g.num_nodes()))
                                 : c.spec.fanout;
  const std::size_t chunk = std::max(kRoundBlock, t.bin_chunk_copies / per_actor);
  auto sum = [](RoundStats a, const RoundStats& b) { return a + b; };
  RoundStats total;
  for (std::size_t first = 0; first < frontier.size(); first += chunk) {
    const std::size_t count = std::min(chunk, frontier.size() - first);
    const RoundStats sent = par::reduce_blocks(
        count, kRoundBlock, RoundStats{},
        [&](std::size_t, std::size_t lo, std::size_t hi) {
          RoundStats s;
          binned::bin_copies(g, st, c, frontier, first + lo, first + hi, bins, s);
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
