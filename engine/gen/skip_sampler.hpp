// Shared by er and sbm: each row u flips independent coins over runs of candidate columns, and
// geometric skips (Batagelj & Brandes 2005) jump straight from one success to the next, so a row
// costs O(1 + its edges). Rows are grouped into blocks of roughly equal expected work, cut from
// the model alone (never from the thread count); each row draws from its own stream, so the
// edges do not depend on the block layout either.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "core/rng.hpp"
#include "core/types.hpp"

namespace gossip::gen {

// A Bernoulli(p) coin; p = 0 and p = 1 never reach log().
class SkipCoin {
 public:
  explicit SkipCoin(double p) : p_(p), log1m_p_(p > 0.0 && p < 1.0 ? std::log1p(-p) : 0.0) {}
  double p() const { return p_; }

  // hit(i) for each success i in [0, count), in increasing order.
  template <class Hit>
  void sample(Rng::Stream& rng, std::uint64_t count, Hit&& hit) const {
    if (p_ <= 0.0) return;
    if (p_ >= 1.0) {
      for (std::uint64_t i = 0; i < count; ++i) hit(i);
      return;
    }
    for (std::uint64_t i = 0; i < count; ++i) {
      const std::uint64_t skip = rng.geometric(log1m_p_);
      if (skip >= count - i) return;
      i += skip;
      hit(i);
    }
  }

 private:
  double p_;
  double log1m_p_;
};

// Row ranges [lo(b), lo(b + 1)) holding about kWork expected work each. cum_work(r) is the
// expected work of rows [0, r); callers compute it from exact integer pair counts with one
// multiplication per probability, so it is monotone in r and so are the cuts.
template <class CumWork>
class BalancedRows {
 public:
  static constexpr double kWork = 1 << 14;

  BalancedRows(NodeId n, CumWork cum_work) : n_(n), cum_(cum_work), total_(cum_work(n)) {
    const double wanted = std::ceil(total_ / kWork);
    count_ = static_cast<std::size_t>(std::clamp(wanted, 1.0, std::max(1.0, double(n))));
  }
  std::size_t count() const { return count_; }

  // The first row r with cum_work(r) >= total * b / count.
  NodeId lo(std::size_t b) const {
    if (b == 0) return 0;
    if (b >= count_) return n_;
    const double target = total_ * static_cast<double>(b) / static_cast<double>(count_);
    std::uint64_t a = 0, z = n_;
    while (a < z) {
      const std::uint64_t mid = a + (z - a) / 2;
      if (cum_(static_cast<NodeId>(mid)) < target) a = mid + 1;
      else z = mid;
    }
    return static_cast<NodeId>(a);
  }

 private:
  NodeId n_;
  CumWork cum_;
  double total_;
  std::size_t count_ = 1;
};

// Candidate pairs (u, v > u) with u < r among n nodes: r(n-1) - r(r-1)/2, exact in 64 bits.
inline std::uint64_t upper_pairs_before(std::uint64_t r, std::uint64_t n) {
  return r == 0 ? 0 : r * (n - 1) - r * (r - 1) / 2;
}

// Upper estimate of the arcs of `pairs` independent coins with the given mean and variance of
// the edge count: mean + 6 sd + 64 edges, at most `pairs`, 2 arcs per undirected edge. Capped
// at 2^60 so the byte estimate cannot overflow (require_memory refuses it anyway).
inline std::uint64_t arc_bound(double mean, double variance, double pairs, bool directed) {
  const double edges = std::min(pairs, std::ceil(mean + 6.0 * std::sqrt(variance) + 64.0));
  const double arcs = directed ? edges : 2.0 * edges;
  return arcs >= 0x1.0p60 ? std::uint64_t{1} << 60 : static_cast<std::uint64_t>(arcs);
}

}  // namespace gossip::gen
