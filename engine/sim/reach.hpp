// The reachable set of a trial (docs/model.md, "Trial summary"): the nodes a path from a source
// reaches through nodes that are not crashed, along the arcs the mode's rumor travels (push and
// flood: v -> w; pull: w -> u for an arc u -> w; push-pull: both). Only its size is kept: every
// informed node lies in it, so the coverage of the reachable set is informed / reachable. Reach
// decides per trial how to get it at least cost: from the trial itself where its end implies
// that every reachable node was informed, from the connected components (computed once per run,
// undirected graphs without crashes), or by a search from the sources.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/array.hpp"
#include "sim/simulate.hpp"

#include "core/parallel.hpp"
#include "graph/graph.hpp"
#include "protocol/spec.hpp"
#include "sim/faults.hpp"

namespace gossip {

// `down(v)`: v is crashed (never passes the rumor, never receives it; sources are never down).
template <class G, class Down>
std::int64_t reachable_count(const G& g, Mode mode, const std::vector<NodeId>& sources, Down&& down) {
  const NodeId n = g.num_nodes();
  if constexpr (is_implicit_complete<G>) {
    if (n < 2) return static_cast<std::int64_t>(sources.size());
    return par::reduce_blocks(
        n, 1 << 16, std::int64_t{0},
        [&](std::size_t, std::size_t lo, std::size_t hi) {
          std::int64_t c = 0;
          for (std::size_t v = lo; v < hi; ++v) c += !down(static_cast<NodeId>(v));
          return c;
        },
        [](std::int64_t a, std::int64_t b) { return a + b; });
  } else {
    std::vector<std::atomic<std::uint64_t>> seen((std::size_t{n} + 63) / 64);
    auto claim = [&](NodeId v) {
      const std::uint64_t bit = std::uint64_t{1} << (v & 63);
      return !(seen[v >> 6].fetch_or(bit, std::memory_order_relaxed) & bit);
    };
    auto is_seen = [&](NodeId v) { return (seen[v >> 6].load(std::memory_order_relaxed) >> (v & 63)) & 1; };
    std::int64_t count = 0;
    std::vector<NodeId> frontier;
    for (NodeId s : sources)
      if (claim(s)) frontier.push_back(s), ++count;
    const bool forward = mode == Mode::push || mode == Mode::flood || !g.directed();
    if (forward) {  // level-synchronous top-down BFS along out-arcs
      std::vector<std::vector<NodeId>> parts;
      while (!frontier.empty()) {
        parts.assign(par::num_blocks(frontier.size(), 256), {});
        par::for_blocks(frontier.size(), 256, [&](std::size_t b, std::size_t lo, std::size_t hi) {
          for (std::size_t i = lo; i < hi; ++i)
            for (NodeId w : g.neighbors(frontier[i]))
              if (!down(w) && !is_seen(w) && claim(w)) parts[b].push_back(w);
        });
        frontier.clear();
        for (const auto& p : parts) frontier.insert(frontier.end(), p.begin(), p.end());
        count += static_cast<std::int64_t>(frontier.size());
      }
      return count;
    }
    // A directed graph with pull (and push-pull): u is reached when an out-neighbour w is (u
    // pulls from w), or, for push-pull, when an in-neighbour pushes to it; scanned to a fixpoint.
    for (bool changed = true; changed;) {
      std::atomic<std::int64_t> added{0};
      par::for_blocks(n, 4096, [&](std::size_t, std::size_t lo, std::size_t hi) {
        std::int64_t a = 0;
        for (std::size_t x = lo; x < hi; ++x) {
          const auto v = static_cast<NodeId>(x);
          if (down(v)) continue;
          const bool in = is_seen(v);
          for (NodeId w : g.neighbors(v)) {
            if (!in && is_seen(w) && claim(v)) ++a;  // v pulls from w
            if (mode == Mode::push_pull && is_seen(v) && !down(w) && claim(w)) ++a;  // v pushes to w
          }
        }
        added += a;
      });
      count += added.load();
      changed = added.load() > 0;
    }
    return count;
  }
}

class Reach {
 public:
  Reach(const Graph& g, const ProtocolSpec& spec, double stop_coverage);
  Reach(const Reach&) = delete;
  Reach& operator=(const Reach&) = delete;
  ~Reach();

  // Needed before the trial's first round (run.stop_coverage ends trials by it).
  bool needed_at_start() const { return stop_coverage_ < 1.0; }
  // The reachable count of a trial from `sources`, `faults` (crashed nodes; may be null or off).
  std::int64_t count(const std::vector<NodeId>& sources, const FaultState* faults);
  // Fills s.reachable, s.coverage_reachable and the reach_X marks of a trial that ended, from its
  // informed count by round; `known` is the count when taken at the start (else computed here,
  // or taken from the trial where its end implies it).
  void finish(TrialSummary& s, const std::vector<std::int64_t>& informed_by_round, const std::vector<NodeId>& sources,
              const FaultState* faults, std::optional<std::int64_t> known);
  // Bytes Reach may allocate on graph g: the components (a label and a size per node) of an
  // undirected graph, or a search's bitmap and frontier on a directed one.
  template <class G>
  static std::uint64_t bytes(const G& g) {
    if constexpr (is_implicit_complete<G>) return 0;
    else return std::uint64_t{g.num_nodes()} * (g.directed() ? 4 : 8) + g.num_nodes() / 8;
  }
  // The informed count that ends a trial by run.stop_coverage (none when it is off).
  std::optional<std::int64_t> stop_target(std::int64_t reachable) const;

 private:
  const Graph& g_;
  const ProtocolSpec& spec_;
  double stop_coverage_;
  struct Components;
  std::unique_ptr<Components> comp_;  // labels and sizes, built on first use
};

}  // namespace gossip
