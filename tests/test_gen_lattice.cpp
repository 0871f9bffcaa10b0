// Deterministic families: exact degree sequences and adjacency for ring, path, star, grid,
// torus and hypercube; the complete graph's implicit interface.
#include <doctest/doctest.h>

#include <bit>

#include "core/rng.hpp"
#include "graph/stats.hpp"
#include "support.hpp"

using namespace gossip;
using gossip::test::gen_csr;
using gossip::test::to_vector;

namespace {
std::vector<std::uint64_t> degrees(const CsrGraph& g) {
  std::vector<std::uint64_t> d;
  for (NodeId v = 0; v < g.num_nodes(); ++v) d.push_back(g.degree(v));
  return d;
}
}  // namespace

TEST_CASE("ring: every degree 2, neighbours u-1 and u+1") {
  const CsrGraph g = gen_csr("ring:n=5");
  CHECK(to_vector(g.adjacency()) == std::vector<NodeId>{1, 4, 0, 2, 1, 3, 2, 4, 0, 3});
  CHECK(g.num_edges() == 5);
}

TEST_CASE("path and star") {
  const CsrGraph p = gen_csr("path:n=4");  // 0 - 1 - 2 - 3
  CHECK(degrees(p) == std::vector<std::uint64_t>{1, 2, 2, 1});
  CHECK(to_vector(p.adjacency()) == std::vector<NodeId>{1, 0, 2, 1, 3, 2});
  const CsrGraph s = gen_csr("star:n=5");
  CHECK(degrees(s) == std::vector<std::uint64_t>{4, 1, 1, 1, 1});
  CHECK(to_vector(s.neighbors(0)) == std::vector<NodeId>{1, 2, 3, 4});
  CHECK(gen_csr("path:n=1").num_arcs() == 0);
}

//  0 - 1 - 2
//  |   |   |
//  3 - 4 - 5
TEST_CASE("grid: exact rows; corners 2, borders 3, inside 4") {
  const CsrGraph g = gen_csr("grid:rows=2,cols=3");
  CHECK(to_vector(g.offsets()) == std::vector<EdgeIdx>{0, 2, 5, 7, 9, 12, 14});
  CHECK(to_vector(g.adjacency()) == std::vector<NodeId>{1, 3, 0, 2, 4, 1, 5, 0, 4, 1, 3, 5, 2, 4});
  const CsrGraph big = gen_csr("grid:rows=30,cols=40");
  std::uint64_t counts[5] = {};
  for (NodeId v = 0; v < big.num_nodes(); ++v) ++counts[big.degree(v)];
  CHECK(counts[2] == 4);
  CHECK(counts[3] == 2 * (28 + 38));
  CHECK(counts[4] == 28 * 38);
  CHECK(big.num_edges() == 30 * 39 + 40 * 29);
}

TEST_CASE("torus: every degree 4, wrap-around neighbours") {
  const CsrGraph t = gen_csr("grid:rows=3,cols=4,torus=1");
  for (NodeId v = 0; v < t.num_nodes(); ++v) CHECK(t.degree(v) == 4);
  CHECK(to_vector(t.neighbors(0)) == std::vector<NodeId>{1, 3, 4, 8});
  CHECK(t.num_edges() == 24);
}

TEST_CASE("hypercube: degree dim, neighbours differ in one bit") {
  const CsrGraph h = gen_csr("hypercube:dim=10");
  CHECK(h.num_nodes() == 1024);
  for (NodeId v = 0; v < h.num_nodes(); ++v) {
    CHECK(h.degree(v) == 10);
    for (NodeId w : h.neighbors(v)) CHECK(std::popcount(v ^ w) == 1);
  }
  CHECK(gen_csr("hypercube:dim=0").num_nodes() == 1);
}

TEST_CASE("lattice families are the same for any thread count") {
  for (const char* spec : {"ring:n=100000", "grid:rows=300,cols=301,torus=1", "hypercube:dim=17", "star:n=70000"})
    gossip::test::check_thread_invariant(spec);
}

TEST_CASE("complete graph: implicit neighbours skip v; random neighbours uniform over the others") {
  const Graph g = generate(parse_spec("complete:n=5"), {});
  const auto& k = std::get<CompleteGraph>(g);
  CHECK(k.degree(2) == 4);
  std::vector<NodeId> row;
  for (NodeId i = 0; i < k.degree(2); ++i) row.push_back(k.neighbor(2, i));
  CHECK(row == std::vector<NodeId>{0, 1, 3, 4});
  // 40000 draws over 4 neighbours: each count is Binomial(40000, 1/4), sd ~ 87; allow 5 sd.
  const Rng rng(42, 0, 1);
  std::uint64_t hits[5] = {};
  for (std::uint32_t i = 0; i < 40000; ++i) {
    auto s = rng.stream(i);
    ++hits[k.random_neighbor(2, s)];
  }
  CHECK(hits[2] == 0);
  for (NodeId v : {0u, 1u, 3u, 4u}) CHECK(std::abs(static_cast<double>(hits[v]) - 10000.0) < 5 * 86.6);
  const GraphStats s = graph_stats(g);
  CHECK(s.edges == 10);
  CHECK(s.largest_component == 5);
}
