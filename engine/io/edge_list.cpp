#include "io/edge_list.hpp"

#include <fmt/format.h>

#include <vector>

#include "core/error.hpp"
#include "core/memory.hpp"
#include "core/parallel.hpp"
#include "graph/build.hpp"
#include "io/id_map.hpp"

namespace gossip::io {
namespace {

struct ChunkScan {
  std::uint64_t edges = 0;
  std::uint64_t min = UINT64_MAX, max = 0;
  bool beyond_bound = false;  // an id >= the bitmap bound: use the sorted-ids map
  std::optional<TextError> error;
};

// Calls f(u, v, latency) for each edge line of chunk [begin, end), the latency read from 1-based
// column `lat_col` (0: none, latency 0); returns the first malformed line's error.
template <class F>
std::optional<TextError> parse_edges(std::string_view text, std::size_t begin, std::size_t end, std::uint32_t lat_col,
                                     F&& f) {
  return for_each_line(text, begin, end, [&](LineTokens t) -> std::optional<TextError> {
    std::size_t at = 0;
    const auto a = t.next(at);
    if (skips_line(a)) return std::nullopt;
    std::uint64_t u = 0, v = 0;
    if (!read_u64(*a, u)) return TextError{at, id_error(*a, "a node id")};
    const auto b = t.next(at);
    if (!b) return TextError{at, "expected a second node id, found end of line"};
    if (!read_u64(*b, v)) return TextError{at, id_error(*b, "a node id")};
    std::uint32_t w = 0;
    if (lat_col != 0) {
      std::optional<std::string_view> c;
      for (std::uint32_t col = 3; col <= lat_col; ++col)
        if (!(c = t.next(at)))
          return TextError{at, fmt::format("expected a latency in column {} (graph.latency), found end of line", lat_col)};
      if (!read_latency(*c, w)) return TextError{at, latency_error(*c)};
    }
    f(u, v, w);
    return std::nullopt;
  });
}

template <bool Weighted>
struct FileEdges {  // the EdgeSource build_csr replays: chunk b re-parsed, ids mapped
  static constexpr bool weighted = Weighted;
  std::string_view text;
  const Chunks& chunks;
  const IdMap& map;
  NodeId n;
  std::uint32_t lat_col;
  NodeId num_nodes() const { return n; }
  std::size_t num_blocks() const { return chunks.count(); }
  template <class Emit>
  void block(std::size_t b, Emit&& emit) const {
    (void)parse_edges(text, chunks.begin(b), chunks.end(b), lat_col, [&](std::uint64_t u, std::uint64_t v, Latency w) {
      if constexpr (Weighted)
        emit(map(u), map(v), w);
      else
        emit(map(u), map(v));
    });
  }
};

[[noreturn]] void throw_first_error(const std::vector<ChunkScan>& scans, std::string_view text, std::size_t first,
                                    const std::string& path) {
  for (const ChunkScan& s : scans) {
    if (!s.error) continue;
    TextError e = *s.error;
    // A non-numeric first token on the first data line is most likely a header row.
    const std::size_t line = next_data_line(text, first);
    const char c = e.offset < text.size() ? text[e.offset] : '\n';
    if (line <= e.offset && text.find('\n', line) >= e.offset && c != '\n' && !(c >= '0' && c <= '9') && c != '-' &&
        e.what.starts_with("expected a node id")) {
      const auto lineno = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(e.offset), '\n');
      e.what += fmt::format(" (a header row? start it with '#' or skip it with graph.skip_lines = {}, --skip-lines {})",
                            lineno, lineno);
    }
    throw InputError(locate(path, text, e));
  }
  throw std::logic_error("throw_first_error without an error");
}

}  // namespace

CsrGraph load_edge_list(std::string_view text, const std::string& path, const LoadOptions& opt, LoadNotes& notes) {
  const Chunks chunks{text, skip_prefix(text, opt.skip_lines), std::max<std::size_t>(opt.chunk_bytes, 1)};
  // Every line holds at least "a b\n" (4 bytes), so at most size / 2 distinct ids: when the ids
  // are exactly 0..n-1 (or 1..n) they are all below this bound, and the bitmap sees them all.
  const std::uint64_t bound = std::min<std::uint64_t>(text.size() / 2 + 2, kMaxNodes + 1);
  PresenceBits bits(bound);
  std::vector<ChunkScan> scans(chunks.count());
  par::for_blocks(chunks.count(), 1, [&](std::size_t c, std::size_t, std::size_t) {
    ChunkScan s;
    s.error = parse_edges(text, chunks.begin(c), chunks.end(c), opt.latency_column,
                          [&](std::uint64_t u, std::uint64_t v, Latency) {
      ++s.edges;
      s.min = std::min({s.min, u, v});
      s.max = std::max({s.max, u, v});
      if (u < bound) bits.mark(u);
      if (v < bound) bits.mark(v);
    });
    s.beyond_bound = s.max >= bound;
    scans[c] = std::move(s);
  });
  ChunkScan all;
  for (const ChunkScan& s : scans) {
    if (s.error) throw_first_error(scans, text, chunks.first, path);
    all.edges += s.edges;
    all.min = std::min(all.min, s.min);
    all.max = std::max(all.max, s.max);
    all.beyond_bound = all.beyond_bound || s.beyond_bound;
  }
  notes.lines = all.edges;
  if (all.edges == 0) throw InputError(path + ": no edges (only comments, blank or skipped lines)");

  const std::uint64_t base = opt.one_based ? 1 : 0;
  IdMap map;
  if (!all.beyond_bound) {
    map = IdMap::from_bits(std::move(bits), base);
  } else {
    bits = PresenceBits(0);
    std::vector<std::vector<std::uint64_t>> ids(chunks.count());
    par::for_blocks(chunks.count(), 1, [&](std::size_t c, std::size_t, std::size_t) {
      auto& out = ids[c];
      (void)parse_edges(text, chunks.begin(c), chunks.end(c), 0, [&](std::uint64_t u, std::uint64_t v, Latency) {
        out.push_back(u);
        out.push_back(v);
      });
      std::sort(out.begin(), out.end());
      out.erase(std::unique(out.begin(), out.end()), out.end());
    });
    std::vector<std::uint64_t> flat;
    for (auto& v : ids) {
      flat.insert(flat.end(), v.begin(), v.end());
      std::vector<std::uint64_t>().swap(v);
    }
    map = IdMap::from_ids(std::move(flat), base);
  }
  if (map.size() > std::min(kMaxNodes, opt.max_nodes))
    throw ResourceError(fmt::format("{}: {} distinct node ids; at most {} are supported", path, map.size(),
                                    std::min(kMaxNodes, opt.max_nodes)));
  if (opt.one_based && all.min == 0)
    notes.warnings.push_back(fmt::format("{}: ids are read as 1-based (graph.one_based) but id 0 appears; "
                                         "ids renumbered, originals kept",
                                         path));
  if (!opt.one_based && all.min > 0)
    notes.warnings.push_back(fmt::format("{}: id 0 never appears (smallest id {}); if ids are 1-based set "
                                         "graph.one_based = true (--one-based)",
                                         path, all.min));
  if (!map.identity())
    notes.warnings.push_back(fmt::format("{}: {} distinct ids in [{}, {}] renumbered to 0..{} (originals kept)", path,
                                         map.size(), all.min, all.max, map.size() - 1));

  const auto n = static_cast<NodeId>(map.size());
  const std::uint64_t arcs = opt.directed ? all.edges : 2 * all.edges;
  require_memory(csr_build_bytes(n, arcs) + (opt.latency_column ? 4 * arcs : 0) +
                     (map.identity() ? 0 : 8 * std::uint64_t{n}),
                 "the CSR of " + path);
  const BuildOptions bo{opt.directed, opt.keep_self_loops, opt.keep_duplicates};
  CsrGraph g = opt.latency_column ? build_csr(FileEdges<true>{text, chunks, map, n, opt.latency_column}, bo)
                                  : build_csr(FileEdges<false>{text, chunks, map, n, 0}, bo);
  g.set_original_ids(map.original_ids());
  return g;
}

}  // namespace gossip::io
