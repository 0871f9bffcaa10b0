// Connected components (weak, for directed graphs) by concurrent union-find: Afforest (Sutton,
// Ben-Nun & Bader 2018), its lock-free Link and Compress, neighbour rounds and the sampled giant
// component whose nodes skip their remaining arcs (undirected graphs). Labels are the smallest
// node id of each component, so the result does not depend on scheduling.
#pragma once
#include <cstdint>

#include "core/array.hpp"
#include "graph/csr.hpp"

namespace gossip {

// comp[v] = smallest node id in v's component.
Array<NodeId> component_labels(const CsrGraph& g);

struct ComponentSummary {
  std::uint64_t count = 0;    // number of components
  std::uint64_t largest = 0;  // nodes in the largest
  std::uint64_t isolated = 0; // nodes with no arc in or out (a self loop is an arc)
};

ComponentSummary summarize_components(const CsrGraph& g);

}  // namespace gossip
