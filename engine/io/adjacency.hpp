// The last step of the adjacency-file loaders (io/metis.hpp, io/ligra.hpp). They build the arcs
// as listed with arc_options (duplicates kept when the graph will be read as undirected), and
// arcs_as_read keeps them with graph.directed, else reads them as undirected
// (graph/symmetric.hpp): as they are when symmetric without repeats, else symmetrized, with a
// warning when some arc had no reverse.
#pragma once
#include <fmt/format.h>

#include <string>
#include <string_view>

#include "core/memory.hpp"
#include "graph/symmetric.hpp"
#include "io/load_options.hpp"

namespace gossip::io {

inline BuildOptions arc_options(const LoadOptions& opt) {
  return BuildOptions{true, opt.keep_self_loops, opt.directed ? opt.keep_duplicates : true};
}

inline CsrGraph arcs_as_read(CsrGraph arcs, const std::string& path, const LoadOptions& opt, LoadNotes& notes,
                             std::string_view expectation) {
  if (opt.directed) return arcs;
  const ArcCheck check = check_arcs(arcs);
  if (check.symmetric && (check.repeated == 0 || opt.keep_duplicates)) {
    const BuildCounts c = arcs.counts();
    return std::move(arcs).read_as(false, {c.self_loops_dropped, 0, c.self_loops});
  }
  if (!check.symmetric)
    notes.warnings.push_back(fmt::format("{}: {} of {} arcs have no reverse arc ({}); the graph was symmetrized "
                                         "(graph.directed = true, --directed, keeps the arcs)",
                                         path, arcs_without_reverse(arcs), arcs.num_arcs(), expectation));
  require_memory(symmetrize_bytes(arcs.num_nodes(), arcs.num_arcs()), "the symmetrized CSR of " + path);
  return symmetrize(std::move(arcs), BuildOptions{false, opt.keep_self_loops, opt.keep_duplicates});
}

}  // namespace gossip::io
