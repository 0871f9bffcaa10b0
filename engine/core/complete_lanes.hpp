// One push contact of up to 64 nodes of the implicit complete graph K_n, fused: their Philox
// blocks drawn (philox_lanes), the index in [0, n - 1) picked (pick_lanes: Lemire), the target
// i + (i >= v) formed (CompleteGraph::neighbor) and its bit in `known` tested (bit_test), on
// AVX-512 without leaving the registers between the steps (the separate passes cost twice the draw
// on complete:n=1e5). The caller lists the nodes (bit_positions), across bitmap words so that
// the kernel's 32-lane chunks stay full. The same integers as those steps one by one; other
// processors take them one by one.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/philox_lanes.hpp"
#include "core/rng.hpp"

namespace gossip {

struct CompleteLanes {
  alignas(64) std::uint32_t target[kPhiloxLanes];  // lane l's contact
  std::uint64_t seen = 0;  // lanes whose target's bit is set in known
  // Lanes where pick_index may reject (the low product half is below n - 1): their target and
  // seen bit are unspecified and the caller redoes them (pick_index, neighbor, the bit).
  std::uint64_t redo = 0;
};

// Contact `draw` of the nodes node[0 .. count) (count <= 64; node readable up to 64 entries) on
// K_n (n >= 2) under rng, tested against known (n bits; null: not tested, seen = 0, for a caller
// that prefetches the words and tests them later).
void complete_lanes(const Rng& rng, std::uint32_t draw, const std::uint32_t* node, std::uint32_t count,
                    std::uint32_t n, const std::uint64_t* known, CompleteLanes& out);

}  // namespace gossip
