// er: the same graph for any thread count; edge counts, degrees and per-pair frequencies within
// sampling error of G(n, p) (5 standard deviations); p = 0 and p = 1 exactly; the p and d forms;
// directed arcs in both directions independently; parameter errors.
#include <doctest/doctest.h>

#include <algorithm>
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


bool has_arc(const CsrGraph& g, NodeId u, NodeId v) {
  const auto row = g.neighbors(u);
  return std::binary_search(row.begin(), row.end(), v);
}

// Pearson statistic of how often each candidate pair appears over `runs` seeds, every pair
// Binomial(runs, p); about (pairs) +- sqrt(2 pairs) when the pairs are uniform.
double pair_chi_square(const char* spec, NodeId n, bool directed, double p, int runs) {
  std::vector<int> hits(std::size_t{n} * n, 0);
  for (int seed = 1; seed <= runs; ++seed) {
    const CsrGraph g = gen_csr(spec, static_cast<std::uint64_t>(seed), 1);
    for (NodeId u = 0; u < n; ++u)
      for (NodeId v : g.neighbors(u)) ++hits[std::size_t{u} * n + v];
  }
  double chi = 0.0;
  for (NodeId u = 0; u < n; ++u)
    for (NodeId v = directed ? 0 : u + 1; v < n; ++v) {
      if (u == v) continue;
      const double dev = hits[std::size_t{u} * n + v] - runs * p;
      chi += dev * dev / (runs * p * (1.0 - p));
    }
  return chi;
}

}  // namespace

TEST_CASE("er: the same graph for 1, 2 and 4 threads") {
  check_thread_invariant("er:n=50000,d=6");
  check_thread_invariant("er:n=20000,p=0.0005,directed=1");
  check_thread_invariant("er:n=400,p=0.5");
}

TEST_CASE("er: edge count and degree variance within sampling error") {
  const NodeId n = 20000;
  const double p = 8.0 / (n - 1), pairs = double(n) * (n - 1) / 2;
  const CsrGraph g = gen_csr("er:n=20000,d=8");
  CHECK(!g.directed());
  CHECK(std::abs(z_score(double(g.num_edges()), pairs, p)) < 5.0);
  double sum = 0, sum2 = 0;
  for (NodeId v = 0; v < n; ++v) {
    sum += g.degree(v);
    sum2 += double(g.degree(v)) * g.degree(v);
  }
  const double mean = sum / n, var = sum2 / n - mean * mean;
  // Degrees are nearly Poisson(8): the sample variance has sd sqrt((3*64 + 8 - 64) / n) ~ 0.08.
  CHECK(std::abs(var - (n - 1) * p * (1 - p)) < 0.5);
}

TEST_CASE("er: every pair equally likely (pair frequencies over 400 seeds)") {
  const double undirected_pairs = 30.0 * 29 / 2, directed_pairs = 20.0 * 19;
  CHECK(pair_chi_square("er:n=30,p=0.3", 30, false, 0.3, 400) <
        undirected_pairs + 5 * std::sqrt(2 * undirected_pairs));
  CHECK(pair_chi_square("er:n=20,p=0.3,directed=1", 20, true, 0.3, 400) <
        directed_pairs + 5 * std::sqrt(2 * directed_pairs));
}

TEST_CASE("er: p = 1 is the complete graph, p = 0 the empty one") {
  for (const char* spec : {"er:n=40,p=1", "er:n=40,d=39", "er:n=40,p=1,directed=1"}) {
    CAPTURE(spec);
    const CsrGraph g = gen_csr(spec);
    CHECK(g.num_arcs() == 40 * 39);
    for (NodeId u = 0; u < 40; ++u) {
      std::vector<NodeId> others;
      for (NodeId v = 0; v < 40; ++v)
        if (v != u) others.push_back(v);
      CHECK(to_vector(g.neighbors(u)) == others);
    }
  }
  for (const char* spec : {"er:n=1000,p=0", "er:n=1000,d=0", "er:n=1000,p=0,directed=1"}) {
    CAPTURE(spec);
    const CsrGraph g = gen_csr(spec);
    CHECK(g.num_nodes() == 1000);
    CHECK(g.num_arcs() == 0);
  }
  CHECK(gen_csr("er:n=1,p=1").num_arcs() == 0);
  CHECK(gen_csr("er:n=1,d=0").num_nodes() == 1);
}

TEST_CASE("er: directed arcs go both ways, independently") {
  const NodeId n = 20000;
  const double p = 5.0 / (n - 1), half = double(n) * (n - 1) / 2;
  const CsrGraph g = gen_csr("er:n=20000,d=5,directed=1");
  CHECK(g.directed());
  double up = 0, down = 0, mutual = 0;
  for (NodeId u = 0; u < n; ++u)
    for (NodeId v : g.neighbors(u)) {
      (v > u ? up : down) += 1;
      if (v > u && has_arc(g, v, u)) mutual += 1;
    }
  CHECK(std::abs(z_score(up, half, p)) < 5.0);
  CHECK(std::abs(z_score(down, half, p)) < 5.0);
  CHECK(std::abs(z_score(mutual, half, p * p)) < 5.0);
}

TEST_CASE("er: d = p (n - 1) gives the same graph as p; seeds give different graphs") {
  // 4 / 1000 and the literal 0.004 round to the same double.
  check_same(gen_csr("er:n=1001,d=4", 5), gen_csr("er:n=1001,p=0.004", 5));
  CHECK(to_vector(gen_csr("er:n=1000,d=5", 1).adjacency()) !=
        to_vector(gen_csr("er:n=1000,d=5", 2).adjacency()));
}

TEST_CASE("er: parameter errors name the parameter") {
  auto gen = [](const char* spec) { return generate(parse_spec(spec), {}); };
  CHECK_THROWS_WITH_AS(gen("er:n=10,p=0.1,d=1"), "er: give exactly one of 'p' and 'd', not both",
                       UsageError);
  CHECK_THROWS_WITH_AS(gen("er:n=10"),
                       "er: missing parameter 'p' or 'd' (valid: n, p, d, directed)", UsageError);
  CHECK_THROWS_WITH_AS(gen("er:n=10,p=1.5"),
                       "er: parameter 'p' must be a probability in [0, 1], got '1.5'", UsageError);
  CHECK_THROWS_WITH_AS(gen("er:n=10,d=10"), "er: parameter 'd' must be at most n - 1 = 9, got '10'",
                       UsageError);
  CHECK_THROWS_WITH_AS(gen("er:n=10,d=9.5"),
                       "er: parameter 'd' must be at most n - 1 = 9, got '9.5'", UsageError);
  CHECK_THROWS_WITH_AS(gen("er:n=10,d=-1"), "er: parameter 'd' must be non-negative, got '-1'",
                       UsageError);
  CHECK_THROWS_WITH_AS(gen("er:n=0,p=0.5"), "er: parameter 'n' must be at least 1, got '0'",
                       UsageError);
  CHECK_THROWS_WITH_AS(gen("er:n=10,p=0.5,directed=2"),
                       "er: parameter 'directed' must be 0 or 1, got '2'", UsageError);
  CHECK_THROWS_WITH_AS(gen("er:n=10,p=0.5,k=3"),
                       "er: unknown parameter 'k' (valid: n, p, d, directed)", UsageError);
}

TEST_CASE("er: a graph too big for memory is refused before allocating") {
  CHECK_THROWS_AS(generate(parse_spec("er:n=4e9,p=0.5"), {}), ResourceError);
}
