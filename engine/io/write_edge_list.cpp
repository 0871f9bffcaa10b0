#include "io/write_edge_list.hpp"

#include <charconv>
#include <vector>

#include "core/parallel.hpp"
#include "io/atomic_output.hpp"

namespace gossip::io {

void write_edge_list(const CsrGraph& g, const std::string& path) {
  AtomicOutput out(path);
  const auto ids = g.original_ids();
  auto name = [&](NodeId v) { return ids.empty() ? std::uint64_t{v} : ids[v]; };
  // Blocks of rows are formatted in parallel into their own buffers, then written in order.
  constexpr std::size_t kRows = std::size_t{1} << 14, kGroup = 64;
  const std::size_t n = g.num_nodes(), nb = par::num_blocks(n, kRows);
  std::vector<std::string> text(kGroup);
  for (std::size_t first = 0; first < nb; first += kGroup) {
    const std::size_t count = std::min(kGroup, nb - first);
    par::for_blocks(count, 1, [&](std::size_t b, std::size_t, std::size_t) {
      std::string& s = text[b];
      s.clear();
      const std::size_t lo = (first + b) * kRows, hi = std::min(n, lo + kRows);
      for (std::size_t u = lo; u < hi; ++u)
        for (NodeId v : g.neighbors(static_cast<NodeId>(u))) {
          if (!g.directed() && v < u) continue;
          const std::size_t len = s.size();
          s.resize(len + 42);  // two 20-digit ids, a space, a newline
          char* p = std::to_chars(s.data() + len, s.data() + len + 20, name(static_cast<NodeId>(u))).ptr;
          *p++ = ' ';
          p = std::to_chars(p, p + 20, name(v)).ptr;
          *p++ = '\n';
          s.resize(static_cast<std::size_t>(p - s.data()));
        }
    });
    for (std::size_t b = 0; b < count; ++b) out.write(text[b].data(), text[b].size());
  }
  out.commit();
}

}  // namespace gossip::io
