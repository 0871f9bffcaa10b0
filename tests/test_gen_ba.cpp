// ba: the parallel chain-following generator equals the serial Batagelj-Brandes array exactly;
// edge accounting, the prefix property (the n-node graph is the start of any larger one), m = 1
// gives a forest, hubs and the power-law tail P(deg >= k) = m(m+1) / (k(k+1)), errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "gen/common.hpp"
#include "graph/components.hpp"
#include "support.hpp"

using namespace gossip;
using gossip::test::gen_csr;
using gossip::test::to_vector;

namespace {
NodeId max_degree(const CsrGraph& g) {
  NodeId d = 0;
  for (NodeId v = 0; v < g.num_nodes(); ++v) d = std::max(d, g.degree(v));
  return d;
}
NodeId min_degree(const CsrGraph& g) {
  NodeId d = kNoNode;
  for (NodeId v = 0; v < g.num_nodes(); ++v) d = std::min(d, g.degree(v));
  return d;
}
double tail_fraction(const CsrGraph& g, NodeId k) {
  std::uint64_t c = 0;
  for (NodeId v = 0; v < g.num_nodes(); ++v) c += g.degree(v) >= k;
  return static_cast<double>(c) / g.num_nodes();
}
}  // namespace

TEST_CASE("ba equals the serial Batagelj-Brandes array M[2e+1] = M[r], r in [0, 2e]") {
  const std::uint64_t n = 3000, m = 3, seed = 11;
  std::vector<NodeId> arr(2 * n * m);
  std::vector<std::set<NodeId>> rows(n);
  std::uint64_t loops = 0, repeats = 0;
  for (std::uint64_t e = 0; e < n * m; ++e) {
    arr[2 * e] = static_cast<NodeId>(e / m);
    arr[2 * e + 1] = arr[gen_stream(seed, gen::kTagBa, e).below64(2 * e + 1)];
    const NodeId u = arr[2 * e], v = arr[2 * e + 1];
    if (u == v) {
      ++loops;
    } else {
      repeats += !rows[u].insert(v).second;
      rows[v].insert(u);
    }
  }
  const CsrGraph g = gen_csr("ba:n=3000,m=3", seed);
  REQUIRE(g.num_nodes() == n);
  CHECK(g.counts().self_loops_dropped == loops);
  CHECK(g.counts().duplicates_dropped == repeats);
  CHECK(loops >= m);  // node 0's m edges are self loops
  for (NodeId v = 0; v < n; ++v)
    CHECK(to_vector(g.neighbors(v)) == std::vector<NodeId>(rows[v].begin(), rows[v].end()));
}

TEST_CASE("ba: the same graph for any thread count") {
  gossip::test::check_thread_invariant("ba:n=200000,m=3");
  gossip::test::check_thread_invariant("ba:n=50000,m=1", 3);
}

TEST_CASE("ba: exact edge accounting, edges only to earlier nodes, mean degree 2m") {
  const std::uint64_t n = 100000, m = 3;
  const CsrGraph g = gen_csr("ba:n=1e5,m=3");
  const BuildCounts& c = g.counts();
  CHECK(g.num_arcs() / 2 + c.self_loops_dropped + c.duplicates_dropped == n * m);
  for (NodeId v = 0; v < n; ++v) {
    const auto row = g.neighbors(v);
    const auto earlier = std::lower_bound(row.begin(), row.end(), v) - row.begin();
    CHECK_MESSAGE(static_cast<std::uint64_t>(earlier) <= m, "node ", v);
  }
  CHECK(std::abs(static_cast<double>(g.num_arcs()) / n - 2.0 * m) < 0.05);
  CHECK(min_degree(g) >= 1);
  CHECK(summarize_components(g).count == 1);  // for this seed; with m >= 2 a node rarely stays apart
}

TEST_CASE("ba: the n-node graph is the induced start of any larger one (same seed, same m)") {
  const CsrGraph small = gen_csr("ba:n=10000,m=2", 5);
  const CsrGraph big = gen_csr("ba:n=100000,m=2", 5);
  for (NodeId v = 0; v < small.num_nodes(); ++v) {
    std::vector<NodeId> prefix;
    for (NodeId w : big.neighbors(v))
      if (w < small.num_nodes()) prefix.push_back(w);
    CHECK(prefix == to_vector(small.neighbors(v)));
  }
  // Hubs keep growing like sqrt(n): the largest degree rises about sqrt(10) times.
  CHECK(max_degree(big) > 2 * max_degree(small));
}

TEST_CASE("ba: m = 1 is a forest with one tree per self-looped node") {
  const CsrGraph g = gen_csr("ba:n=100000,m=1", 9);
  const ComponentSummary comp = summarize_components(g);
  CHECK(g.counts().duplicates_dropped == 0);
  CHECK(comp.count == g.counts().self_loops_dropped);
  CHECK(g.num_edges() == g.num_nodes() - comp.count);
  CHECK(comp.count < 20);  // node v >= 1 starts a tree with probability 1 / (2v + 1): ~ ln(n) / 2
}

TEST_CASE("ba: hubs and the power-law tail m(m+1) / (k(k+1)), far above Poisson") {
  const CsrGraph g = gen_csr("ba:n=1e5,m=3");
  CHECK(max_degree(g) > 10 * 3);
  for (const NodeId k : {12u, 30u, 60u}) {
    // Relative error allowed: 4 sd of the count (about 1 / sqrt(count)) plus 3% for finite n.
    const double expected = 3.0 * 4.0 / (k * (k + 1.0));
    const double tolerance = 0.03 + 4.0 / std::sqrt(expected * g.num_nodes());
    CHECK_MESSAGE(std::abs(tail_fraction(g, k) / expected - 1.0) < tolerance, "k = ", k);
  }
  // Poisson(6) would give P(deg >= 30) ~ 1e-11: the tail is heavy.
  CHECK(tail_fraction(g, 30) > 0.01);
}

TEST_CASE("ba: errors") {
  const auto gen = [](const char* spec) { return generate(parse_spec(spec), {}); };
  CHECK_THROWS_WITH_AS(gen("ba:n=10,m=0"), "ba: parameter 'm' must be at least 1 and below n = 10, got '0'",
                       UsageError);
  CHECK_THROWS_WITH_AS(gen("ba:n=10,m=10"), "ba: parameter 'm' must be at least 1 and below n = 10, got '10'",
                       UsageError);
  CHECK_THROWS_WITH_AS(gen("ba:n=1,m=1"), "ba: parameter 'n' must be at least 2, got '1'", UsageError);
  CHECK_THROWS_WITH_AS(gen("ba:n=10"), "ba: missing parameter 'm' (valid: n, m)", UsageError);
  CHECK_THROWS_WITH_AS(gen("ba:n=4000000000,m=100000"),
                       "ba: n * m = 4000000000 * 100000 edges exceeds the limit 2^48", UsageError);
}
