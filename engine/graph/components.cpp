#include "graph/components.hpp"

#include <algorithm>
#include <atomic>

#include "core/parallel.hpp"

namespace gossip {
namespace {

NodeId load(Array<NodeId>& comp, NodeId v) {
  return std::atomic_ref<NodeId>(comp[v]).load(std::memory_order_relaxed);
}

// Hooks the larger of the two roots under the smaller (Afforest's Link).
void link(Array<NodeId>& comp, NodeId u, NodeId v) {
  NodeId p1 = load(comp, u), p2 = load(comp, v);
  while (p1 != p2) {
    const NodeId high = std::max(p1, p2), low = std::min(p1, p2);
    NodeId p_high = load(comp, high);
    if (p_high == low) break;
    if (p_high == high &&
        std::atomic_ref<NodeId>(comp[high]).compare_exchange_strong(p_high, low, std::memory_order_relaxed))
      break;
    p1 = load(comp, load(comp, high));
    p2 = load(comp, low);
  }
}

}  // namespace

Array<NodeId> component_labels(const CsrGraph& g) {
  const NodeId n = g.num_nodes();
  Array<NodeId> comp(n);
  par::parallel_for(0, n, [&](std::size_t v) { comp[v] = static_cast<NodeId>(v); });
  par::for_blocks(n, 1024, [&](std::size_t, std::size_t lo, std::size_t hi) {
    for (std::size_t u = lo; u < hi; ++u)
      for (NodeId v : g.neighbors(static_cast<NodeId>(u)))
        if (g.directed() || v > u) link(comp, static_cast<NodeId>(u), v);
  });
  par::parallel_for(0, n, [&](std::size_t v) {
    NodeId c = load(comp, static_cast<NodeId>(v));
    while (c != load(comp, c)) c = load(comp, c);
    std::atomic_ref<NodeId>(comp[v]).store(c, std::memory_order_relaxed);
  });
  return comp;
}

ComponentSummary summarize_components(const CsrGraph& g) {
  const NodeId n = g.num_nodes();
  Array<NodeId> comp = component_labels(g);
  Array<NodeId> size(n);
  par::parallel_for(0, n, [&](std::size_t v) { size[v] = 0; });
  par::parallel_for(0, n, [&](std::size_t v) {
    std::atomic_ref<NodeId>(size[comp[v]]).fetch_add(1, std::memory_order_relaxed);
  });
  return par::reduce_blocks(
      n, std::size_t{1} << 16, ComponentSummary{},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        ComponentSummary s;
        for (std::size_t v = lo; v < hi; ++v) {
          if (comp[v] != v) continue;
          ++s.count;
          s.largest = std::max<std::uint64_t>(s.largest, size[v]);
          if (size[v] == 1 && g.degree(static_cast<NodeId>(v)) == 0) ++s.isolated;
        }
        return s;
      },
      [](ComponentSummary a, ComponentSummary b) {
        return ComponentSummary{a.count + b.count, std::max(a.largest, b.largest), a.isolated + b.isolated};
      });
}

}  // namespace gossip
