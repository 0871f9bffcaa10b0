#include "graph/stats.hpp"

#include <algorithm>

#include "core/parallel.hpp"
#include "graph/components.hpp"

namespace gossip {
namespace {

struct DegreeRange {
  std::uint64_t lo = UINT64_MAX, hi = 0;
};

GraphStats stats_of(const CompleteGraph& g) {
  GraphStats s;
  s.n = g.num_nodes();
  s.edges = g.num_edges();
  s.arcs = g.num_arcs();
  s.degree_min = s.degree_max = g.degree(0);
  s.degree_mean = static_cast<double>(g.degree(0));
  s.isolated = s.n == 1 ? 1 : 0;
  s.components = s.n ? 1 : 0;
  s.largest_component = s.n;
  return s;
}

GraphStats stats_of(const CsrGraph& g) {
  GraphStats s;
  s.n = g.num_nodes();
  s.edges = g.num_edges();
  s.arcs = g.num_arcs();
  s.directed = g.directed();
  const DegreeRange d = par::reduce_blocks(
      s.n, std::size_t{1} << 16, DegreeRange{},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        DegreeRange r;
        for (std::size_t v = lo; v < hi; ++v) {
          const std::uint64_t deg = g.degree(static_cast<NodeId>(v));
          r.lo = std::min(r.lo, deg);
          r.hi = std::max(r.hi, deg);
        }
        return r;
      },
      [](DegreeRange a, DegreeRange b) { return DegreeRange{std::min(a.lo, b.lo), std::max(a.hi, b.hi)}; });
  s.degree_min = s.n ? d.lo : 0;
  s.degree_max = d.hi;
  s.degree_mean = s.n ? static_cast<double>(s.arcs) / static_cast<double>(s.n) : 0.0;
  s.self_loops_dropped = g.counts().self_loops_dropped;
  s.duplicates_dropped = g.counts().duplicates_dropped;
  s.self_loops = g.counts().self_loops;
  const ComponentSummary c = summarize_components(g);
  s.isolated = c.isolated;
  s.components = c.count;
  s.largest_component = c.largest;
  s.memory_bytes = g.memory_bytes();
  s.latencies = g.has_latencies();
  if (s.latencies && s.arcs > 0) {  // over arcs (an undirected edge counts both ways)
    struct LatencyRange {
      std::uint64_t lo = UINT64_MAX, hi = 0, sum = 0;
    };
    const auto lat = g.latencies();
    const LatencyRange l = par::reduce_blocks(
        lat.size(), std::size_t{1} << 16, LatencyRange{},
        [&](std::size_t, std::size_t lo, std::size_t hi) {
          LatencyRange r;
          for (std::size_t a = lo; a < hi; ++a) {
            r.lo = std::min<std::uint64_t>(r.lo, lat[a]);
            r.hi = std::max<std::uint64_t>(r.hi, lat[a]);
            r.sum += lat[a];
          }
          return r;
        },
        [](LatencyRange a, LatencyRange b) { return LatencyRange{std::min(a.lo, b.lo), std::max(a.hi, b.hi), a.sum + b.sum}; });
    s.latency_min = l.lo;
    s.latency_max = l.hi;
    s.latency_mean = static_cast<double>(l.sum) / static_cast<double>(s.arcs);
  }
  return s;
}

}  // namespace

GraphStats graph_stats(const Graph& g) {
  return visit_graph(g, [](const auto& concrete) { return stats_of(concrete); });
}

}  // namespace gossip
