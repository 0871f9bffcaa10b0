// CsrGraph: compressed sparse rows. offsets[n+1] (64-bit) and neighbors[arcs] (32-bit ids);
// row v is neighbors[offsets[v] .. offsets[v+1]), sorted ascending. An undirected graph stores
// both directions of every edge (a kept self loop once). Built only by build_csr (build.hpp),
// which establishes these invariants and records what it dropped, or loaded from a binary CSR
// file (io/gcsr.hpp; then the arrays may be read-only views of the mapped file). original_ids
// is empty unless a loader renumbered the input's ids: then node v was original_ids[v] in the
// file, ascending in v. latencies is empty unless the graph was read with per-arc latencies
// (graph.latency): then arc a = offsets[v] + i, neighbors[a] = neighbor(v, i), takes latencies[a]
// rounds (docs/graphs.md); duplicate arcs kept their minimum, an undirected edge has the same
// latency both ways.
#pragma once
#include <cstdint>
#include <span>

#include "core/array.hpp"
#include "core/types.hpp"

namespace gossip {

// What the build removed or kept; reported by `graph info` and stored with outputs.
// A per-arc latency in whole rounds, at most kMaxLatency (the largest round a run can reach).
using Latency = std::uint32_t;
inline constexpr Latency kMaxLatency = static_cast<Latency>(kNever) - 1;

struct BuildCounts {
  std::uint64_t self_loops_dropped = 0;
  std::uint64_t duplicates_dropped = 0;  // duplicate edges (undirected: counted once per edge)
  std::uint64_t self_loops = 0;          // self loops kept (only with keep_self_loops)
};

class CsrGraph {
 public:
  CsrGraph() = default;
  CsrGraph(Array<EdgeIdx> offsets, Array<NodeId> neighbors, bool directed, BuildCounts counts,
           Array<Latency> latencies = {})
      : offsets_(std::move(offsets)), neighbors_(std::move(neighbors)), latencies_(std::move(latencies)),
        with_latencies_(!latencies_.empty()), directed_(directed), counts_(counts) {}

  NodeId num_nodes() const { return offsets_.empty() ? 0 : static_cast<NodeId>(offsets_.size() - 1); }
  EdgeIdx num_arcs() const { return neighbors_.size(); }
  // Undirected: edges {u, v}, a kept self loop counting once. Directed: arcs.
  EdgeIdx num_edges() const {
    return directed_ ? num_arcs() : (num_arcs() - counts_.self_loops) / 2 + counts_.self_loops;
  }
  bool directed() const { return directed_; }
  const BuildCounts& counts() const { return counts_; }

  NodeId degree(NodeId v) const { return static_cast<NodeId>(offsets_[v + 1] - offsets_[v]); }
  std::span<const NodeId> neighbors(NodeId v) const {
    return {neighbors_.data() + offsets_[v], neighbors_.data() + offsets_[v + 1]};
  }
  NodeId neighbor(NodeId v, NodeId i) const { return neighbors_[offsets_[v] + i]; }
  // A neighbor drawn uniformly (degree(v) > 0) from a counter-based stream (core/rng.hpp).
  template <class Stream>
  NodeId random_neighbor(NodeId v, Stream& s) const {
    return neighbor(v, s.below(degree(v)));
  }

  // Per-arc latencies (empty spans when has_latencies() is false): latency(v)[i] belongs to
  // neighbors(v)[i]; latencies() is parallel to adjacency().
  bool has_latencies() const { return with_latencies_; }
  std::span<const Latency> latency(NodeId v) const {
    if (latencies_.empty()) return {};
    return {latencies_.data() + offsets_[v], latencies_.data() + offsets_[v + 1]};
  }
  std::span<const Latency> latencies() const { return latencies_.span(); }
  void set_latencies(Array<Latency> l) {
    with_latencies_ = true;
    latencies_ = std::move(l);
  }

  std::span<const EdgeIdx> offsets() const { return offsets_.span(); }
  std::span<const NodeId> adjacency() const { return neighbors_.span(); }
  std::span<const std::uint64_t> original_ids() const { return original_ids_.span(); }
  bool renumbered() const { return !original_ids_.empty(); }
  void set_original_ids(Array<std::uint64_t> ids) { original_ids_ = std::move(ids); }
  // The same arrays under another reading: arcs built as a file listed them, then read as
  // undirected once every arc has its reverse (graph/symmetric.hpp).
  CsrGraph read_as(bool directed, BuildCounts counts) && {
    const bool lat = with_latencies_;
    CsrGraph g(std::move(offsets_), std::move(neighbors_), directed, counts, std::move(latencies_));
    g.with_latencies_ = lat;
    g.original_ids_ = std::move(original_ids_);
    return g;
  }
  std::uint64_t memory_bytes() const { return offsets_.bytes() + neighbors_.bytes() + latencies_.bytes() + original_ids_.bytes(); }

 private:
  Array<EdgeIdx> offsets_;
  Array<NodeId> neighbors_;
  Array<Latency> latencies_;
  bool with_latencies_ = false;  // read with latencies (also true for a graph without arcs)
  Array<std::uint64_t> original_ids_;
  bool directed_ = false;
  BuildCounts counts_;
};

}  // namespace gossip
