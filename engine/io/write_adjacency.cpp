#include "io/write_adjacency.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "io/write_text.hpp"

namespace gossip::io {
namespace {
constexpr std::size_t kRows = std::size_t{1} << 14;
}

void write_metis(const CsrGraph& g, const std::string& path) {
  if (g.directed())
    throw UsageError("graph convert: a METIS file holds an undirected graph; this one is directed (write .adj or .gcsr)");
  if (g.counts().self_loops)
    throw UsageError(fmt::format("graph convert: a METIS file cannot hold self loops; this graph kept {} (write .adj or .gcsr)",
                                 g.counts().self_loops));
  AtomicOutput out(path);
  const std::string header = fmt::format("{} {}\n", g.num_nodes(), g.num_edges());
  out.write(header.data(), header.size());
  const std::size_t n = g.num_nodes();
  write_blocks(out, par::num_blocks(n, kRows), [&](std::size_t b, std::string& s) {
    for (std::size_t u = b * kRows; u < std::min(n, (b + 1) * kRows); ++u) {
      const auto row = g.neighbors(static_cast<NodeId>(u));
      for (std::size_t i = 0; i < row.size(); ++i) to_text(s, std::uint64_t{row[i]} + 1, i + 1 < row.size() ? ' ' : '\n');
      if (row.empty()) s += '\n';
    }
  });
  out.commit();
}

void write_ligra(const CsrGraph& g, const std::string& path) {
  AtomicOutput out(path);
  const std::string header = fmt::format("AdjacencyGraph\n{}\n{}\n", g.num_nodes(), g.num_arcs());
  out.write(header.data(), header.size());
  const std::size_t n = g.num_nodes();
  const auto off = g.offsets();
  write_blocks(out, par::num_blocks(n, kRows), [&](std::size_t b, std::string& s) {
    for (std::size_t u = b * kRows; u < std::min(n, (b + 1) * kRows); ++u) to_text(s, off[u], '\n');
  });
  const auto adj = g.adjacency();
  constexpr std::size_t kArcs = std::size_t{1} << 18;
  write_blocks(out, par::num_blocks(adj.size(), kArcs), [&](std::size_t b, std::string& s) {
    for (std::size_t e = b * kArcs; e < std::min(adj.size(), (b + 1) * kArcs); ++e) to_text(s, adj[e], '\n');
  });
  out.commit();
}

}  // namespace gossip::io
