// sbm: stochastic block model (Holland, Laskey & Leinhardt 1983), undirected. Blocks get
// consecutive ids (block 0 is 0..s0-1, ...); a pair {u < v} is an edge independently with
// probability p_in inside a block and p_out across blocks. Row u's candidates v > u are two runs
// of constant probability, the rest of u's block then every later node, each skip-sampled
// (Batagelj & Brandes 2005): O(n + m). Row u draws only from gen_stream(seed, kTagSbm, u).
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/numbers.hpp"
#include "gen/common.hpp"
#include "gen/families.hpp"
#include "gen/skip_sampler.hpp"

namespace gossip::gen {
namespace {

constexpr std::uint64_t kMaxBlocks = std::uint64_t{1} << 22;

struct Blocking {
  std::vector<NodeId> starts;          // block k is [starts[k], starts[k + 1]); back() == n
  std::vector<std::uint64_t> within;   // in-block pairs of the blocks before k
  NodeId n() const { return starts.back(); }
  std::size_t block_of(NodeId u) const {
    return static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), u) -
                                    starts.begin()) - 1;
  }
  // In-block pairs (u, v > u) with u < r.
  std::uint64_t within_before(NodeId r) const {
    if (r == n()) return within.back();
    const std::size_t k = block_of(r);
    return within[k] + upper_pairs_before(r - starts[k], starts[k + 1] - starts[k]);
  }
};

// "500/500/1000", "4x250", or a mix such as "2x500/1000".
Blocking parse_sizes(const Params& p) {
  const std::string text = p.text("sizes");
  const std::string expected = "block sizes like 500/500/1000 or 4x250, each at least 1";
  Blocking g{{0}, {0}};
  std::uint64_t total = 0;
  for (std::string_view rest = text;;) {
    const std::string_view item = rest.substr(0, rest.find('/'));
    const auto x = item.find('x');
    const bool single = x == std::string_view::npos;
    const auto reps = single ? std::optional<std::uint64_t>{1} : parse_count(item.substr(0, x));
    const auto size = parse_count(single ? item : item.substr(x + 1));
    if (!reps || !size || *reps < 1 || *size < 1) p.fail_value("sizes", expected);
    if (*reps > kMaxBlocks || g.starts.size() - 1 + *reps > kMaxBlocks)
      p.fail_value("sizes", "at most " + std::to_string(kMaxBlocks) + " blocks");
    for (std::uint64_t i = 0; i < *reps; ++i) {
      if (*size > kMaxNodes - total)
        p.fail("parameter 'sizes' adds up to more than the node limit 4294967294 (2^32 - 2)");
      total += *size;
      g.starts.push_back(static_cast<NodeId>(total));
      g.within.push_back(g.within.back() + *size * (*size - 1) / 2);
    }
    if (item.size() == rest.size()) break;
    rest = rest.substr(item.size() + 1);
  }
  return g;
}

// Expected work of rows [0, r): one draw per run plus one per edge.
struct SbmWork {
  const Blocking* g;
  double p_in, p_out;
  double operator()(NodeId r) const {
    const std::uint64_t in = g->within_before(r);
    const std::uint64_t out = upper_pairs_before(r, g->n()) - in;
    return 2.0 * static_cast<double>(r) + p_in * static_cast<double>(in) +
           p_out * static_cast<double>(out);
  }
};

struct SbmSource {
  const Blocking* g;
  SkipCoin in, out;
  std::uint64_t seed;
  BalancedRows<SbmWork> rows;

  NodeId num_nodes() const { return g->n(); }
  std::size_t num_blocks() const { return rows.count(); }
  template <class Emit>
  void block(std::size_t b, Emit&& emit) const {
    const NodeId lo = rows.lo(b), hi = rows.lo(b + 1), n = g->n();
    if (lo >= hi) return;
    std::size_t k = g->block_of(lo);
    for (NodeId u = lo; u < hi; ++u) {
      while (g->starts[k + 1] <= u) ++k;
      const NodeId end = g->starts[k + 1];
      Rng::Stream rng = gen_stream(seed, kTagSbm, u);
      in.sample(rng, end - u - 1, [&](std::uint64_t i) { emit(u, NodeId(u + 1 + i)); });
      out.sample(rng, n - end, [&](std::uint64_t i) { emit(u, NodeId(end + i)); });
    }
  }
};

}  // namespace

Graph make_sbm(const GenSpec& spec, const GenOptions& opt) {
  const Params p(spec, {"sizes", "p_in", "p_out"});
  const Blocking g = parse_sizes(p);
  const double p_in = p.probability("p_in"), p_out = p.probability("p_out");

  const double nn = g.n(), in_pairs = static_cast<double>(g.within.back());
  const double out_pairs = nn * (nn - 1.0) / 2.0 - in_pairs;
  const double mean = p_in * in_pairs + p_out * out_pairs;
  const double var = p_in * (1.0 - p_in) * in_pairs + p_out * (1.0 - p_out) * out_pairs;
  const std::uint64_t max_arcs = arc_bound(mean, var, in_pairs + out_pairs, false);
  const SbmSource src{&g, SkipCoin(p_in), SkipCoin(p_out), opt.seed,
                      BalancedRows(g.n(), SbmWork{&g, p_in, p_out})};
  return build_checked(src, max_arcs, spec, opt, false);
}

}  // namespace gossip::gen
