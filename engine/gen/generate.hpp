// Graph generators by spec string: generate(parse_spec("er:n=1e6,d=8"), {seed}) -> Graph.
// Each family is deterministic from (spec, seed): the same graph for any thread count, every
// random draw a pure function of (seed, work item) (core/rng.hpp). families() lists them with
// their parameters and references (docs/graphs.md's table mirrors it).
#pragma once
#include <cstdint>
#include <span>
#include <string_view>

#include "gen/spec.hpp"
#include "graph/graph.hpp"

namespace gossip {

struct GenOptions {  // values only: the defaults of graph.* live in SimConfig
  std::uint64_t seed{};
  bool keep_self_loops{};
  bool keep_duplicates{};
};

struct FamilyInfo {
  std::string_view name;
  std::string_view params;     // "n, p | n, d"
  std::string_view summary;    // one line: the model
  std::string_view reference;  // the paper it follows
  Graph (*make)(const GenSpec&, const GenOptions&);
};

std::span<const FamilyInfo> families();

// Throws UsageError (unknown family or parameter, impossible value) or ResourceError (the build
// would not fit in the memory available).
Graph generate(const GenSpec& spec, const GenOptions& opt);

}  // namespace gossip
