// Opens the graph a run names: a generator spec ("er:n=1e6,d=8") or, in time, a file path.
// GraphOptions is the graph slice of the configuration; its defaults live here only.
#pragma once
#include <cstdint>
#include <string>

#include "graph/graph.hpp"

namespace gossip {

struct GraphOptions {
  std::string source;  // generator spec or file path
  std::uint64_t seed = 1;
  bool keep_self_loops = false;
  bool keep_duplicates = false;
};

// Throws UsageError (bad spec), InputError (bad file) or ResourceError (does not fit).
Graph open_graph(const GraphOptions& opt);

}  // namespace gossip
