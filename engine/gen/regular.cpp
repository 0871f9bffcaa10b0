// regular:n,d: a random simple d-regular graph. Pairing model (Bollobas 1980): stub s belongs to
// node s / d, and a uniform random permutation of the n*d stubs, paired consecutively, is a uniform
// perfect matching; row v is exactly the slots v*d .. v*d+d-1, so stub s's partner fills slot s.
// Loops and multi-edges (O(d^2) expected) are removed by random double-edge switchings (McKay &
// Wormald 1990), serially: the result is asymptotically, not exactly, uniform. For d > (n-1)/2 the
// complement of a random (n-1-d)-regular graph is returned (a bijection, so no bias added; d = n-1
// is K_n). Every draw is keyed by (seed, phase, block | bucket | attempt), never by a thread, so
// the CSR is bit-identical for any thread count.
#include <algorithm>
#include <bit>
#include <span>
#include <string>
#include <vector>

#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "gen/common.hpp"
#include "gen/families.hpp"

namespace gossip::gen {
namespace {

enum Phase : std::uint64_t { kBucketDraws = 1, kBucketShuffle, kRepair };
constexpr std::uint64_t kRounds = 64;  // fresh pairings tried before giving up

// Items below 2^48 (blocks, buckets, attempts); a round restarts from a fresh pairing.
Rng::Stream stream(std::uint64_t seed, Phase phase, std::uint64_t round, std::uint64_t item) {
  return gen_stream(seed, kTagRegular, std::uint64_t{phase} << 56 | round << 48 | item);
}

// Buckets of 2^15 .. 2^16 stubs (L2-resident shuffles; larger past 4096 buckets) and at most 1024
// stub blocks, so the (bucket, block) count matrix stays below 4M entries. Both depend on the stub
// count alone.
struct Layout {
  std::uint64_t buckets;
  Blocks blocks;
  explicit Layout(std::uint64_t stubs)
      : buckets(std::bit_floor(std::clamp<std::uint64_t>(stubs >> 15, 1, 4096))),
        blocks{stubs, std::max<std::uint64_t>(1 << 18, (stubs + 1023) / 1024)} {}
};

// Temporary bytes of the pairing: the permutation and the count matrix.
std::uint64_t pairing_bytes(std::uint64_t stubs) {
  const Layout l(stubs);
  return (stubs <= UINT32_MAX ? 4 : 8) * stubs + 8 * l.buckets * l.blocks.count();
}

// Rows of a block: about 2^16 entries whatever d is.
std::size_t rows_per_block(std::uint64_t d) {
  return std::max<std::uint64_t>(1, (1 << 16) / std::max<std::uint64_t>(d, 1));
}

// f(s, bucket) for the stubs s of block k. The bucket count is a power of two <= 2^16, so the top
// bits of each 16-bit half of a draw are a uniform bucket: one 32-bit draw serves two stubs.
template <class F>
void for_stub_buckets(const Layout& l, std::uint64_t seed, std::uint64_t round, std::size_t k,
                      F&& f) {
  auto rng = stream(seed, kBucketDraws, round, k);
  const int shift = 16 - std::countr_zero(l.buckets);
  std::uint32_t word = 0;
  for (std::uint64_t s = l.blocks.lo(k); s < l.blocks.hi(k); ++s) {
    word = (s - l.blocks.lo(k)) % 2 ? word << 16 : rng.next_u32();
    f(s, word >> 16 >> shift);
  }
}

// A uniform permutation of 0 .. stubs-1: each stub draws a bucket, a stable counting sort groups
// the buckets, each bucket is Fisher-Yates shuffled. Given the bucket sizes, every bucket holds a
// uniform random subset in uniform order, so the whole permutation is uniform.
template <class Idx>
Array<Idx> shuffled_stubs(std::uint64_t stubs, std::uint64_t seed, std::uint64_t round) {
  const Layout l(stubs);
  const std::size_t nb = l.blocks.count();
  const auto nbuckets = static_cast<std::uint32_t>(l.buckets);
  // Bucket-major (bucket, block) counts; scanned, the first slot of each.
  Array<std::uint64_t> start(nbuckets * nb);
  par::for_blocks(nb, 1, [&](std::size_t k, std::size_t, std::size_t) {
    std::vector<std::uint64_t> count(nbuckets, 0);
    for_stub_buckets(l, seed, round, k, [&](std::uint64_t, std::uint32_t b) { ++count[b]; });
    for (std::size_t b = 0; b < nbuckets; ++b) start[b * nb + k] = count[b];
  });
  par::exclusive_scan(start.data(), start.size());
  Array<Idx> perm(stubs);
  par::for_blocks(nb, 1, [&](std::size_t k, std::size_t, std::size_t) {
    std::vector<std::uint64_t> next(nbuckets);
    for (std::size_t b = 0; b < nbuckets; ++b) next[b] = start[b * nb + k];
    for_stub_buckets(l, seed, round, k, [&](std::uint64_t s, std::uint32_t b) {
      perm[next[b]++] = static_cast<Idx>(s);
    });
  });
  par::for_blocks(nbuckets, 1, [&](std::size_t b, std::size_t, std::size_t) {
    const std::uint64_t lo = start[b * nb], hi = b + 1 < nbuckets ? start[(b + 1) * nb] : stubs;
    auto rng = stream(seed, kBucketShuffle, round, b);
    for (std::uint64_t i = hi - lo; i > 1; --i)
      std::swap(perm[lo + i - 1], perm[lo + rng.below64(i)]);
  });
  return perm;
}

// The pairing model's multigraph as n rows of d (loops stored twice), unsorted.
template <class Idx>
Array<NodeId> paired_rows(std::uint64_t stubs, NodeId d, std::uint64_t seed, std::uint64_t round) {
  const Array<Idx> perm = shuffled_stubs<Idx>(stubs, seed, round);
  Array<NodeId> adj(stubs);
  const Idx dd = d;
  par::for_blocks(stubs / 2, 1 << 16, [&](std::size_t, std::size_t lo, std::size_t hi) {
    for (std::size_t i = lo; i < hi; ++i) {
      const Idx a = perm[2 * i], b = perm[2 * i + 1];
      adj[a] = static_cast<NodeId>(b / dd);
      adj[b] = static_cast<NodeId>(a / dd);
    }
  });
  return adj;
}

// Short rows (the common case) sort by rank counting: branch-free, where insertion sort would
// mispredict on almost every random element.
void sort_row(NodeId* row, NodeId d) {
  if (d > 16) return std::sort(row, row + d);
  NodeId sorted[16];
  for (NodeId i = 0; i < d; ++i) {
    NodeId rank = 0;
    for (NodeId j = 0; j < d; ++j) rank += row[j] < row[i] || (row[j] == row[i] && j < i);
    sorted[rank] = row[i];
  }
  std::copy(sorted, sorted + d, row);
}

// Sorts each row and lists one entry per surplus edge copy, in row order: each loop, and each
// multi-edge's copies beyond the first (listed from its smaller end).
std::vector<Edge> sort_rows_list_surplus(Array<NodeId>& adj, NodeId n, NodeId d) {
  const std::size_t per = rows_per_block(d);
  std::vector<std::vector<Edge>> parts(par::num_blocks(n, per));
  par::for_blocks(n, per, [&](std::size_t k, std::size_t lo, std::size_t hi) {
    for (std::size_t u = lo; u < hi; ++u) {
      NodeId* row = adj.data() + u * d;
      sort_row(row, d);
      for (NodeId i = 0, j = 0; i < d; i = j) {
        for (j = i + 1; j < d && row[j] == row[i]; ++j) {}
        const NodeId w = row[i], run = j - i;
        const NodeId extra = w == u ? run / 2 : w > u ? run - 1 : 0;
        if (extra) parts[k].insert(parts[k].end(), extra, Edge{static_cast<NodeId>(u), w});
      }
    }
  });
  std::vector<Edge> all;
  for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

// Replaces one `from` by `to` (absent) in a sorted row, keeping it sorted.
void replace_sorted(std::span<NodeId> row, NodeId from, NodeId to) {
  NodeId* p = std::lower_bound(row.data(), row.data() + row.size(), from);
  NodeId* q = std::lower_bound(row.data(), row.data() + row.size(), to);
  if (p < q) {
    std::move(p + 1, q, p);
    q[-1] = to;
  } else {
    std::move_backward(q, p, p + 1);
    *q = to;
  }
}

// Switches each surplus edge {u,v} with a uniform random edge {x,y} into {u,x},{v,y}, redrawing
// while that would make a loop or an existing edge. Accepted switches only create new edges, so
// a later list entry can only have become stale (another switch took that copy away). False when
// an entry stalls: some tiny multigraphs have no valid switch (n = 5, d = 2, all loops).
bool repair(Array<NodeId>& adj, NodeId n, NodeId d, std::uint64_t seed, std::uint64_t round) {
  const std::vector<Edge> bad = sort_rows_list_surplus(adj, n, d);
  const std::uint64_t stubs = std::uint64_t{n} * d, stall = 1000 + 20 * stubs;
  const std::uint64_t cap = 1000 * (bad.size() + 1) + 1'000'000;
  auto row = [&](NodeId v) { return std::span<NodeId>(adj.data() + std::uint64_t{v} * d, d); };
  auto has = [&](NodeId v, NodeId w) { return std::ranges::binary_search(row(v), w); };
  std::uint64_t attempt = 0;
  for (const auto [u, v] : bad) {
    if (std::ranges::equal_range(row(u), v).size() < 2) continue;
    for (std::uint64_t tries = 0;; ++tries) {
      if (attempt == cap || tries == stall) return false;
      auto rng = stream(seed, kRepair, round, attempt++);
      const std::uint64_t a = rng.below64(stubs);
      const auto x = static_cast<NodeId>(a / d), y = adj[a];
      if (x == u || y == v || (u == v && x == y) || has(u, x) || has(v, y)) continue;
      replace_sorted(row(u), v, x);
      replace_sorted(row(v), u, y);
      replace_sorted(row(x), y, u);
      replace_sorted(row(y), x, v);
      break;
    }
  }
  return true;
}

// Sorted rows of a random simple d-regular graph, d <= (n-1)/2.
Array<NodeId> random_rows(NodeId n, NodeId d, std::uint64_t seed, const Params& p) {
  const std::uint64_t stubs = std::uint64_t{n} * d;
  if (stubs == 0) return {};
  for (std::uint64_t round = 0; round < kRounds; ++round) {
    Array<NodeId> adj = stubs <= UINT32_MAX ? paired_rows<std::uint32_t>(stubs, d, seed, round)
                                            : paired_rows<std::uint64_t>(stubs, d, seed, round);
    if (repair(adj, n, d, seed, round)) return adj;
  }
  p.fail("could not remove multi-edges for n = " + std::to_string(n) +
         ", d = " + std::to_string(d) + "; use a smaller d");
}

// Rows of the complement of a graph with sorted rows of length ds.
Array<NodeId> complement_rows(const Array<NodeId>& sparse, NodeId n, NodeId ds) {
  const NodeId d = n - 1 - ds;
  Array<NodeId> adj(std::uint64_t{n} * d);
  par::for_blocks(n, rows_per_block(n), [&](std::size_t, std::size_t lo, std::size_t hi) {
    for (std::size_t v = lo; v < hi; ++v) {
      const NodeId* s = sparse.data() + v * ds;
      const NodeId* s_end = s + ds;
      NodeId* out = adj.data() + v * d;
      for (NodeId w = 0; w < n; ++w) {
        if (s != s_end && *s == w) ++s;
        else if (w != v) *out++ = w;
      }
    }
  });
  return adj;
}

}  // namespace

Graph make_regular(const GenSpec& spec, const GenOptions& opt) {
  const Params p(spec, {"n", "d"});
  const NodeId n = p.nodes("n");
  if (p.count("d") >= n) p.fail_value("d", "below n = " + std::to_string(n));
  const auto d = static_cast<NodeId>(p.count("d"));
  if (std::uint64_t{n} * d % 2)
    p.fail("n * d must be even, got n = " + std::to_string(n) + ", d = " + std::to_string(d));
  const bool dense = 2ull * d > n - 1ull;
  const NodeId ds = dense ? n - 1 - d : d;  // the degree the pairing model builds
  const std::uint64_t stubs = std::uint64_t{n} * d, sparse_stubs = std::uint64_t{n} * ds;
  // Offsets, the rows, the pairing's temporaries, and the sparse rows when complementing.
  require_memory(8 * (n + 1ull) + 4 * stubs + pairing_bytes(sparse_stubs) +
                     (dense ? 4 * sparse_stubs : 0),
                 "the graph " + spec.text);

  Array<NodeId> adj = random_rows(n, ds, opt.seed, p);
  if (dense) adj = complement_rows(adj, n, ds);
  Array<EdgeIdx> offsets(n + 1ull);
  par::parallel_for(0, n + 1ull, [&](std::size_t v) { offsets[v] = v * d; });
  return CsrGraph(std::move(offsets), std::move(adj), false, {});
}

}  // namespace gossip::gen
