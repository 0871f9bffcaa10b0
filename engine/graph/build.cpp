// The non-template steps of build_csr: prefix sums, and per-row sort, dedup and compaction.
#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "graph/build.hpp"

namespace gossip::detail {

namespace {
constexpr std::size_t kRowBlock = 4096;  // rows per dynamically scheduled block

struct RowTally {
  std::uint64_t duplicates = 0;
  std::uint64_t loops = 0;
  std::uint64_t kept = 0;
  RowTally operator+(const RowTally& o) const {
    return {duplicates + o.duplicates, loops + o.loops, kept + o.kept};
  }
};
}  // namespace

void zero_fill(Array<EdgeIdx>& a) {
  par::parallel_for(0, a.size(), [&](std::size_t i) { a[i] = 0; });
}

std::uint64_t degrees_to_offsets(Array<EdgeIdx>& offsets) {
  const std::size_t n = offsets.size() - 1;
  const EdgeIdx max_deg = par::reduce_blocks(
      n, std::size_t{1} << 16, EdgeIdx{0},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        EdgeIdx m = 0;
        for (std::size_t i = lo; i < hi; ++i) m = std::max(m, offsets[i]);
        return m;
      },
      [](EdgeIdx a, EdgeIdx b) { return std::max(a, b); });
  if (max_deg > kNoNode)
    throw ResourceError("a node has " + std::to_string(max_deg) +
                        " arcs; degrees are limited to 2^32 - 1");
  offsets[n] = 0;
  return par::exclusive_scan(offsets.data(), n + 1);
}

void cursors_to_offsets(Array<EdgeIdx>& offsets) {
  const std::size_t n = offsets.size() - 1;
  std::memmove(offsets.data() + 1, offsets.data(), n * sizeof(EdgeIdx));
  offsets[0] = 0;
}

void throw_bad_endpoint(NodeId u, NodeId v, NodeId n) {
  throw std::logic_error("edge (" + std::to_string(u) + ", " + std::to_string(v) +
                         ") names a node >= n = " + std::to_string(n));
}

namespace {
// Sorts row [first, last) of neighbors with its latencies by (neighbor, latency), so that of
// duplicate arcs the first, the one kept, has the smallest latency.
void sort_row(NodeId* first, NodeId* last, Latency* lat) {
  if (!lat) return std::sort(first, last);
  thread_local std::vector<std::uint64_t> pairs;
  const std::size_t m = static_cast<std::size_t>(last - first);
  pairs.resize(m);
  for (std::size_t i = 0; i < m; ++i) pairs[i] = (std::uint64_t{first[i]} << 32) | lat[i];
  std::sort(pairs.begin(), pairs.end());
  for (std::size_t i = 0; i < m; ++i) {
    first[i] = static_cast<NodeId>(pairs[i] >> 32);
    lat[i] = static_cast<Latency>(pairs[i]);
  }
}
}  // namespace

CsrGraph finish_csr(Array<EdgeIdx> offsets, Array<NodeId> neighbors, const BuildOptions& opt,
                    std::uint64_t self_loops_dropped, Array<Latency> latencies, bool weighted) {
  const std::size_t n = offsets.size() - 1;
  const bool lat = weighted && !latencies.empty();
  Array<NodeId> kept(n);
  // Sort each row; drop repeats, counting an undirected duplicate once (in the row of its
  // smaller endpoint); count kept self loops.
  const RowTally tally = par::reduce_blocks(
      n, kRowBlock, RowTally{},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        RowTally t;
        for (std::size_t u = lo; u < hi; ++u) {
          NodeId* first = neighbors.data() + offsets[u];
          NodeId* last = neighbors.data() + offsets[u + 1];
          Latency* row_lat = lat ? latencies.data() + offsets[u] : nullptr;
          sort_row(first, last, row_lat);
          NodeId* out = first;
          for (NodeId* p = first; p != last; ++p) {
            if (!opt.keep_duplicates && out != first && *p == out[-1]) {
              if (opt.directed || *p >= u) ++t.duplicates;
              continue;
            }
            if (*p == u) ++t.loops;
            if (row_lat) row_lat[out - first] = row_lat[p - first];
            *out++ = *p;
          }
          kept[u] = static_cast<NodeId>(out - first);
          t.kept += kept[u];
        }
        return t;
      },
      [](RowTally a, RowTally b) { return a + b; });

  if (tally.kept != neighbors.size()) {
    // Compact: first each block of rows to its own start (parallel, stays inside the block's
    // old range), then the blocks leftwards in order (serial memmove, one pass over the data).
    const std::size_t nb = par::num_blocks(n, kRowBlock);
    std::vector<EdgeIdx> block_start(nb);
    par::for_blocks(n, kRowBlock, [&](std::size_t b, std::size_t lo, std::size_t hi) {
      block_start[b] = offsets[lo];
      EdgeIdx pos = offsets[lo];
      for (std::size_t u = lo; u < hi; ++u) {
        std::memmove(neighbors.data() + pos, neighbors.data() + offsets[u], kept[u] * sizeof(NodeId));
        if (lat) std::memmove(latencies.data() + pos, latencies.data() + offsets[u], kept[u] * sizeof(Latency));
        pos += kept[u];
      }
    });
    par::parallel_for(0, n, [&](std::size_t u) { offsets[u] = kept[u]; });
    offsets[n] = 0;
    const EdgeIdx arcs = par::exclusive_scan(offsets.data(), n + 1);
    for (std::size_t b = 0; b < nb; ++b) {
      const std::size_t lo = b * kRowBlock, hi = std::min(n, lo + kRowBlock);
      std::memmove(neighbors.data() + offsets[lo], neighbors.data() + block_start[b],
                   (offsets[hi] - offsets[lo]) * sizeof(NodeId));
      if (lat)
        std::memmove(latencies.data() + offsets[lo], latencies.data() + block_start[b],
                     (offsets[hi] - offsets[lo]) * sizeof(Latency));
    }
    neighbors.shrink(arcs);
    if (lat) latencies.shrink(arcs);
  }
  BuildCounts counts{self_loops_dropped, tally.duplicates, tally.loops};
  CsrGraph g(std::move(offsets), std::move(neighbors), opt.directed, counts);
  if (weighted) g.set_latencies(std::move(latencies));
  return g;
}

}  // namespace gossip::detail
