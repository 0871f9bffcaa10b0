// Union-find components: exact labels on tiny graphs (the smallest id of each component),
// isolated nodes, directed (weak) components, thread invariance on a large graph.
#include "graph/components.hpp"

#include "graph/stats.hpp"
#include "support.hpp"

using namespace gossip;
using gossip::test::build;
using gossip::test::to_vector;

//  0 - 3     1 - 2 - 5     4     6 (self loop kept)
TEST_CASE("labels are the smallest id of each component") {
  const CsrGraph g = build(7, {{0, 3}, {5, 2}, {2, 1}, {6, 6}}, {.keep_self_loops = true});
  const Array<NodeId> c = component_labels(g);
  CHECK(std::vector<NodeId>(c.begin(), c.end()) == std::vector<NodeId>{0, 1, 1, 0, 4, 1, 6});
  const ComponentSummary s = summarize_components(g);
  CHECK(s.count == 4);
  CHECK(s.largest == 3);
  CHECK(s.isolated == 1);  // node 4; node 6 has a self loop
}

// 0 -> 1 <- 2,  3 -> 4
TEST_CASE("directed graphs give weak components") {
  const CsrGraph g = build(6, {{0, 1}, {2, 1}, {3, 4}}, {.directed = true});
  const ComponentSummary s = summarize_components(g);
  CHECK(s.count == 3);
  CHECK(s.largest == 3);
  CHECK(s.isolated == 1);  // node 5; node 1 has in-arcs only, node 4 too
}

TEST_CASE("many components, several threads") {
  // 50000 disjoint paths of 4 nodes, ids interleaved so components span all blocks.
  std::vector<Edge> edges;
  const NodeId k = 50000;
  for (NodeId p = 0; p < k; ++p)
    for (NodeId j = 0; j < 3; ++j) edges.push_back({j * k + p, (j + 1) * k + p});
  const CsrGraph g = build(4 * k, edges);
  for (int threads : {1, 2, 4}) {
    const ComponentSummary s = gossip::test::with_threads(threads, [&] { return summarize_components(g); });
    CHECK(s.count == k);
    CHECK(s.largest == 4);
    const Array<NodeId> c = gossip::test::with_threads(threads, [&] { return component_labels(g); });
    for (NodeId v = 0; v < 4 * k; v += 997) CHECK(c[v] == v % k);
  }
}

TEST_CASE("graph_stats on a torus and a hypercube") {
  const GraphStats t = graph_stats(gossip::test::gen_csr("grid:rows=10,cols=10,torus=1"));
  CHECK(t.n == 100);
  CHECK(t.edges == 200);
  CHECK(t.degree_min == 4);
  CHECK(t.degree_max == 4);
  CHECK(t.degree_mean == 4.0);
  CHECK(t.components == 1);
  CHECK(t.memory_bytes == 101 * 8 + 400 * 4);
}
