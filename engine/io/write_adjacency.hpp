// Writes a CSR graph as a METIS graph file or a Ligra AdjacencyGraph (the formats io/metis.hpp
// and io/ligra.hpp read), atomically (io/atomic_output.hpp), so reading the file back gives the
// same CSR. METIS holds undirected graphs without self loops: a directed graph or kept self
// loops are a UsageError. Ligra holds any CSR (an undirected graph as both arcs of each edge).
// Neither keeps original ids: the caller warns when the graph was renumbered.
#pragma once
#include <string>

#include "graph/csr.hpp"

namespace gossip::io {

void write_metis(const CsrGraph& g, const std::string& path);
void write_ligra(const CsrGraph& g, const std::string& path);

}  // namespace gossip::io
