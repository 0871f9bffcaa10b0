// Philox4x32-10 for up to 64 counters at once (kPhiloxLanes), vectorized: the same blocks as
// Rng::block (Random123's Philox4x32, Salmon et al., SC'11), for counters {items[l], draw, sub,
// stream} under one key. The round kernels draw one block per contact; computing 16 (AVX-512)
// or 8 (AVX2) blocks per instruction instead of one makes a draw cost about 2 ns instead of 8.
// The instruction set is picked once at run time from the processor (core/isa.hpp); every path
// computes the same integers, so results never depend on the machine.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/rng.hpp"

namespace gossip {

inline constexpr std::size_t kPhiloxLanes = 64;

struct PhiloxLanes {
  alignas(64) std::uint32_t w[4][kPhiloxLanes];  // w[k][l]: word k of lane l's block
};

// Blocks of rng for items[0 .. count-1] (count <= kPhiloxLanes) at `draw`. `items` must hold kPhiloxLanes
// entries (lanes past count are computed from whatever they hold and ignored).
void philox_lanes(const Rng& rng, std::uint32_t draw, const std::uint32_t* items, std::size_t count, PhiloxLanes& out);

// Lemire's multiply-shift for lanes 0 .. count-1: out[l] = (x * d) >> 64 for the 64-bit
// x = (w[0][l] << 32) | w[1][l] and d = deg[l] (or deg_all when deg is null), as pick_index
// computes it. Returns the lanes whose low product half is below d: for those pick_index may
// reject, and the caller must call it (their out[l] is unspecified).
std::uint64_t pick_lanes(const PhiloxLanes& b, const std::uint32_t* deg, std::uint32_t deg_all, std::size_t count,
                         std::uint32_t* out);

}  // namespace gossip
