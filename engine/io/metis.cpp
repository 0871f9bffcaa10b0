#include "io/metis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/error.hpp"
#include "core/memory.hpp"
#include "core/parallel.hpp"
#include "graph/build.hpp"
#include "io/adjacency.hpp"

namespace gossip::io {
namespace {

struct Header {
  std::uint64_t n = 0, m = 0;
  bool sizes = false, edge_weights = false;
  std::uint64_t ncon = 0;  // vertex weights per vertex (0: none)
  std::size_t m_at = 0;    // offset of the token m (where a wrong entry count is reported)
  std::size_t body = 0;    // offset of the first line after the header
};

constexpr std::uint64_t kMaxNcon = 1 << 20;  // METIS itself allows a few dozen

bool is_comment(const std::optional<std::string_view>& first) { return first && first->front() == '%'; }

Header read_header(std::string_view text, std::size_t start, const std::string& path) {
  auto fail = [&](std::size_t at, std::string what) { throw InputError(locate(path, text, {at, std::move(what)})); };
  constexpr std::string_view kForm = "of the header 'n m [fmt [ncon]]'";
  std::size_t p = start, at = start;
  std::optional<std::string_view> tok;
  std::size_t end = p;
  for (; p < text.size(); p = end + 1) {  // the first line that is neither blank nor a comment
    end = std::min(text.find('\n', p), text.size());
    LineTokens line(text, p, end);
    tok = line.next(at);
    if (tok && !is_comment(tok)) break;
  }
  if (p >= text.size()) fail(text.size(), fmt::format("expected the header 'n m [fmt [ncon]]', found end of file"));
  LineTokens line(text, p, end);
  std::uint64_t v[4] = {0, 0, 0, 0};
  const char* names[4] = {"the vertex count n", "the edge count m", "fmt", "ncon"};
  Header h;
  int count = 0;
  for (; count < 4; ++count) {  // each number checked as it is read: errors in token order
    tok = line.next(at);
    if (!tok) {
      if (count < 2) fail(at, fmt::format("expected {} {}, found end of line", names[count], kForm));
      break;
    }
    if (!read_u64(*tok, v[count])) fail(at, fmt::format("expected {} {}, found {}", names[count], kForm, quote_token(*tok)));
    if (count == 0 && v[0] == 0) fail(at, "expected a vertex count n >= 1, found 0");
    if (count == 0 && v[0] > kMaxNodes) fail(at, fmt::format("expected at most {} (2^32 - 2) vertices, found {}", kMaxNodes, v[0]));
    if (count == 1) h.m_at = at;
    if (count == 2 && (v[2] > 111 || v[2] % 10 > 1 || v[2] / 10 % 10 > 1))
      fail(at, "expected fmt, up to three 0/1 digits (vertex sizes, vertex weights, edge weights), found " +
                   quote_token(*tok));
    if (count == 3 && v[2] / 10 % 10 != 1)
      fail(at, fmt::format("expected no ncon where fmt {} has no vertex weights, found ncon = {}", v[2], v[3]));
    if (count == 3 && v[3] == 0) fail(at, "expected ncon >= 1 vertex weights, found 0");
    if (count == 3 && v[3] > kMaxNcon) fail(at, fmt::format("expected ncon <= {} vertex weights, found {}", kMaxNcon, v[3]));
  }
  if (count == 4 && (tok = line.next(at))) fail(at, fmt::format("expected the end of the header 'n m [fmt [ncon]]', found {}", quote_token(*tok)));
  h.n = v[0];
  h.m = v[1];
  h.sizes = v[2] / 100 == 1;
  h.edge_weights = v[2] % 10 == 1;
  h.ncon = v[2] / 10 % 10 == 1 ? (count == 4 ? v[3] : 1) : 0;
  h.body = std::min(text.size(), end + 1);
  return h;
}

// One vertex line after its first token `tok` (at `at`; nullopt: an empty line): checks it and
// calls f(u) for each neighbour u (0-based).
template <class F>
std::optional<TextError> vertex_line(LineTokens& t, std::optional<std::string_view> tok, std::size_t at,
                                     const Header& h, F&& f) {
  std::uint64_t x = 0;
  const std::uint64_t prefix = (h.sizes ? 1 : 0) + h.ncon;
  for (std::uint64_t k = 0; k < prefix; ++k, tok = t.next(at)) {
    const char* what = h.sizes && k == 0 ? "the vertex size" : "a vertex weight";
    if (!tok) return TextError{at, fmt::format("expected {}, found end of line", what)};
    if (!read_u64(*tok, x)) return TextError{at, fmt::format("expected {} (an unsigned integer), found {}", what, quote_token(*tok))};
  }
  for (; tok; tok = t.next(at)) {
    std::uint64_t u = 0;
    if (!read_u64(*tok, u) || u == 0 || u > h.n)
      return TextError{at, id_error(*tok, fmt::format("a neighbor id in [1, {}]", h.n))};
    if (h.edge_weights) {
      const auto w = t.next(at);
      if (!w) return TextError{at, fmt::format("expected the weight of the edge to {}, found end of line", u)};
      if (!read_u64(*w, x)) return TextError{at, "expected an edge weight (an unsigned integer), found " + quote_token(*w)};
    }
    f(static_cast<NodeId>(u - 1));
  }
  return std::nullopt;
}

// f(v, line tokens, first token, its offset) for each non-comment line of chunk c, v counting
// from the chunk's first vertex; stops at the first error.
template <class F>
std::optional<TextError> each_vertex(std::string_view text, const Chunks& chunks, std::size_t c, std::uint64_t v0, F&& f) {
  std::uint64_t v = v0;
  return for_each_line(text, chunks.begin(c), chunks.end(c), [&](LineTokens t) -> std::optional<TextError> {
    std::size_t at = 0;
    const auto first = t.next(at);
    if (is_comment(first)) return std::nullopt;
    return f(v++, t, first, at);
  });
}

struct MetisArcs {
  std::string_view text;
  const Chunks& chunks;
  const std::vector<std::uint64_t>& first_vertex;
  const Header& h;
  NodeId num_nodes() const { return static_cast<NodeId>(h.n); }
  std::size_t num_blocks() const { return chunks.count(); }
  template <class Emit>
  void block(std::size_t b, Emit&& emit) const {
    (void)each_vertex(text, chunks, b, first_vertex[b], [&](std::uint64_t v, LineTokens& t, auto first, std::size_t at) {
      if (v >= h.n) return std::optional<TextError>{};
      return vertex_line(t, first, at, h, [&](NodeId u) { emit(static_cast<NodeId>(v), u); });
    });
  }
};

}  // namespace

CsrGraph load_metis(std::string_view text, const std::string& path, const LoadOptions& opt, LoadNotes& notes) {
  // In METIS a line is a vertex, so CR-only line ends would misread every line: a CR followed by
  // anything but CR or LF is refused (the first, in file order).
  const Chunks whole{text, 0, std::max<std::size_t>(opt.chunk_bytes, std::size_t{1} << 20)};
  std::vector<std::size_t> bare(whole.count(), text.size());
  par::for_blocks(whole.count(), 1, [&](std::size_t c, std::size_t, std::size_t) {
    const char* d = text.data();
    for (std::size_t i = whole.begin(c), e = whole.end(c); i < e;) {
      const void* cr = std::memchr(d + i, '\r', e - i);
      if (!cr) break;
      i = static_cast<std::size_t>(static_cast<const char*>(cr) - d);
      if (i + 1 < text.size() && text[i + 1] != '\n' && text[i + 1] != '\r') {
        bare[c] = i;
        break;
      }
      ++i;
    }
  });
  if (const auto first = std::min_element(bare.begin(), bare.end()); first != bare.end() && *first < text.size())
    throw InputError(locate(path, text, {*first, "expected lines ending in LF or CR LF, found a CR inside a line "
                                                 "(CR-only line ends?)"}));
  const Header h = read_header(text, skip_prefix(text, opt.skip_lines), path);
  if (h.n > opt.max_nodes)
    throw ResourceError(fmt::format("{}: {} vertices; at most {} are allowed here", path, h.n, opt.max_nodes));
  const Chunks chunks{text, h.body, std::max<std::size_t>(opt.chunk_bytes, 1)};
  const std::vector<std::uint64_t> first_vertex = chunk_starts(chunks, [&](std::size_t c) {
    std::uint64_t k = 0;
    (void)each_vertex(text, chunks, c, 0, [&](std::uint64_t v, LineTokens&, auto, std::size_t) {
      k = v + 1;
      return std::optional<TextError>{};
    });
    return k;
  });
  struct Scan {
    std::uint64_t entries = 0, loops = 0;  // neighbour entries; those naming their own vertex
    std::optional<TextError> error;
  };
  std::vector<Scan> scans(chunks.count());
  par::for_blocks(chunks.count(), 1, [&](std::size_t c, std::size_t, std::size_t) {
    Scan& s = scans[c];
    s.error = each_vertex(text, chunks, c, first_vertex[c], [&](std::uint64_t v, LineTokens& t, auto first, std::size_t at) {
      if (v < h.n) return vertex_line(t, first, at, h, [&](NodeId u) { ++s.entries, s.loops += u == v; });
      if (!first) return std::optional<TextError>{};  // blank lines after the last vertex
      return std::optional<TextError>{TextError{at, fmt::format("expected n = {} vertex lines (from the header), found more", h.n)}};
    });
  });
  std::uint64_t entries = 0, loops = 0;
  for (const Scan& s : scans) {
    if (s.error) throw InputError(locate(path, text, *s.error));
    entries += s.entries;
    loops += s.loops;
  }
  const std::uint64_t lines = first_vertex.back();
  if (lines < h.n)
    throw InputError(locate(path, text, {text.size(), fmt::format("expected n = {} vertex lines (from the header), found {}", h.n, lines)}));
  // A self loop (which METIS itself refuses) is an entry as often as it is listed, not in m.
  const std::uint64_t pairs = entries - loops;
  if (pairs % 2 != 0 || pairs / 2 != h.m)  // (2m itself may not fit 64 bits)
    throw InputError(locate(path, text, {h.m_at, fmt::format("expected 2m neighbor entries (m = {} edges, each listed at "
                                                             "both ends), found {}{}", h.m, pairs,
                                                             loops ? fmt::format(" besides {} self loops", loops) : "")}));
  notes.lines = h.n;
  require_memory(csr_build_bytes(h.n, entries), "the CSR of " + path);
  CsrGraph arcs = build_csr(MetisArcs{text, chunks, first_vertex, h}, arc_options(opt));
  return arcs_as_read(std::move(arcs), path, opt, notes, "a METIS file lists every edge at both ends");
}

}  // namespace gossip::io
