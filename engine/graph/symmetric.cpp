#include "graph/symmetric.hpp"

#include <algorithm>
#include <random>

#include "core/parallel.hpp"

namespace gossip {
namespace {

constexpr std::size_t kRows = 1 << 14;

// Copies of `to` in the sorted row of `from`.
std::uint64_t copies(const CsrGraph& g, NodeId from, NodeId to) {
  const auto row = g.neighbors(from);
  const auto [lo, hi] = std::equal_range(row.begin(), row.end(), to);
  return static_cast<std::uint64_t>(hi - lo);
}

// f(u, v, a) for each run of a equal arcs u -> v of rows [lo, hi).
template <class F>
void each_run(const CsrGraph& g, std::size_t lo, std::size_t hi, F&& f) {
  for (std::size_t x = lo; x < hi; ++x) {
    const auto u = static_cast<NodeId>(x);
    const auto row = g.neighbors(u);
    for (std::size_t i = 0; i < row.size();) {
      std::size_t j = i + 1;
      while (j < row.size() && row[j] == row[i]) ++j;
      f(u, row[i], static_cast<std::uint64_t>(j - i));
      i = j;
    }
  }
}

// The symmetrization's copies: for u < v as many as the more frequent direction, for u > v
// only those whose reverse is absent, a self loop as listed.
struct Symmetrized {
  const CsrGraph& g;
  NodeId num_nodes() const { return g.num_nodes(); }
  std::size_t num_blocks() const { return par::num_blocks(g.num_nodes(), kRows); }
  template <class Emit>
  void block(std::size_t b, Emit&& emit) const {
    each_run(g, b * kRows, std::min<std::size_t>(g.num_nodes(), (b + 1) * kRows), [&](NodeId u, NodeId v, std::uint64_t a) {
      const std::uint64_t k = u == v ? a : u < v ? std::max(a, copies(g, v, u)) : copies(g, v, u) == 0 ? a : 0;
      for (std::uint64_t i = 0; i < k; ++i) emit(u, v);
    });
  }
};

}  // namespace

ArcCheck check_arcs(const CsrGraph& g) {
  // Each arc u -> v adds +h(u, v) if u < v and -h(v, u) if u > v, modulo the prime p = 2^61 - 1:
  // a symmetric multiset sums to 0 exactly; otherwise the sum is sum_pairs (a - b) h(pair) with
  // some 0 < |a - b| < p, zero for about one key in p (h uniform in [0, p)). h is keyed by a
  // random draw per call, so no file can aim at the keys that cancel (an unkeyed mixer's
  // four-arc cancellations are found by a birthday search in seconds).
  constexpr std::uint64_t p = (std::uint64_t{1} << 61) - 1;
  std::random_device rd;
  const std::uint64_t k1 = std::uint64_t{rd()} << 32 | rd(), k2 = std::uint64_t{rd()} << 32 | rd();
  auto mix = [](std::uint64_t x) {  // splitmix64's finalizer
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  };
  auto h = [&](NodeId a, NodeId b) { return mix(mix((std::uint64_t{a} << 32 | b) ^ k1) + k2) % p; };
  auto add = [](std::uint64_t x, std::uint64_t y) {  // (x + y) mod p for x, y < p
    const std::uint64_t z = x + y;
    return z >= p ? z - p : z;
  };
  struct Part {
    std::uint64_t sum = 0, repeated = 0;
  };
  const Part r = par::reduce_blocks(
      g.num_nodes(), kRows, Part{},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        Part s;
        for (std::size_t x = lo; x < hi; ++x) {
          const auto u = static_cast<NodeId>(x);
          const auto row = g.neighbors(u);
          for (std::size_t i = 0; i < row.size(); ++i) {
            const NodeId v = row[i];
            if (u < v) s.sum = add(s.sum, h(u, v));
            if (u > v) {
              const std::uint64_t t = h(v, u);
              s.sum = add(s.sum, t == 0 ? 0 : p - t);
            }
            s.repeated += i > 0 && row[i - 1] == v;
          }
        }
        return s;
      },
      [&](Part a, const Part& b) { return Part{add(a.sum, b.sum), a.repeated + b.repeated}; });
  return {r.sum == 0, r.repeated};
}

std::uint64_t arcs_without_reverse(const CsrGraph& g) {
  return par::reduce_blocks(
      g.num_nodes(), kRows, std::uint64_t{0},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        std::uint64_t missing = 0;
        each_run(g, lo, hi, [&](NodeId u, NodeId v, std::uint64_t a) {
          if (u == v) return;
          const std::uint64_t b = copies(g, v, u);
          missing += a > b ? a - b : 0;
        });
        return missing;
      },
      [](std::uint64_t a, std::uint64_t b) { return a + b; });
}

CsrGraph symmetrize(CsrGraph arcs, const BuildOptions& opt) {
  const std::uint64_t loops_dropped = arcs.counts().self_loops_dropped;
  CsrGraph sym = build_csr(Symmetrized{arcs}, BuildOptions{false, opt.keep_self_loops, opt.keep_duplicates});
  arcs = CsrGraph();
  const BuildCounts c = sym.counts();
  return std::move(sym).read_as(false, {loops_dropped, c.duplicates_dropped, c.self_loops});
}

}  // namespace gossip
