// The bins of the binned sparse round (sim/binned.hpp), keyed by block of senders: a chunk of the
// round's actors is cut into blocks of a size fixed by the data (never by the thread count); each
// block's copies are grouped by the target's range (2^shift nodes) in sender order, a stable
// counting sort of the block's own copies; a range's owner then applies them block by block. So
// every copy bound for a range is applied in one order, ascending (sender block, sender, contact),
// for any thread count: a payload whose application does not commute (a floating-point share)
// fits these bins as well as a rumor copy, and the nodes a range's delivery informs are listed in
// that fixed order. A bin holds Copy values: a rumor copy packed in 64 bits (pack below); a wider
// payload is a wider Copy. Kept in RumorState between rounds so that their capacity is reused.
#pragma once
#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "core/types.hpp"

namespace gossip::binned {

// A copy in a bin: the target, the sender's hops, accepted (a refused copy still counts as
// redundant when its target knew).
inline std::uint64_t pack(NodeId w, std::uint16_t h, bool accepted) {
  return std::uint64_t{w} | std::uint64_t{h} << 32 | std::uint64_t{accepted} << 48;
}
inline NodeId target_of(std::uint64_t copy) { return static_cast<NodeId>(copy); }

template <class Copy = std::uint64_t>
struct BinsOf {
  unsigned shift = 0;
  std::size_t ranges = 0;
  std::size_t blocks = 0;                   // blocks of senders in the current chunk
  std::vector<std::vector<Copy>> out;       // per block: its copies grouped by range, in sender order
  std::vector<std::uint32_t> at;            // [block * (ranges + 1) + range]: where the range's copies start
  std::vector<std::vector<NodeId>> fresh;   // per range: the nodes its delivery informed, in order

  // The ranges of n nodes: of at least 2^min_shift nodes, fewer than max_ranges of them.
  void size_for(NodeId n, unsigned min_shift, std::size_t max_ranges) {
    unsigned s = min_shift;
    while ((std::size_t{n} >> s) >= max_ranges) ++s;
    const std::size_t r = (std::size_t{n} + (std::size_t{1} << s) - 1) >> s;
    if (s == shift && r == ranges) return;
    shift = s;
    ranges = r;
    fresh.assign(ranges, {});
  }

  // A chunk of `count` blocks begins (their previous copies are overwritten).
  void start_chunk(std::size_t count) {
    blocks = count;
    if (out.size() < count) out.resize(count);
    at.resize(count * (ranges + 1));
  }

  // Block b begins: its row of counts, zeroed, for the stager to count its copies of range r in
  // [r + 1] as it stages them.
  std::uint32_t* start_block(std::size_t b) {
    std::uint32_t* row = at.data() + b * (ranges + 1);
    std::fill(row, row + ranges + 1, 0);
    return row;
  }

  // Block b's copies (`staged`, in sender order, counted in its row) grouped by range, stably;
  // called once per block of the chunk, by whichever worker ran the block.
  template <class TargetOf>
  void put_block(std::size_t b, const std::vector<Copy>& staged, TargetOf&& target) {
    std::uint32_t* row = at.data() + b * (ranges + 1);
    thread_local std::vector<std::uint32_t> cursor;
    cursor.resize(ranges);
    std::uint32_t sum = 0;
    for (std::size_t r = 0; r < ranges; ++r) {
      sum += row[r];
      row[r] = sum;  // row[r]: the first copy of range r (row[ranges] the end: the count of the last range ...
      cursor[r] = sum;
    }
    row[ranges] += sum;  // ... plus all before it)
    std::vector<Copy>& dst = out[b];
    dst.resize(staged.size());
    for (const Copy& e : staged) dst[cursor[target(e) >> shift]++] = e;
  }

  // Block b's copies bound for `range`.
  std::span<const Copy> of(std::size_t b, std::size_t range) const {
    const std::uint32_t* row = at.data() + b * (ranges + 1);
    return {out[b].data() + row[range], out[b].data() + row[range + 1]};
  }
};
using Bins = BinsOf<>;

}  // namespace gossip::binned
