// The fate of a flood copy, 64 trials at a time (docs/model.md, "fate of a flood copy"). Trial
// t = 64 b + l (batch b, lane l) reads bit l of a shared sequence of 64-bit words D_0, D_1, ...
// of the copy along arc i of v in round r: its fate word is W_t = sum_j bit_l(D_j) 2^(31-j),
// uniform on 32 bits and independent across trials (different bits of Philox output). D_j is word
// j mod 2 of the block philox(seed; {v, i, r, kFateStream + 16 b + j / 2}) (word 0 = B0 2^32 + B1,
// word 1 = B2 2^32 + B3). W_t is compared with L and U = L + A most significant bit first; a lane
// is decided at its first bit that differs from the threshold's (or once the threshold's remaining
// bits are all 0: W is then not below it), so words are drawn only while some asked lane is
// undecided (about 2 words for one trial, 7 for 64; 1 for p = 1/2): the result is that of
// comparing the whole 32-bit W_t, which is what the one-trial and the packed engine both use.
#pragma once
#include <cstdint>

#include "protocol/contact.hpp"

namespace gossip {

inline constexpr std::uint32_t kLanes = 64;               // trials per batch
inline constexpr std::uint32_t kFateStream = 0xC0000000u;  // above trials (< 2^31) and generator tags

struct LaneFates {
  std::uint64_t lost;      // lanes whose copy is lost (W < L)
  std::uint64_t accepted;  // lanes of need_accept whose copy is accepted (L <= W < L + A)
};

// Resolves "lost" for the lanes in `need` and also "accepted" for those in need_accept (a subset
// of need); the other lanes' bits are 0. Pure function of (seed, batch, r, v, i). `words`, when
// given, receives how many 64-bit words were used.
inline LaneFates lane_fates(std::uint64_t seed, std::uint32_t batch, Round r, NodeId v, std::uint32_t i,
                            const Thresholds& th, std::uint64_t need, std::uint64_t need_accept,
                            std::uint32_t* words = nullptr) {
  constexpr std::uint64_t kTwo32 = std::uint64_t{1} << 32;
  const std::uint64_t lo = th.lost, hi = th.lost + th.accepted;
  // open*: lanes whose W equals the threshold's leading bits so far; less*: W < threshold decided.
  std::uint64_t less_lo = lo >= kTwo32 ? need : 0, open_lo = (lo == 0 || lo >= kTwo32) ? 0 : need;
  std::uint64_t less_hi = hi >= kTwo32 ? need_accept : 0, open_hi = (hi == 0 || hi >= kTwo32) ? 0 : need_accept;
  Block b{};
  std::uint32_t j = 0;
  for (; j < 32 && (open_lo | (open_hi & ~less_lo)) != 0; ++j) {
    if (j % 2 == 0) b = Rng(seed, kFateStream + 16 * batch + j / 2, static_cast<std::uint32_t>(r)).block(v, i);
    const std::uint64_t d = j % 2 == 0 ? (std::uint64_t{b.v[0]} << 32 | b.v[1]) : (std::uint64_t{b.v[2]} << 32 | b.v[3]);
    const std::uint64_t t_lo = 0 - ((lo >> (31 - j)) & 1), t_hi = 0 - ((hi >> (31 - j)) & 1);
    const std::uint64_t differ_lo = open_lo & (d ^ t_lo), differ_hi = open_hi & (d ^ t_hi);
    less_lo |= differ_lo & t_lo;  // the threshold has a 1 where W has a 0
    less_hi |= differ_hi & t_hi;
    open_lo &= ~differ_lo;
    open_hi &= ~differ_hi;
    // Lanes equal to the threshold so far, whose remaining threshold bits are all 0, are not below
    // it whatever follows (p = 1/2: one word decides all 64 lanes).
    const std::uint64_t rest = (std::uint64_t{1} << (31 - j)) - 1;
    if ((lo & rest) == 0) open_lo = 0;
    if ((hi & rest) == 0) open_hi = 0;
  }
  if (words) *words = j;
  // Lanes still open after 32 bits have W equal to the threshold: not below it.
  return {less_lo & need, less_hi & ~less_lo & need_accept};
}

// Flood with recovery (SIR): the lanes of `need` in which v, having sent in round r, recovers. The
// coin is a fate word of the pseudo-arc kRecoveryArc (never an arc index: a degree is below 2^32),
// compared like an acceptance with L = 0 and A = th.recover: W < floor(recovery_prob * 2^32).
inline constexpr std::uint32_t kRecoveryArc = 0xFFFFFFFFu;
inline std::uint64_t lane_recoveries(std::uint64_t seed, std::uint32_t batch, Round r, NodeId v, const Thresholds& th,
                                     std::uint64_t need) {
  const Thresholds coin{0, th.recover, 0, 0};
  return lane_fates(seed, batch, r, v, kRecoveryArc, coin, need, need).accepted;
}
inline bool recovers(std::uint64_t seed, std::uint32_t trial, Round r, NodeId v, const Thresholds& th) {
  return lane_recoveries(seed, trial / kLanes, r, v, th, std::uint64_t{1} << (trial % kLanes)) != 0;
}

// The fate of one trial's copy: lane trial mod 64 of batch trial / 64.
inline Fate flood_fate(std::uint64_t seed, std::uint32_t trial, Round r, NodeId v, std::uint32_t i, const Thresholds& th) {
  const std::uint64_t lane = std::uint64_t{1} << (trial % kLanes);
  const LaneFates f = lane_fates(seed, trial / kLanes, r, v, i, th, lane, lane);
  return f.lost ? Fate::lost : f.accepted ? Fate::accepted : Fate::refused;
}

}  // namespace gossip
