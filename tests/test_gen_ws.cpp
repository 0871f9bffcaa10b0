// ws: beta = 0 is exactly the ring lattice; every rewired edge keeps its first end (degree
// >= k/2 up to dropped duplicates, degree variance k/2 at beta = 1); the number of edges leaving
// the lattice is Binomial(n k/2, beta) thinned by landing back on it; exact accounting; errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "support.hpp"

using namespace gossip;
using gossip::test::gen_csr;
using gossip::test::to_vector;

namespace {
// Ring distance of an edge's ends.
std::uint64_t ring_distance(NodeId u, NodeId v, NodeId n) {
  const std::uint64_t d = u > v ? u - v : v - u;
  return std::min<std::uint64_t>(d, n - d);
}
}  // namespace

TEST_CASE("ws: beta = 0 is the ring lattice, k/2 neighbours each side") {
  const CsrGraph g = gen_csr("ws:n=10,k=4,beta=0");
  for (NodeId u = 0; u < 10; ++u) {
    std::vector<NodeId> row = {(u + 8) % 10, (u + 9) % 10, (u + 1) % 10, (u + 2) % 10};
    std::sort(row.begin(), row.end());
    CHECK(to_vector(g.neighbors(u)) == row);
  }
  CHECK(g.counts().duplicates_dropped == 0);
  const CsrGraph k7 = gen_csr("ws:n=7,k=6,beta=0");  // k = n - 1: the complete graph
  for (NodeId u = 0; u < 7; ++u) CHECK(k7.degree(u) == 6);
  const CsrGraph big = gen_csr("ws:n=100000,k=8,beta=0");
  for (NodeId u = 0; u < big.num_nodes(); ++u)
    for (NodeId v : big.neighbors(u)) CHECK(ring_distance(u, v, big.num_nodes()) <= 4);
  CHECK(big.num_edges() == 400000);
}

TEST_CASE("ws: the same graph for any thread count") {
  gossip::test::check_thread_invariant("ws:n=200000,k=6,beta=0.2");
  gossip::test::check_thread_invariant("ws:n=100000,k=10,beta=1", 3);
}

TEST_CASE("ws: rewired edges ~ Binomial(n k/2, beta), minus those landing back in the lattice") {
  const NodeId n = 100000;
  const std::uint64_t k = 10, lattice = n * k / 2;
  const double beta = 0.3;
  const CsrGraph g = gen_csr("ws:n=1e5,k=10,beta=0.3", 4);
  CHECK(g.counts().self_loops_dropped == 0);
  CHECK(g.num_edges() + g.counts().duplicates_dropped == lattice);
  std::uint64_t outside = 0;
  for (NodeId u = 0; u < n; ++u)
    for (NodeId v : g.neighbors(u)) outside += u < v && ring_distance(u, v, n) > k / 2;
  // A rewired end is uniform over the n - 1 others, so it leaves the lattice w.p. 1 - k/(n-1).
  const double mean = lattice * beta * (1.0 - static_cast<double>(k) / (n - 1));
  const double sd = std::sqrt(lattice * beta * (1 - beta));
  CHECK(std::abs(static_cast<double>(outside) - mean) < 5 * sd);
}

TEST_CASE("ws: beta = 1 keeps each node's own k/2 ends; the rest of its degree is ~ Poisson(k/2)") {
  const NodeId n = 100000;
  const std::uint64_t k = 10;
  const CsrGraph g = gen_csr("ws:n=1e5,k=10,beta=1", 8);
  const std::uint64_t dups = g.counts().duplicates_dropped;
  CHECK(g.num_edges() + dups == n * k / 2);
  CHECK(dups < 100);  // expected ~ k^2 / 4 = 25
  double sum = 0, sum_sq = 0;
  std::uint64_t deficit = 0;
  for (NodeId u = 0; u < n; ++u) {
    const double d = g.degree(u);
    sum += d;
    sum_sq += d * d;
    if (g.degree(u) < k / 2) deficit += k / 2 - g.degree(u);
  }
  CHECK(deficit <= 2 * dups);  // a node loses an own end only to a dropped duplicate
  const double mean = sum / n, var = sum_sq / n - mean * mean;
  CHECK(std::abs(mean - static_cast<double>(k)) < 0.01);
  // Degree = k/2 + Binomial(~n k/2, 1/(n-1)): variance k/2 = 5 (moving both ends would give k).
  // The sample variance's sd is ~ sqrt((2 * 25 + 5) / n) = 0.023; allow 0.15.
  CHECK(std::abs(var - k / 2.0) < 0.15);
}

TEST_CASE("ws: errors") {
  const auto gen = [](const char* spec) { return generate(parse_spec(spec), {}); };
  CHECK_THROWS_WITH_AS(gen("ws:n=10,k=3,beta=0.1"),
                       "ws: parameter 'k' must be even, at least 2 and below n = 10, got '3'", UsageError);
  CHECK_THROWS_WITH_AS(gen("ws:n=10,k=10,beta=0.1"),
                       "ws: parameter 'k' must be even, at least 2 and below n = 10, got '10'", UsageError);
  CHECK_THROWS_WITH_AS(gen("ws:n=10,k=0,beta=0.1"),
                       "ws: parameter 'k' must be even, at least 2 and below n = 10, got '0'", UsageError);
  CHECK_THROWS_WITH_AS(gen("ws:n=10,k=4,beta=1.5"),
                       "ws: parameter 'beta' must be a probability in [0, 1], got '1.5'", UsageError);
  CHECK_THROWS_WITH_AS(gen("ws:n=2,k=2,beta=0"), "ws: parameter 'n' must be at least 3, got '2'", UsageError);
  CHECK_THROWS_WITH_AS(gen("ws:n=10,k=4"), "ws: missing parameter 'beta' (valid: n, k, beta)", UsageError);
}
