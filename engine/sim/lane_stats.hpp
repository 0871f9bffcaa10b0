// Per-lane counters of the packed flood (sim/packed_flood.cpp): 64 trials' counts of one round.
// LaneCounter is a bit-sliced (vertical) counter: plane k holds bit k of all 64 lanes' counts, so
// adding a 64-lane mask costs a carry chain of about two word operations instead of a loop over
// its lanes; flush_into() turns the planes into 64 integers (once per block of work).
#pragma once
#include <array>
#include <bit>
#include <cstdint>

namespace gossip {

struct LaneCounter {
  std::array<std::uint64_t, 64> plane{};

  // Adds `weight` to the count of every lane in `mask`.
  void add(std::uint64_t mask, std::uint64_t weight = 1) {
    for (; weight && mask; weight &= weight - 1) {
      std::uint64_t carry = mask;
      for (int k = std::countr_zero(weight); carry; ++k) {
        const std::uint64_t next = plane[k] & carry;
        plane[k] ^= carry;
        carry = next;
      }
    }
  }
  template <class Out>
  void flush_into(Out& out) {
    for (int k = 0; k < 64; ++k)
      for (std::uint64_t x = plane[k]; x; x &= x - 1) out[std::countr_zero(x)] += std::int64_t{1} << k;
    plane = {};
  }
};

// The counters of one round of a 64-lane batch, and which lanes still had a live arc.
struct LaneStats {
  using Lanes = std::array<std::int64_t, 64>;
  Lanes messages{}, lost{}, redundant{}, newly{}, spreaders{};
  std::uint64_t live = 0;  // lanes with an arc from a sender to a node they had not informed

  LaneStats& operator+=(const LaneStats& o) {
    for (int l = 0; l < 64; ++l) {
      messages[l] += o.messages[l];
      lost[l] += o.lost[l];
      redundant[l] += o.redundant[l];
      newly[l] += o.newly[l];
      spreaders[l] += o.spreaders[l];
    }
    live |= o.live;
    return *this;
  }
  friend LaneStats operator+(LaneStats a, const LaneStats& b) { return a += b; }
};

}  // namespace gossip
