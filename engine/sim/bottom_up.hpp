// Flood's bottom-up step (direction-optimizing BFS, Beamer, Asanovic & Patterson, SC'12): where
// forward probability is 1, nothing is lost, there is no TTL and the graph is undirected, round r
// informs exactly the uninformed nodes with a neighbour informed in round r - 1, so each
// uninformed node can look for a sender instead of every sender pushing to all its neighbours.
// The counters stay those of docs/model.md: messages = the senders' arcs (the caller's running
// sum), and redundant = messages - (arcs from the senders S to the uninformed U). That last sum
// is counted from the cheaper side: over S's rows against the informed bitmap when S has fewer
// arcs than U (then each uninformed node stops at its first sender, as GAP's BFS does), else
// over U's whole rows against the sender bitmap.
// Bitmaps (st.bits, 3 x (n + 63) / 64 words, all in cache where the graph allows): informed
// before the round, and two sender halves used alternately (round r reads the senders of r - 1
// and writes those of r), so consecutive bottom-up rounds never re-read informed_at;
// st.bits_round = r says they hold round r's inputs (anything else: rebuilt from informed_at).
#pragma once
#include <algorithm>
#include <bit>
#include <vector>

#include "core/array.hpp"
#include "core/bit_pack.hpp"
#include "core/parallel.hpp"
#include "graph/csr.hpp"
#include "sim/rumor.hpp"
#include "sim/sweep_bitmaps.hpp"

namespace gossip {

struct BottomUpResult {
  RoundStats stats;
  std::int64_t new_degree = 0;  // sum of the newly informed nodes' degrees (the next senders' arcs)
};

namespace bottom_up {

// Words per parallel block: 1024 (65536 nodes), or fewer (down to 256) where that leaves fewer
// than 64 blocks to balance among the workers (er:n=1e6,d=8: 16 blocks of 1024 words left a
// round's last block to one worker; 61 of 256 made 64 flood trials 1.84x from 1 to 2 threads, not
// 1.79x, bench/README.md).
inline std::size_t word_block(std::size_t words) { return std::clamp<std::size_t>(words / 64, 256, 1024); }

struct Bitmaps {
  std::uint64_t* informed;  // informed before the round; the bits past n are set
  std::uint64_t* senders;   // informed in the round before
  std::uint64_t* next;      // written: informed in this round
  std::size_t words;
};

// Round r's view of st.bits; rebuilt from informed_at unless round r - 1 left it.
inline Bitmaps bitmaps(RumorState& st, std::size_t n, Round r) {
  const std::size_t words = RumorState::bit_words(static_cast<NodeId>(n));
  std::uint64_t* base = st.bits.data();
  Bitmaps b{base, base + words * (1 + (r & 1)), base + words * (2 - (r & 1)), words};
  if (st.bits_round == r) return b;
  par::for_blocks(words, word_block(words), [&](std::size_t, std::size_t lo, std::size_t hi) {
    const std::size_t count = std::min(n, 64 * hi) - 64 * lo;
    pack_compare(st.informed_at.data() + 64 * lo, count, Compare::less, r, b.informed + lo);
    pack_compare(st.informed_at.data() + 64 * lo, count, Compare::equal, r - 1, b.senders + lo);
  });
  if (n % 64) b.informed[words - 1] |= ~std::uint64_t{0} << (n % 64);
  return b;
}

// Arcs from the senders to nodes not yet informed, over the senders' rows.
inline std::int64_t arcs_from_senders(const CsrGraph& g, const Bitmaps& b) {
  const auto nbr = g.adjacency();
  const auto off = g.offsets();
  return par::reduce_blocks(
      b.words, word_block(b.words), std::int64_t{0},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        std::int64_t cnt = 0;
        for (std::size_t k = lo; k < hi; ++k)
          for (std::uint64_t s = b.senders[k]; s; s &= s - 1) {
            const std::size_t v = 64 * k + static_cast<std::size_t>(std::countr_zero(s));
            for (EdgeIdx e = off[v]; e < off[v + 1]; ++e) cnt += !sweep::bit(b.informed, nbr[e]);
          }
        return cnt;
      },
      [](std::int64_t x, std::int64_t y) { return x + y; });
}

// The nodes whose bit is set in bits[0 .. words), ascending.
inline std::vector<NodeId> bitmap_nodes(const std::uint64_t* bits, std::size_t words) {
  std::vector<std::vector<NodeId>> parts(par::num_blocks(words, word_block(words)));
  par::for_blocks(words, word_block(words), [&](std::size_t blk, std::size_t lo, std::size_t hi) {
    for (std::size_t k = lo; k < hi; ++k)
      for (std::uint64_t s = bits[k]; s; s &= s - 1)
        parts[blk].push_back(static_cast<NodeId>(64 * k + static_cast<std::size_t>(std::countr_zero(s))));
  });
  std::vector<NodeId> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

}  // namespace bottom_up

// Round c.r bottom-up. `sender_arcs` and `uninformed_arcs` are the sums of the degrees of the
// nodes informed in round c.r - 1 and of those not yet informed. Where fewer than `list_below`
// nodes are newly informed they are appended to `newly` (ascending).
inline BottomUpResult step_bottom_up(const CsrGraph& g, RumorState& st, const RoundContext& c, std::int64_t sender_arcs,
                                     std::int64_t uninformed_arcs, std::int64_t list_below, std::vector<NodeId>& newly) {
  using namespace bottom_up;
  const std::size_t n = g.num_nodes();
  const Bitmaps b = bitmaps(st, n, c.r);
  const bool from_senders = sender_arcs < uninformed_arcs;
  const std::int64_t sender_side = from_senders ? arcs_from_senders(g, b) : 0;

  struct Part {
    std::int64_t newly = 0, arcs = 0, degree = 0;
  };
  const Part total = par::reduce_blocks(
      b.words, word_block(b.words), Part{},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        Part p;
        const auto nbr = g.adjacency();
        const auto off = g.offsets();
        for (std::size_t k = lo; k < hi; ++k) {
          std::uint64_t found = 0;
          for (std::uint64_t u = ~b.informed[k]; u; u &= u - 1) {
            const int bit = std::countr_zero(u);
            const std::size_t w = 64 * k + static_cast<std::size_t>(bit);
            const EdgeIdx lo_e = off[w], hi_e = off[w + 1];
            std::int64_t cnt = 0;
            if (from_senders) {
              for (EdgeIdx e = lo_e; e < hi_e && !cnt; ++e) cnt = sweep::bit(b.senders, nbr[e]);
            } else {
              for (EdgeIdx e = lo_e; e < hi_e; ++e) cnt += sweep::bit(b.senders, nbr[e]);
            }
            if (cnt == 0) continue;
            found |= std::uint64_t{1} << bit;
            st.informed_at[w] = c.r;  // only w's own block writes w; the scan reads the bitmaps
            p.arcs += cnt;
            p.degree += static_cast<std::int64_t>(hi_e - lo_e);
          }
          p.newly += std::popcount(found);
          b.informed[k] |= found;
          b.next[k] = found;
        }
        return p;
      },
      [](Part x, const Part& y) { return Part{x.newly + y.newly, x.arcs + y.arcs, x.degree + y.degree}; });
  st.bits_round = c.r + 1;
  if (total.newly < list_below) {
    const std::vector<NodeId> found = bitmap_nodes(b.next, b.words);
    newly.insert(newly.end(), found.begin(), found.end());
  }

  BottomUpResult r;
  r.stats.newly_informed = total.newly;
  r.stats.spreaders = total.newly;  // no TTL, and a node found through an arc has one back
  certain_copies(sender_arcs, from_senders ? sender_side : total.arcs, r.stats);
  r.new_degree = total.degree;
  return r;
}

}  // namespace gossip
