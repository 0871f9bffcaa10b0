// Ligra adjacency graphs (Shun & Blelloch, PPoPP 2013; the format of Ligra's and GBBS's
// `AdjacencyGraph` inputs, also PBBS's): whitespace-separated numbers, the word
// "AdjacencyGraph", n, m, the n row offsets (0-based, non-decreasing, the first 0, none past m),
// then the m neighbour ids (0-based, below n); "WeightedAdjacencyGraph" adds m integer edge
// weights at the end (checked, ignored). Rows may be unsorted. The arcs are built as listed, then
// read as undirected (graph/symmetric.hpp: a directed Ligra graph is symmetrized, with a
// warning), or kept as arcs with directed. Numbers are parsed in parallel chunks cut at line
// boundaries; a chunk's first number's index comes from a count of the numbers before it.
#pragma once
#include <string>
#include <string_view>

#include "graph/csr.hpp"
#include "io/load_options.hpp"

namespace gossip::io {

CsrGraph load_ligra(std::string_view text, const std::string& path, const LoadOptions& opt, LoadNotes& notes);

}  // namespace gossip::io
