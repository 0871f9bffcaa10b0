// regular:n,d: every degree d, simple and symmetric (sparse, repaired, complemented and complete
// cases), the same CSR for any thread count, seeds that matter, chi-square checks that every
// labelled graph of tiny cases appears as often as its isomorphism class allows and that a large
// matching mixes all stubs, and the parameter errors.
#include <cmath>
#include <map>
#include <string>

#include "core/error.hpp"
#include "support.hpp"

using namespace gossip;
using gossip::test::gen_csr;
using gossip::test::to_vector;

namespace {

std::string spec(std::uint64_t n, std::uint64_t d) {
  return "regular:n=" + std::to_string(n) + ",d=" + std::to_string(d);
}

void check_regular(const CsrGraph& g, NodeId n, NodeId d) {
  REQUIRE(g.num_nodes() == n);
  CHECK(!g.directed());
  CHECK(g.num_arcs() == std::uint64_t{n} * d);
  CHECK(g.num_edges() == std::uint64_t{n} * d / 2);
  CHECK(g.counts().self_loops_dropped == 0);
  CHECK(g.counts().duplicates_dropped == 0);
  CHECK(g.counts().self_loops == 0);
  std::uint64_t bad_degree = 0, unsorted = 0, loops = 0, asymmetric = 0;
  for (NodeId v = 0; v < n; ++v) {
    const auto row = g.neighbors(v);
    bad_degree += row.size() != d;
    for (std::size_t i = 0; i < row.size(); ++i) {
      unsorted += i > 0 && row[i - 1] >= row[i];
      loops += row[i] == v;
      const auto back = g.neighbors(row[i]);
      asymmetric += !std::binary_search(back.begin(), back.end(), v);
    }
  }
  CHECK(bad_degree == 0);
  CHECK(unsorted == 0);
  CHECK(loops == 0);
  CHECK(asymmetric == 0);
}

}  // namespace

TEST_CASE("every degree is d and the graph is simple and symmetric") {
  // (n, d): odd d with even n, a perfect matching, d = 0, K_n, tiny n, many switchings
  // (d = 300, d = (n-1)/2), the complement path (d > (n-1)/2) and its d = n-2 corner.
  const std::vector<std::pair<NodeId, NodeId>> cases = {
      {1, 0},   {2, 1},    {4, 3},     {4, 1},    {4, 2},     {5, 2},     {6, 2},     {6, 3},
      {10, 0},  {10, 3},   {12, 5},    {12, 6},   {100, 1},   {101, 50},  {100, 98},  {1000, 7},
      {1000, 999}, {999, 998}, {2000, 300}, {1000, 600}, {100000, 4}, {300001, 2}};
  for (const auto& [n, d] : cases) {
    for (std::uint64_t seed : {1, 2, 3}) {
      CAPTURE(n);
      CAPTURE(d);
      CAPTURE(seed);
      check_regular(gen_csr(spec(n, d).c_str(), seed), n, d);
    }
  }
}

TEST_CASE("d = 1 is a perfect matching and d = n - 1 the complete graph") {
  const CsrGraph m = gen_csr("regular:n=1000,d=1", 5);
  for (NodeId v = 0; v < 1000; ++v) CHECK(m.neighbor(m.neighbor(v, 0), 0) == v);
  const CsrGraph k = gen_csr("regular:n=7,d=6");
  for (NodeId v = 0; v < 7; ++v)
    for (NodeId i = 0; i < 6; ++i) CHECK(k.neighbor(v, i) == (i < v ? i : i + 1));
  const CsrGraph empty = gen_csr("regular:n=5,d=0");
  CHECK(empty.num_arcs() == 0);
  CHECK(to_vector(empty.offsets()) == std::vector<EdgeIdx>(6, 0));
}

TEST_CASE("the same CSR for any thread count") {
  gossip::test::check_thread_invariant("regular:n=10000,d=7");
  gossip::test::check_thread_invariant("regular:n=300000,d=4");   // several stub blocks and buckets
  gossip::test::check_thread_invariant("regular:n=1000000,d=8");  // 31 blocks, 128 buckets
  gossip::test::check_thread_invariant("regular:n=2000,d=300");   // thousands of switchings
  gossip::test::check_thread_invariant("regular:n=1000,d=600");   // the complement path
}

TEST_CASE("different seeds give different graphs, the same seed the same graph") {
  for (const char* s : {"regular:n=1000,d=3", "regular:n=50,d=40", "regular:n=6,d=3"}) {
    CAPTURE(s);
    const CsrGraph a = gen_csr(s, 1), b = gen_csr(s, 2);
    CHECK(to_vector(a.adjacency()) != to_vector(b.adjacency()));
    CHECK(to_vector(a.adjacency()) == to_vector(gen_csr(s, 1).adjacency()));
  }
}

namespace {

// Pearson's chi-square of counts against equal frequencies, below dof + 6 sd (a correct sampler
// fails about once in 10^6 runs).
void check_equal_frequencies(const std::vector<int>& counts) {
  double total = 0;
  for (int c : counts) total += c;
  const double expected = total / static_cast<double>(counts.size());
  double chi2 = 0;
  for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
  const double dof = static_cast<double>(counts.size() - 1);
  CAPTURE(chi2);
  CHECK(chi2 < dof + 6 * std::sqrt(2 * dof));
}

// Labelled graph (its adjacency) -> how often each seed in 1..samples produced it.
std::map<std::vector<NodeId>, int> frequencies(const char* s, int samples) {
  std::map<std::vector<NodeId>, int> freq;
  for (int seed = 1; seed <= samples; ++seed)
    ++freq[to_vector(gen_csr(s, static_cast<std::uint64_t>(seed), 1).adjacency())];
  return freq;
}

}  // namespace

// n=4, d=2: the 3 labelled squares (complements of perfect matchings: exact). n=5, d=2: the 12
// labelled pentagons, many from repaired pairings.
TEST_CASE("tiny cases: every labelled graph appears, equally often") {
  for (const auto& [s, graphs, samples] :
       {std::tuple{"regular:n=4,d=2", 3, 1500}, std::tuple{"regular:n=5,d=2", 12, 3000}}) {
    CAPTURE(s);
    const auto freq = frequencies(s, samples);
    CHECK(freq.size() == static_cast<std::size_t>(graphs));
    std::vector<int> counts;
    for (const auto& [adj, c] : freq) counts.push_back(c);
    check_equal_frequencies(counts);
  }
}

// n=6, d=2: 60 hexagons and 10 pairs of triangles. Switching repair favours hexagons (measured:
// 0.91 of 60000 samples, uniform is 6/7 = 0.857), so only the classes are tested for uniformity
// (no label is favoured), and the hexagon share for gross bias.
TEST_CASE("n=6, d=2: all 70 labelled graphs, uniform within each isomorphism class") {
  const int samples = 14000;
  const auto freq = frequencies("regular:n=6,d=2", samples);
  CHECK(freq.size() == 70);
  std::vector<int> hexagons, triangles;
  for (const auto& [adj, c] : freq) {
    // Row v is adj[2v], adj[2v+1]: walk the cycle through node 0 and measure its length.
    NodeId prev = 0, cur = adj[0], length = 1;
    while (cur != 0) {
      const NodeId next = adj[2 * cur] == prev ? adj[2 * cur + 1] : adj[2 * cur];
      prev = cur, cur = next, ++length;
    }
    (length == 6 ? hexagons : triangles).push_back(c);
  }
  REQUIRE(hexagons.size() == 60);
  REQUIRE(triangles.size() == 10);
  check_equal_frequencies(hexagons);
  check_equal_frequencies(triangles);
  double share = 0;
  for (int c : hexagons) share += c;
  share /= samples;
  CHECK(share > 0.83);
  CHECK(share < 0.95);
}

// A perfect matching of 2^20 nodes (4 stub blocks, 32 buckets): edges between 16 node groups as
// often as a uniform matching gives them, so the bucketed parallel shuffle mixes all stubs.
TEST_CASE("a large matching pairs node groups uniformly") {
  const NodeId n = 1 << 20, group = n / 16;
  const CsrGraph g = gen_csr("regular:n=2^20,d=1", 3);
  std::vector<int> cells(16 * 16, 0);
  for (NodeId v = 0; v < n; ++v)
    if (v < g.neighbor(v, 0)) ++cells[v / group * 16 + g.neighbor(v, 0) / group];
  // Off-diagonal cells hold group^2 node pairs, diagonal ones half as many: compare counts per
  // pair class separately.
  std::vector<int> diagonal, off;
  for (NodeId i = 0; i < 16; ++i)
    for (NodeId j = 0; j < 16; ++j) {
      if (i == j) diagonal.push_back(cells[i * 16 + j]);
      else if (i < j) off.push_back(cells[i * 16 + j] + cells[j * 16 + i]);
    }
  check_equal_frequencies(diagonal);
  check_equal_frequencies(off);
  double d_sum = 0, o_sum = 0;
  for (int c : diagonal) d_sum += c;
  for (int c : off) o_sum += c;
  // Uniform: a diagonal cell expects group(group-1)/2 / (group^2) of an off-diagonal one.
  CHECK(d_sum / 16 == doctest::Approx(o_sum / 120 * (group - 1.0) / (2.0 * group)).epsilon(0.02));
}

TEST_CASE("parameter errors name the family and the parameter") {
  auto make = [](const char* s) { return generate(parse_spec(s), {}); };
  CHECK_THROWS_WITH_AS(make("regular:n=10,d=10"),
                       "regular: parameter 'd' must be below n = 10, got '10'", gossip::UsageError);
  CHECK_THROWS_WITH_AS(make("regular:n=10,d=25"),
                       "regular: parameter 'd' must be below n = 10, got '25'", gossip::UsageError);
  CHECK_THROWS_WITH_AS(make("regular:n=5,d=3"), "regular: n * d must be even, got n = 5, d = 3",
                       gossip::UsageError);
  CHECK_THROWS_AS(make("regular:n=0,d=0"), gossip::UsageError);
  CHECK_THROWS_AS(make("regular:n=10"), gossip::UsageError);
  CHECK_THROWS_AS(make("regular:n=10,d=2,p=3"), gossip::UsageError);
}
