// Ligra adjacency-graph loader (io/ligra.hpp): exact CSR of the triangle-with-tail graph,
// unsorted rows, weighted files, numbers several to a line, a directed graph symmetrized with a
// warning (kept as arcs with directed), the same CSR as the edge-list loader for any thread count
// and chunk size, and every error with its position.
#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/edge_list.hpp"
#include "io/ligra.hpp"
#include "support.hpp"

using namespace gossip;
using gossip::test::to_vector;
using gossip::test::with_threads;

namespace {

CsrGraph load(std::string_view text, io::LoadOptions opt = {}, io::LoadNotes* notes = nullptr) {
  io::LoadNotes local;
  return io::load_ligra(text, "g.adj", opt, notes ? *notes : local);
}

std::string error_of(std::string_view text) { return gossip::test::input_error([&] { return load(text); }); }

std::string lines(const std::vector<std::uint64_t>& xs, std::string_view head) {
  std::string s(head);
  for (std::uint64_t x : xs) s += std::to_string(x) + "\n";
  return s;
}

// A triangle 0-1-2 with a tail 2-3-4, every edge in both rows.
const std::vector<std::uint64_t> kTailOffsets{0, 2, 4, 7, 9};
const std::vector<std::uint64_t> kTailEdges{1, 2, 0, 2, 0, 1, 3, 2, 4, 3};
const std::vector<NodeId> kTailAdj{1, 2, 0, 2, 0, 1, 3, 2, 4, 3};

std::string tail() {
  std::vector<std::uint64_t> all = kTailOffsets;
  all.insert(all.end(), kTailEdges.begin(), kTailEdges.end());
  return lines(all, "AdjacencyGraph\n5\n10\n");
}

}  // namespace

TEST_CASE("ligra: the triangle with a tail, undirected and as arcs") {
  io::LoadNotes notes;
  const CsrGraph g = load(tail(), {}, &notes);
  CHECK_FALSE(g.directed());
  CHECK(to_vector(g.offsets()) == std::vector<EdgeIdx>{0, 2, 4, 7, 9, 10});
  CHECK(to_vector(g.adjacency()) == kTailAdj);
  CHECK(g.num_edges() == 5);
  CHECK(g.counts().duplicates_dropped == 0);
  CHECK(notes.warnings.empty());
  CHECK(notes.lines == 10);
  CHECK(load(tail(), {.directed = true}).directed());
  // Rows unsorted, numbers several to a line, CRLF, the weighted form (weights may be negative).
  CHECK(to_vector(load("AdjacencyGraph 5 10\r\n0 2 4 7 9\r\n2 1 2 0 3 1 0 4 2 3\r\n").adjacency()) == kTailAdj);
  const std::string w = "WeightedAdjacencyGraph\n5\n10\n0\n2\n4\n7\n9\n1 2 0 2 0 1 3 2 4 3\n5 5 -1 0 7 7 7 2 2 9\n";
  CHECK(to_vector(load(w).adjacency()) == kTailAdj);
  // Empty rows (equal offsets): the first and the last; 1 -> 2 and 2 -> 1.
  const CsrGraph e = load("AdjacencyGraph\n4\n2\n0\n0\n1\n2\n2\n1\n");
  CHECK(to_vector(e.offsets()) == std::vector<EdgeIdx>{0, 0, 1, 2, 2});
  CHECK(to_vector(e.adjacency()) == std::vector<NodeId>{2, 1});
}

TEST_CASE("ligra: a directed graph is symmetrized with a warning, kept with directed") {
  const std::string text = "AdjacencyGraph\n3\n3\n0\n2\n3\n1\n2\n2\n";  // 0->1, 0->2, 1->2
  io::LoadNotes notes;
  const CsrGraph s = load(text, {}, &notes);
  CHECK(to_vector(s.adjacency()) == std::vector<NodeId>{1, 2, 0, 2, 0, 1});
  CHECK(s.num_edges() == 3);
  REQUIRE(notes.warnings.size() == 1);
  CHECK(notes.warnings[0] == "g.adj: 3 of 3 arcs have no reverse arc (it is a directed Ligra graph); the graph was "
                             "symmetrized (graph.directed = true, --directed, keeps the arcs)");
  const CsrGraph d = load(text, {.directed = true});
  CHECK(to_vector(d.offsets()) == std::vector<EdgeIdx>{0, 2, 3, 3});
  CHECK(to_vector(d.adjacency()) == std::vector<NodeId>{1, 2, 2});
  // A self loop dropped and counted, a duplicated arc pair counted once per edge.
  const CsrGraph l = load("AdjacencyGraph\n3\n5\n0\n3\n5\n0\n1\n1\n0\n0\n");
  CHECK(to_vector(l.adjacency()) == std::vector<NodeId>{1, 0});
  CHECK(l.counts().self_loops_dropped == 1);
  CHECK(l.counts().duplicates_dropped == 1);
  // Kept duplicates: 0 -> 1 twice, 1 -> 0 once is not symmetric; the union has the edge twice.
  io::LoadNotes kn;
  const CsrGraph k = load("AdjacencyGraph\n2\n3\n0\n2\n1\n1\n0\n", {.keep_duplicates = true}, &kn);
  CHECK(to_vector(k.adjacency()) == std::vector<NodeId>{1, 1, 0, 0});
  CHECK(k.num_edges() == 2);
  REQUIRE(kn.warnings.size() == 1);
  CHECK(kn.warnings[0].starts_with("g.adj: 1 of 3 arcs have no reverse arc"));
  // Repeated arcs without reverses count once per edge, as in an edge list (0 1, 0 1, 2 3, 2 3).
  CHECK(load("AdjacencyGraph\n4\n4\n0\n2\n2\n4\n1\n1\n3\n3\n").counts().duplicates_dropped == 2);
}

TEST_CASE("ligra: four arcs an unkeyed checksum took for symmetric") {
  // Arcs found by a birthday search against splitmix64 without a key: their +/- terms cancelled,
  // and the graph was read as undirected with 4 arcs and no warning.
  constexpr NodeId n = 8192;
  const std::vector<std::pair<NodeId, NodeId>> arcs{{15, 2721}, {1231, 5184}, {5711, 2387}, {6520, 1557}};
  std::vector<std::uint64_t> all, targets;
  for (NodeId u = 0; u < n; ++u) {
    all.push_back(targets.size());
    for (const auto& [a, b] : arcs)
      if (a == u) targets.push_back(b);
  }
  all.insert(all.end(), targets.begin(), targets.end());
  io::LoadNotes notes;
  const CsrGraph g = load(lines(all, "AdjacencyGraph\n8192\n4\n"), {}, &notes);
  CHECK(g.num_arcs() == 8);
  REQUIRE(notes.warnings.size() == 1);
  CHECK(notes.warnings[0].starts_with("g.adj: 4 of 4 arcs have no reverse arc"));
}

TEST_CASE("ligra: the edge-list loader's CSR for any thread count and chunk size") {
  std::mt19937_64 rng(5);
  constexpr NodeId n = 600;
  std::vector<std::vector<std::uint64_t>> rows(n);
  std::string edges;
  for (int i = 0; i < 2500; ++i) {
    const auto u = static_cast<NodeId>(rng() % n), v = static_cast<NodeId>(rng() % n);
    rows[u].push_back(v);  // arcs, duplicates and self loops included: a directed Ligra graph
    edges += std::to_string(u) + " " + std::to_string(v) + "\n";
  }
  std::vector<std::uint64_t> offsets, targets;
  for (const auto& r : rows) {
    offsets.push_back(targets.size());
    targets.insert(targets.end(), r.begin(), r.end());
  }
  std::vector<std::uint64_t> all = offsets;
  all.insert(all.end(), targets.begin(), targets.end());
  const std::string text = lines(all, "AdjacencyGraph\n" + std::to_string(n) + "\n" + std::to_string(targets.size()) + "\n");
  io::LoadNotes notes;
  for (bool directed : {false, true}) {
    const CsrGraph ref = io::load_edge_list(edges, "e.txt", {.directed = directed}, notes);
    REQUIRE(ref.num_nodes() == n);
    for (std::size_t chunk : std::initializer_list<std::size_t>{1, 7, 1000, std::size_t{1} << 22})
      for (int threads : {1, 2, 4}) {
        const CsrGraph g = with_threads(threads, [&] { return load(text, {.directed = directed, .chunk_bytes = chunk}); });
        CHECK(g.directed() == directed);
        CHECK(to_vector(g.offsets()) == to_vector(ref.offsets()));
        CHECK(to_vector(g.adjacency()) == to_vector(ref.adjacency()));
        CHECK(g.counts().self_loops_dropped == ref.counts().self_loops_dropped);
        // Directed both count repeated arcs; undirected the edge list counts "1 0" after "0 1" as a
        // duplicate, where arcs in both rows are the symmetric form (here: dropped arcs / 2).
        if (directed) CHECK(g.counts().duplicates_dropped == ref.counts().duplicates_dropped);
      }
  }
}

TEST_CASE("ligra errors") {
  CHECK(error_of("") == "g.adj:1:1: expected 'AdjacencyGraph', found end of file");
  CHECK(error_of("AdjGraph\n") == "g.adj:1:1: expected 'AdjacencyGraph' or 'WeightedAdjacencyGraph', found 'AdjGraph'");
  CHECK(error_of("AdjacencyGraph\n") == "g.adj:2:1: expected the node count n, found end of file");
  CHECK(error_of("AdjacencyGraph\nx\n") == "g.adj:2:1: expected the node count n, found 'x'");
  CHECK(error_of("AdjacencyGraph\n0\n0\n") == "g.adj:2:1: expected a node count n >= 1, found 0");
  CHECK(error_of("AdjacencyGraph\n2\n") == "g.adj:3:1: expected the arc count m, found end of file");
  CHECK(error_of("AdjacencyGraph\n2\n18446744073709551615\n0\n") ==
        "g.adj:3:1: expected an arc count m below 2^62, found 18446744073709551615");
  // The first error in file order: a bad offset before a short file, an offset's order before
  // a later bad neighbor id.
  CHECK(error_of("AdjacencyGraph\n3\n5\n0\nx\n") == "g.adj:5:1: expected row offset 1, found 'x'");
  CHECK(error_of("AdjacencyGraph\n3\n2\n0\n2\n1\n0\n9\n") ==
        "g.adj:6:1: expected non-decreasing row offsets, found row offset 2 = 1 after 2");
  CHECK(error_of("AdjacencyGraph\n3\n2\n0\n5\nx\n1\n1\n") ==  // offset 1 > m before the bad offset 2
        "g.adj:5:1: expected row offsets at most m = 2, found row offset 1 = 5");
  CHECK(error_of("AdjacencyGraph\n3\n2\n0\n5\n") == "g.adj:5:1: expected row offsets at most m = 2, found row offset 1 = 5");
  CHECK(error_of("AdjacencyGraph\n3\n2\n0\n2\n1\n") ==  // decreasing among the offsets of a short file
        "g.adj:6:1: expected non-decreasing row offsets, found row offset 2 = 1 after 2");
  CHECK(error_of("AdjacencyGraph\n2\n1\n0\n") ==
        "g.adj:5:1: expected n + m = 3 numbers after the header (n offsets, m neighbor ids), found 1");
  CHECK(error_of("WeightedAdjacencyGraph\n2\n1\n0\n1\n1\n") ==
        "g.adj:7:1: expected n + 2m = 4 numbers after the header (n offsets, m neighbor ids, m weights), found 3");
  CHECK(error_of("AdjacencyGraph\n2\n1\n0\n1\n1\n7\n") ==
        "g.adj:7:1: expected n + m = 3 numbers after the header (n offsets, m neighbor ids), found more");
  CHECK(error_of("AdjacencyGraph\n2\n1\n0\nq\n1\n") == "g.adj:5:1: expected row offset 1, found 'q'");
  CHECK(error_of("AdjacencyGraph\n2\n1\n0\n1\n2\n") == "g.adj:6:1: expected a neighbor id below n = 2, found '2'");
  CHECK(error_of("AdjacencyGraph\n2\n1\n0\n1\n-1\n") ==
        "g.adj:6:1: expected a neighbor id below n = 2, found '-1' (ids must not be negative)");
  CHECK(error_of("WeightedAdjacencyGraph\n2\n1\n0\n1\n1\n1.5\n") == "g.adj:7:1: expected an integer edge weight, found '1.5'");
  CHECK(error_of("AdjacencyGraph\n2\n1\n1\n1\n0\n") == "g.adj:4:1: expected row offset 0 to be 0, found 1");
  CHECK(error_of("AdjacencyGraph\n3\n1\n0\n2\n1\n0\n") ==
        "g.adj:5:1: expected row offsets at most m = 1, found row offset 1 = 2");
  CHECK(error_of("AdjacencyGraph\n3\n2\n0\n2\n1\n0\n1\n") ==
        "g.adj:6:1: expected non-decreasing row offsets, found row offset 2 = 1 after 2");
}
