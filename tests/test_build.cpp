// build_csr: exact CSR arrays for tiny edge lists, self loops and duplicates dropped or kept,
// directed vs undirected, the same arrays for any thread count and block layout.
#include "graph/build.hpp"
#include "support.hpp"

using namespace gossip;
using gossip::test::build;
using gossip::test::to_vector;

// 0 --- 1
// | \   |        edges 0-1, 0-2, 0-3, 1-3, plus a self loop 2-2 and the duplicate 1-0
// 2   `-3
TEST_CASE("undirected edge list gives exact CSR, loops and duplicates dropped") {
  const CsrGraph g = build(4, {{0, 1}, {0, 2}, {2, 2}, {0, 3}, {1, 3}, {1, 0}});
  CHECK(g.num_nodes() == 4);
  CHECK(!g.directed());
  CHECK(to_vector(g.offsets()) == std::vector<EdgeIdx>{0, 3, 5, 6, 8});
  CHECK(to_vector(g.adjacency()) == std::vector<NodeId>{1, 2, 3, 0, 3, 0, 0, 1});
  CHECK(g.num_edges() == 4);
  CHECK(g.counts().self_loops_dropped == 1);
  CHECK(g.counts().duplicates_dropped == 1);
  CHECK(g.degree(0) == 3);
  CHECK(g.neighbor(1, 1) == 3);
}

TEST_CASE("keep options keep loops and duplicates") {
  const CsrGraph g = build(3, {{0, 1}, {1, 0}, {2, 2}, {2, 2}},
                           {.directed = false, .keep_self_loops = true, .keep_duplicates = true});
  CHECK(to_vector(g.offsets()) == std::vector<EdgeIdx>{0, 2, 4, 6});
  CHECK(to_vector(g.adjacency()) == std::vector<NodeId>{1, 1, 0, 0, 2, 2});
  CHECK(g.counts().self_loops == 2);
  CHECK(g.num_edges() == 4);

  const CsrGraph loops_only = build(3, {{0, 1}, {1, 0}, {2, 2}, {2, 2}},
                                    {.directed = false, .keep_self_loops = true});
  CHECK(to_vector(loops_only.adjacency()) == std::vector<NodeId>{1, 0, 2});
  CHECK(loops_only.counts().duplicates_dropped == 2);
  CHECK(loops_only.counts().self_loops == 1);
  CHECK(loops_only.num_edges() == 2);
}

// 0 -> 1 -> 2 -> 0, 0 -> 2 twice
TEST_CASE("directed edge list stores one direction") {
  const CsrGraph g = build(3, {{0, 1}, {1, 2}, {2, 0}, {0, 2}, {0, 2}}, {.directed = true});
  CHECK(g.directed());
  CHECK(to_vector(g.offsets()) == std::vector<EdgeIdx>{0, 2, 3, 4});
  CHECK(to_vector(g.adjacency()) == std::vector<NodeId>{1, 2, 2, 0});
  CHECK(g.counts().duplicates_dropped == 1);
  CHECK(g.num_edges() == 4);
}

TEST_CASE("isolated nodes and an empty edge list") {
  const CsrGraph g = build(5, {{3, 1}});
  CHECK(to_vector(g.offsets()) == std::vector<EdgeIdx>{0, 0, 1, 1, 2, 2});
  const CsrGraph empty = build(3, {});
  CHECK(empty.num_arcs() == 0);
  CHECK(to_vector(empty.offsets()) == std::vector<EdgeIdx>{0, 0, 0, 0});
}

TEST_CASE("an endpoint outside the graph is an internal error, not a crash") {
  CHECK_THROWS_AS(build(2, {{0, 2}}), std::logic_error);
}

TEST_CASE("compaction across many row blocks matches a serial reference") {
  // 20000 nodes (several 4096-row blocks), every edge given three times, plus loops.
  std::vector<Edge> edges;
  for (NodeId u = 0; u < 20000; ++u) {
    const NodeId v = (u * 7919u + 13) % 20000;
    for (int rep = 0; rep < 3; ++rep) edges.push_back({u, v});
    edges.push_back({u, u});
  }
  std::vector<std::vector<NodeId>> rows(20000);
  std::uint64_t distinct = 0;
  for (NodeId u = 0; u < 20000; ++u) {
    const NodeId v = (u * 7919u + 13) % 20000;
    if (u == v) continue;
    rows[u].push_back(v);
    rows[v].push_back(u);
  }
  std::vector<NodeId> flat;
  for (auto& r : rows) {
    std::sort(r.begin(), r.end());
    r.erase(std::unique(r.begin(), r.end()), r.end());
    distinct += r.size();
    flat.insert(flat.end(), r.begin(), r.end());
  }
  for (int threads : {1, 2, 4}) {
    const CsrGraph g = gossip::test::with_threads(threads, [&] {
      return build_csr(gossip::test::EdgeList{20000, edges, 37}, {});
    });
    CHECK(to_vector(g.adjacency()) == flat);
    CHECK(g.num_arcs() == distinct);
    CHECK(g.counts().self_loops_dropped == 20000);
  }
}
