// er: Erdos-Renyi G(n, p) (Erdos & Renyi 1959; Gilbert 1959). Undirected: every pair {u < v} is
// an edge independently with probability p; directed=1: every ordered pair (u, v), u != v.
// d sets p = d / (n - 1), the expected degree (out-degree when directed). Geometric skip sampling
// (Batagelj & Brandes 2005) over each row's candidates: O(n + m) time, no pair loop. Row u draws
// only from gen_stream(seed, kTagEr, u), so the graph is a pure function of (n, p, seed).
#include <cmath>
#include <string>

#include "gen/common.hpp"
#include "gen/families.hpp"
#include "gen/skip_sampler.hpp"

namespace gossip::gen {
namespace {

// Expected work of rows [0, r): one draw per row plus one per edge.
struct ErWork {
  std::uint64_t n;
  double p;
  bool directed;
  double operator()(NodeId r) const {
    const std::uint64_t pairs = directed ? std::uint64_t{r} * (n - 1) : upper_pairs_before(r, n);
    return static_cast<double>(r) + p * static_cast<double>(pairs);
  }
};

struct ErSource {
  NodeId n;
  SkipCoin coin;
  bool directed;
  std::uint64_t seed;
  BalancedRows<ErWork> rows;

  NodeId num_nodes() const { return n; }
  std::size_t num_blocks() const { return rows.count(); }
  template <class Emit>
  void block(std::size_t b, Emit&& emit) const {
    const NodeId hi = rows.lo(b + 1);
    for (NodeId u = rows.lo(b); u < hi; ++u) {
      Rng::Stream rng = gen_stream(seed, kTagEr, u);
      if (directed) {
        // Candidates 0..n-2 stand for every v != u.
        coin.sample(rng, n - 1, [&](std::uint64_t i) { emit(u, NodeId(i + (i >= u))); });
      } else {
        coin.sample(rng, n - 1 - u, [&](std::uint64_t i) { emit(u, NodeId(u + 1 + i)); });
      }
    }
  }
};

double edge_probability(const Params& p, NodeId n) {
  if (p.has("p") && p.has("d")) p.fail("give exactly one of 'p' and 'd', not both");
  if (p.has("p")) return p.probability("p");
  if (!p.has("d")) p.fail("missing parameter 'p' or 'd' (valid: n, p, d, directed)");
  const double d = p.real("d");
  if (d < 0.0) p.fail_value("d", "non-negative");
  const double n1 = static_cast<double>(n) - 1.0;
  if (d > n1) p.fail_value("d", "at most n - 1 = " + std::to_string(n - 1));
  return n > 1 ? d / n1 : 0.0;
}

}  // namespace

Graph make_er(const GenSpec& spec, const GenOptions& opt) {
  const Params p(spec, {"n", "p", "d", "directed"});
  const NodeId n = p.nodes("n");
  const double prob = edge_probability(p, n);
  const bool directed = p.flag_or("directed", false);

  const double nn = n;
  const double pairs = directed ? nn * (nn - 1.0) : nn * (nn - 1.0) / 2.0;
  const std::uint64_t max_arcs =
      arc_bound(prob * pairs, prob * (1.0 - prob) * pairs, pairs, directed);
  const ErSource src{n, SkipCoin(prob), directed, opt.seed,
                     BalancedRows(n, ErWork{n, prob, directed})};
  return build_checked(src, max_arcs, spec, opt, directed);
}

}  // namespace gossip::gen
