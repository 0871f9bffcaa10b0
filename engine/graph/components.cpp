#include "graph/components.hpp"

#include <algorithm>
#include <atomic>
#include <vector>

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

// Points every node at its root (GAP's Compress).
void compress(Array<NodeId>& comp) {
  par::parallel_for(0, comp.size(), [&](std::size_t v) {
    NodeId c = load(comp, static_cast<NodeId>(v));
    while (c != load(comp, c)) c = load(comp, c);
    std::atomic_ref<NodeId>(comp[v]).store(c, std::memory_order_relaxed);
  });
}

// The most frequent label among kSamples nodes drawn by a fixed hash (Afforest's
// SampleFrequentElement): the giant component's, where there is one.
NodeId frequent_label(const Array<NodeId>& comp) {
  constexpr std::uint64_t kSamples = 1024;
  std::vector<NodeId> seen(kSamples);
  std::uint64_t x = 0x9e3779b97f4a7c15ull;
  for (NodeId& s : seen) {
    x += 0x9e3779b97f4a7c15ull;
    std::uint64_t z = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    s = comp[(z ^ (z >> 31)) % comp.size()];
  }
  std::sort(seen.begin(), seen.end());
  NodeId best = seen[0];
  std::size_t best_run = 0;
  for (std::size_t i = 0, j = 0; i < seen.size(); i = j) {
    while (j < seen.size() && seen[j] == seen[i]) ++j;
    if (j - i > best_run) best = seen[i], best_run = j - i;
  }
  return best;
}

}  // namespace

// Afforest: each node's first kRounds arcs are linked round by round, the forest compressed after
// each; then only the nodes outside the most frequent component link their remaining arcs (an
// undirected edge from the giant component to another is in the other node's row too). A
// directed graph's arc is in its tail's row only, so there every node links the rest. Each
// round's forest is a function of the arcs linked so far, so the sample and the labels do not
// depend on scheduling. er:n=1e7,d=8: 1.01-1.04 / 0.55 s at 1 / 2 threads; linking every edge
// without the sampling took 2.6-2.8 / 1.66-1.73 s (bench/README.md).
Array<NodeId> component_labels(const CsrGraph& g) {
  constexpr std::uint32_t kRounds = 2;
  const NodeId n = g.num_nodes();
  Array<NodeId> comp(n);
  par::parallel_for(0, n, [&](std::size_t v) { comp[v] = static_cast<NodeId>(v); });
  if (n == 0) return comp;
  for (std::uint32_t r = 0; r < kRounds; ++r) {
    par::for_blocks(n, 1024, [&](std::size_t, std::size_t lo, std::size_t hi) {
      for (std::size_t u = lo; u < hi; ++u)
        if (r < g.degree(static_cast<NodeId>(u))) link(comp, static_cast<NodeId>(u), g.neighbor(static_cast<NodeId>(u), r));
    });
    compress(comp);
  }
  const NodeId skip = g.directed() ? kNoNode : frequent_label(comp);
  par::for_blocks(n, 1024, [&](std::size_t, std::size_t lo, std::size_t hi) {
    for (std::size_t u = lo; u < hi; ++u) {
      if (load(comp, static_cast<NodeId>(u)) == skip) continue;
      const auto row = g.neighbors(static_cast<NodeId>(u));
      for (std::size_t i = kRounds; i < row.size(); ++i) link(comp, static_cast<NodeId>(u), row[i]);
    }
  });
  compress(comp);
  return comp;
}

ComponentSummary summarize_components(const CsrGraph& g) {
  const NodeId n = g.num_nodes();
  Array<NodeId> comp = component_labels(g);
  Array<NodeId> size(n);
  par::parallel_for(0, n, [&](std::size_t v) { size[v] = 0; });
  // A run of equal labels is added at once: one atomic add per run, not one per node on the
  // giant component's counter (which two threads' adds made a contended line).
  par::for_blocks(n, std::size_t{1} << 16, [&](std::size_t, std::size_t lo, std::size_t hi) {
    for (std::size_t v = lo; v < hi;) {
      const NodeId c = comp[v];
      std::size_t w = v + 1;
      while (w < hi && comp[w] == c) ++w;
      std::atomic_ref<NodeId>(size[c]).fetch_add(static_cast<NodeId>(w - v), std::memory_order_relaxed);
      v = w;
    }
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
