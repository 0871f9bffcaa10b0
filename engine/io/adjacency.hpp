// The last step of the adjacency-file loaders (io/metis.hpp, io/ligra.hpp): the arcs as the file
// listed them, kept with graph.directed, else read as undirected (graph/symmetric.hpp), with a
// warning when some arc had no reverse and the graph was symmetrized.
#pragma once
#include <fmt/format.h>

#include <string>
#include <string_view>

#include "core/memory.hpp"
#include "graph/symmetric.hpp"
#include "io/load_options.hpp"

namespace gossip::io {

inline CsrGraph arcs_as_read(CsrGraph arcs, const std::string& path, const LoadOptions& opt, LoadNotes& notes,
                             std::string_view expectation) {
  if (opt.directed) return arcs;
  const std::uint64_t unmatched = arcs_without_reverse(arcs);
  if (unmatched) {
    require_memory(symmetrize_bytes(arcs.num_nodes(), arcs.num_arcs()), "the symmetrized CSR of " + path);
    notes.warnings.push_back(fmt::format("{}: {} of {} arcs have no reverse arc ({}); the graph was symmetrized "
                                         "(graph.directed = true, --directed, keeps the arcs)",
                                         path, unmatched, arcs.num_arcs(), expectation));
  }
  return undirected_from_arcs(std::move(arcs), BuildOptions{false, opt.keep_self_loops, opt.keep_duplicates},
                              unmatched);
}

}  // namespace gossip::io
