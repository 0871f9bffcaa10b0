// Writes a CSR graph as a plain edge list ("u v\n" per line, no header: GAP's `.el` reader and
// SNAP tools read it as is), atomically (io/atomic_output.hpp). Ids are the original ids when
// the graph was renumbered, so reading the file back gives the same CSR and original ids. An
// undirected edge is written once (u <= v); a directed arc as it is. Isolated nodes cannot be
// expressed in an edge list: the caller warns about them.
#pragma once
#include <string>

#include "graph/csr.hpp"

namespace gossip::io {

void write_edge_list(const CsrGraph& g, const std::string& path);

}  // namespace gossip::io
