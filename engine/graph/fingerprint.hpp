// A graph's fingerprint: a 64-bit hash of what the engine sees (kind, n, arcs, direction, the
// offsets and neighbour arrays), identical for any thread count. A checkpoint or a job-array
// output made on one graph is refused on another (--resume, merge).
#pragma once
#include <cstdint>
#include <string>

#include "graph/graph.hpp"

namespace gossip {

std::uint64_t graph_fingerprint(const Graph& g);

// 16 lower-case hex digits.
std::string fingerprint_hex(std::uint64_t f);

}  // namespace gossip
