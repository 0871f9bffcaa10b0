// The bins of the binned sparse round (sim/binned.hpp): per block of senders and per range of
// 2^shift nodes, the copies bound for that range, and per range the nodes its delivery informed.
// Keyed by block, never by worker: a range's owner applies the blocks' copies in block order, so
// the order in which anything is applied is the same for every thread count (what a floating-
// point payload will need). A bin holds Copy values: today a rumor copy packed in 64 bits; a
// delayed copy (its arrival round) or a wider payload (many posts, push-sum's two doubles) is a
// wider Copy in the same bins. Kept in RumorState between rounds so that their capacity is reused.
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

// Blocks of senders a chunk of the frontier is cut into, at most: enough to balance the workers,
// few enough that a range's owner visits few empty bins.
inline constexpr std::size_t kMaxBlocks = 128;

template <class Copy = std::uint64_t>
struct BinsOf {
  unsigned shift = 0;
  std::size_t ranges = 0;
  std::vector<std::vector<Copy>> bin;           // [block * ranges + range]
  std::vector<std::vector<NodeId>> fresh;       // per range: the nodes its delivery informed

  // The ranges of n nodes: of at least 2^min_shift nodes, fewer than max_ranges of them.
  void size_for(NodeId n, unsigned min_shift, std::size_t max_ranges) {
    unsigned s = min_shift;
    while ((std::size_t{n} >> s) >= max_ranges) ++s;
    const std::size_t r = (std::size_t{n} + (std::size_t{1} << s) - 1) >> s;
    if (s == shift && r == ranges) return;
    shift = s;
    ranges = r;
    bin.assign(kMaxBlocks * ranges, {});
    fresh.assign(ranges, {});
  }
  std::vector<Copy>& of(std::size_t block, NodeId w) { return bin[block * ranges + (w >> shift)]; }
  std::vector<Copy>& at(std::size_t block, std::size_t range) { return bin[block * ranges + range]; }
};
using Bins = BinsOf<>;

}  // namespace gossip::binned
