// Edge-list loader (io/edge_list.hpp): exact CSR arrays, the accepted text variants, directed
// vs symmetrized, renumbering with original ids (bitmap and sorted paths), the same CSR for any
// thread count and chunk size, and exact error positions.
#include <random>
#include <sstream>

#include "core/error.hpp"
#include "io/edge_list.hpp"
#include "support.hpp"

using namespace gossip;
using gossip::test::check_same;
using gossip::test::to_vector;
using gossip::test::with_threads;

namespace {

CsrGraph load(std::string_view text, io::LoadOptions opt = {}, io::LoadNotes* notes = nullptr) {
  io::LoadNotes local;
  return io::load_edge_list(text, "g.txt", opt, notes ? *notes : local);
}

std::string error_of(std::string_view text, io::LoadOptions opt = {}) {
  return gossip::test::input_error([&] { return load(text, opt); });
}

// 0 - 1      a triangle 0-1-2 with a tail 2-3-4
//  \ |
//    2 - 3 - 4
constexpr std::string_view kTail = "# comment\n0 1\n0 2\n1 2\n2 3\n3 4\n";
const std::vector<EdgeIdx> kTailOffsets{0, 2, 4, 7, 9, 10};
const std::vector<NodeId> kTailAdj{1, 2, 0, 2, 0, 1, 3, 2, 4, 3};

}  // namespace

TEST_CASE("edge list gives exact CSR") {
  const CsrGraph g = load(kTail);
  CHECK(g.num_nodes() == 5);
  CHECK(!g.directed());
  CHECK(to_vector(g.offsets()) == kTailOffsets);
  CHECK(to_vector(g.adjacency()) == kTailAdj);
  CHECK(!g.renumbered());
}

TEST_CASE("accepted variants: CRLF, BOM, blanks, commas, tabs, extra columns, no final newline") {
  for (std::string_view text : {
           std::string_view("0 1\r\n0 2\r\n1 2\r\n2 3\r\n3 4\r\n"),
           std::string_view("\xEF\xBB\xBF" "0 1\n\n0 2\n   \n1 2\n2 3\n3 4"),
           std::string_view("% pct comment\n0,1\n0, 2\n1 ,2\n2\t3\n3\t\t4\t1.5\tx\n"),
           std::string_view("  0 1 0.5\n# mid comment\n\t0 2 w\n1 2 7 8 9\n2 3\n3 4\n\n\n"),
           std::string_view("3 4\n2 3\n1 2\n0 2\n0 1\n1 0\n"),  // order and a duplicate
       }) {
    CAPTURE(text);
    const CsrGraph g = load(text);
    CHECK(to_vector(g.offsets()) == kTailOffsets);
    CHECK(to_vector(g.adjacency()) == kTailAdj);
  }
}

TEST_CASE("directed keeps arcs as given") {
  const CsrGraph g = load("0 1\n1 2\n2 0\n0 1\n", {.directed = true});
  CHECK(g.directed());
  CHECK(to_vector(g.offsets()) == std::vector<EdgeIdx>{0, 1, 2, 3});
  CHECK(to_vector(g.adjacency()) == std::vector<NodeId>{1, 2, 0});
  CHECK(g.counts().duplicates_dropped == 1);
}

TEST_CASE("skip_lines skips header rows, BOM first") {
  const CsrGraph g = load("\xEF\xBB\xBF" "FromNodeId ToNodeId\n0 1\n0 2\n1 2\n2 3\n3 4\n", {.skip_lines = 1});
  CHECK(to_vector(g.adjacency()) == kTailAdj);
}

TEST_CASE("renumbering: gaps and huge ids, originals kept in ascending order") {
  io::LoadNotes notes;
  const CsrGraph g = load("10 20\n20 30\n30 18446744073709551615\n", {}, &notes);
  CHECK(g.num_nodes() == 4);
  CHECK(to_vector(g.original_ids()) == std::vector<std::uint64_t>{10, 20, 30, 18446744073709551615ull});
  CHECK(to_vector(g.offsets()) == std::vector<EdgeIdx>{0, 1, 3, 5, 6});
  CHECK(to_vector(g.adjacency()) == std::vector<NodeId>{1, 0, 2, 1, 3, 2});
  REQUIRE(notes.warnings.size() == 2);
  CHECK(notes.warnings[0] == "g.txt: id 0 never appears (smallest id 10); if ids are 1-based set graph.one_based = "
                             "true (--one-based)");
  CHECK(notes.warnings[1] == "g.txt: 4 distinct ids in [10, 18446744073709551615] renumbered to 0..3 (originals kept)");

  // The bitmap path (small ids) and the sorted path (ids past the bitmap bound) agree.
  const CsrGraph small = load("5 7\n7 9\n9 5\n9 12\n");
  const CsrGraph huge = load("1099511627781 1099511627783\n1099511627783 1099511627785\n1099511627785 1099511627781\n"
                             "1099511627785 1099511627788\n");
  check_same(small, huge);
  CHECK(to_vector(small.original_ids()) == std::vector<std::uint64_t>{5, 7, 9, 12});
  CHECK(to_vector(huge.original_ids()) ==
        std::vector<std::uint64_t>{1099511627781, 1099511627783, 1099511627785, 1099511627788});
}

TEST_CASE("one_based: 1..n is the identity; id 0 with one_based renumbers and warns") {
  io::LoadNotes notes;
  const CsrGraph g = load("1 2\n1 3\n2 3\n3 4\n4 5\n", {.one_based = true}, &notes);
  CHECK(!g.renumbered());
  CHECK(notes.warnings.empty());
  CHECK(to_vector(g.adjacency()) == kTailAdj);

  io::LoadNotes zero;
  const CsrGraph z = load("0 1\n1 2\n", {.one_based = true}, &zero);
  CHECK(z.renumbered());
  CHECK(to_vector(z.original_ids()) == std::vector<std::uint64_t>{0, 1, 2});
  REQUIRE(!zero.warnings.empty());
  CHECK(zero.warnings[0] == "g.txt: ids are read as 1-based (graph.one_based) but id 0 appears; ids renumbered, "
                            "originals kept");
}

TEST_CASE("the same CSR for 1 and 2 threads and any chunk size") {
  std::mt19937_64 rng(5);
  std::ostringstream text;
  for (int i = 0; i < 20000; ++i) {
    if (i % 97 == 0) text << "# comment " << i << "\n";
    if (i % 89 == 0) text << "\r\n";
    text << rng() % 3000 * 7 << (i % 3 ? " " : ",") << rng() % 3000 * 7 << (i % 5 ? "\n" : " 1.25\r\n");
  }
  const std::string s = text.str();
  for (bool directed : {false, true}) {
    const CsrGraph ref = with_threads(1, [&] { return load(s, {.directed = directed}); });
    CHECK(ref.renumbered());
    for (std::size_t chunk : {1, 3, 17, 4096, 1 << 20})
      for (int threads : {1, 2, 4}) {
        CAPTURE(chunk);
        CAPTURE(threads);
        const CsrGraph g = with_threads(threads, [&] { return load(s, {.directed = directed, .chunk_bytes = chunk}); });
        check_same(ref, g);
        CHECK(to_vector(ref.original_ids()) == to_vector(g.original_ids()));
      }
  }
}

TEST_CASE("errors name path:line:col, what was expected and what was found") {
  CHECK(error_of("0 1\n1 abc\n") == "g.txt:2:3: expected a node id, found 'abc'");
  CHECK(error_of("0 1\n  -4 2\n") == "g.txt:2:3: expected a node id, found '-4' (ids must not be negative)");
  CHECK(error_of("18446744073709551616 1\n") ==
        "g.txt:1:1: expected a node id, found '18446744073709551616' (ids must be below 2^64)");
  CHECK(error_of("0 1\n7\n") == "g.txt:2:2: expected a second node id, found end of line");
  CHECK(error_of("7") == "g.txt:1:2: expected a second node id, found end of line");  // found by fuzzing
  CHECK(error_of("0 1\n7 \r\n") == "g.txt:2:4: expected a second node id, found end of line");
  CHECK(error_of("0 0x1\n") == "g.txt:1:3: expected a node id, found '0x1'");
  CHECK(error_of(std::string_view("0 1\n2 \x01\xff\n", 9)) == "g.txt:2:3: expected a node id, found '\\x01\\xff'");
  CHECK(error_of("\xEF\xBB\xBF" "a b\n") ==
        "g.txt:1:1: expected a node id, found 'a' (a header row? start it with '#' or skip it with "
        "graph.skip_lines = 1, --skip-lines 1)");
  CHECK(error_of("# c\n\nsrc,dst\n1,2\n") ==
        "g.txt:3:1: expected a node id, found 'src' (a header row? start it with '#' or skip it with "
        "graph.skip_lines = 3, --skip-lines 3)");
  CHECK(error_of("# nothing\n\n") == "g.txt: no edges (only comments, blank or skipped lines)");
  // With tiny chunks the earliest error in the file is reported, whatever the schedule.
  for (std::size_t chunk : {1, 2, 5, 1000})
    CHECK(error_of("0 1\n1 2\n2 x\n3 y\n", {.chunk_bytes = chunk}) == "g.txt:3:3: expected a node id, found 'x'");
}
