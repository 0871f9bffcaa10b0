// GraphStats: what `gossipsim graph info` reports, for any Graph (the complete graph's numbers
// are exact formulas; a CSR graph's are computed in parallel, components by union-find).
#pragma once
#include <cstdint>

#include "graph/graph.hpp"

namespace gossip {

struct GraphStats {
  std::uint64_t n = 0;
  std::uint64_t edges = 0;
  std::uint64_t arcs = 0;
  bool directed = false;
  std::uint64_t degree_min = 0;  // out-degree for directed graphs
  std::uint64_t degree_max = 0;
  double degree_mean = 0;        // arcs / n
  std::uint64_t isolated = 0;
  std::uint64_t self_loops_dropped = 0;
  std::uint64_t duplicates_dropped = 0;
  std::uint64_t self_loops = 0;  // kept
  std::uint64_t components = 0;
  std::uint64_t largest_component = 0;
  std::uint64_t memory_bytes = 0;
  bool latencies = false;  // per-arc latencies present (graph.latency); then their range over arcs
  std::uint64_t latency_min = 0;
  std::uint64_t latency_max = 0;
  double latency_mean = 0;
};

GraphStats graph_stats(const Graph& g);

}  // namespace gossip
