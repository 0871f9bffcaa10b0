// Bitmaps of a comparison over an int32 array: bit b of out[k] = (x[64 k + b] == r) or
// (x[64 k + b] < r), for the 64-node words of the dense sweep (sim/sweep.hpp: "informed before
// round r", "informed in round r"). Vectorized: 16 (AVX-512) or 8 (AVX2) comparisons per
// instruction into a mask instead of a shift and an or per node; the path is picked once at run
// time from the processor, and every path gives the same words. Bits past `count` are 0.
#pragma once
#include <cstddef>
#include <cstdint>

namespace gossip {

enum class Compare : std::uint8_t { equal, less };

// out[0 .. ceil(count / 64) - 1] from x[0 .. count - 1].
void pack_compare(const std::int32_t* x, std::size_t count, Compare op, std::int32_t r, std::uint64_t* out);

// The positions of mask's set bits plus base, ascending, into out; returns how many. out must have
// room for kPositionsSlack entries past the count (the vector path stores 16 at a time).
inline constexpr std::size_t kPositionsSlack = 16;
std::uint32_t bit_positions(std::uint64_t mask, std::uint32_t base, std::uint32_t* out);

// The CSR rows of mask's nodes base + b (ascending b, as bit_positions lists them): start[c] =
// offsets[base + b], deg[c] = offsets[base + b + 1] - start[c]; returns how many. Only the rows
// of set bits are read (one contiguous, masked load of 8 offsets instead of a load per node);
// start and deg must have room for kPositionsSlack entries past the count.
std::uint32_t row_positions(const std::uint64_t* offsets, std::uint64_t mask, std::uint32_t base, std::uint64_t* start,
                            std::uint32_t* deg);

// The bits of `bitmap` at idx[0 .. count-1] (count <= 64) as a mask: bit l is set where bit l of
// `known` is (that lane is decided already: its bitmap word is not read) or bit idx[l] of bitmap is.
// idx must be readable up to count rounded up to a multiple of 8.
std::uint64_t bit_test(const std::uint64_t* bitmap, const std::uint32_t* idx, std::size_t count, std::uint64_t known);

}  // namespace gossip
