// An adjacency file (METIS, Ligra) lists every row of a graph, so an undirected graph arrives
// with both directions of each edge already present. Its loader builds the arcs as given
// (directed: no mirrored copies, so no false "duplicates") and then reads them as undirected:
// as they are when every arc has its reverse, otherwise symmetrized (the graph-input policy for
// undirected use of directed input), telling the caller how many arcs had no reverse.
#pragma once
#include <cstdint>

#include "graph/build.hpp"
#include "graph/csr.hpp"

namespace gossip {

// Arcs u -> v (u != v) of a sorted CSR whose reverse v -> u is missing: 0 from one sequential
// pass when a checksum over the arcs says the graph is symmetric (wrong only by a chance of
// about 2^-64), else counted by looking each reverse up.
std::uint64_t arcs_without_reverse(const CsrGraph& g);

// `arcs` (built with directed = true and opt's self-loop and duplicate rules) as an undirected
// graph; `unmatched` = arcs_without_reverse(arcs). Symmetric input keeps its arrays (a duplicate
// counted once per edge); otherwise the symmetrization is built, a second CSR (the caller checks
// memory for it: symmetrize_bytes), and `arcs` is released after.
CsrGraph undirected_from_arcs(CsrGraph arcs, const BuildOptions& opt, std::uint64_t unmatched);

// Extra bytes undirected_from_arcs needs when the input is not symmetric.
inline std::uint64_t symmetrize_bytes(std::uint64_t n, std::uint64_t arcs) { return csr_build_bytes(n, 2 * arcs); }

}  // namespace gossip
