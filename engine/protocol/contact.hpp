// The random numbers of one contact (docs/model.md, "Random numbers"): contact j of node v in
// round r of trial t uses the Philox block {v, j, r, t}; B0,B1 pick the target (Lemire), B2 the
// push copy's fate (flood's: flood_fate.hpp), B3 a pull reply's fate or the stop coin. Pure
// functions: any thread, any order, and the dense (pull-direction) and sparse sweeps compute the
// same draws.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/rng.hpp"
#include "core/types.hpp"
#include "protocol/spec.hpp"

namespace gossip {

using Block = r123::Philox4x32::ctr_type;
inline constexpr std::uint32_t kFallbackDraw = 0x80000000u;  // rejection fallback streams
inline constexpr std::uint32_t kPermSub = 0x80000000u;       // no_repeat permutation keys
inline constexpr std::uint32_t kSourceSub = 0x80000001u;     // source selection

enum class Fate : std::uint8_t { lost, accepted, refused };

// Integer thresholds of the fate and stop-coin draws, fixed for a run.
struct Thresholds {
  std::uint64_t lost;      // W < lost: lost          (floor(loss * 2^32))
  std::uint64_t accepted;  // W - lost < accepted     (floor(p * (2^32 - lost)))
  std::uint64_t stop;      // B3 < stop: lose interest (floor(2^32 / k))
  std::uint64_t recover;   // flood (SIR): W < recover: the sender recovers (floor(recovery_prob * 2^32))

  static Thresholds of(const ProtocolSpec& s) {
    constexpr std::uint64_t kTwo32 = std::uint64_t{1} << 32;
    const std::uint64_t lost = floor_product(s.loss, kTwo32);
    return {lost, floor_product(s.forward_prob, kTwo32 - lost), kTwo32 / std::max<std::uint32_t>(s.k, 1),
            floor_product(s.recovery_prob, kTwo32)};
  }
  // floor(p * m) of the exact real product, p in [0, 1], m <= 2^32: p's 53-bit significand times
  // m in 128 bits (a double product can round up across an integer).
  static std::uint64_t floor_product(double p, std::uint64_t m) {
    if (!(p > 0.0)) return 0;
    if (p >= 1.0) return m;
    int e = 0;
    const double f = std::frexp(p, &e);
    const auto significand = static_cast<std::uint64_t>(std::ldexp(f, 53));
    const int shift = 53 - e;
    return shift >= 128 ? 0 : static_cast<std::uint64_t>((static_cast<Uint128>(significand) * m) >> shift);
  }
  Fate fate(std::uint32_t w) const {
    if (w < lost) return Fate::lost;
    return w - lost < accepted ? Fate::accepted : Fate::refused;
  }
  bool request_lost(std::uint32_t w) const { return w < lost; }
  // Every copy arrives and is accepted (loss 0, forward_prob 1): the fate word is irrelevant.
  bool certain() const { return lost == 0 && accepted == (std::uint64_t{1} << 32); }
  bool stop_coin(std::uint32_t w) const { return w < stop; }
  // Flood senders recover after each round they send (SIR) rather than after their first.
  bool recovering() const { return recover < (std::uint64_t{1} << 32); }
};

// Index in [0, deg) from B0,B1 (Lemire's multiply-shift with rejection; the rare rejected draw
// continues in the stream {v, 2^31 + j, ...}).
inline std::uint32_t pick_index(const Rng& rng, const Block& b, NodeId v, std::uint32_t j, std::uint32_t deg) {
  std::uint64_t x = (std::uint64_t{b.v[0]} << 32) | b.v[1];
  Uint128 m = static_cast<Uint128>(x) * deg;
  auto low = static_cast<std::uint64_t>(m);
  if (low < deg) {
    const std::uint64_t threshold = (0 - std::uint64_t{deg}) % deg;
    if (low < threshold) {
      Rng::Stream s(rng, v, kFallbackDraw + j);
      while (low < threshold) {
        x = s.next_u64();
        m = static_cast<Uint128>(x) * deg;
        low = static_cast<std::uint64_t>(m);
      }
    }
  }
  return static_cast<std::uint32_t>(m >> 64);
}

// The index of v's c-th contact without repetition: Feistel permutation number c / deg of [0, deg).
inline std::uint32_t no_repeat_index(std::uint64_t seed, std::uint32_t trial, NodeId v, std::uint32_t c,
                                     std::uint32_t deg) {
  const Block key = Rng(seed, trial, kPermSub).block(v, c / deg);
  return RandomPermutation(deg, key).apply(c % deg);
}

}  // namespace gossip
