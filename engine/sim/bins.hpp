// The bins of the binned sparse round (sim/binned.hpp): per worker slot and per range of 2^shift
// nodes, the copies bound for that range, and per range the nodes its delivery informed. A bin
// holds Copy values: today a rumor copy packed in 64 bits; a delayed copy (its arrival round) or
// a wider payload (many posts) is a wider Copy in the same bins. Keyed by worker: what a copy
// does to its target commutes (a claim keeps the first round and the fewest hops), so the order
// in which a range's owner applies them cannot change a result. A payload whose application
// does not commute (floating-point sums) must be applied in an order fixed by block of senders
// instead (docs/engine.md says why that is not done here yet). Kept in RumorState between rounds
// so that their capacity is reused.
#pragma once
#include <cstdint>
#include <vector>

#include "core/types.hpp"

namespace gossip::binned {

// A copy in a bin: the target, the sender's hops, accepted (a refused copy still counts as
// redundant when its target knew).
inline std::uint64_t pack(NodeId w, std::uint16_t h, bool accepted) {
  return std::uint64_t{w} | std::uint64_t{h} << 32 | std::uint64_t{accepted} << 48;
}

template <class Copy = std::uint64_t>
struct BinsOf {
  unsigned shift = 0;
  std::size_t ranges = 0;
  std::size_t slots = 0;
  std::vector<std::vector<Copy>> bin;           // [slot * ranges + range]
  std::vector<std::vector<NodeId>> fresh;       // per range: the nodes its delivery informed

  // The ranges of n nodes (of at least 2^min_shift nodes, fewer than max_ranges of them) for
  // `workers` worker slots.
  void size_for(NodeId n, unsigned min_shift, std::size_t max_ranges, std::size_t workers) {
    unsigned s = min_shift;
    while ((std::size_t{n} >> s) >= max_ranges) ++s;
    const std::size_t r = (std::size_t{n} + (std::size_t{1} << s) - 1) >> s;
    if (s == shift && r == ranges && workers == slots) return;
    shift = s;
    ranges = r;
    slots = workers;
    bin.assign(slots * ranges, {});
    fresh.assign(ranges, {});
  }
  std::vector<Copy>& of(std::size_t slot, NodeId w) { return bin[slot * ranges + (w >> shift)]; }
  std::vector<Copy>& at(std::size_t slot, std::size_t range) { return bin[slot * ranges + range]; }
};
using Bins = BinsOf<>;

}  // namespace gossip::binned
