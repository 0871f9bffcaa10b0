// The bins of the binned sparse round (sim/binned.hpp): per worker and per range of 2^shift
// nodes, the copies bound for that range, and per range the nodes its delivery informed. Kept in
// RumorState between rounds so that their capacity is reused.
#pragma once
#include <cstdint>
#include <vector>

#include "core/parallel.hpp"
#include "core/types.hpp"

namespace gossip::binned {

// The ranges and chunks (tests shrink them to reach several ranges and chunks on small graphs).
struct Sizing {
  unsigned min_shift = 16;                           // 2^16 nodes a range: 256 KiB of informed_at
  std::size_t max_ranges = 4096;                     // the bins' tails stay in a worker's L2
  std::size_t chunk_copies = std::size_t{1} << 22;   // copies binned per phase 1 (32 MiB)
};
inline Sizing& sizing() {
  static Sizing s;
  return s;
}

// A copy in a bin: the target, the sender's hops, accepted (a refused copy still counts as
// redundant when its target knew).
inline std::uint64_t pack(NodeId w, std::uint16_t h, bool accepted) {
  return std::uint64_t{w} | std::uint64_t{h} << 32 | std::uint64_t{accepted} << 48;
}

struct Bins {
  unsigned shift = 0;
  std::size_t ranges = 0;
  std::size_t slots = 0;
  std::vector<std::vector<std::uint64_t>> bin;  // [slot * ranges + range]
  std::vector<std::vector<NodeId>> fresh;       // per range: the nodes its delivery informed

  // The ranges of n nodes (at most sizing().max_ranges of them) for the current worker count.
  void size_for(NodeId n) {
    unsigned s = sizing().min_shift;
    while ((std::size_t{n} >> s) >= sizing().max_ranges) ++s;
    const auto k = static_cast<std::size_t>(par::worker_slots());
    const std::size_t r = (std::size_t{n} + (std::size_t{1} << s) - 1) >> s;
    if (s == shift && r == ranges && k == slots) return;
    shift = s;
    ranges = r;
    slots = k;
    bin.assign(slots * ranges, {});
    fresh.assign(ranges, {});
  }
  std::vector<std::uint64_t>& of(std::size_t slot, NodeId w) { return bin[slot * ranges + (w >> shift)]; }
};

}  // namespace gossip::binned
