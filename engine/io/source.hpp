// Opens the graph a run names: a generator spec ("er:n=1e6,d=8") or, in time, a file path.
// GraphOptions is the graph slice of the configuration (values only: defaults live in
// SimConfig, sim/config.hpp).
#pragma once
#include <cstdint>
#include <string>

#include "graph/graph.hpp"

namespace gossip {

struct GraphOptions {
  std::string source;  // generator spec or file path
  std::uint64_t seed{};
  bool keep_self_loops{};
  bool keep_duplicates{};
};

// Throws UsageError (bad spec), InputError (bad file) or ResourceError (does not fit).
Graph open_graph(const GraphOptions& opt);

}  // namespace gossip
