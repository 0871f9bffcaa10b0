// One synchronous round as a plain parallel loop whose step returns the round's counters.
// Like direction-optimizing BFS, a round iterates either a sparse frontier (a list holding at
// least every node that acts) or all nodes (dense); the operators are keyed by node, so both give
// the same result. The driver (simulate.cpp) picks the direction from the expected actor count.
#pragma once
#include <vector>

#include "core/parallel.hpp"
#include "protocol/rumor.hpp"
#include "sim/batch.hpp"
#include "sim/binned.hpp"
#include "sim/sweep.hpp"

namespace gossip {

// Does v act in round c.r under this mode? (docs/model.md, "Who acts in round r")
template <class G>
void act(const G& g, RumorState& st, const RoundContext& c, NodeId v, RoundStats& s, auto&& on_new) {
  const Round t = st.when(v);
  switch (c.spec.mode) {
    case Mode::push:
      if (t < c.r && g.degree(v) > 0 && st.can_pass(v, c.r)) push_from(g, st, c, v, s, on_new);
      break;
    case Mode::pull:
      if (t >= c.r && g.degree(v) > 0) pull_from(g, st, c, v, s, on_new);
      break;
    case Mode::push_pull:
      if (t >= c.r) {
        if (g.degree(v) > 0) pull_from(g, st, c, v, s, on_new);
      } else if (g.degree(v) > 0 && st.can_pass(v, c.r)) {
        push_from(g, st, c, v, s, on_new);
      }
      break;
    case Mode::flood:
      if (st.floods(v, c.r)) flood_from(g, st, c, v, s, on_new);
      break;
  }
}

// Dense step: every node is considered (the sweep where the protocol allows it, sweep.hpp).
template <class G>
RoundStats step_dense(const G& g, RumorState& st, const RoundContext& c) {
  if (sweep_eligible(c.spec) && st.bits.size() == RumorState::bits_size(g.num_nodes(), c.spec)) return step_sweep(g, st, c);
  return par::reduce_blocks(
      g.num_nodes(), kRoundBlock, RoundStats{},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        RoundStats s;
        if (batchable(c.spec)) {
          act_batched(g, st, c, lo, hi, [](std::size_t v) { return static_cast<NodeId>(v); }, false, s, [](NodeId) {});
          return s;
        }
        for (std::size_t v = lo; v < hi; ++v) act(g, st, c, static_cast<NodeId>(v), s, [](NodeId) {});
        return s;
      },
      [](RoundStats a, const RoundStats& b) { return a + b; });
}

// Sparse step over `frontier`; appends the nodes it informed to `newly` (in block order, or
// binned: in range order).
template <class G>
RoundStats step_sparse(const G& g, RumorState& st, const RoundContext& c, const std::vector<NodeId>& frontier,
                       std::vector<NodeId>& newly) {
  st.bits_round = -1;  // the sweep's bitmap no longer matches informed_at
  if (binnable<G>(c.spec)) return step_binned(g, st, c, frontier, newly);
  std::vector<std::vector<NodeId>> parts(par::num_blocks(frontier.size(), kRoundBlock));
  const RoundStats s = par::reduce_blocks(
      frontier.size(), kRoundBlock, RoundStats{},
      [&](std::size_t b, std::size_t lo, std::size_t hi) {
        RoundStats part;
        auto on_new = [&](NodeId w) { parts[b].push_back(w); };
        if (batchable(c.spec)) {
          act_batched(g, st, c, lo, hi, [&](std::size_t i) { return frontier[i]; }, true, part, on_new);
          return part;
        }
        for (std::size_t i = lo; i < hi; ++i) act(g, st, c, frontier[i], part, on_new);
        return part;
      },
      [](RoundStats a, const RoundStats& b) { return a + b; });
  for (const auto& p : parts) newly.insert(newly.end(), p.begin(), p.end());
  return s;
}

// The nodes node_at(0 .. count-1) satisfying pred, in ascending block order.
template <class Pred>
std::vector<NodeId> filter_nodes(std::size_t count, auto&& node_at, Pred&& pred) {
  std::vector<std::vector<NodeId>> parts(par::num_blocks(count, kRoundBlock));
  par::for_blocks(count, kRoundBlock, [&](std::size_t b, std::size_t lo, std::size_t hi) {
    for (std::size_t i = lo; i < hi; ++i)
      if (const NodeId v = node_at(i); pred(v)) parts[b].push_back(v);
  });
  std::vector<NodeId> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

}  // namespace gossip
