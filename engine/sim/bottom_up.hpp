// Flood's bottom-up step (direction-optimizing BFS, Beamer, Asanovic & Patterson, SC'12): where
// forward probability is 1, nothing is lost, there is no TTL and the graph is undirected, round r
// informs exactly the uninformed nodes with a neighbour informed in round r - 1, so each
// uninformed node can look for a sender instead of every sender pushing to all its neighbours.
// The counters stay those of docs/model.md: messages = sum of the senders' degrees, and
// redundant = messages - (arcs from senders to newly informed nodes); the second term is counted
// by scanning each uninformed node's whole row against a bitmap of the senders (n / 8 bytes, held
// in cache), so the scan has no early exit but every probe is a cache hit.
#pragma once
#include <bit>
#include <vector>

#include "core/array.hpp"
#include "core/parallel.hpp"
#include "graph/csr.hpp"
#include "protocol/rumor.hpp"

namespace gossip {

inline bool bottom_up_eligible(const CsrGraph& g, const ProtocolSpec& s, const Thresholds& t) {
  return s.mode == Mode::flood && !g.directed() && t.certain() && s.ttl == 0 && s.stop == StopRule::none;
}
template <class G>
bool bottom_up_eligible(const G&, const ProtocolSpec&, const Thresholds&) { return false; }

struct BottomUpResult {
  RoundStats stats;
  std::int64_t new_degree = 0;  // sum of the newly informed nodes' degrees (the next senders' arcs)
};

// Round c.r bottom-up; `bits` holds (n + 63) / 64 words; appends the newly informed to `newly`.
inline BottomUpResult step_bottom_up(const CsrGraph& g, RumorState& st, const RoundContext& c, Array<std::uint64_t>& bits,
                                     std::vector<NodeId>& newly) {
  st.bits_round = -1;
  const std::size_t n = g.num_nodes(), words = (n + 63) / 64;
  const Round sent = c.r - 1;
  constexpr std::size_t kWordBlock = 1024;
  const std::int64_t messages = par::reduce_blocks(
      words, kWordBlock, std::int64_t{0},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        std::int64_t m = 0;
        for (std::size_t k = lo; k < hi; ++k) {
          std::uint64_t w = 0;
          const std::size_t end = std::min(n, 64 * k + 64);
          for (std::size_t v = 64 * k; v < end; ++v)
            if (st.informed_at[v] == sent) {
              w |= std::uint64_t{1} << (v & 63);
              m += g.degree(static_cast<NodeId>(v));
            }
          bits[k] = w;
        }
        return m;
      },
      [](std::int64_t a, std::int64_t b) { return a + b; });

  struct Part {
    std::int64_t newly = 0, arcs = 0, degree = 0;
  };
  std::vector<std::vector<NodeId>> found(par::num_blocks(n, kWordBlock * 64));
  const Part total = par::reduce_blocks(
      n, kWordBlock * 64, Part{},
      [&](std::size_t b, std::size_t lo, std::size_t hi) {
        Part p;
        const auto nbr = g.adjacency();
        const auto off = g.offsets();
        for (std::size_t w = lo; w < hi; ++w) {
          if (st.informed_at[w] != kNever) continue;
          std::int64_t cnt = 0;
          for (EdgeIdx e = off[w]; e < off[w + 1]; ++e) cnt += (bits[nbr[e] >> 6] >> (nbr[e] & 63)) & 1;
          if (cnt == 0) continue;
          st.informed_at[w] = c.r;  // only w's own block writes w; the scan reads the bitmap
          ++p.newly;
          p.arcs += cnt;
          p.degree += static_cast<std::int64_t>(off[w + 1] - off[w]);
          found[b].push_back(static_cast<NodeId>(w));
        }
        return p;
      },
      [](Part a, const Part& b) { return Part{a.newly + b.newly, a.arcs + b.arcs, a.degree + b.degree}; });
  for (const auto& f : found) newly.insert(newly.end(), f.begin(), f.end());

  BottomUpResult r;
  r.stats.newly_informed = total.newly;
  r.stats.spreaders = total.newly;  // no TTL, and a node found through an arc has one back
  r.stats.messages = messages;
  r.stats.redundant = messages - total.arcs;
  r.new_degree = total.degree;
  return r;
}

}  // namespace gossip
