// sbm: the same graph for any thread count; the edge count of every pair of blocks within
// sampling error (5 standard deviations); per-pair frequencies uniform inside each probability
// class; exact graphs for p_in = 1, p_out = 0; the two sizes syntaxes; parameter errors.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "support.hpp"

using namespace gossip;
using gossip::test::check_same;
using gossip::test::check_thread_invariant;
using gossip::test::gen_csr;
using gossip::test::to_vector;
using gossip::test::z_score;

namespace {


std::size_t block_of(NodeId v, const std::vector<NodeId>& sizes) {
  std::size_t k = 0;
  for (NodeId start = sizes[0]; v >= start; start += sizes[++k]) {
  }
  return k;
}

}  // namespace

TEST_CASE("sbm: the same graph for 1, 2 and 4 threads") {
  check_thread_invariant("sbm:sizes=30000/20000/50000,p_in=0.0004,p_out=0.00002");
  check_thread_invariant("sbm:sizes=7x300,p_in=0.2,p_out=0.01");
}

TEST_CASE("sbm: edges inside and between every pair of blocks within sampling error") {
  const std::vector<NodeId> sizes{2000, 3000, 5000};
  const double p_in = 0.005, p_out = 0.0005;
  const CsrGraph g = gen_csr("sbm:sizes=2000/3000/5000,p_in=0.005,p_out=0.0005");
  REQUIRE(g.num_nodes() == 10000);
  CHECK(!g.directed());
  double edges[3][3] = {};
  for (NodeId u = 0; u < g.num_nodes(); ++u)
    for (NodeId v : g.neighbors(u))
      if (u < v) edges[block_of(u, sizes)][block_of(v, sizes)] += 1;
  for (std::size_t a = 0; a < 3; ++a) {
    CAPTURE(a);
    CHECK(std::abs(z_score(edges[a][a], sizes[a] * (sizes[a] - 1.0) / 2, p_in)) < 5.0);
    for (std::size_t b = a + 1; b < 3; ++b) {
      CAPTURE(b);
      CHECK(edges[b][a] == 0);  // ids grow with the block: u < v never lies in a later block
      CHECK(std::abs(z_score(edges[a][b], double(sizes[a]) * sizes[b], p_out)) < 5.0);
    }
  }
}

TEST_CASE("sbm: every pair of a class equally likely (pair frequencies over 400 seeds)") {
  const std::vector<NodeId> sizes{9, 6, 11};
  const NodeId n = 26;
  const int runs = 400;
  std::vector<int> hits(std::size_t{n} * n, 0);
  for (int seed = 1; seed <= runs; ++seed) {
    const CsrGraph g = gen_csr("sbm:sizes=9/6/11,p_in=0.4,p_out=0.1", std::uint64_t(seed), 1);
    for (NodeId u = 0; u < n; ++u)
      for (NodeId v : g.neighbors(u)) ++hits[std::size_t{u} * n + v];
  }
  double chi = 0, pairs = 0;
  for (NodeId u = 0; u < n; ++u)
    for (NodeId v = u + 1; v < n; ++v) {
      const double p = block_of(u, sizes) == block_of(v, sizes) ? 0.4 : 0.1;
      const double dev = hits[std::size_t{u} * n + v] - runs * p;
      chi += dev * dev / (runs * p * (1 - p));
      pairs += 1;
    }
  CHECK(chi < pairs + 5 * std::sqrt(2 * pairs));
}

TEST_CASE("sbm: p_in = 1, p_out = 0 gives disjoint cliques; p_out = 1 joins them all") {
  const CsrGraph g = gen_csr("sbm:sizes=2/3,p_in=1,p_out=0");
  CHECK(to_vector(g.offsets()) == std::vector<EdgeIdx>{0, 1, 2, 4, 6, 8});
  CHECK(to_vector(g.adjacency()) == std::vector<NodeId>{1, 0, 3, 4, 2, 4, 2, 3});
  const CsrGraph bipartite = gen_csr("sbm:sizes=2/3,p_in=0,p_out=1");
  CHECK(to_vector(bipartite.adjacency()) ==
        std::vector<NodeId>{2, 3, 4, 2, 3, 4, 0, 1, 0, 1, 0, 1});
  CHECK(gen_csr("sbm:sizes=1,p_in=1,p_out=1").num_arcs() == 0);
}

TEST_CASE("sbm: sizes=4x250 is sizes=250/250/250/250, and mixes work") {
  check_same(gen_csr("sbm:sizes=4x250,p_in=0.05,p_out=0.002", 3),
             gen_csr("sbm:sizes=250/250/250/250,p_in=0.05,p_out=0.002", 3));
  check_same(gen_csr("sbm:sizes=2x100/300,p_in=0.05,p_out=0.002", 3),
             gen_csr("sbm:sizes=100/100/300,p_in=0.05,p_out=0.002", 3));
}

TEST_CASE("sbm: parameter errors name the parameter") {
  auto gen = [](const char* spec) { return generate(parse_spec(spec), {}); };
  const std::string bad = "sbm: parameter 'sizes' must be block sizes like 500/500/1000 or 4x250, "
                          "each at least 1, got '";
  for (const char* sizes : {"0/5", "5//5", "5/", "abc", "4x", "x4", "0x5", "4x0", "2x3x4", "-3"}) {
    CAPTURE(sizes);
    const std::string spec = std::string("sbm:sizes=") + sizes + ",p_in=0.5,p_out=0.1";
    CHECK_THROWS_WITH_AS(gen(spec.c_str()), (bad + sizes + "'").c_str(), UsageError);
  }
  CHECK_THROWS_WITH_AS(gen("sbm:sizes=3000000000/3000000000,p_in=0.5,p_out=0"),
                       "sbm: parameter 'sizes' adds up to more than the node limit 4294967294 "
                       "(2^32 - 2)",
                       UsageError);
  CHECK_THROWS_WITH_AS(gen("sbm:sizes=5000000x1,p_in=0.5,p_out=0"),
                       "sbm: parameter 'sizes' must be at most 4194304 blocks, got '5000000x1'",
                       UsageError);
  CHECK_THROWS_WITH_AS(gen("sbm:sizes=5/5,p_in=1.5,p_out=0"),
                       "sbm: parameter 'p_in' must be a probability in [0, 1], got '1.5'",
                       UsageError);
  CHECK_THROWS_WITH_AS(gen("sbm:sizes=5/5,p_in=0.5"),
                       "sbm: missing parameter 'p_out' (valid: sizes, p_in, p_out)", UsageError);
  CHECK_THROWS_WITH_AS(gen("sbm:p_in=0.5,p_out=0.1"),
                       "sbm: missing parameter 'sizes' (valid: sizes, p_in, p_out)", UsageError);
}

TEST_CASE("sbm: a graph too big for memory is refused before allocating") {
  CHECK_THROWS_AS(generate(parse_spec("sbm:sizes=2x2e9,p_in=0.5,p_out=0.5"), {}), ResourceError);
}
