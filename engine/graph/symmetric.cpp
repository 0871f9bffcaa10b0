#include "graph/symmetric.hpp"

#include <algorithm>

#include "core/parallel.hpp"

namespace gossip {
namespace {

constexpr std::size_t kRows = 1 << 14;

bool has_arc(const CsrGraph& g, NodeId from, NodeId to) {
  const auto row = g.neighbors(from);
  return std::binary_search(row.begin(), row.end(), to);
}

// Every arc u -> v adds +mix(u, v) if u < v and -mix(v, u) if u > v: a symmetric graph sums to
// exactly 0, in one sequential pass; a graph with an arc missing its reverse to a sum of random
// 64-bit terms, 0 only by a chance of about 2^-64. (Looking every reverse up directly, one random
// row search per arc, was half of loading a 120 M-arc METIS file.)
bool symmetric_by_sum(const CsrGraph& g) {
  auto mix = [](std::uint64_t x) {  // splitmix64's finalizer
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  };
  const std::uint64_t sum = par::reduce_blocks(
      g.num_nodes(), kRows, std::uint64_t{0},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        std::uint64_t s = 0;
        for (std::size_t x = lo; x < hi; ++x) {
          const auto u = static_cast<NodeId>(x);
          for (NodeId v : g.neighbors(u)) {
            if (u < v) s += mix(std::uint64_t{u} << 32 | v);
            if (u > v) s -= mix(std::uint64_t{v} << 32 | u);
          }
        }
        return s;
      },
      [](std::uint64_t a, std::uint64_t b) { return a + b; });
  return sum == 0;
}

// The symmetrization's edges, each once: u -> v for u < v, and for u > v only where v -> u is
// missing; a kept self loop once.
struct Symmetrized {
  const CsrGraph& g;
  NodeId num_nodes() const { return g.num_nodes(); }
  std::size_t num_blocks() const { return par::num_blocks(g.num_nodes(), kRows); }
  template <class Emit>
  void block(std::size_t b, Emit&& emit) const {
    const std::size_t hi = std::min<std::size_t>(g.num_nodes(), (b + 1) * kRows);
    for (std::size_t x = b * kRows; x < hi; ++x) {
      const auto u = static_cast<NodeId>(x);
      for (NodeId v : g.neighbors(u))
        if (u <= v || !has_arc(g, v, u)) emit(u, v);
    }
  }
};

}  // namespace

std::uint64_t arcs_without_reverse(const CsrGraph& g) {
  if (symmetric_by_sum(g)) return 0;
  return par::reduce_blocks(
      g.num_nodes(), kRows, std::uint64_t{0},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        std::uint64_t missing = 0;
        for (std::size_t x = lo; x < hi; ++x) {
          const auto u = static_cast<NodeId>(x);
          for (NodeId v : g.neighbors(u)) missing += u != v && !has_arc(g, v, u);
        }
        return missing;
      },
      [](std::uint64_t a, std::uint64_t b) { return a + b; });
}

CsrGraph undirected_from_arcs(CsrGraph arcs, const BuildOptions& opt, std::uint64_t unmatched) {
  const BuildCounts given = arcs.counts();
  // A duplicated edge of a symmetric file was a duplicated arc at both of its ends.
  BuildCounts counts{given.self_loops_dropped, (given.duplicates_dropped + 1) / 2, given.self_loops};
  if (unmatched == 0) return std::move(arcs).read_as(false, counts);
  CsrGraph sym = build_csr(Symmetrized{arcs}, BuildOptions{false, opt.keep_self_loops, opt.keep_duplicates});
  arcs = CsrGraph();
  counts.self_loops = sym.counts().self_loops;
  return std::move(sym).read_as(false, counts);
}

}  // namespace gossip
