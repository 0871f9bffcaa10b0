// Counter-based random numbers (Random123 Philox4x32-10, Salmon et al., SC'11).
// Every draw is a pure function of (seed, stream, sub, item, draw): key = the 64-bit seed,
// counter = {item, draw, sub, stream}. The engine uses stream = trial, sub = round, item = node;
// generators use stream = a family tag (high bit set, so it never equals a trial) and sub = the
// high 32 bits of a 64-bit work item. No state is shared, no thread id enters a key.
#pragma once
#include <Random123/philox.h>

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace gossip {

__extension__ using Uint128 = unsigned __int128;  // GCC/Clang extension, fine under -Wpedantic

class Rng {
 public:
  Rng(std::uint64_t seed, std::uint32_t stream, std::uint32_t sub = 0)
      : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}},
        stream_(stream), sub_(sub) {}

  // The four 32-bit words of block `draw` for `item`.
  r123::Philox4x32::ctr_type block(std::uint32_t item, std::uint32_t draw) const {
    r123::Philox4x32::ctr_type c{{item, draw, sub_, stream_}};
    return r123::Philox4x32{}(c, key_);
  }

  class Stream;
  Stream stream(std::uint32_t item) const;

  const r123::Philox4x32::key_type& key() const { return key_; }
  std::uint32_t stream_id() const { return stream_; }
  std::uint32_t sub() const { return sub_; }

 private:
  r123::Philox4x32::key_type key_;
  std::uint32_t stream_;
  std::uint32_t sub_;
};

// The sequence of draws of one work item: block 0, 1, 2, ... consumed 32 bits at a time.
// It holds a copy of its Rng (16 bytes), so streams are independent values.
class Rng::Stream {
 public:
  Stream(const Rng& rng, std::uint32_t item, std::uint32_t first_draw = 0)
      : rng_(rng), item_(item), draw_(first_draw) {}

  std::uint32_t next_u32() {
    if (used_ == 4) refill();
    return buf_.v[used_++];
  }
  std::uint64_t next_u64() {
    std::uint64_t hi = next_u32();
    return (hi << 32) | next_u32();
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1]: safe for log().
  double uniform_pos() { return static_cast<double>((next_u64() >> 11) + 1) * 0x1.0p-53; }
  bool bernoulli(double p) { return p >= 1.0 || (p > 0.0 && uniform() < p); }

  // Unbiased integer in [0, bound), bound >= 1 (Lemire 2019, "Fast random integer generation in
  // an interval", with rejection).
  std::uint32_t below(std::uint32_t bound) {
    std::uint64_t m = std::uint64_t{next_u32()} * bound;
    auto low = static_cast<std::uint32_t>(m);
    if (low < bound) {
      const std::uint32_t threshold = static_cast<std::uint32_t>(-bound) % bound;
      while (low < threshold) {
        m = std::uint64_t{next_u32()} * bound;
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32);
  }
  std::uint64_t below64(std::uint64_t bound) {
    if (bound <= 0xffffffffull) return below(static_cast<std::uint32_t>(bound));
    Uint128 m = static_cast<Uint128>(next_u64()) * bound;
    auto low = static_cast<std::uint64_t>(m);
    if (low < bound) {
      const std::uint64_t threshold = (0 - bound) % bound;
      while (low < threshold) {
        m = static_cast<Uint128>(next_u64()) * bound;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }
  // Number of failures before the first success of a Bernoulli(p) sequence, 0 < p < 1
  // (geometric skip, Batagelj & Brandes 2005).
  std::uint64_t geometric(double log1m_p) {
    const double g = std::floor(std::log(uniform_pos()) / log1m_p);
    return g >= 1.8e19 ? UINT64_MAX : static_cast<std::uint64_t>(g);
  }

 private:
  void refill() {
    buf_ = rng_.block(item_, draw_++);
    used_ = 0;
  }
  Rng rng_;
  std::uint32_t item_;
  std::uint32_t draw_;
  std::uint32_t used_ = 4;
  r123::Philox4x32::ctr_type buf_{};
};

inline Rng::Stream Rng::stream(std::uint32_t item) const { return Stream(*this, item); }

// A pseudo-random permutation of [0, size) keyed by one Philox block: a 4-round balanced Feistel
// network on the smallest even number of bits covering size, with cycle walking (Black &
// Rogaway 2002). O(1) memory; apply(i) for i < size.
class RandomPermutation {
 public:
  RandomPermutation(std::uint32_t size, const r123::Philox4x32::ctr_type& key) : size_(size), key_(key) {
    unsigned bits = 2;
    while (bits < 32 && (std::uint64_t{1} << bits) < size) bits += 2;
    half_ = bits / 2;
    mask_ = (std::uint32_t{1} << half_) - 1;
  }
  std::uint32_t apply(std::uint32_t i) const {
    std::uint64_t x = i;
    do x = round_trip(x);
    while (x >= size_);
    return static_cast<std::uint32_t>(x);
  }
  // out[l] = apply(first + l) for l < count (count <= kMaxLanes, first + count <= size): the
  // lanes' Feistel rounds side by side, without branches (the loops vectorize), every lane
  // walking until it lands in range. The same values as apply.
  static constexpr std::size_t kMaxLanes = 64;
  void apply_lanes(std::uint32_t first, std::size_t count, std::uint32_t* out) const {
    alignas(64) std::uint32_t x[kMaxLanes], walk[kMaxLanes];
    const std::uint32_t k0 = key_.v[0], k1 = key_.v[1], k2 = key_.v[2], k3 = key_.v[3];
    const std::uint32_t mask = mask_, size = size_;
    const unsigned half = half_;
    for (std::size_t l = 0; l < kMaxLanes; ++l) x[l] = first + static_cast<std::uint32_t>(l), walk[l] = ~0u;
    for (std::uint32_t any = ~0u; any;) {
      for (std::size_t l = 0; l < kMaxLanes; ++l) {  // round_trip, the four rounds unrolled
        std::uint32_t left = (x[l] >> half) & mask, right = x[l] & mask;
        left ^= mix(right ^ k0) & mask;
        right ^= mix(left ^ k1) & mask;
        left ^= mix(right ^ k2) & mask;
        right ^= mix(left ^ k3) & mask;
        const std::uint32_t y = (left << half) | right;
        x[l] = (y & walk[l]) | (x[l] & ~walk[l]);
        walk[l] &= -static_cast<std::uint32_t>(x[l] >= size);
      }
      any = 0;
      for (std::size_t l = 0; l < count; ++l) any |= walk[l];
    }
    for (std::size_t l = 0; l < count; ++l) out[l] = x[l];
  }

 private:
  static std::uint32_t mix(std::uint32_t h) {  // murmur3 fmix32
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    return h ^ (h >> 16);
  }
  std::uint64_t round_trip(std::uint64_t x) const {
    std::uint32_t left = static_cast<std::uint32_t>(x >> half_) & mask_;
    std::uint32_t right = static_cast<std::uint32_t>(x) & mask_;
    for (int r = 0; r < 4; ++r) {
      const std::uint32_t next = left ^ (mix(right ^ key_.v[r]) & mask_);
      left = right;
      right = next;
    }
    return (std::uint64_t{left} << half_) | right;
  }
  std::uint32_t size_;
  r123::Philox4x32::ctr_type key_;
  unsigned half_;
  std::uint32_t mask_;
};

// Streams reserved for graph generators: never equal to a trial index (< 2^31).
inline constexpr std::uint32_t kGenStreamBase = 0x80000000u;

// A generator's RNG for 64-bit work items: the high half goes into `sub`.
inline Rng::Stream gen_stream(std::uint64_t seed, std::uint32_t tag, std::uint64_t item) {
  const Rng rng(seed, kGenStreamBase | tag, static_cast<std::uint32_t>(item >> 32));
  return rng.stream(static_cast<std::uint32_t>(item));
}

}  // namespace gossip
