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

// Labels by a serial breadth-first search over arcs taken both ways: the smallest id of each
// weak component.
std::vector<NodeId> bfs_labels(const CsrGraph& g) {
  const NodeId n = g.num_nodes();
  std::vector<std::vector<NodeId>> adj(n);
  for (NodeId u = 0; u < n; ++u)
    for (NodeId v : g.neighbors(u)) {
      adj[u].push_back(v);
      adj[v].push_back(u);
    }
  std::vector<NodeId> label(n, kNoNode);
  for (NodeId s = 0; s < n; ++s) {
    if (label[s] != kNoNode) continue;
    std::vector<NodeId> queue{s};
    label[s] = s;
    for (std::size_t i = 0; i < queue.size(); ++i)
      for (NodeId w : adj[queue[i]])
        if (label[w] == kNoNode) label[w] = s, queue.push_back(w);
  }
  return label;
}

TEST_CASE("labels equal a serial BFS: a giant component and many small ones, undirected and directed") {
  // Mean degree 1.2 and 2: a giant component beside thousands of small trees, so the sampled
  // component's nodes skip their remaining arcs while the others link theirs; directed graphs
  // (weak components) link every arc.
  for (const char* spec : {"er:n=40000,d=1.2", "er:n=40000,d=2", "er:n=40000,d=2,directed=1", "rmat:scale=14,ef=4"}) {
    const CsrGraph g = gossip::test::gen_csr(spec);
    const std::vector<NodeId> want = bfs_labels(g);
    std::vector<std::uint64_t> size(g.num_nodes(), 0);
    for (NodeId l : want) ++size[l];
    std::uint64_t count = 0, largest = 0;
    for (NodeId v = 0; v < g.num_nodes(); ++v)
      if (want[v] == v) ++count, largest = std::max(largest, size[v]);
    REQUIRE(count > 100);                   // many components
    REQUIRE(largest > g.num_nodes() / 10);  // and a giant one
    for (int threads : {1, 2, 4}) {
      CAPTURE(spec);
      CAPTURE(threads);
      const Array<NodeId> c = gossip::test::with_threads(threads, [&] { return component_labels(g); });
      CHECK(std::vector<NodeId>(c.begin(), c.end()) == want);
      const ComponentSummary s = gossip::test::with_threads(threads, [&] { return summarize_components(g); });
      CHECK(s.count == count);
      CHECK(s.largest == largest);
    }
  }
}
