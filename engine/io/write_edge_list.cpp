#include "io/write_edge_list.hpp"

#include "io/write_text.hpp"

namespace gossip::io {

void write_edge_list(const CsrGraph& g, const std::string& path) {
  AtomicOutput out(path);
  const auto ids = g.original_ids();
  auto name = [&](NodeId v) { return ids.empty() ? std::uint64_t{v} : ids[v]; };
  constexpr std::size_t kRows = std::size_t{1} << 14;
  const std::size_t n = g.num_nodes();
  write_blocks(out, par::num_blocks(n, kRows), [&](std::size_t b, std::string& s) {
    for (std::size_t u = b * kRows; u < std::min(n, (b + 1) * kRows); ++u)
      for (NodeId i = 0; i < g.degree(static_cast<NodeId>(u)); ++i) {
        const NodeId v = g.neighbor(static_cast<NodeId>(u), i);
        if (!g.directed() && v < u) continue;
        to_text(s, name(static_cast<NodeId>(u)), ' ');
        if (!g.has_latencies()) {
          to_text(s, name(v), '\n');
          continue;
        }
        to_text(s, name(v), ' ');  // the latency in column 3 (read back with graph.latency = column:3)
        to_text(s, g.latency(static_cast<NodeId>(u))[i], '\n');
      }
  });
  out.commit();
}

}  // namespace gossip::io
