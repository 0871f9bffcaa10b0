// METIS loader (io/metis.hpp): exact CSR of the triangle-with-tail graph, weights and vertex
// sizes skipped, empty lines as isolated vertices, comments, self loops and duplicates counted
// once per edge, asymmetric files symmetrized with a warning (kept as arcs with directed), the
// same CSR as the edge-list loader for any thread count and chunk size, and every error with
// its position.
#include <random>
#include <set>
#include <string>

#include "core/error.hpp"
#include "io/edge_list.hpp"
#include "io/metis.hpp"
#include "support.hpp"

using namespace gossip;
using gossip::test::check_same;
using gossip::test::to_vector;
using gossip::test::with_threads;

namespace {

CsrGraph load(std::string_view text, io::LoadOptions opt = {}, io::LoadNotes* notes = nullptr) {
  io::LoadNotes local;
  return io::load_metis(text, "g.graph", opt, notes ? *notes : local);
}

std::string error_of(std::string_view text) { return gossip::test::input_error([&] { return load(text); }); }

// A triangle 1-2-3 with a tail 3-4-5 (0-based: 0-1-2, 2-3-4).
constexpr std::string_view kTail = "% tail\n5 5\n2 3\n1 3\n1 2 4\n3 5\n4\n";
const std::vector<EdgeIdx> kTailOffsets{0, 2, 4, 7, 9, 10};
const std::vector<NodeId> kTailAdj{1, 2, 0, 2, 0, 1, 3, 2, 4, 3};

}  // namespace

TEST_CASE("metis: the triangle with a tail, undirected and as arcs") {
  io::LoadNotes notes;
  const CsrGraph g = load(kTail, {}, &notes);
  CHECK_FALSE(g.directed());
  CHECK(to_vector(g.offsets()) == kTailOffsets);
  CHECK(to_vector(g.adjacency()) == kTailAdj);
  CHECK(g.num_edges() == 5);
  CHECK(g.counts().duplicates_dropped == 0);
  CHECK(notes.warnings.empty());
  CHECK(notes.lines == 5);
  const CsrGraph d = load(kTail, {.directed = true});
  CHECK(d.directed());
  CHECK(d.num_edges() == 10);
  CHECK(to_vector(d.adjacency()) == kTailAdj);
}

TEST_CASE("metis: weights, vertex sizes, comments, empty lines and CRLF") {
  // fmt 011: one vertex weight, edge weights; fmt 111 with ncon 2: size, two weights, edge weights.
  const std::string w = "5 5 011\n7 2 1 3 1\n1 1 9 3 2\n% mid\n0 1 1 2 2 4 3\n1 3 3 5 4\n1 4 4\n";
  CHECK(to_vector(load(w).adjacency()) == kTailAdj);
  const std::string s = "5 5 111 2\r\n1 7 7 2 1 3 1\r\n1 1 1 1 9 3 2\r\n1 0 0 1 1 2 2 4 3\r\n1 1 1 3 3 5 4\r\n1 1 1 4 4\r\n";
  CHECK(to_vector(load(s).adjacency()) == kTailAdj);
  const std::string sizes = "5 5 100\n1 2 3\n1 1 3\n1 1 2 4\n1 3 5\n1 4\n";
  CHECK(to_vector(load(sizes).adjacency()) == kTailAdj);
  // Vertices 2 and 5 isolated (empty lines), blank lines after the last vertex accepted.
  const CsrGraph iso = load("5 2\n3\n\n1 4\n3\n\n\n\n");
  CHECK(to_vector(iso.offsets()) == std::vector<EdgeIdx>{0, 1, 1, 3, 4, 4});
  CHECK(to_vector(iso.adjacency()) == std::vector<NodeId>{2, 0, 3, 2});
}

TEST_CASE("metis: self loops and duplicates counted once per edge; asymmetric files symmetrized") {
  // Self loops at 1 and 3 (entries, not in m), the edge 1-2 twice.
  const std::string loops = "3 3\n1 2 2\n1 1 3\n2 3\n";
  const CsrGraph g = load(loops);
  CHECK(to_vector(g.adjacency()) == std::vector<NodeId>{1, 0, 2, 1});
  CHECK(g.counts().self_loops_dropped == 2);
  CHECK(g.counts().duplicates_dropped == 1);
  const CsrGraph kept = load(loops, {.keep_self_loops = true});
  CHECK(kept.counts().self_loops == 2);
  CHECK(kept.num_edges() == 4);
  // 2m = 4 entries, but 1 lists 3 while 3 does not list 1, and 3 lists 2 while 2 does not list 3.
  io::LoadNotes notes;
  const CsrGraph s = load("3 2\n2 3\n1\n2\n", {}, &notes);
  CHECK_FALSE(s.directed());
  CHECK(to_vector(s.offsets()) == std::vector<EdgeIdx>{0, 2, 4, 6});
  CHECK(to_vector(s.adjacency()) == std::vector<NodeId>{1, 2, 0, 2, 0, 1});
  CHECK(s.counts().duplicates_dropped == 0);
  REQUIRE(notes.warnings.size() == 1);
  CHECK(notes.warnings[0] == "g.graph: 2 of 4 arcs have no reverse arc (a METIS file lists every edge at both ends); "
                             "the graph was symmetrized (graph.directed = true, --directed, keeps the arcs)");
  CHECK(to_vector(load("3 2\n2 3\n1\n2\n", {.directed = true}).adjacency()) == std::vector<NodeId>{1, 2, 0, 1});
  // Duplicates without their reverse: each repeated pair once per edge, as in an edge list.
  io::LoadNotes dn;
  const CsrGraph d = load("4 2\n2 2\n\n4 4\n\n", {}, &dn);
  CHECK(to_vector(d.adjacency()) == std::vector<NodeId>{1, 0, 3, 2});
  CHECK(d.counts().duplicates_dropped == 2);
  REQUIRE(dn.warnings.size() == 1);
  CHECK(dn.warnings[0].starts_with("g.graph: 4 of 4 arcs have no reverse arc"));
  // A lone self loop: no entry of m.
  const CsrGraph one = load("1 0\n1\n");
  CHECK(one.num_nodes() == 1);
  CHECK(one.num_arcs() == 0);
  CHECK(one.counts().self_loops_dropped == 1);
}

TEST_CASE("metis: the edge-list loader's CSR for any thread count and chunk size") {
  std::mt19937_64 rng(3);
  constexpr NodeId n = 700;
  std::vector<std::set<NodeId>> rows(n);
  std::string edges;
  for (int i = 0; i < 3000; ++i) {
    const auto u = static_cast<NodeId>(rng() % n), v = static_cast<NodeId>(rng() % n);
    if (u == v || rows[u].count(v)) continue;
    rows[u].insert(v);
    rows[v].insert(u);
    edges += std::to_string(u) + " " + std::to_string(v) + "\n";
  }
  std::size_t m = 0;
  for (const auto& r : rows) m += r.size();
  std::string text = "% random\n" + std::to_string(n) + " " + std::to_string(m / 2) + "\n";
  for (const auto& r : rows) {  // each row in descending order: the loader sorts
    for (auto it = r.rbegin(); it != r.rend(); ++it) text += std::to_string(*it + 1) + " ";
    text += "\n";
  }
  io::LoadNotes notes;
  const CsrGraph ref = io::load_edge_list(edges, "e.txt", {}, notes);
  REQUIRE(ref.num_nodes() == n);
  for (std::size_t chunk : std::initializer_list<std::size_t>{1, 7, 1000, std::size_t{1} << 22})
    for (int threads : {1, 2, 4}) check_same(ref, with_threads(threads, [&] { return load(text, {.chunk_bytes = chunk}); }));
}

TEST_CASE("metis errors") {
  CHECK(error_of("% only\n\n") == "g.graph:3:1: expected the header 'n m [fmt [ncon]]', found end of file");
  CHECK(error_of("5\n") == "g.graph:1:2: expected the edge count m of the header 'n m [fmt [ncon]]', found end of line");
  CHECK(error_of("x 5\n") == "g.graph:1:1: expected the vertex count n of the header 'n m [fmt [ncon]]', found 'x'");
  CHECK(error_of("3 1 2\n") ==
        "g.graph:1:5: expected fmt, up to three 0/1 digits (vertex sizes, vertex weights, edge weights), found '2'");
  CHECK(error_of("3 1 001 2\n") == "g.graph:1:9: expected no ncon where fmt 1 has no vertex weights, found ncon = 2");
  CHECK(error_of("3 1 010 0\n") == "g.graph:1:9: expected ncon >= 1 vertex weights, found 0");
  CHECK(error_of("2 1 110 18446744073709551615\n2\n1\n") ==
        "g.graph:1:9: expected ncon <= 1048576 vertex weights, found 18446744073709551615");
  CHECK(error_of("%c\n   0 0\n") == "g.graph:2:4: expected a vertex count n >= 1, found 0");
  CHECK(error_of("2 1\r2\r1\r") ==
        "g.graph:1:4: expected lines ending in LF or CR LF, found a CR inside a line (CR-only line ends?)");
  CHECK(error_of("% c\r3 2\r2\r1 3\r2\r") ==
        "g.graph:1:4: expected lines ending in LF or CR LF, found a CR inside a line (CR-only line ends?)");
  CHECK(error_of("3 2\n2\r1 3\r2\r") ==
        "g.graph:2:2: expected lines ending in LF or CR LF, found a CR inside a line (CR-only line ends?)");
  CHECK(to_vector(load("3 2 \r\r\n2\r\r\n1 3\r\n2\n").adjacency()) == std::vector<NodeId>{1, 0, 2, 1});
  CHECK(error_of("0 1 2\n") == "g.graph:1:1: expected a vertex count n >= 1, found 0");  // before the bad fmt
  CHECK(error_of("2 1\n1\n1\n") ==  // vertex 1 lists itself and vertex 2 lists 1: one edge entry
        "g.graph:1:3: expected 2m neighbor entries (m = 1 edges, each listed at both ends), found 1 besides 1 self loops");
  CHECK(error_of("3 1 10 1 9\n") == "g.graph:1:10: expected the end of the header 'n m [fmt [ncon]]', found '9'");
  CHECK(error_of("3 1 0 1 9\n") == "g.graph:1:7: expected no ncon where fmt 0 has no vertex weights, found ncon = 1");
  CHECK(error_of("0 0\n") == "g.graph:1:1: expected a vertex count n >= 1, found 0");
  CHECK(error_of("2 18446744073709551615\n2\n1\n") ==
        "g.graph:1:3: expected 2m neighbor entries (m = 18446744073709551615 edges, each listed at both ends), found 2");
  CHECK(error_of("3 1\n2\n1 x\n\n") == "g.graph:3:3: expected a neighbor id in [1, 3], found 'x'");
  CHECK(error_of("3 1\n2\n4\n\n") == "g.graph:3:1: expected a neighbor id in [1, 3], found '4'");
  CHECK(error_of("3 1\n0\n1\n\n") == "g.graph:2:1: expected a neighbor id in [1, 3], found '0'");
  CHECK(error_of("3 1\n-2\n1\n\n") == "g.graph:2:1: expected a neighbor id in [1, 3], found '-2' (ids must not be negative)");
  CHECK(error_of("3 1 1\n2 5\n1\n\n") == "g.graph:3:2: expected the weight of the edge to 1, found end of line");
  CHECK(error_of("3 1 1\n2 5\n1 w\n\n") == "g.graph:3:3: expected an edge weight (an unsigned integer), found 'w'");
  CHECK(error_of("3 1 10\n1 2\n1 1\n\n") == "g.graph:4:1: expected a vertex weight, found end of line");
  CHECK(error_of("3 1 100\n1 2\nz 1\n1\n") == "g.graph:3:1: expected the vertex size (an unsigned integer), found 'z'");
  CHECK(error_of("3 1\n2\n1\n\n2\n") == "g.graph:5:1: expected n = 3 vertex lines (from the header), found more");
  CHECK(error_of("3 1\n2\n1") == "g.graph:3:2: expected n = 3 vertex lines (from the header), found 2");
  CHECK(error_of("3 2\n2\n1\n\n") ==
        "g.graph:1:3: expected 2m neighbor entries (m = 2 edges, each listed at both ends), found 2");
}
