// The two replay passes of build_csr (template part); the rest is in build.cpp.
#pragma once
#include <atomic>
#include <type_traits>
#include <vector>

#include "core/parallel.hpp"
#include "graph/build.hpp"

namespace gossip {

namespace detail {
// Replays block b in batches of edges and hands each edge to f, prefetching the per-node entries
// `touch(u, v)` names a few edges ahead: the scattered counter updates then overlap their cache
// misses instead of waiting for each in turn.
struct WeightedEdge {
  NodeId u, v;
  Latency w;
};

// f(u, v, w) for each edge (w = 0 from a source without latencies).
template <class Source, class Touch, class F>
void replay_prefetched(const Source& src, std::size_t b, Touch&& touch, F&& f) {
  constexpr std::size_t kBatch = 1024, kAhead = 16;
  constexpr bool weighted = is_weighted_source<Source>;
  using Rec = std::conditional_t<weighted, WeightedEdge, Edge>;
  thread_local std::vector<Rec> batch;
  auto flush = [&] {
    const std::size_t m = batch.size();
    for (std::size_t i = 0; i < m; ++i) {
      if (i + kAhead < m) touch(batch[i + kAhead].u, batch[i + kAhead].v);
      if constexpr (weighted)
        f(batch[i].u, batch[i].v, batch[i].w);
      else
        f(batch[i].u, batch[i].v, Latency{0});
    }
    batch.clear();
  };
  batch.clear();
  if constexpr (weighted) {
    src.block(b, [&](NodeId u, NodeId v, Latency w) {
      batch.push_back({u, v, w});
      if (batch.size() == kBatch) flush();
    });
  } else {
    src.block(b, [&](NodeId u, NodeId v) {
      batch.push_back({u, v});
      if (batch.size() == kBatch) flush();
    });
  }
  flush();
}
}  // namespace detail

template <EdgeSource Source>
CsrGraph build_csr(const Source& src, const BuildOptions& opt) {
  const NodeId n = src.num_nodes();
  const std::size_t nb = src.num_blocks();
  Array<EdgeIdx> offsets(std::size_t{n} + 1);
  detail::zero_fill(offsets);
  auto bump = [&](NodeId v) {
    return std::atomic_ref<EdgeIdx>(offsets[v]).fetch_add(1, std::memory_order_relaxed);
  };

  const bool both = !opt.directed;
  auto touch = [&](NodeId u, NodeId v) {
    if (u < n) __builtin_prefetch(&offsets[u], 1);
    if (both && v < n) __builtin_prefetch(&offsets[v], 1);
  };

  std::atomic<bool> bad{false};
  Edge bad_edge{};
  const std::uint64_t loops = par::reduce_blocks(
      nb, 1, std::uint64_t{0},
      [&](std::size_t b, std::size_t, std::size_t) {
        std::uint64_t dropped = 0;
        detail::replay_prefetched(src, b, touch, [&](NodeId u, NodeId v, Latency) {
          if (u >= n || v >= n) {
            if (!bad.exchange(true)) bad_edge = {u, v};
            return;
          }
          if (u == v && !opt.keep_self_loops) {
            ++dropped;
            return;
          }
          bump(u);
          if (!opt.directed && u != v) bump(v);
        });
        return dropped;
      },
      [](std::uint64_t a, std::uint64_t b) { return a + b; });
  if (bad) detail::throw_bad_endpoint(bad_edge.u, bad_edge.v, n);

  const std::uint64_t arcs = detail::degrees_to_offsets(offsets);
  Array<NodeId> neighbors(arcs);
  constexpr bool weighted = is_weighted_source<Source>;
  Array<Latency> latencies(weighted ? arcs : 0);
  par::for_blocks(nb, 1, [&](std::size_t b, std::size_t, std::size_t) {
    detail::replay_prefetched(src, b, touch, [&](NodeId u, NodeId v, Latency w) {
      if (u == v && !opt.keep_self_loops) return;
      const EdgeIdx a = bump(u);
      neighbors[a] = v;
      if constexpr (weighted) latencies[a] = w;
      if (!opt.directed && u != v) {
        const EdgeIdx b2 = bump(v);
        neighbors[b2] = u;
        if constexpr (weighted) latencies[b2] = w;
      }
    });
  });
  detail::cursors_to_offsets(offsets);
  return detail::finish_csr(std::move(offsets), std::move(neighbors), opt, loops, std::move(latencies), weighted);
}

}  // namespace gossip
