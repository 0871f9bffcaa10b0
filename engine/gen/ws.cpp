// ws: Watts-Strogatz small world (Watts & Strogatz 1998). A ring lattice joins each node u to its
// k/2 nearest neighbours on each side: edge t = u*(k/2) + j-1 is (u, u+j mod n), j = 1..k/2. With
// probability beta edge t is rewired to (u, w), w uniform over the nodes != u: the original rule
// keeps u and moves the other end. Decision and w are pure functions of (seed, t).
// Deviation from the sequential rule (networkx retries w until the edge is new): rewired edges
// are drawn independently, so a rewired edge that repeats an existing one is dropped and counted
// by the build (duplicates_dropped). Expected duplicates are about beta * k^2 * (1/2 - beta/4) in
// all, independent of n (k^2/4 at beta = 1). beta = 0 gives exactly the lattice.
#include <string>

#include "core/rng.hpp"
#include "gen/common.hpp"
#include "gen/families.hpp"

namespace gossip::gen {
namespace {

constexpr std::uint64_t kEdgesPerBlock = 1 << 16;

struct WsSource {
  NodeId n;
  std::uint64_t half;  // k/2
  double beta;
  std::uint64_t seed;

  NodeId num_nodes() const { return n; }
  std::size_t num_blocks() const { return Blocks{n * half, kEdgesPerBlock}.count(); }

  template <class Emit>
  void block(std::size_t b, Emit&& emit) const {
    const Blocks blocks{n * half, kEdgesPerBlock};
    const std::uint64_t lo = blocks.lo(b), hi = blocks.hi(b);
    auto u = static_cast<NodeId>(lo / half);
    std::uint64_t j = lo % half + 1;
    for (std::uint64_t t = lo; t < hi; ++t) {
      auto s = gen_stream(seed, kTagWs, t);
      if (s.bernoulli(beta)) {
        const NodeId w = s.below(n - 1);
        emit(u, w < u ? w : w + 1);
      } else {
        const std::uint64_t v = u + j;
        emit(u, static_cast<NodeId>(v < n ? v : v - n));
      }
      if (++j > half) {
        j = 1;
        ++u;
      }
    }
  }
};

}  // namespace

Graph make_ws(const GenSpec& spec, const GenOptions& opt) {
  const Params p(spec, {"n", "k", "beta"});
  const NodeId n = p.nodes("n", 3);
  const std::uint64_t k = p.count("k");
  if (k < 2 || k >= n || k % 2 != 0)
    p.fail_value("k", "even, at least 2 and below n = " + std::to_string(n));
  const double beta = p.probability("beta");
  return build_checked(WsSource{n, k / 2, beta, opt.seed}, std::uint64_t{n} * k, spec, opt,
                       false);
}

}  // namespace gossip::gen
