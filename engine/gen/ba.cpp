// ba: Barabasi-Albert preferential attachment in the array form of Batagelj & Brandes (2005),
// made parallel as in Sanders & Schulz (2016, "Scalable generation of scale-free graphs").
// Edge e = v*m + i (node v's i-th edge) fills M[2e] = v and M[2e+1] = M[r], r uniform in [0, 2e]:
// an even r names node r/(2m), an odd r the target of edge (r-1)/2, resolved by the same rule. So
// a target is a pure function of (seed, e), found by following the chain (expected O(1) draws,
// each keyed by the edge it belongs to) with no shared array. Node 0's m edges are self loops, as
// is any r = 2e; self loops and repeated edges are dropped and counted by the build.
#include <string>

#include "core/rng.hpp"
#include "gen/common.hpp"
#include "gen/families.hpp"

namespace gossip::gen {
namespace {

constexpr std::uint64_t kEdgesPerBlock = 1 << 16;
// Caps n * m so that the array positions 2e and the byte estimates stay far from 2^64.
constexpr std::uint64_t kMaxEdges = std::uint64_t{1} << 48;

struct BaSource {
  NodeId n;
  std::uint64_t m;
  std::uint64_t seed;

  NodeId num_nodes() const { return n; }
  std::size_t num_blocks() const { return Blocks{n * m, kEdgesPerBlock}.count(); }

  // M[2e+1]: draw r for edge e; an odd r defers to the edge (r-1)/2 < e, so the chain ends.
  NodeId target(std::uint64_t e) const {
    for (;;) {
      const std::uint64_t r = gen_stream(seed, kTagBa, e).below64(2 * e + 1);
      if (!(r & 1)) return static_cast<NodeId>(r / (2 * m));
      e = (r - 1) / 2;
    }
  }

  template <class Emit>
  void block(std::size_t b, Emit&& emit) const {
    const Blocks blocks{n * m, kEdgesPerBlock};
    const std::uint64_t lo = blocks.lo(b), hi = blocks.hi(b);
    auto v = static_cast<NodeId>(lo / m);
    std::uint64_t i = lo % m;
    for (std::uint64_t e = lo; e < hi; ++e) {
      emit(v, target(e));
      if (++i == m) {
        i = 0;
        ++v;
      }
    }
  }
};

}  // namespace

Graph make_ba(const GenSpec& spec, const GenOptions& opt) {
  const Params p(spec, {"n", "m"});
  const NodeId n = p.nodes("n", 2);
  const std::uint64_t m = p.count("m");
  if (m < 1 || m >= n) p.fail_value("m", "at least 1 and below n = " + std::to_string(n));
  if (m > kMaxEdges / n)
    p.fail("n * m = " + std::to_string(n) + " * " + std::to_string(m) +
           " edges exceeds the limit 2^48");
  return build_checked(BaSource{n, m, opt.seed}, 2 * n * m, spec, opt, false);
}

}  // namespace gossip::gen
