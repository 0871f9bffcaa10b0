// GraphMeta: what the output records about a run's graph (its /graph group), computed once from
// the graph by graph_meta.
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include "graph/graph.hpp"

namespace gossip {

struct GraphMeta {
  std::string source;
  std::uint64_t n = 0, edges = 0, arcs = 0;
  bool directed = false;
  std::uint64_t self_loops_dropped = 0, duplicates_dropped = 0, self_loops = 0, isolated = 0;
  std::uint64_t fingerprint = 0;
  // Input ids by node when a file loader renumbered them (stored as /graph/original_id); empty
  // for generators and files whose ids were kept. A view into the graph: g must outlive it.
  std::span<const std::uint64_t> original_id;
};

// The metadata of g, loaded from `source`; with `scan`, also what takes a pass over the graph
// (the isolated nodes, the fingerprint of graph/fingerprint.hpp), else those stay 0.
GraphMeta graph_meta(const Graph& g, const std::string& source, bool scan);

}  // namespace gossip
