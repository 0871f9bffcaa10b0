#include "io/mtx.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "core/error.hpp"
#include "core/memory.hpp"
#include "core/parallel.hpp"
#include "graph/build.hpp"

namespace gossip::io {
namespace {

struct Header {
  bool pattern = false, integer = false, symmetric = false;
  std::uint64_t n = 0, nnz = 0;
  std::size_t body = 0;  // offset of the first line after the size line
  std::size_t field_at = 0;  // offset of the FIELD word of the banner
  bool latencies = false;  // the values are read as per-arc latencies (graph.latency = column:3)
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::size_t line_end(std::string_view text, std::size_t p) {
  const std::size_t e = text.find('\n', p);
  return e == std::string_view::npos ? text.size() : e;
}

Header read_header(std::string_view text, const std::string& path) {
  auto fail = [&](std::size_t at, std::string what) { throw InputError(locate(path, text, {at, std::move(what)})); };
  Header h;
  const std::size_t start = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  LineTokens banner(text, start, line_end(text, start));
  std::size_t at = start;
  const auto word = [&](std::string_view expected) {
    const auto tok = banner.next(at);
    if (!tok) fail(at, fmt::format("expected {}, found end of line", expected));
    return *tok;
  };
  if (const auto t = word("'%%MatrixMarket'"); lower(t) != "%%matrixmarket")
    fail(at, "expected '%%MatrixMarket', found " + quote_token(t));
  if (const auto t = word("'matrix'"); lower(t) != "matrix") fail(at, "expected 'matrix', found " + quote_token(t));
  if (const auto t = word("'coordinate'"); lower(t) != "coordinate")
    fail(at, "expected 'coordinate' (dense 'array' matrices are not graphs), found " + quote_token(t));
  const auto field = word("'pattern', 'integer' or 'real'");
  h.field_at = at;
  const std::string f = lower(field);
  if (f != "pattern" && f != "integer" && f != "real")
    fail(at, "expected 'pattern', 'integer' or 'real', found " + quote_token(field));
  h.pattern = f == "pattern";
  h.integer = f == "integer";
  const auto sym = word("'general' or 'symmetric'");
  const std::string s = lower(sym);
  if (s != "general" && s != "symmetric") fail(at, "expected 'general' or 'symmetric', found " + quote_token(sym));
  h.symmetric = s == "symmetric";

  const std::size_t size_line = next_data_line(text, line_end(text, start) + 1);
  if (size_line >= text.size()) fail(text.size(), "expected the size line 'M N NNZ', found end of file");
  LineTokens sizes(text, size_line, line_end(text, size_line));
  std::uint64_t v[3] = {};
  const char* names[3] = {"the row count M", "the column count N", "the entry count NNZ"};
  for (int i = 0; i < 3; ++i) {
    const auto tok = sizes.next(at);
    if (!tok) fail(at, fmt::format("expected {} of the size line 'M N NNZ', found end of line", names[i]));
    if (!read_u64(*tok, v[i])) fail(at, id_error(*tok, names[i]));
  }
  if (v[0] != v[1]) fail(size_line, fmt::format("expected a square matrix (a graph has M = N), found {} x {}", v[0], v[1]));
  if (v[0] > kMaxNodes)
    fail(size_line, fmt::format("expected at most {} (2^32 - 2) rows, found {}", kMaxNodes, v[0]));
  h.n = v[0];
  h.nnz = v[2];
  h.body = std::min(text.size(), line_end(text, size_line) + 1);
  return h;
}

template <class F>
std::optional<TextError> parse_entries(std::string_view text, std::size_t begin, std::size_t end, const Header& h,
                                       F&& f) {
  return for_each_line(text, begin, end, [&](LineTokens t) -> std::optional<TextError> {
    std::size_t at = 0;
    const auto a = t.next(at);
    if (skips_line(a)) return std::nullopt;
    std::uint64_t i = 0, j = 0;
    const auto range = [&] { return fmt::format("in [1, {}]", h.n); };
    if (!read_u64(*a, i) || i == 0 || i > h.n) return TextError{at, id_error(*a, "a row index " + range())};
    const auto b = t.next(at);
    if (!b) return TextError{at, "expected a column index, found end of line"};
    if (!read_u64(*b, j) || j == 0 || j > h.n) return TextError{at, id_error(*b, "a column index " + range())};
    Latency w = 0;
    if (!h.pattern) {
      const auto c = t.next(at);
      if (!c) return TextError{at, "expected a value, found end of line"};
      if (h.latencies) {
        if (!read_latency(*c, w)) return TextError{at, latency_error(*c)};
        f(i - 1, j - 1, w);
        return std::nullopt;
      }
      const char* last = c->data() + c->size();
      bool ok = false;
      if (h.integer) {
        std::int64_t x = 0;
        auto r = std::from_chars(c->data(), last, x);
        ok = r.ec == std::errc{} && r.ptr == last;
      } else {
        double x = 0;
        auto r = std::from_chars(c->data(), last, x);
        ok = (r.ec == std::errc{} || r.ec == std::errc::result_out_of_range) && r.ptr == last;
      }
      if (!ok) return TextError{at, std::string("expected ") + (h.integer ? "an integer" : "a real") +
                                        " value, found " + quote_token(*c)};
    }
    f(i - 1, j - 1, w);
    return std::nullopt;
  });
}

template <bool Weighted>
struct MtxEdges {
  static constexpr bool weighted = Weighted;
  std::string_view text;
  const Chunks& chunks;
  const Header& h;
  bool both;  // emit the mirror arc of a symmetric entry (directed use)
  NodeId num_nodes() const { return static_cast<NodeId>(h.n); }
  std::size_t num_blocks() const { return chunks.count(); }
  template <class Emit>
  void block(std::size_t b, Emit&& emit) const {
    (void)parse_entries(text, chunks.begin(b), chunks.end(b), h, [&](std::uint64_t i, std::uint64_t j, Latency w) {
      const auto u = static_cast<NodeId>(i), v = static_cast<NodeId>(j);
      if constexpr (Weighted) {
        emit(u, v, w);
        if (both && i != j) emit(v, u, w);
      } else {
        emit(u, v);
        if (both && i != j) emit(v, u);
      }
    });
  }
};

}  // namespace

CsrGraph load_mtx(std::string_view text, const std::string& path, const LoadOptions& opt, LoadNotes& notes) {
  Header h = read_header(text, path);
  if (opt.latency_column != 0) {
    if (opt.latency_column != 3)
      throw UsageError(fmt::format("graph.latency = 'column:{}': a Matrix Market entry 'i j value' holds its value in "
                                   "column 3 ({})",
                                   opt.latency_column, path));
    if (h.pattern)
      throw InputError(locate(path, text, {h.field_at, "expected 'integer' or 'real' entries to read latencies from "
                                                       "(graph.latency), found a 'pattern' matrix (no values)"}));
    h.latencies = true;
  }
  if (h.n > opt.max_nodes)
    throw ResourceError(fmt::format("{}: {} rows; at most {} are allowed here", path, h.n, opt.max_nodes));
  const Chunks chunks{text, h.body, std::max<std::size_t>(opt.chunk_bytes, 1)};
  struct Scan {
    std::uint64_t entries = 0;
    std::optional<TextError> error;
  };
  std::vector<Scan> scans(chunks.count());
  par::for_blocks(chunks.count(), 1, [&](std::size_t c, std::size_t, std::size_t) {
    Scan s;
    s.error = parse_entries(text, chunks.begin(c), chunks.end(c), h,
                            [&](std::uint64_t, std::uint64_t, Latency) { ++s.entries; });
    scans[c] = std::move(s);
  });
  std::uint64_t entries = 0;
  for (const Scan& s : scans) {
    if (s.error) throw InputError(locate(path, text, *s.error));
    entries += s.entries;
  }
  if (entries < h.nnz)
    throw InputError(locate(path, text, {text.size(), fmt::format("expected NNZ = {} entries (from the size line), found {}",
                                                                  h.nnz, entries)}));
  if (entries > h.nnz) {
    std::size_t p = h.body;
    for (std::uint64_t k = 0; k < h.nnz; ++k) p = line_end(text, next_data_line(text, p)) + 1;
    throw InputError(locate(path, text, {next_data_line(text, p), fmt::format("expected NNZ = {} entries (from the size line), found more",
                                                            h.nnz)}));
  }
  notes.lines = entries;
  const bool both = opt.directed && h.symmetric;
  const bool directed = opt.directed;
  const std::uint64_t arcs = (both || !directed) ? 2 * entries : entries;
  require_memory(csr_build_bytes(h.n, arcs) + (h.latencies ? 4 * arcs : 0), "the CSR of " + path);
  const BuildOptions bo{directed, opt.keep_self_loops, opt.keep_duplicates};
  if (h.latencies) return build_csr(MtxEdges<true>{text, chunks, h, both}, bo);
  return build_csr(MtxEdges<false>{text, chunks, h, both}, bo);
}

}  // namespace gossip::io
