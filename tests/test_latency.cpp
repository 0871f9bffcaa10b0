// Per-arc latencies (graph.latency, docs/graphs.md): the CSR build carries them with the
// neighbors through sorting, deduplication (the smallest latency of duplicate arcs is kept) and
// symmetrizing (both arcs of an edge get its latency), against a serial oracle at 1, 2 and 4
// threads; edge lists (any column) and Matrix Market values read them, with exact error
// positions; the binary CSR keeps them (version 2) and still reads version 1; the edge-list
// writer writes them as column 3; the fingerprint sees them.
#include <fmt/format.h>

#include <cstring>
#include <fstream>
#include <map>
#include <random>

#include "core/error.hpp"
#include "graph/fingerprint.hpp"
#include "graph/stats.hpp"
#include "io/edge_list.hpp"
#include "io/gcsr.hpp"
#include "io/mtx.hpp"
#include "io/source.hpp"
#include "io/write_edge_list.hpp"
#include "support.hpp"
#include "temp_file.hpp"

using namespace gossip;
using gossip::test::TempFile;
using gossip::test::to_vector;
using gossip::test::with_threads;

namespace {

struct WEdge {
  NodeId u, v;
  Latency w;
};

// A literal weighted edge list, `per_block` edges a block.
struct WeightedList {
  static constexpr bool weighted = true;
  NodeId n;
  std::vector<WEdge> edges;
  std::size_t per_block = 2;
  NodeId num_nodes() const { return n; }
  std::size_t num_blocks() const { return (edges.size() + per_block - 1) / per_block; }
  template <class Emit>
  void block(std::size_t b, Emit&& emit) const {
    for (std::size_t i = b * per_block; i < std::min(edges.size(), (b + 1) * per_block); ++i)
      emit(edges[i].u, edges[i].v, edges[i].w);
  }
};

// Row u as (neighbor, latency) pairs.
std::vector<std::pair<NodeId, Latency>> row(const CsrGraph& g, NodeId u) {
  std::vector<std::pair<NodeId, Latency>> out;
  for (NodeId i = 0; i < g.degree(u); ++i) out.emplace_back(g.neighbor(u, i), g.latency(u)[i]);
  return out;
}
using Row = std::vector<std::pair<NodeId, Latency>>;

CsrGraph load_el(std::string_view text, std::uint32_t column, io::LoadOptions opt = {}) {
  io::LoadNotes notes;
  opt.latency_column = column;
  return io::load_edge_list(text, "g.txt", opt, notes);
}
CsrGraph load_mtx(std::string_view text, std::uint32_t column, io::LoadOptions opt = {}) {
  io::LoadNotes notes;
  opt.latency_column = column;
  return io::load_mtx(text, "g.mtx", opt, notes);
}

}  // namespace

TEST_CASE("build: duplicates keep the smallest latency, an undirected edge has it both ways") {
  //   0 --(3)-- 1 --(7)-- 2     0-1 given three times (5, 3 reversed, 9); loop at 2 dropped
  const WeightedList list{3, {{0, 1, 5}, {1, 0, 3}, {1, 2, 7}, {2, 2, 1}, {0, 1, 9}}};
  const CsrGraph g = build_csr(list, {});
  REQUIRE(g.has_latencies());
  CHECK(row(g, 0) == Row{{1, 3}});
  CHECK(row(g, 1) == Row{{0, 3}, {2, 7}});
  CHECK(row(g, 2) == Row{{1, 7}});
  CHECK(g.counts().duplicates_dropped == 2);
  CHECK(g.latencies().size() == g.num_arcs());

  const CsrGraph d = build_csr(list, {.directed = true});
  CHECK(row(d, 0) == Row{{1, 5}});  // 0 -> 1 twice: 5 and 9
  CHECK(row(d, 1) == Row{{0, 3}, {2, 7}});
  CHECK(row(d, 2).empty());
  const CsrGraph kept = build_csr(list, {.directed = true, .keep_self_loops = true, .keep_duplicates = true});
  CHECK(row(kept, 0) == Row{{1, 5}, {1, 9}});
  CHECK(row(kept, 2) == Row{{2, 1}});

  const CsrGraph none = build_csr(WeightedList{4, {}}, {});
  CHECK(none.has_latencies());  // read with latencies, even without arcs
  CHECK(none.latency(3).empty());
  CHECK(!gossip::test::build(3, {{0, 1}}).has_latencies());
}

TEST_CASE("build: latencies follow the neighbors through sort, dedup and compaction at 1, 2 and 4 threads") {
  std::mt19937_64 rng(7);
  const NodeId n = 9000;  // several row blocks of compaction
  WeightedList list{n, {}, 97};
  for (int i = 0; i < 60000; ++i) {
    const auto u = static_cast<NodeId>(rng() % n), v = static_cast<NodeId>(rng() % (i % 3 == 0 ? 40 : n));
    list.edges.push_back({u, v, static_cast<Latency>(rng() % 50)});
  }
  for (const bool directed : {false, true}) {
    std::map<std::pair<NodeId, NodeId>, Latency> best;  // the oracle: min latency per arc
    for (const WEdge& e : list.edges) {
      if (e.u == e.v) continue;
      for (const auto& [a, b] : {std::pair{e.u, e.v}, std::pair{e.v, e.u}}) {
        if (directed && a != e.u) continue;
        auto [it, fresh] = best.emplace(std::pair{a, b}, e.w);
        if (!fresh) it->second = std::min(it->second, e.w);
      }
    }
    std::vector<Row> want(n);
    for (const auto& [arc, w] : best) want[arc.first].emplace_back(arc.second, w);
    for (int threads : {1, 2, 4}) {
      CAPTURE(directed);
      CAPTURE(threads);
      const CsrGraph g = with_threads(threads, [&] { return build_csr(list, {.directed = directed}); });
      REQUIRE(g.num_arcs() == best.size());
      bool all = true;
      for (NodeId u = 0; u < n; ++u) all = all && row(g, u) == want[u];
      CHECK(all);
    }
  }
}

TEST_CASE("edge lists: latencies only when asked, from any column; the same for any chunk size") {
  // 0 -(4)- 1 -(0)- 2,  0 -(3)- 2; the fourth column a timestamp
  const std::string text = "# u v latency time\n0 1 4 100\n1,2,0,200\n0\t2\t3.0\t300\n";
  const CsrGraph plain = load_el(text, 0);
  CHECK(!plain.has_latencies());  // today's weighted files load as before
  const CsrGraph g = load_el(text, 3);
  REQUIRE(g.has_latencies());
  CHECK(to_vector(g.adjacency()) == to_vector(plain.adjacency()));
  CHECK(row(g, 0) == Row{{1, 4}, {2, 3}});
  CHECK(row(g, 2) == Row{{0, 3}, {1, 0}});
  const CsrGraph t = load_el(text, 4, {.directed = true});
  CHECK(row(t, 0) == Row{{1, 100}, {2, 300}});
  CHECK(row(t, 1) == Row{{2, 200}});
  std::string big;
  std::mt19937_64 rng(3);
  for (int i = 0; i < 3000; ++i) big += fmt::format("{} {} {}\n", rng() % 500, rng() % 500, rng() % 9);
  const CsrGraph ref = with_threads(1, [&] { return load_el(big, 3); });
  for (int threads : {2, 4})
    for (std::size_t chunk : {std::size_t{7}, std::size_t{1000}}) {
      const CsrGraph x = with_threads(threads, [&] { return load_el(big, 3, {.chunk_bytes = chunk}); });
      CHECK(to_vector(x.adjacency()) == to_vector(ref.adjacency()));
      CHECK(to_vector(x.latencies()) == to_vector(ref.latencies()));
    }
}

TEST_CASE("edge lists: a bad latency is an error at its line and column") {
  auto error_of = [](std::string_view text, std::uint32_t column = 3) {
    return gossip::test::input_error([&] { return load_el(text, column); });
  };
  const std::string kWhat = "expected a latency (a whole number of rounds in [0, 2^31 - 2]), found ";
  CHECK(error_of("0 1 2\n0 2\n") == "g.txt:2:4: expected a latency in column 3 (graph.latency), found end of line");
  CHECK(error_of("0 1 2\n", 4) == "g.txt:1:6: expected a latency in column 4 (graph.latency), found end of line");
  CHECK(error_of("0 1 2\n1 2 -3\n") == "g.txt:2:5: " + kWhat + "'-3' (negative)");
  CHECK(error_of("0 1 1.5\n") == "g.txt:1:5: " + kWhat + "'1.5' (not a whole number)");
  CHECK(error_of("0 1 inf\n") == "g.txt:1:5: " + kWhat + "'inf' (not finite)");
  CHECK(error_of("0 1 nan\n") == "g.txt:1:5: " + kWhat + "'nan' (not finite)");
  CHECK(error_of("0 1 2147483647\n") == "g.txt:1:5: " + kWhat + "'2147483647' (too large)");
  CHECK(error_of("0 1 1e300\n") == "g.txt:1:5: " + kWhat + "'1e300' (too large)");
  CHECK(error_of("0 1 x7\n") == "g.txt:1:5: " + kWhat + "'x7'");
  CHECK(error_of("0 1 2147483646\n0 2 2e3\n0 3 0.0\n") == "no error");
}

TEST_CASE("Matrix Market: integer and real values as latencies; pattern files have none") {
  const CsrGraph g = load_mtx("%%MatrixMarket matrix coordinate integer general\n3 3 3\n1 2 4\n2 1 6\n2 3 1\n", 3);
  CHECK(row(g, 0) == Row{{1, 4}});  // 1-2 twice: the smaller latency
  CHECK(row(g, 1) == Row{{0, 4}, {2, 1}});
  const CsrGraph s = load_mtx("%%MatrixMarket matrix coordinate real symmetric\n3 3 2\n2 1 2.0\n3 3 5e0\n", 3,
                              {.directed = true, .keep_self_loops = true});
  CHECK(row(s, 0) == Row{{1, 2}});
  CHECK(row(s, 1) == Row{{0, 2}});
  CHECK(row(s, 2) == Row{{2, 5}});
  CHECK(!load_mtx("%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 2 -4\n", 0).has_latencies());
  auto error_of = [](std::string_view text, std::uint32_t column = 3) {
    return gossip::test::input_error([&] { return load_mtx(text, column); });
  };
  CHECK(error_of("%%MatrixMarket matrix coordinate pattern symmetric\n2 2 1\n2 1\n") ==
        "g.mtx:1:34: expected 'integer' or 'real' entries to read latencies from (graph.latency), found a 'pattern' "
        "matrix (no values)");
  CHECK(error_of("%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 2 -4\n") ==
        "g.mtx:3:5: expected a latency (a whole number of rounds in [0, 2^31 - 2]), found '-4' (negative)");
  CHECK(error_of("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 2 0.25\n") ==
        "g.mtx:3:5: expected a latency (a whole number of rounds in [0, 2^31 - 2]), found '0.25' (not a whole number)");
  CHECK_THROWS_WITH_AS(load_mtx("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 2 1\n", 4),
                       "graph.latency = 'column:4': a Matrix Market entry 'i j value' holds its value in column 3 (g.mtx)",
                       UsageError);
}

TEST_CASE("binary CSR: latencies kept (version 2), version 1 without them, both read") {
  io::LoadNotes notes;
  const CsrGraph g = io::load_edge_list("10 20 4\n20 30 1\n30 40 9\n40 10 0\n", "x", {.latency_column = 3}, notes);
  REQUIRE(g.renumbered());
  TempFile f("", ".gcsr");
  io::write_gcsr(g, f.path);
  auto bytes_of = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  std::string bytes = bytes_of(f.path);
  std::uint32_t version = 0, flags = 0;
  std::memcpy(&version, bytes.data() + 8, 4);
  std::memcpy(&flags, bytes.data() + 12, 4);
  CHECK(version == 2);
  CHECK(flags == 6);  // original ids and latencies
  const CsrGraph back = io::load_gcsr(f.path);
  REQUIRE(back.has_latencies());
  CHECK(to_vector(back.latencies()) == to_vector(g.latencies()));
  CHECK(to_vector(back.adjacency()) == to_vector(g.adjacency()));
  CHECK(to_vector(back.original_ids()) == to_vector(g.original_ids()));
  CHECK(graph_fingerprint(Graph(io::gcsr_from_bytes(bytes, "g", nullptr))) == graph_fingerprint(Graph(load_el("0 1 4\n1 2 1\n2 3 9\n3 0 0\n", 3))));

  const CsrGraph plain = gossip::test::gen_csr("ring:n=6");
  TempFile p("", ".gcsr");
  io::write_gcsr(plain, p.path);
  const std::string v1 = bytes_of(p.path);
  std::memcpy(&version, v1.data() + 8, 4);
  CHECK(version == 1);  // older readers still take a file without latencies
  CHECK(!io::load_gcsr(p.path).has_latencies());

  auto error_of = [](std::string b) {
    return gossip::test::input_error([&] { return io::gcsr_from_bytes(b, "g.gcsr", nullptr); });
  };
  std::string b = v1;
  b[12] = 4;  // the latency flag in a version 1 file
  CHECK(error_of(b) == "g.gcsr: at byte 12: expected flags 0 to 3 (version 1), found 4");
  b[8] = 3;
  CHECK(error_of(b) == "g.gcsr: at byte 8: expected version 1 or 2, found 3");
  b = bytes;
  const std::size_t lat_at = 64 + 8 * 5 + 4 * 8;  // n = 4, arcs = 8: after the offsets and the neighbors
  CHECK(lat_at + 32 + 8 * 4 == bytes.size());
  const std::uint32_t huge = 2147483647u;
  std::memcpy(b.data() + lat_at + 4 * 3, &huge, 4);
  CHECK(error_of(b) == "g.gcsr: at byte 148: expected a latency of at most 2147483646 (2^31 - 2), found 2147483647 (arc 3)");
  CHECK(error_of(bytes.substr(0, bytes.size() - 8)) ==
        "g.gcsr: expected 200 bytes for n = 4, arcs = 8 with original ids and latencies (the header), found 192 bytes "
        "(truncated or inconsistent file)");
}

TEST_CASE("the edge-list writer puts latencies in column 3; stats and fingerprints see them") {
  const CsrGraph g = load_el("0 1 4\n1 2 1\n2 0 7\n2 3 2\n", 3);
  TempFile el("", ".el");
  io::write_edge_list(g, el.path);
  GraphOptions opt;
  opt.source = el.path;
  opt.format = "auto";
  opt.latency = "column:3";
  const CsrGraph back = std::get<CsrGraph>(open_graph(opt));
  CHECK(to_vector(back.latencies()) == to_vector(g.latencies()));
  CHECK(to_vector(back.adjacency()) == to_vector(g.adjacency()));
  const GraphStats s = graph_stats(Graph(load_el("0 1 4\n1 2 1\n2 0 7\n2 3 2\n", 3)));
  CHECK(s.latencies);
  CHECK(s.latency_min == 1);
  CHECK(s.latency_max == 7);
  CHECK(s.latency_mean == doctest::Approx(3.5));
  CHECK(!graph_stats(Graph(load_el("0 1 4\n", 0))).latencies);
  CHECK(graph_fingerprint(Graph(load_el("0 1 4\n1 2 1\n", 3))) != graph_fingerprint(Graph(load_el("0 1 5\n1 2 1\n", 3))));
  CHECK(graph_fingerprint(Graph(load_el("0 1 4\n1 2 1\n", 0))) == graph_fingerprint(Graph(load_el("0 1 5\n1 2 1\n", 0))));

  opt.source = "er:n=10,d=2";
  CHECK_THROWS_WITH_AS(open_graph(opt),
                       "graph.latency = 'column:3' needs a graph file (an edge list, Matrix Market or .gcsr); "
                       "'er:n=10,d=2' is a generator spec",
                       UsageError);
  const CsrGraph plain = gossip::test::gen_csr("ring:n=6");
  TempFile p("", ".gcsr");
  io::write_gcsr(plain, p.path);
  opt.source = p.path;
  CHECK_THROWS_WITH_AS(open_graph(opt),
                       (p.path + ": graph.latency = 'column:3' but this binary CSR holds no latencies (convert a file "
                                 "read with graph.latency)")
                           .c_str(),
                       InputError);
}
