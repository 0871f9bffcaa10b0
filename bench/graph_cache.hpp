// One generated graph per spec for the lifetime of a benchmark binary: benchmarks that share a
// graph build it once (generation is not what they measure).
#pragma once
#include <map>
#include <memory>
#include <string>

#include "gen/generate.hpp"
#include "graph/graph.hpp"

namespace gossip::bench {

inline const Graph& cached_graph(const std::string& spec) {
  static std::map<std::string, std::unique_ptr<Graph>> cache;
  auto& slot = cache[spec];
  if (!slot) slot = std::make_unique<Graph>(generate(parse_spec(spec), {}));
  return *slot;
}

}  // namespace gossip::bench
