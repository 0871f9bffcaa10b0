// METIS graph files (Karypis, "METIS 5.1.0 manual", section 4.1.1; the DIMACS-10 collection):
// '%' lines are comments; the header "n m [fmt [ncon]]" (fmt up to three 0/1 digits: vertex
// sizes, vertex weights, edge weights; ncon weights per vertex, default 1), then exactly n
// vertex lines, line i listing vertex i's neighbours (1-based; an empty line is a vertex
// without any), each line "[size] [w_1 .. w_ncon] (neighbour [edge weight])*". Every edge is
// listed at both ends, so the neighbour entries number 2m; a self loop (METIS refuses them) is
// not in m and counts as often as it is listed. Weights are checked as unsigned integers and
// ignored (the gossip model is unweighted). Arcs are built as listed and then read as
// undirected (io/adjacency.hpp: an arc without its reverse makes a warning and is symmetrized),
// or kept as arcs with directed. Lines are parsed in parallel chunks like edge
// lists (io/edge_list.hpp); a chunk's first vertex comes from a count of the lines before it.
#pragma once
#include <string>
#include <string_view>

#include "graph/csr.hpp"
#include "io/load_options.hpp"

namespace gossip::io {

CsrGraph load_metis(std::string_view text, const std::string& path, const LoadOptions& opt, LoadNotes& notes);

}  // namespace gossip::io
