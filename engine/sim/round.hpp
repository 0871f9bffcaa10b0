// One synchronous round: run_step runs the step kind the chooser (step.hpp) picked and returns
// the round's counters. Like direction-optimizing BFS, a round iterates either a sparse frontier
// (a list holding at least every node that acts) or all nodes (dense); the operators are keyed
// by node, so every step gives the same result.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

#include "core/parallel.hpp"
#include "sim/rumor.hpp"
#include "sim/batch.hpp"
#include "sim/binned.hpp"
#include "sim/bottom_up.hpp"
#include "sim/receive.hpp"
#include "sim/step.hpp"
#include "sim/sweep.hpp"

namespace gossip {

// Does v act in round c.r under this mode? (docs/model.md, "Who acts in round r")
template <class G>
void act(const G& g, RumorState& st, const RoundContext& c, NodeId v, RoundStats& s, auto&& on_new) {
  if (!st.up(v)) return;  // a down node does nothing this round (faults)
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
    default: break;  // aggregation runs its own steps (aggregate.hpp)
  }
}

// Appends the blocks' lists to `out` in block order, copying in parallel where they are long
// (a serial copy per round is Amdahl's serial fraction of a whole run).
inline void append_parts(const std::vector<std::vector<NodeId>>& parts, std::vector<NodeId>& out) {
  std::vector<std::size_t> at(parts.size() + 1, out.size());
  for (std::size_t b = 0; b < parts.size(); ++b) at[b + 1] = at[b] + parts[b].size();
  out.resize(at.back());
  auto copy = [&](std::size_t b, std::size_t, std::size_t) {
    std::copy(parts[b].begin(), parts[b].end(), out.begin() + static_cast<std::ptrdiff_t>(at[b]));
  };
  if (at.back() - at.front() < par::kSerialBelow) {
    for (std::size_t b = 0; b < parts.size(); ++b) copy(b, b, b + 1);
  } else {
    par::for_blocks(parts.size(), 1, copy);
  }
}

// Every node acts (StepKind::dense, dense_batched).
template <class G>
RoundStats step_dense(const G& g, RumorState& st, const RoundContext& c, bool batched) {
  return par::reduce_blocks(
      g.num_nodes(), kRoundBlock, RoundStats{},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        RoundStats s;
        if (batched) {
          act_batched(g, st, c, lo, hi, [](std::size_t v) { return static_cast<NodeId>(v); }, false, s, [](NodeId) {});
          return s;
        }
        for (std::size_t v = lo; v < hi; ++v) act(g, st, c, static_cast<NodeId>(v), s, [](NodeId) {});
        return s;
      },
      [](RoundStats a, const RoundStats& b) { return a + b; });
}

// The nodes of `frontier` act (StepKind::sparse, sparse_batched); appends the nodes it informed
// to `newly` in block order.
template <class G>
RoundStats step_sparse(const G& g, RumorState& st, const RoundContext& c, const std::vector<NodeId>& frontier,
                       std::vector<NodeId>& newly, bool batched) {
  std::vector<std::vector<NodeId>> parts(par::num_blocks(frontier.size(), kRoundBlock));
  const RoundStats s = par::reduce_blocks(
      frontier.size(), kRoundBlock, RoundStats{},
      [&](std::size_t b, std::size_t lo, std::size_t hi) {
        RoundStats part;
        auto on_new = [&](NodeId w) { parts[b].push_back(w); };
        if (batched) {
          act_batched(g, st, c, lo, hi, [&](std::size_t i) { return frontier[i]; }, true, part, on_new);
          return part;
        }
        for (std::size_t i = lo; i < hi; ++i) act(g, st, c, frontier[i], part, on_new);
        return part;
      },
      [](RoundStats a, const RoundStats& b) { return a + b; });
  append_parts(parts, newly);
  return s;
}

// What the driver hands a step beyond the graph, the state and the round.
struct StepInputs {
  const std::vector<NodeId>& frontier;  // the listed actors (sparse steps)
  std::int64_t sender_arcs = 0;         // bottom-up: arcs of the senders / of the uninformed
  std::int64_t uninformed_arcs = 0;
  std::int64_t list_below = 0;          // bottom-up: list the newly informed when fewer
};

struct StepOutputs {
  RoundStats stats;
  std::int64_t new_degree = -1;  // bottom-up: the newly informed nodes' degrees (-1: not counted)
};

// A step the chooser cannot pick for this graph type (its table entry excludes it).
[[noreturn]] inline void unsupported(StepKind k) {
  throw std::logic_error("run_step: step " + std::string(step_name(k)) + " cannot run this round");
}

// Runs round c.r with step `kind` (which the chooser picked among those supporting the run);
// appends the newly informed to `newly` where the step lists them (sparse, and bottom-up below
// list_below).
template <class G>
StepOutputs run_step(StepKind kind, const G& g, RumorState& st, const RoundContext& c, const StepInputs& in,
                     std::vector<NodeId>& newly) {
  StepOutputs out;
  if (step_info(kind).direction == Direction::sparse) st.bits_round = -1;  // the bitmaps no longer match informed_at
  switch (kind) {
    case StepKind::sparse: out.stats = step_sparse(g, st, c, in.frontier, newly, false); break;
    case StepKind::sparse_batched: out.stats = step_sparse(g, st, c, in.frontier, newly, true); break;
    case StepKind::binned: out.stats = step_binned(g, st, c, in.frontier, newly); break;
    case StepKind::dense: out.stats = step_dense(g, st, c, false); break;
    case StepKind::dense_batched: out.stats = step_dense(g, st, c, true); break;
    case StepKind::sweep: out.stats = step_sweep(g, st, c); break;
    case StepKind::complete_near:
    case StepKind::complete_far:
      if constexpr (is_implicit_complete<G>) {
        out.stats = step_complete(g, st, c, kind == StepKind::complete_near);
        break;
      }
      unsupported(kind);
    case StepKind::receive:
      if constexpr (has_rows<G>) {
        out.stats = step_receive(g, st, c);
        break;
      }
      unsupported(kind);
    case StepKind::bottom_up:
      if constexpr (has_rows<G>) {
        const BottomUpResult b = step_bottom_up(g, st, c, in.sender_arcs, in.uninformed_arcs, in.list_below, newly);
        out.stats = b.stats;
        out.new_degree = b.new_degree;
        break;
      }
      unsupported(kind);
    case StepKind::packed: unsupported(kind);  // a whole run, not a round (packed_flood.cpp)
    case StepKind::push_sum:
    case StepKind::averaging:
    case StepKind::pairwise: unsupported(kind);  // aggregation: their own driver (aggregate.cpp)
    case StepKind::posts: unsupported(kind);     // many posts: their own driver (posts_trial.cpp)
  }
  return out;
}

// The nodes node_at(0 .. count-1) satisfying pred, in ascending block order, into `out`.
template <class Pred>
void filter_nodes(std::size_t count, auto&& node_at, Pred&& pred, std::vector<NodeId>& out) {
  std::vector<std::vector<NodeId>> parts(par::num_blocks(count, kRoundBlock));
  par::for_blocks(count, kRoundBlock, [&](std::size_t b, std::size_t lo, std::size_t hi) {
    for (std::size_t i = lo; i < hi; ++i)
      if (const NodeId v = node_at(i); pred(v)) parts[b].push_back(v);
  });
  out.clear();
  append_parts(parts, out);
}
template <class Pred>
std::vector<NodeId> filter_nodes(std::size_t count, auto&& node_at, Pred&& pred) {
  std::vector<NodeId> out;
  filter_nodes(count, node_at, pred, out);
  return out;
}

}  // namespace gossip
