// Matrix Market loader (io/mtx.hpp): exact CSR, general vs symmetric, directed use, value
// fields, thread and chunk invariance, and every header and entry error with its position.
#include "core/error.hpp"
#include "io/mtx.hpp"
#include "support.hpp"

using namespace gossip;
using gossip::test::check_same;
using gossip::test::to_vector;
using gossip::test::with_threads;

namespace {

CsrGraph load(std::string_view text, io::LoadOptions opt = {}) {
  io::LoadNotes notes;
  return io::load_mtx(text, "m.mtx", opt, notes);
}

std::string error_of(std::string_view text) { return gossip::test::input_error([&] { return load(text); }); }

constexpr std::string_view kSym =
    "%%MatrixMarket matrix coordinate pattern symmetric\n% comment\n5 5 5\n2 1\n3 1\n3 2\n4 3\n5 4\n";

}  // namespace

TEST_CASE("symmetric pattern matrix gives the triangle-with-tail CSR") {
  const CsrGraph g = load(kSym);
  CHECK(g.num_nodes() == 5);
  CHECK(to_vector(g.offsets()) == std::vector<EdgeIdx>{0, 2, 4, 7, 9, 10});
  CHECK(to_vector(g.adjacency()) == std::vector<NodeId>{1, 2, 0, 2, 0, 1, 3, 2, 4, 3});
  // Directed use of a symmetric matrix: both arcs of every entry.
  const CsrGraph d = load(kSym, {.directed = true});
  CHECK(d.directed());
  CHECK(to_vector(d.adjacency()) == to_vector(g.adjacency()));
}

TEST_CASE("general real and integer matrices; directed keeps arcs; size keeps isolated nodes") {
  constexpr std::string_view text = "%%MatrixMarket matrix coordinate real general\r\n6 6 3\r\n1 2 0.5\r\n2 3 -1e300\r\n3 1 7\r\n";
  const CsrGraph d = load(text, {.directed = true});
  CHECK(d.num_nodes() == 6);
  CHECK(to_vector(d.offsets()) == std::vector<EdgeIdx>{0, 1, 2, 3, 3, 3, 3});
  CHECK(to_vector(d.adjacency()) == std::vector<NodeId>{1, 2, 0});
  const CsrGraph u = load("%%MatrixMarket MATRIX Coordinate integer General\n6 6 3\n1 2 5\n2 3 -2\n3 1 0\n");
  CHECK(to_vector(u.adjacency()) == std::vector<NodeId>{1, 2, 0, 2, 0, 1});
  CHECK(u.num_nodes() == 6);
}

TEST_CASE("mtx: the same CSR for any thread count and chunk size") {
  std::string text = "%%MatrixMarket matrix coordinate integer general\n1000 1000 5000\n";
  std::uint64_t x = 1;
  for (int i = 0; i < 5000; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    text += std::to_string(x % 1000 + 1) + " " + std::to_string((x >> 32) % 1000 + 1) + " " + std::to_string(i) + "\n";
  }
  const CsrGraph ref = with_threads(1, [&] { return load(text); });
  for (std::size_t chunk : {1, 7, 1000})
    for (int threads : {1, 2}) check_same(ref, with_threads(threads, [&] { return load(text, {.chunk_bytes = chunk}); }));
}

TEST_CASE("mtx errors") {
  const std::string h = "%%MatrixMarket matrix coordinate pattern general\n";
  CHECK(error_of("hello\n") == "m.mtx:1:1: expected '%%MatrixMarket', found 'hello'");
  CHECK(error_of("%%MatrixMarket matrix array real general\n2 2\n") ==
        "m.mtx:1:23: expected 'coordinate' (dense 'array' matrices are not graphs), found 'array'");
  CHECK(error_of("%%MatrixMarket matrix coordinate complex general\n") ==
        "m.mtx:1:34: expected 'pattern', 'integer' or 'real', found 'complex'");
  CHECK(error_of("%%MatrixMarket matrix coordinate real hermitian\n") ==
        "m.mtx:1:39: expected 'general' or 'symmetric', found 'hermitian'");
  CHECK(error_of(h) == "m.mtx:2:1: expected the size line 'M N NNZ', found end of file");
  CHECK(error_of(h + "3 4 1\n1 2\n") == "m.mtx:2:1: expected a square matrix (a graph has M = N), found 3 x 4");
  CHECK(error_of(h + "3 3\n") == "m.mtx:2:4: expected the entry count NNZ of the size line 'M N NNZ', found end of line");
  CHECK(error_of(h + "4 4 2\n1 2\n5 1\n") == "m.mtx:4:1: expected a row index in [1, 4], found '5'");
  CHECK(error_of(h + "4 4 2\n1 2\n1 0\n") == "m.mtx:4:3: expected a column index in [1, 4], found '0'");
  CHECK(error_of(h + "4 4 2\n1 2\n1 -2\n") ==
        "m.mtx:4:3: expected a column index in [1, 4], found '-2' (ids must not be negative)");
  CHECK(error_of(h + "4 4 3\n1 2\n2 3\n") == "m.mtx:5:1: expected NNZ = 3 entries (from the size line), found 2");
  CHECK(error_of(h + "4 4 1\n1 2\n% c\n2 3\n") == "m.mtx:5:1: expected NNZ = 1 entries (from the size line), found more");
  CHECK(error_of("%%MatrixMarket matrix coordinate real general\n3 3 1\n1 2\n") ==
        "m.mtx:3:4: expected a value, found end of line");
  CHECK(error_of("%%MatrixMarket matrix coordinate integer general\n3 3 1\n1 2 1.5\n") ==
        "m.mtx:3:5: expected an integer value, found '1.5'");
}
