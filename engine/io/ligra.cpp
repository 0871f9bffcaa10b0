#include "io/ligra.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "core/array.hpp"
#include "core/error.hpp"
#include "core/memory.hpp"
#include "core/parallel.hpp"
#include "graph/build.hpp"
#include "io/adjacency.hpp"

namespace gossip::io {
namespace {

struct Header {
  std::uint64_t n = 0, m = 0;
  bool weighted = false;
  std::size_t body = 0;  // offset just after the token m
  std::uint64_t numbers() const { return n + (weighted ? 2 : 1) * m; }  // m < 2^62: no wrap
  std::string expected() const {
    return weighted ? fmt::format("n + 2m = {} numbers after the header (n offsets, m neighbor ids, m weights)", numbers())
                    : fmt::format("n + m = {} numbers after the header (n offsets, m neighbor ids)", numbers());
  }
};

Header read_header(std::string_view text, std::size_t p, const std::string& path) {
  auto fail = [&](std::size_t at, std::string what) { throw InputError(locate(path, text, {at, std::move(what)})); };
  auto next = [&](std::string_view what) {  // the next token, across lines
    while (p < text.size() && (is_separator(text[p]) || text[p] == '\n')) ++p;
    if (p >= text.size()) fail(p, fmt::format("expected {}, found end of file", what));
    const std::size_t at = p;
    while (p < text.size() && !is_separator(text[p]) && text[p] != '\n') ++p;
    return std::pair{at, text.substr(at, p - at)};
  };
  Header h;
  const auto [kind_at, kind] = next("'AdjacencyGraph'");
  if (kind != "AdjacencyGraph" && kind != "WeightedAdjacencyGraph")
    fail(kind_at, "expected 'AdjacencyGraph' or 'WeightedAdjacencyGraph', found " + quote_token(kind));
  h.weighted = kind == "WeightedAdjacencyGraph";
  const auto [n_at, n] = next("the node count n");
  if (!read_u64(n, h.n)) fail(n_at, "expected the node count n, found " + quote_token(n));
  if (h.n == 0) fail(n_at, "expected a node count n >= 1, found 0");
  if (h.n > kMaxNodes) fail(n_at, fmt::format("expected at most {} (2^32 - 2) nodes, found {}", kMaxNodes, h.n));
  const auto [m_at, m] = next("the arc count m");
  if (!read_u64(m, h.m)) fail(m_at, "expected the arc count m, found " + quote_token(m));
  if (h.m >= std::uint64_t{1} << 62) fail(m_at, fmt::format("expected an arc count m below 2^62, found {}", h.m));
  h.body = p;
  return h;
}

// f(index, token, offset) for each number of chunk c, index counting from i0; stops at an error.
template <class F>
std::optional<TextError> each_number(std::string_view text, const Chunks& chunks, std::size_t c, std::uint64_t i0, F&& f) {
  std::uint64_t i = i0;
  return for_each_line(text, chunks.begin(c), chunks.end(c), [&](LineTokens t) -> std::optional<TextError> {
    std::size_t at = 0;
    for (auto tok = t.next(at); tok; tok = t.next(at))
      if (auto e = f(i++, *tok, at)) return e;
    return std::nullopt;
  });
}

struct LigraArcs {
  std::string_view text;
  const Chunks& chunks;
  const std::vector<std::uint64_t>& first_index;
  const Array<EdgeIdx>& off;  // n + 1 row starts, off[n] = m
  NodeId n;
  NodeId num_nodes() const { return n; }
  std::size_t num_blocks() const { return chunks.count(); }
  template <class Emit>
  void block(std::size_t b, Emit&& emit) const {
    const std::uint64_t m = off[n];
    std::size_t u = kNoNode;
    (void)each_number(text, chunks, b, first_index[b], [&](std::uint64_t i, std::string_view tok, std::size_t) {
      if (i < n || i >= n + m) return std::optional<TextError>{};
      const EdgeIdx e = i - n;
      if (u == kNoNode) u = static_cast<std::size_t>(std::upper_bound(off.begin(), off.end(), e) - off.begin()) - 1;
      while (off[u + 1] <= e) ++u;
      std::uint64_t v = 0;
      (void)read_u64(tok, v);
      emit(static_cast<NodeId>(u), static_cast<NodeId>(v));
      return std::optional<TextError>{};
    });
  }
};

// Where number i (after the header) is: for an error found after the parse.
std::size_t offset_of(std::string_view text, const Chunks& chunks, const std::vector<std::uint64_t>& first_index, std::uint64_t i) {
  const std::size_t c = static_cast<std::size_t>(std::upper_bound(first_index.begin(), first_index.end(), i) - first_index.begin()) - 1;
  std::size_t where = text.size();
  (void)each_number(text, chunks, c, first_index[c], [&](std::uint64_t k, std::string_view, std::size_t at) {
    if (k == i) where = at;
    return k == i ? std::optional<TextError>{TextError{}} : std::nullopt;
  });
  return where;
}

}  // namespace

CsrGraph load_ligra(std::string_view text, const std::string& path, const LoadOptions& opt, LoadNotes& notes) {
  const Header h = read_header(text, skip_prefix(text, opt.skip_lines), path);
  if (h.n > opt.max_nodes)
    throw ResourceError(fmt::format("{}: {} nodes; at most {} are allowed here", path, h.n, opt.max_nodes));
  const Chunks chunks{text, h.body, std::max<std::size_t>(opt.chunk_bytes, 1)};
  const std::vector<std::uint64_t> first_index = chunk_starts(chunks, [&](std::size_t c) {
    std::uint64_t k = 0;
    (void)each_number(text, chunks, c, 0, [&](std::uint64_t i, std::string_view, std::size_t) {
      k = i + 1;
      return std::optional<TextError>{};
    });
    return k;
  });
  // Errors in file order: each number checked, the offsets read before the first bad number
  // (or the end) checked for order, then that bad number, then the count of numbers.
  const std::uint64_t found = first_index.back();
  auto count_error = [&] {
    return InputError(locate(path, text, {text.size(), fmt::format("expected {}, found {}", h.expected(), found)}));
  };
  const std::uint64_t present = std::min(found, h.n);  // offsets in the file (at most n numbers: bounded by its size)
  require_memory(8 * (present + 1), "the row offsets of " + path);
  Array<EdgeIdx> off(present + 1);
  off[present] = h.m;  // off[n] = m when all n are present
  struct Bad {
    std::uint64_t index = 0;  // the number's index after the header
    std::optional<TextError> error;
  };
  std::vector<Bad> errors(chunks.count());
  par::for_blocks(chunks.count(), 1, [&](std::size_t c, std::size_t, std::size_t) {
    errors[c].error = each_number(text, chunks, c, first_index[c], [&](std::uint64_t i, std::string_view tok, std::size_t at) -> std::optional<TextError> {
      errors[c].index = i;
      std::uint64_t x = 0;
      if (i < h.n) {
        if (!read_u64(tok, x)) return TextError{at, fmt::format("expected row offset {}, found {}", i, quote_token(tok))};
        off[i] = x;
      } else if (i < h.n + h.m) {
        if (!read_u64(tok, x) || x >= h.n) return TextError{at, id_error(tok, fmt::format("a neighbor id below n = {}", h.n))};
      } else if (i < h.numbers()) {
        std::int64_t w = 0;
        const auto r = std::from_chars(tok.data(), tok.data() + tok.size(), w);
        if (r.ec != std::errc{} || r.ptr != tok.data() + tok.size())
          return TextError{at, "expected an integer edge weight, found " + quote_token(tok)};
      } else {
        return TextError{at, fmt::format("expected {}, found more", h.expected())};
      }
      return std::nullopt;
    });
  });
  const auto first_bad = std::find_if(errors.begin(), errors.end(), [](const Bad& b) { return b.error.has_value(); });
  const Bad* e = first_bad == errors.end() ? nullptr : &*first_bad;
  // The first of the offsets [0, valid) that breaks 0 = off[0] <= ... <= off[n - 1] <= m (off[n] = m
  // is compared with only when all n are there).
  const std::uint64_t valid = e && e->index < present ? e->index : present;
  const std::uint64_t last = valid == h.n ? h.n : (valid == 0 ? 0 : valid - 1);  // off[i] vs off[i + 1] for i < last
  const std::uint64_t bad = par::reduce_blocks(
      valid, 1 << 16, valid,
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        for (std::size_t i = lo; i < hi; ++i)
          if ((i == 0 && off[0] != 0) || off[i] > h.m || (i < last && off[i] > off[i + 1])) return std::uint64_t{i};
        return valid;
      },
      [](std::uint64_t a, std::uint64_t b) { return std::min(a, b); });
  if (bad < valid) {
    std::uint64_t at = bad;
    std::string what;
    if (bad == 0 && off[0] != 0) {
      what = fmt::format("expected row offset 0 to be 0, found {}", off[0]);
    } else if (off[bad] > h.m) {
      what = fmt::format("expected row offsets at most m = {}, found row offset {} = {}", h.m, bad, off[bad]);
    } else {
      at = bad + 1;
      what = fmt::format("expected non-decreasing row offsets, found row offset {} = {} after {}", at, off[at], off[bad]);
    }
    throw InputError(locate(path, text, {offset_of(text, chunks, first_index, at), std::move(what)}));
  }
  if (e && e->index < h.n) throw InputError(locate(path, text, *e->error));
  if (found < h.n) throw count_error();
  if (e) throw InputError(locate(path, text, *e->error));
  if (found < h.numbers()) throw count_error();
  require_memory(csr_build_bytes(h.n, h.m), "the CSR of " + path);
  notes.lines = h.m;
  CsrGraph arcs = build_csr(LigraArcs{text, chunks, first_index, off, static_cast<NodeId>(h.n)},
                            arc_options(opt));
  off = Array<EdgeIdx>();
  return arcs_as_read(std::move(arcs), path, opt, notes, "it is a directed Ligra graph");
}

}  // namespace gossip::io
