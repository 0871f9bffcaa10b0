// Binary CSR (io/gcsr.hpp) and the edge-list writer: exact round trips (arrays, counts,
// direction, original ids), arrays that are views of the mapping, every format of one graph
// giving the same CSR, and the validation of damaged files.
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "io/edge_list.hpp"
#include "io/gcsr.hpp"
#include "io/mapped_file.hpp"
#include "io/source.hpp"
#include "io/write_edge_list.hpp"
#include "support.hpp"
#include "temp_file.hpp"

using namespace gossip;
using gossip::test::check_same;
using gossip::test::gen_csr;
using gossip::test::TempFile;
using gossip::test::to_vector;

namespace {

void check_identical(const CsrGraph& a, const CsrGraph& b) {
  check_same(a, b);
  CHECK(a.counts().self_loops == b.counts().self_loops);
  CHECK(to_vector(a.original_ids()) == to_vector(b.original_ids()));
}

CsrGraph round_trip_gcsr(const CsrGraph& g) {
  TempFile f("", ".gcsr");
  io::write_gcsr(g, f.path);
  CsrGraph back = io::load_gcsr(f.path);
  CHECK(back.offsets().size() == g.offsets().size());
  return back;  // the mapping outlives the unlinked file
}

CsrGraph open(const std::string& path, GraphOptions opt = {}) {
  opt.source = path;
  if (opt.format.empty()) opt.format = "auto";
  return std::get<CsrGraph>(open_graph(opt));
}

}  // namespace

TEST_CASE("gcsr round trip is exact and maps instead of copying") {
  for (const char* spec : {"er:n=2000,d=6", "er:n=500,d=4,directed=1", "grid:rows=3,cols=4", "ring:n=3"}) {
    CAPTURE(spec);
    const CsrGraph g = gen_csr(spec);
    check_identical(g, round_trip_gcsr(g));
  }
  const CsrGraph loops = gossip::test::build(3, {{0, 0}, {0, 1}, {0, 1}, {2, 2}},
                                             {.directed = false, .keep_self_loops = true, .keep_duplicates = true});
  check_identical(loops, round_trip_gcsr(loops));
}

TEST_CASE("renumbered graph: gcsr and edge-list round trips keep original ids") {
  io::LoadNotes notes;
  const CsrGraph g = io::load_edge_list("10 20\n20 30\n30 18446744073709551615\n40 10\n", "x", {}, notes);
  REQUIRE(g.renumbered());
  check_identical(g, round_trip_gcsr(g));
  TempFile el("", ".el");
  io::write_edge_list(g, el.path);
  check_identical(g, open(el.path));
}

TEST_CASE("edge-list writer round trips directed and undirected graphs without isolated nodes") {
  for (const char* spec : {"er:n=3000,d=8", "rmat:scale=10,ef=8"}) {
    const CsrGraph g = gen_csr(spec);
    TempFile el("", ".el");
    io::write_edge_list(g, el.path);
    GraphOptions opt;
    const CsrGraph back = open(el.path);
    if (g.num_nodes() == back.num_nodes()) {
      CHECK(to_vector(g.offsets()) == to_vector(back.offsets()));
      CHECK(to_vector(g.adjacency()) == to_vector(back.adjacency()));
    } else {  // isolated nodes vanish: the rest is renumbered in order
      CHECK(back.renumbered());
      CHECK(back.num_arcs() == g.num_arcs());
    }
  }
  const CsrGraph d = gen_csr("er:n=400,d=12,directed=1");
  TempFile el("", ".el");
  io::write_edge_list(d, el.path);
  GraphOptions opt;
  opt.directed = true;
  const CsrGraph back = open(el.path, opt);
  CHECK(back.directed());
  CHECK(to_vector(d.adjacency()) == to_vector(back.adjacency()));
}

TEST_CASE("every format of one graph gives the same CSR") {
  const std::string dir = GOSSIPSIM_DATA_DIR "/graphs/";
  const CsrGraph ref = open(dir + "tail.txt");
  CHECK(to_vector(ref.offsets()) == std::vector<EdgeIdx>{0, 2, 4, 7, 9, 10});
  for (const char* f : {"tail.txt.gz", "tail.mtx", "tail.gcsr", "tail_bom_no_newline.tsv"}) {
    CAPTURE(f);
    check_identical(ref, open(dir + f));
  }
  GraphOptions one;
  one.one_based = true;
  check_identical(ref, open(dir + "tail_1based.csv", one));
  const CsrGraph gaps = open(dir + "gaps.el");
  check_identical(gaps, open(dir + "gaps.gcsr"));
}

TEST_CASE("damaged gcsr files are refused with the byte and the reason") {
  const CsrGraph g = gen_csr("grid:rows=3,cols=3");
  TempFile f("", ".gcsr");
  io::write_gcsr(g, f.path);
  std::string bytes;
  {
    std::ifstream in(f.path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto error_of = [&](std::string b) {
    try {
      (void)io::gcsr_from_bytes(b, "g.gcsr", nullptr);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of(bytes) == "no error");
  CHECK(error_of(bytes.substr(0, 10)) == "g.gcsr: at byte 0: expected a 64-byte binary CSR header, found 10 bytes");
  CHECK(error_of(bytes.substr(0, bytes.size() - 4)) ==
        "g.gcsr: expected 240 bytes for n = 9, arcs = 24 (the header), found 236 bytes (truncated or inconsistent file)");
  std::string b = bytes;
  b[64 + 8 * 2] = 100;  // offsets[2] = 100 > offsets[3]
  CHECK(error_of(b) == "g.gcsr: at byte 88: expected non-decreasing offsets, found offsets[3] = 7 after 100");
  b = bytes;
  const std::size_t nbr = 64 + 8 * 10;
  b[nbr + 4] = 9;  // row 0 = {1, 9}
  CHECK(error_of(b) == "g.gcsr: at byte 148: expected a neighbor id below n = 9, found 9 (row 0)");
  b = bytes;
  b[nbr] = 5;  // row 0 = {5, 3}
  CHECK(error_of(b) == "g.gcsr: at byte 148: expected row 0 sorted ascending, found 3 after 5");
  b = bytes;
  b[48] = 1;  // self_loops = 1, none in the rows
  CHECK(error_of(b) == "g.gcsr: at byte 48: expected the rows' 0 self loops, found self_loops = 1");
  b = bytes;
  b[12] = 8;
  CHECK(error_of(b) == "g.gcsr: at byte 12: expected flags 0 to 3 (version 1), found 8");
  b = bytes;
  b[24] = static_cast<char>(0xff);
  b[31] = static_cast<char>(0xff);
  CHECK(error_of(b).starts_with("g.gcsr: expected more than 240 bytes for n = 9, arcs = 18374686479671623935"));
}
