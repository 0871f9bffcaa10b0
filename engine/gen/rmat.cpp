// rmat: R-MAT (Chakrabarti, Zhan & Faloutsos 2004) with the Graph500 defaults a = .57, b = .19,
// c = .19, d = 1 - a - b - c. n = 2^scale nodes and ef * 2^scale edges; edge e descends the scale
// levels of the adjacency matrix, picking a quadrant per level (a: top left, b: top right, c:
// bottom left, d: bottom right). One 32-bit draw of gen_stream(seed, kTagRmat, e) picks 4 levels
// at once by walking a tree of fixed-point thresholds (each 4-level outcome exact to 2^-32; a
// draw per level would cost 4x the Philox blocks, the bulk of the time). Ids are then permuted by
// a bijection of [0, 2^scale) keyed by the seed, as in Graph500, so an id says nothing of its
// degree. Undirected; self loops and repeats are dropped and counted (ef * 2^scale generated).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/rng.hpp"
#include "gen/common.hpp"
#include "gen/families.hpp"

namespace gossip::gen {
namespace {

constexpr std::uint64_t kEdgesPerBlock = 1 << 15;
constexpr std::uint64_t kMaxEdges = std::uint64_t{1} << 48;
constexpr std::uint64_t kKeyItem = ~std::uint64_t{0};  // never an edge index (< 2^48)
constexpr int kRounds = 3;

// Keyed bijection of [0, 2^scale): rounds of xor key, multiply by an odd key, xorshift right,
// each a bijection modulo 2^scale.
class Permutation {
 public:
  Permutation(std::uint64_t seed, unsigned scale)
      : mask_((std::uint64_t{1} << scale) - 1), shift_((scale + 1) / 2) {
    auto s = gen_stream(seed, kTagRmat, kKeyItem);
    for (int r = 0; r < kRounds; ++r) {
      xor_[r] = s.next_u32() & mask_;
      mul_[r] = (s.next_u32() | 1) & mask_;
    }
  }
  NodeId operator()(std::uint64_t x) const {
    for (int r = 0; r < kRounds; ++r) {
      x = ((x ^ xor_[r]) * mul_[r]) & mask_;
      x ^= x >> shift_;
    }
    return static_cast<NodeId>(x);
  }

 private:
  std::uint64_t mask_;
  unsigned shift_;
  std::array<std::uint64_t, kRounds> xor_{}, mul_{};
};

// Quadrant choice for kLevels levels from one 32-bit draw x: node t (heap layout, children
// 4t+1..4t+4) holds the three cuts of its range of the 4^kLevels outcomes (the cumulative joint
// probabilities, scaled to 2^32); quadrant q = number of cuts <= x.
class QuadrantTree {
 public:
  static constexpr unsigned kLevels = 4;
  QuadrantTree(double a, double b, double c) {
    constexpr unsigned kOutcomes = 1u << (2 * kLevels);
    const long double p[4] = {a, b, c, 1.0L - a - b - c};
    std::array<long double, kOutcomes + 1> cum{};
    for (unsigned o = 0; o < kOutcomes; ++o) {
      long double pr = 1;
      for (unsigned l = 0; l < kLevels; ++l) pr *= p[o >> (2 * l) & 3];
      cum[o + 1] = cum[o] + pr;
    }
    std::size_t t = 0;
    for (unsigned depth = 0; depth < kLevels; ++depth) {
      const unsigned span = kOutcomes >> (2 * depth);
      for (unsigned lo = 0; lo < kOutcomes; lo += span, ++t)
        for (unsigned q = 1; q < 4; ++q) cut_[t][q - 1] = fixed_point(cum[lo + q * span / 4]);
    }
  }
  // Appends `levels` (<= kLevels) quadrants: their row bits to u, column bits to v.
  void descend(std::uint32_t x, unsigned levels, std::uint64_t& u, std::uint64_t& v) const {
    std::size_t t = 0;
    for (unsigned l = 0; l < levels; ++l) {
      const auto& cut = cut_[t];
      const unsigned q = (x >= cut[0]) + (x >= cut[1]) + (x >= cut[2]);  // 0 a, 1 b, 2 c, 3 d
      u = u << 1 | q >> 1;
      v = v << 1 | (q & 1);
      t = 4 * t + 1 + q;
    }
  }

 private:
  static std::uint64_t fixed_point(long double p) {
    const long double x = p * 0x1.0p32L;
    return x >= 0x1.0p32L ? std::uint64_t{1} << 32 : static_cast<std::uint64_t>(std::llround(x));
  }
  std::array<std::array<std::uint64_t, 3>, ((1u << (2 * kLevels)) - 1) / 3> cut_{};
};

struct RmatSource {
  unsigned scale;
  std::uint64_t edges;
  std::uint64_t seed;
  QuadrantTree tree;
  Permutation perm;

  NodeId num_nodes() const { return static_cast<NodeId>(std::uint64_t{1} << scale); }
  std::size_t num_blocks() const { return Blocks{edges, kEdgesPerBlock}.count(); }

  template <class Emit>
  void block(std::size_t b, Emit&& emit) const {
    const Blocks blocks{edges, kEdgesPerBlock};
    for (std::uint64_t e = blocks.lo(b); e < blocks.hi(b); ++e) {
      auto s = gen_stream(seed, kTagRmat, e);
      std::uint64_t u = 0, v = 0;
      for (unsigned l = 0; l < scale; l += QuadrantTree::kLevels)
        tree.descend(s.next_u32(), std::min(scale - l, QuadrantTree::kLevels), u, v);
      emit(perm(u), perm(v));
    }
  }
};

}  // namespace

Graph make_rmat(const GenSpec& spec, const GenOptions& opt) {
  const Params p(spec, {"scale", "ef", "a", "b", "c"});
  const std::uint64_t scale = p.count("scale");
  if (scale < 1 || scale > 31) p.fail_value("scale", "in [1, 31] (2^scale nodes, below 2^32 - 1)");
  const std::uint64_t ef = p.count("ef");
  if (ef < 1) p.fail_value("ef", "at least 1");
  if (ef > (kMaxEdges >> scale))
    p.fail("ef * 2^scale = " + std::to_string(ef) + " * 2^" + std::to_string(scale) +
           " edges exceeds the limit 2^48");
  const double a = p.has("a") ? p.probability("a") : 0.57;
  const double b = p.has("b") ? p.probability("b") : 0.19;
  const double c = p.has("c") ? p.probability("c") : 0.19;
  if (!(a + b + c < 1.0)) {
    char sum[32];
    std::snprintf(sum, sizeof sum, "%.15g", a + b + c);
    p.fail(std::string("probabilities must sum below 1 (d = 1 - a - b - c > 0), got a + b + c = ") +
           sum);
  }
  const auto sc = static_cast<unsigned>(scale);
  const std::uint64_t edges = ef << scale;
  const RmatSource src{sc, edges, opt.seed, QuadrantTree(a, b, c), Permutation(opt.seed, sc)};
  return build_checked(src, 2 * edges, spec, opt, false);
}

}  // namespace gossip::gen
