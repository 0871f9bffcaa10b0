// An adjacency file (METIS, Ligra) lists every row of a graph, so an undirected graph arrives
// with both directions of each edge already present. Its loader builds the arcs as listed
// (directed, duplicates kept: no mirrored copies, so no false "duplicates") and then reads them
// as undirected (io/adjacency.hpp): as they are when the arc multiset is symmetric and has no
// repeats, otherwise through symmetrize (the graph-input policy for undirected use of directed
// input), which also drops and counts duplicates as an edge list's build does.
#pragma once
#include <cstdint>

#include "graph/build.hpp"
#include "graph/csr.hpp"

namespace gossip {

// One sequential pass over a sorted CSR: whether every arc u -> v has as many copies of v -> u
// (a checksum modulo 2^61 - 1 with a random key: a symmetric graph always passes, any other
// fails but by a chance of about 2^-61 that no input can aim at), and how many arcs repeat their
// predecessor.
struct ArcCheck {
  bool symmetric = false;
  std::uint64_t repeated = 0;
};
ArcCheck check_arcs(const CsrGraph& g);

// Arcs u -> v (u != v) without a reverse copy: for each pair, copies of u -> v beyond those of
// v -> u. Exact (one row search per distinct arc): for the loader's warning.
std::uint64_t arcs_without_reverse(const CsrGraph& g);

// The undirected graph of `arcs` (sorted, duplicates kept): each pair {u, v} as many times as
// the more frequent of its two directions (then, unless opt.keep_duplicates, once; the rest
// counted as duplicates, once per edge), each self loop as listed. A second CSR: the caller checks
// memory for it (symmetrize_bytes); `arcs` is released when it is built.
CsrGraph symmetrize(CsrGraph arcs, const BuildOptions& opt);

// Bytes symmetrize needs beside `arcs`.
inline std::uint64_t symmetrize_bytes(std::uint64_t n, std::uint64_t arcs) { return csr_build_bytes(n, 2 * arcs); }

}  // namespace gossip
