#include "io/gcsr.hpp"

#include <fmt/format.h>

#include <bit>
#include <cstring>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "io/atomic_output.hpp"
#include "io/mapped_file.hpp"
#include "io/text_lines.hpp"

namespace gossip::io {
namespace {

static_assert(std::endian::native == std::endian::little, "the binary CSR format is little-endian");

struct Header {
  char magic[8];
  std::uint32_t version, flags;
  std::uint64_t n, arcs;
  std::uint64_t self_loops_dropped, duplicates_dropped, self_loops;
  std::uint32_t id_bytes, reserved;
};
static_assert(sizeof(Header) == 64);

constexpr std::uint32_t kDirected = 1, kOriginalIds = 2, kLatencies = 4;
constexpr std::size_t kRowBlock = std::size_t{1} << 14;

std::uint64_t padded(std::uint64_t bytes) { return (bytes + 7) / 8 * 8; }

[[noreturn]] void bad(const std::string& path, std::uint64_t at, const std::string& what) {
  throw InputError(fmt::format("{}: at byte {}: {}", path, at, what));
}

// The first block-ordered violation found by a parallel scan over rows: (row, message).
struct Violation {
  std::uint64_t row = UINT64_MAX, at = 0;
  std::string what;
  std::uint64_t loops = 0;
};

}  // namespace

void write_gcsr(const CsrGraph& g, const std::string& path) {
  Header h{};
  std::memcpy(h.magic, kGcsrMagic, 8);
  h.version = g.has_latencies() ? 2 : 1;
  h.flags = (g.directed() ? kDirected : 0) | (g.renumbered() ? kOriginalIds : 0) | (g.has_latencies() ? kLatencies : 0);
  h.n = g.num_nodes();
  h.arcs = g.num_arcs();
  h.self_loops_dropped = g.counts().self_loops_dropped;
  h.duplicates_dropped = g.counts().duplicates_dropped;
  h.self_loops = g.counts().self_loops;
  h.id_bytes = sizeof(NodeId);
  AtomicOutput out(path);
  out.write(&h, sizeof h);
  const EdgeIdx zero_offset = 0;
  if (g.offsets().empty())
    out.write(&zero_offset, sizeof zero_offset);
  else
    out.write(g.offsets().data(), g.offsets().size_bytes());
  out.write(g.adjacency().data(), g.adjacency().size_bytes());
  const char pad[8] = {};
  out.write(pad, padded(g.adjacency().size_bytes()) - g.adjacency().size_bytes());
  if (g.has_latencies()) {
    out.write(g.latencies().data(), g.latencies().size_bytes());
    out.write(pad, padded(g.latencies().size_bytes()) - g.latencies().size_bytes());
  }
  if (g.renumbered()) out.write(g.original_ids().data(), g.original_ids().size_bytes());
  out.commit();
}

CsrGraph gcsr_from_bytes(std::string_view bytes, const std::string& path, std::shared_ptr<const void> owner) {
  if (bytes.size() < sizeof(Header))
    bad(path, 0, fmt::format("expected a 64-byte binary CSR header, found {} bytes", bytes.size()));
  Header h;
  std::memcpy(&h, bytes.data(), sizeof h);
  if (std::memcmp(h.magic, kGcsrMagic, 8) != 0)
    bad(path, 0, "expected the binary CSR magic 'GOSSCSR\\x00', found " + quote_token({h.magic, 8}));
  if (h.version != 1 && h.version != 2) bad(path, 8, fmt::format("expected version 1 or 2, found {}", h.version));
  const std::uint32_t known = h.version == 1 ? kDirected | kOriginalIds : kDirected | kOriginalIds | kLatencies;
  if (h.flags & ~known) bad(path, 12, fmt::format("expected flags 0 to {} (version {}), found {}", known, h.version, h.flags));
  if (h.n > kMaxNodes) bad(path, 16, fmt::format("expected n <= {} (2^32 - 2), found {}", kMaxNodes, h.n));
  if (h.id_bytes != sizeof(NodeId)) bad(path, 56, fmt::format("expected id width 4, found {}", h.id_bytes));
  const bool directed = h.flags & kDirected, has_ids = h.flags & kOriginalIds, has_lat = h.flags & kLatencies;
  // n <= 2^32 - 2 keeps every term below 2^64 once arcs is known to fit the file.
  const bool arcs_fit = h.arcs <= bytes.size() / 4;
  const std::uint64_t arc_bytes = padded(4 * (arcs_fit ? h.arcs : 0));
  const std::uint64_t expected = sizeof(Header) + 8 * (h.n + 1) + arc_bytes * (has_lat ? 2 : 1) +
                                 (has_ids ? 8 * h.n : 0);
  if (!arcs_fit || expected != bytes.size())
    throw InputError(fmt::format("{}: expected {}{} bytes for n = {}, arcs = {}{} (the header), found {} bytes "
                                 "(truncated or inconsistent file)",
                                 path, arcs_fit ? "" : "more than ", arcs_fit ? expected : bytes.size(), h.n, h.arcs,
                                 has_ids && has_lat ? " with original ids and latencies"
                                 : has_ids          ? " with original ids"
                                 : has_lat          ? " with latencies"
                                                    : "",
                                 bytes.size()));
  const std::uint64_t off_at = sizeof(Header), nbr_at = off_at + 8 * (h.n + 1);
  const std::uint64_t lat_at = nbr_at + padded(4 * h.arcs);
  const std::uint64_t ids_at = lat_at + (has_lat ? padded(4 * h.arcs) : 0);
  const auto* lat = reinterpret_cast<const Latency*>(bytes.data() + lat_at);
  const auto* offsets = reinterpret_cast<const EdgeIdx*>(bytes.data() + off_at);
  const auto* nbrs = reinterpret_cast<const NodeId*>(bytes.data() + nbr_at);
  const auto* ids = reinterpret_cast<const std::uint64_t*>(bytes.data() + ids_at);
  if (offsets[0] != 0) bad(path, off_at, fmt::format("expected offsets[0] = 0, found {}", offsets[0]));
  if (offsets[h.n] != h.arcs)
    bad(path, off_at + 8 * h.n, fmt::format("expected offsets[n] = arcs = {}, found {}", h.arcs, offsets[h.n]));

  // Offsets first (rows are only read once every row's bounds are known to be in range).
  auto first_violation = [&](auto&& check) {
    return par::reduce_blocks(
        h.n, kRowBlock, Violation{},
        [&](std::size_t, std::size_t lo, std::size_t hi) {
          Violation v;
          for (std::size_t u = lo; u < hi && v.row == UINT64_MAX; ++u) check(u, v);
          return v;
        },
        [](Violation a, Violation b) {
          if (a.row == UINT64_MAX) {
            b.loops += a.loops;
            return b;
          }
          a.loops += b.loops;
          return a;
        });
  };
  Violation v = first_violation([&](std::size_t u, Violation& out) {
    if (offsets[u + 1] < offsets[u])
      out = {u, off_at + 8 * (u + 1),
             fmt::format("expected non-decreasing offsets, found offsets[{}] = {} after {}", u + 1, offsets[u + 1],
                         offsets[u]), 0};
  });
  if (v.row != UINT64_MAX) bad(path, v.at, v.what);
  v = first_violation([&](std::size_t u, Violation& out) {
    for (EdgeIdx a = offsets[u]; a < offsets[u + 1]; ++a) {
      const NodeId w = nbrs[a];
      if (w >= h.n) {
        out = {u, nbr_at + 4 * a, fmt::format("expected a neighbor id below n = {}, found {} (row {})", h.n, w, u), 0};
        return;
      }
      if (a > offsets[u] && w < nbrs[a - 1]) {
        out = {u, nbr_at + 4 * a, fmt::format("expected row {} sorted ascending, found {} after {}", u, w, nbrs[a - 1]), 0};
        return;
      }
      out.loops += w == u;
    }
  });
  if (v.row != UINT64_MAX) bad(path, v.at, v.what);
  if (v.loops != h.self_loops)
    bad(path, 48, fmt::format("expected the rows' {} self loops, found self_loops = {}", v.loops, h.self_loops));
  if (!directed && (h.arcs - h.self_loops) % 2 != 0)
    bad(path, 24, fmt::format("expected an undirected graph's arcs minus self loops to be even, found {}",
                              h.arcs - h.self_loops));
  if (has_lat) {
    const std::uint64_t bad_at = par::reduce_blocks(
        h.arcs, std::size_t{1} << 16, std::uint64_t{UINT64_MAX},
        [&](std::size_t, std::size_t lo, std::size_t hi) {
          for (std::size_t a = lo; a < hi; ++a)
            if (lat[a] > kMaxLatency) return std::uint64_t{a};
          return std::uint64_t{UINT64_MAX};
        },
        [](std::uint64_t a, std::uint64_t b) { return std::min(a, b); });
    if (bad_at != UINT64_MAX)
      bad(path, lat_at + 4 * bad_at, fmt::format("expected a latency of at most {} (2^31 - 2), found {} (arc {})",
                                                 kMaxLatency, lat[bad_at], bad_at));
  }
  if (has_ids) {
    const std::uint64_t bad_at = par::reduce_blocks(
        h.n, std::size_t{1} << 16, std::uint64_t{UINT64_MAX},
        [&](std::size_t, std::size_t lo, std::size_t hi) {
          for (std::size_t i = std::max<std::size_t>(lo, 1); i < hi; ++i)
            if (ids[i] <= ids[i - 1]) return std::uint64_t{i};
          return std::uint64_t{UINT64_MAX};
        },
        [](std::uint64_t a, std::uint64_t b) { return std::min(a, b); });
    if (bad_at != UINT64_MAX)
      bad(path, ids_at + 8 * bad_at, fmt::format("expected strictly ascending original ids, found {} after {}",
                                                 ids[bad_at], ids[bad_at - 1]));
  }
  CsrGraph g(Array<EdgeIdx>::view(offsets, h.n + 1, owner), Array<NodeId>::view(nbrs, h.arcs, owner), directed,
             BuildCounts{h.self_loops_dropped, h.duplicates_dropped, h.self_loops});
  if (has_lat) g.set_latencies(Array<Latency>::view(lat, h.arcs, owner));
  if (has_ids) g.set_original_ids(Array<std::uint64_t>::view(ids, h.n, owner));
  return g;
}

CsrGraph load_gcsr(const std::string& path) {
  auto file = std::make_shared<MappedFile>(path, false);
  if (is_gzip(file->bytes()))
    throw InputError(path + ": a gzip-compressed binary CSR cannot be memory-mapped; decompress it first");
  return gcsr_from_bytes(file->bytes(), path, file);
}

}  // namespace gossip::io
