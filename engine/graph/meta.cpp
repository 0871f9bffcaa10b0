#include "graph/meta.hpp"

#include "core/parallel.hpp"
#include "graph/fingerprint.hpp"

namespace gossip {

GraphMeta graph_meta(const Graph& g, const std::string& source, bool scan) {
  GraphMeta m;
  m.source = source;
  visit_graph(g, [&](const auto& x) {
    using G = std::decay_t<decltype(x)>;
    m.n = x.num_nodes();
    m.edges = x.num_edges();
    m.arcs = x.num_arcs();
    m.directed = x.directed();
    if constexpr (has_rows<G>) {
      m.self_loops_dropped = x.counts().self_loops_dropped;
      m.duplicates_dropped = x.counts().duplicates_dropped;
      m.self_loops = x.counts().self_loops;
      m.original_id = x.original_ids();  // empty unless a file loader renumbered the ids
      if (scan)
        m.isolated = par::reduce_blocks(
          m.n, 1 << 16, std::uint64_t{0},
          [&](std::size_t, std::size_t lo, std::size_t hi) {
            std::uint64_t c = 0;
            for (std::size_t v = lo; v < hi; ++v) c += x.degree(static_cast<NodeId>(v)) == 0;
            return c;
          },
          [](std::uint64_t a, std::uint64_t b) { return a + b; });
    } else {
      m.isolated = m.n == 1;
    }
  });
  if (scan) m.fingerprint = graph_fingerprint(g);
  return m;
}

}  // namespace gossip
