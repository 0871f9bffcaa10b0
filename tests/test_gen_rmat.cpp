// rmat: exactly ef * 2^scale edges generated; self loops occur w.p. (a + d)^scale (checks the
// multi-level quadrant draw, also for a scale that is no multiple of 4); the id permutation is a
// bijection and hides degree; Graph500 skew vs the near-Poisson uniform case; errors.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>

#include "core/error.hpp"
#include "support.hpp"

using namespace gossip;
using gossip::test::gen_csr;

namespace {
struct DegreeMoments {
  double mean = 0, var = 0;
  NodeId max = 0;
};
DegreeMoments moments(const CsrGraph& g) {
  DegreeMoments m;
  double sum_sq = 0;
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    const double d = g.degree(v);
    m.mean += d;
    sum_sq += d * d;
    m.max = std::max(m.max, g.degree(v));
  }
  m.mean /= g.num_nodes();
  m.var = sum_sq / g.num_nodes() - m.mean * m.mean;
  return m;
}
std::uint64_t generated(const CsrGraph& g) {
  return g.num_arcs() / 2 + g.counts().self_loops_dropped + g.counts().duplicates_dropped;
}
}  // namespace

TEST_CASE("rmat: the same graph for any thread count") {
  gossip::test::check_thread_invariant("rmat:scale=16,ef=8");
  gossip::test::check_thread_invariant("rmat:scale=13,ef=4,a=0.4,b=0.3,c=0.2", 3);
}

TEST_CASE("rmat: Graph500 defaults give ef * 2^scale edges and a heavy skew") {
  const CsrGraph g = gen_csr("rmat:scale=16,ef=16");
  CHECK(g.num_nodes() == 65536);
  CHECK(generated(g) == 16u * 65536u);
  const DegreeMoments d = moments(g);
  CHECK(d.max > 20 * d.mean);
}

TEST_CASE("rmat: u == v with probability (a + d)^scale, for whole and partial 4-level draws") {
  struct Case {
    const char* spec;
    unsigned scale;
    double a_plus_d;
  };
  for (const Case& c : {Case{"rmat:scale=4,ef=2^14", 4, 0.62}, Case{"rmat:scale=5,ef=2^13", 5, 0.62},
                        Case{"rmat:scale=6,ef=2^12,a=0.1,b=0.2,c=0.3", 6, 0.5},
                        Case{"rmat:scale=3,ef=2^15,a=0.7,b=0.05,c=0.2", 3, 0.75}}) {
    const CsrGraph g = gen_csr(c.spec, 5);
    const std::uint64_t edges = std::uint64_t{1} << 18;
    REQUIRE(generated(g) == edges);
    const double p = std::pow(c.a_plus_d, c.scale);
    const double mean = edges * p, sd = std::sqrt(edges * p * (1 - p));
    CHECK_MESSAGE(std::abs(static_cast<double>(g.counts().self_loops_dropped) - mean) < 5 * sd, c.spec);
  }
}

TEST_CASE("rmat: the id permutation is a bijection of [0, 2^scale) and hides degree") {
  // b = c = 0: every edge is a self loop (u, u) with u's bits iid; 16 loops per node on average,
  // so every id is hit (P(miss) ~ 4096 e^-16) exactly when the permutation is onto.
  const Graph loops = generate(parse_spec("rmat:scale=12,ef=16,a=0.5,b=0,c=0"), {3, true, false});
  const CsrGraph& l = std::get<CsrGraph>(loops);
  CHECK(l.counts().self_loops == 4096);
  for (NodeId v = 0; v < l.num_nodes(); ++v) CHECK(l.degree(v) == 1);
  // Unpermuted, the degree falls with the number of 1 bits of the id ((a+b)/(c+d) = 3 per bit);
  // permuted, ids with few and with many 1 bits have about the same mean degree.
  const CsrGraph g = gen_csr("rmat:scale=16,ef=16");
  double sum[2] = {}, count[2] = {};
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    const int ones = std::popcount(v);
    if (ones == 8) continue;
    sum[ones > 8] += g.degree(v);
    count[ones > 8] += 1;
  }
  const double ratio = (sum[0] / count[0]) / (sum[1] / count[1]);
  CHECK(ratio > 0.8);
  CHECK(ratio < 1.25);
}

TEST_CASE("rmat: a = b = c = d = 1/4 is uniform: degrees ~ Poisson(2 ef)") {
  const CsrGraph g = gen_csr("rmat:scale=16,ef=8,a=0.25,b=0.25,c=0.25");
  CHECK(generated(g) == 8u * 65536u);
  const DegreeMoments d = moments(g);
  CHECK(std::abs(d.mean - 16.0) < 0.1);
  CHECK(std::abs(d.var - 16.0) < 0.8);  // sd of the sample variance ~ 0.1
  CHECK(d.max < 40);                    // P(Poisson(16) >= 40) * 65536 ~ 0.01
}

TEST_CASE("rmat: errors") {
  const auto gen = [](const char* spec) { return generate(parse_spec(spec), {}); };
  CHECK_THROWS_WITH_AS(gen("rmat:scale=10,ef=4,a=0.67"),
                       "rmat: probabilities must sum below 1 (d = 1 - a - b - c > 0), got a + b + c = 1.05",
                       UsageError);
  CHECK_THROWS_WITH_AS(gen("rmat:scale=10,ef=4,a=0.5,b=0.25,c=0.25"),
                       "rmat: probabilities must sum below 1 (d = 1 - a - b - c > 0), got a + b + c = 1",
                       UsageError);
  CHECK_THROWS_WITH_AS(gen("rmat:scale=10,ef=4,b=1.5"),
                       "rmat: parameter 'b' must be a probability in [0, 1], got '1.5'", UsageError);
  CHECK_THROWS_WITH_AS(gen("rmat:scale=0,ef=4"),
                       "rmat: parameter 'scale' must be in [1, 31] (2^scale nodes, below 2^32 - 1), got '0'",
                       UsageError);
  CHECK_THROWS_WITH_AS(gen("rmat:scale=32,ef=4"),
                       "rmat: parameter 'scale' must be in [1, 31] (2^scale nodes, below 2^32 - 1), got '32'",
                       UsageError);
  CHECK_THROWS_WITH_AS(gen("rmat:scale=10,ef=0"), "rmat: parameter 'ef' must be at least 1, got '0'", UsageError);
  CHECK_THROWS_WITH_AS(gen("rmat:scale=31,ef=2^20"),
                       "rmat: ef * 2^scale = 1048576 * 2^31 edges exceeds the limit 2^48", UsageError);
  CHECK_THROWS_WITH_AS(gen("rmat:scale=10"), "rmat: missing parameter 'ef' (valid: scale, ef, a, b, c)",
                       UsageError);
}
