// Node files (io/node_file.hpp, graph.node_file): the columns read by network.join and by
// partitions with groups = "file:COLUMN", ids as the graph file names them (original ids of a
// renumbered graph, 1-based for Matrix Market), the join rounds and groups built from them, and
// every malformed file with its line and column.
#include "core/error.hpp"
#include "gen/generate.hpp"
#include "gen/spec.hpp"
#include "io/edge_list.hpp"
#include "io/node_file.hpp"
#include "support.hpp"
#include "temp_file.hpp"

using namespace gossip;
using gossip::test::TempFile;

namespace {

std::vector<std::vector<std::uint32_t>> read(std::string_view text, std::vector<std::string> names, io::NodeIds ids,
                                             std::uint32_t max = 1000) {
  const std::vector<std::uint32_t> maxes(names.size(), max);
  return io::read_node_columns(text, "n.csv", names, maxes, ids);
}

std::string error_of(std::string_view text, std::vector<std::string> names, io::NodeIds ids, std::uint32_t max = 1000) {
  return gossip::test::input_error([&] { return read(text, names, ids, max); });
}

}  // namespace

TEST_CASE("node file: header, rows in any order, comments, separators; ids through the graph's numbering") {
  const std::string text = "# nodes\nid,joined region\n2 5 7\n\n0,0,3\n% late\n1\t2\t7\n";
  const auto cols = read(text, {"region", "joined"}, {3, {}, 0});
  CHECK(cols[0] == std::vector<std::uint32_t>{3, 7, 7});
  CHECK(cols[1] == std::vector<std::uint32_t>{0, 2, 5});
  CHECK(read("node j\n3 1\n1 0\n2 4.0\n", {"j"}, {3, {}, 1})[0] == std::vector<std::uint32_t>{0, 4, 1});  // 1-based
  const std::vector<std::uint64_t> original{10, 20, 18446744073709551615ull};
  CHECK(read("id j\n18446744073709551615 9\n10 1\n20 2\n", {"j"}, {3, original, 0})[0] ==
        std::vector<std::uint32_t>{1, 2, 9});
}

TEST_CASE("node file errors: path:line:col, what was expected and what was found") {
  const io::NodeIds three{3, {}, 0};
  CHECK(error_of("", {"j"}, three) == "n.csv:1:1: expected a header row naming the columns (id first), found end of file");
  CHECK(error_of("# only\n", {"j"}, three) ==
        "n.csv:2:1: expected a header row naming the columns (id first), found end of file");
  CHECK(error_of("id a b\n0 1 2\n", {"j"}, three) ==
        "n.csv:1:1: expected a column named 'j' in the header, found the columns a, b");
  CHECK(error_of("id\n0\n", {"j"}, three) == "n.csv:1:1: expected a column named 'j' in the header, found only the id column");
  CHECK(error_of("id j j\n", {"j"}, three) == "n.csv:1:6: expected distinct column names, found 'j' twice");
  CHECK(error_of("id j\n0 1\n1 2\n", {"j"}, three) ==
        "n.csv:4:1: expected a row for each of the n = 3 nodes, found 2 (none for node id 2)");
  CHECK(error_of("id j\n0 1\n2 2\n0 3\n", {"j"}, three) ==
        "n.csv:4:1: expected each node once, found node id 0 again (first on line 2)");
  CHECK(error_of("id j\n0 1\n5 2\n", {"j"}, three) ==
        "n.csv:3:1: expected a node id of the graph (n = 3, ids 0 to 2), found 5");
  CHECK(error_of("id j\n0 1\n-1 2\n", {"j"}, three) ==
        "n.csv:3:1: expected a node id, found '-1' (ids must not be negative)");
  CHECK(error_of("id j\n0 -1\n", {"j"}, three) ==
        "n.csv:2:3: column 'j': expected a whole number in [0, 1000], found '-1' (negative)");
  CHECK(error_of("id j\n0 1.5\n", {"j"}, three) ==
        "n.csv:2:3: column 'j': expected a whole number in [0, 1000], found '1.5' (not a whole number)");
  CHECK(error_of("id j\n0 1001\n", {"j"}, three) ==
        "n.csv:2:3: column 'j': expected a whole number in [0, 1000], found '1001' (too large)");
  CHECK(error_of("id j\n0 nan\n", {"j"}, three) ==
        "n.csv:2:3: column 'j': expected a whole number in [0, 1000], found 'nan' (not finite or too large)");
  CHECK(error_of("id j\n0 x\n", {"j"}, three) == "n.csv:2:3: column 'j': expected a whole number in [0, 1000], found 'x'");
  CHECK(error_of("id a j\n0 1\n", {"j"}, three) == "n.csv:2:4: expected a value for column 'j', found end of line");
  const std::vector<std::uint64_t> original{10, 20, 30};
  CHECK(error_of("id j\n10 1\n11 2\n", {"j"}, {3, original, 0}) ==
        "n.csv:3:1: expected a node id of the graph (n = 3, its original ids), found 11");
  CHECK(error_of("id j\n10 1\n30 2\n", {"j"}, {3, original, 0}) ==
        "n.csv:4:1: expected a row for each of the n = 3 nodes, found 2 (none for node id 20)");
}

TEST_CASE("node file reals (aggregate.init = file:COLUMN): finite values of magnitude at most the bound, errors located") {
  const io::NodeIds three{3, {}, 0};
  auto reals = [&](std::string_view text) { return io::read_node_reals(text, "n.csv", "x", 1e100, three); };
  auto error = [&](std::string_view text) { return gossip::test::input_error([&] { return reals(text); }); };
  CHECK(reals("id x other\n2 -1.5e3 7\n0 0.25 1\n1 1e100 2\n") == std::vector<double>{0.25, 1e100, -1500});
  CHECK(error("id x\n0 1\n1 2\n") == "n.csv:4:1: expected a row for each of the n = 3 nodes, found 2 (none for node id 2)");
  CHECK(error("id y\n0 1\n") == "n.csv:1:1: expected a column named 'x' in the header, found the columns y");
  CHECK(error("id x\n0 1\n1 inf\n2 0\n") ==
        "n.csv:3:3: column 'x': expected a finite number of magnitude at most 1e+100, found 'inf' (not finite or too large)");
  CHECK(error("id x\n0 nan\n1 0\n2 0\n") ==
        "n.csv:2:3: column 'x': expected a finite number of magnitude at most 1e+100, found 'nan' (not finite or too large)");
  CHECK(error("id x\n0 -2e100\n1 0\n2 0\n") ==
        "n.csv:2:3: column 'x': expected a finite number of magnitude at most 1e+100, found '-2e100' (not finite or too large)");
  CHECK(error("id x\n0 1e400\n1 0\n2 0\n") ==
        "n.csv:2:3: column 'x': expected a finite number of magnitude at most 1e+100, found '1e400' (not finite or too large)");
  CHECK(error("id x\n0 abc\n1 0\n2 0\n") ==
        "n.csv:2:3: column 'x': expected a finite number of magnitude at most 1e+100, found 'abc'");
}

TEST_CASE("load_node_columns: join rounds and partition groups from one file, ids of a renumbered graph") {
  TempFile nodes("id joined region\n40 3 9\n10 0 5\n30 0 9\n20 1 5\n", ".csv");
  TempFile graph("10 20\n20 30\n30 40\n", ".txt");
  GraphOptions opt;
  opt.source = graph.path;
  opt.format = "auto";
  opt.node_file = nodes.path;
  const Graph g = open_graph(opt);
  FaultSpec f;
  std::string why;
  f.join = *parse_join("file:joined", why);
  FaultEvent p{.kind = FaultEvent::partition, .round = 1, .fraction = 0, .nodes = {}, .groups = 2, .group_column = {}, .group_map = {}};
  p.group_column = "region";
  f.events = {p, p};
  io::load_node_columns(f, g, opt);
  REQUIRE(f.join.rounds);
  CHECK(f.join.rounds->round == std::vector<Round>{0, 1, 0, 3});
  CHECK(f.join.rounds->initial == std::vector<NodeId>{0, 2});
  CHECK(f.join.present(0, 4) == 2);
  CHECK(f.join.present(1, 4) == 3);
  CHECK(f.join.present(2, 4) == 3);
  CHECK(f.join.present(3, 4) == 4);
  CHECK(f.join.present(-1, 4) == 0);
  CHECK(f.join.last_round(4) == 3);
  CHECK(f.join.round_of(3) == 3);
  REQUIRE(f.events[0].group_map);
  CHECK(f.events[0].group_map == f.events[1].group_map);  // read once per column
  CHECK(f.events[0].groups == 2);
  CHECK(f.events[0].group_map->group == std::vector<std::uint32_t>{0, 0, 1, 1});  // values 5, 9 -> groups 0, 1

  // Generators number their nodes 0..n-1; Matrix Market 1..n.
  TempFile gen_nodes("id joined\n0 2\n1 0\n2 0\n", ".csv");
  opt = GraphOptions{};
  opt.source = "ring:n=3";
  opt.node_file = gen_nodes.path;
  FaultSpec h;
  h.join = *parse_join("file:joined", why);
  io::load_node_columns(h, open_graph(opt), opt);
  CHECK(h.join.rounds->round == std::vector<Round>{2, 0, 0});
  TempFile mtx("%%MatrixMarket matrix coordinate pattern symmetric\n3 3 2\n2 1\n3 2\n", ".mtx");
  opt.source = mtx.path;
  opt.format = "auto";
  CHECK(gossip::test::input_error([&] {
          io::load_node_columns(h, open_graph(opt), opt);
          return 0;
        }) == gen_nodes.path + ":2:1: expected a node id of the graph (n = 3, ids 1 to 3), found 0");
  CHECK(io::node_id_base(opt) == 1);
}
