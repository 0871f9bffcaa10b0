// The delay of a copy (docs/model.md, "Delays"): whole rounds d >= 0 drawn per copy from the
// Philox block {v, x, 2^31 + 2^30 + r, t}, x = the contact's index j (push, pull) or the arc's
// index i (flood), so any thread in any order draws the same; `edge` reads the arc's latency.
// Pure functions, shared by the engine and the serial reference simulator.
#pragma once
#include <cmath>
#include <cstdint>
#include <numbers>

#include "core/rng.hpp"
#include "core/types.hpp"
#include "protocol/contact.hpp"
#include "protocol/fault_spec.hpp"

namespace gossip {

// The Philox sub of the delay draws of round r: 2^31 + 2^30 + r, above every round (r < 2^30,
// which validate() asks of run.max_rounds with delays) and the fault subs (2^31 + 2 .. 2^31 + 4).
inline constexpr std::uint32_t kDelaySubBase = 0xC0000000u;
inline constexpr Round kDelayRoundLimit = (1 << 30) - 1;  // rounds of a run with delays stay below

inline Block delay_block(std::uint64_t seed, std::uint32_t trial, Round r, NodeId v, std::uint32_t x) {
  return Rng(seed, trial, kDelaySubBase + static_cast<std::uint32_t>(r)).block(v, x);
}

namespace delay_detail {
inline std::uint64_t word(const Block& e, int k) { return (std::uint64_t{e.v[2 * k]} << 32) | e.v[2 * k + 1]; }
// (x >> 11 + 1) 2^-53 in (0, 1], and x >> 11 2^-53 in [0, 1).
inline double unit_pos(std::uint64_t x) { return static_cast<double>((x >> 11) + 1) * 0x1.0p-53; }
inline double unit(std::uint64_t x) { return static_cast<double>(x >> 11) * 0x1.0p-53; }
inline Round clamp(double d) { return d >= kMaxDelay ? kMaxDelay : static_cast<Round>(d); }
}  // namespace delay_detail

// The delay drawn from block e (every kind but edge):
// - fixed: a;
// - uniform: a + floor(X (b - a + 1) / 2^64) with X = E0 2^32 + E1, Lemire's method: when the low
//   64 bits of the product fall below 2^64 mod (b - a + 1), X = E2 2^32 + E3 instead (a second
//   rejection, probability below 2^-88 for these ranges, keeps it);
// - geometric: floor(ln U / ln(1 - p)), U from (E0, E1) in (0, 1] (the failures before the first
//   success; 0 when p = 1);
// - lognormal: floor(m exp(s Z) + 1/2), Z = sqrt(-2 ln U) cos(2 pi V) (Box-Muller), U from
//   (E0, E1) in (0, 1], V from (E2, E3) in [0, 1);
// all cut to kMaxDelay.
inline Round draw_delay(const DelaySpec& d, const Block& e) {
  using namespace delay_detail;
  switch (d.kind) {
    case DelaySpec::none: case DelaySpec::edge: return 0;
    case DelaySpec::fixed: return static_cast<Round>(d.a);
    case DelaySpec::uniform: {
      const auto range = static_cast<std::uint64_t>(d.b - d.a) + 1;
      const std::uint64_t threshold = (0 - range) % range;
      Uint128 m = static_cast<Uint128>(word(e, 0)) * range;
      if (static_cast<std::uint64_t>(m) < threshold) m = static_cast<Uint128>(word(e, 1)) * range;
      return static_cast<Round>(d.a) + static_cast<Round>(m >> 64);
    }
    case DelaySpec::geometric:
      if (d.a >= 1.0) return 0;
      return clamp(std::floor(std::log(unit_pos(word(e, 0))) / std::log1p(-d.a)));
    case DelaySpec::lognormal: {
      const double z = std::sqrt(-2.0 * std::log(unit_pos(word(e, 0)))) * std::cos(2.0 * std::numbers::pi * unit(word(e, 1)));
      return clamp(std::floor(d.a * std::exp(d.b * z) + 0.5));
    }
  }
  return 0;
}

// The delay of the copy with draw index x of v in round r of trial t (not for `edge`).
inline Round copy_delay(const DelaySpec& d, std::uint64_t seed, std::uint32_t trial, Round r, NodeId v,
                        std::uint32_t x) {
  if (d.kind == DelaySpec::fixed) return static_cast<Round>(d.a);
  return draw_delay(d, delay_block(seed, trial, r, v, x));
}

// The largest delay a copy can take (kMaxDelay for the unbounded kinds; `edge`: the graph's
// largest latency, passed in).
inline Round max_delay(const DelaySpec& d, Round edge_max = 0) {
  switch (d.kind) {
    case DelaySpec::none: return 0;
    case DelaySpec::fixed: return static_cast<Round>(d.a);
    case DelaySpec::uniform: return static_cast<Round>(d.b);
    case DelaySpec::edge: return edge_max;
    default: return kMaxDelay;
  }
}

// The mean delay (before the cut at kMaxDelay): what the timing wheel sizes itself by.
inline double mean_delay(const DelaySpec& d, double edge_mean = 0.0) {
  switch (d.kind) {
    case DelaySpec::none: return 0.0;
    case DelaySpec::fixed: return d.a;
    case DelaySpec::uniform: return (d.a + d.b) / 2;
    case DelaySpec::geometric: return (1.0 - d.a) / d.a;
    case DelaySpec::lognormal: return d.a * std::exp(d.b * d.b / 2);
    case DelaySpec::edge: return edge_mean;
  }
  return 0.0;
}

}  // namespace gossip
