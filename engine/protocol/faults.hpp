// The draws of the faults (docs/model.md, "Faults"): which nodes crash, churn, start up, how
// long their periods last, which an event names. Pure functions of (seed, trial, node, round)
// like every other draw, so the engine, which keeps the state incrementally, and the reference
// simulator, which replays it node by node, agree.
#pragma once
#include <cstdint>

#include "core/rng.hpp"
#include "core/types.hpp"
#include "protocol/contact.hpp"
#include "protocol/fault_spec.hpp"

namespace gossip {

// Philox sub-streams of the fault draws (beside kPermSub 2^31 and kSourceSub 2^31 + 1).
inline constexpr std::uint32_t kNodeCoinSub = 0x80000002u;  // {v, 0}: B0 crash coin, B1 churn-membership coin
inline constexpr std::uint32_t kPeriodSub = 0x80000003u;    // {v, s}: the period starting at round s
inline constexpr std::uint32_t kEventSub = 0x80000004u;     // {v, e}: event e's coin

namespace faults {

constexpr std::uint64_t kTwo32 = std::uint64_t{1} << 32;

// floor(p * 2^32) of the exact product (contact.hpp's rule): a word W < it has probability p.
inline std::uint64_t threshold(double p) { return Thresholds::floor_product(p, kTwo32); }

// U in (0, 1] from two words: (53 high bits of B0 2^32 + B1, plus one) 2^-53.
inline double unit(std::uint32_t hi, std::uint32_t lo) {
  const std::uint64_t x = (std::uint64_t{hi} << 32) | lo;
  return static_cast<double>((x >> 11) + 1) * 0x1.0p-53;
}

// The period length for U: geometric ceil(ln U / ln(1 - p)) (p = 1: 1), weibull
// ceil(scale (-ln U)^(1/shape)), pareto ceil(scale U^(-1/shape)); at least 1, and kNever (the
// period never ends) when it would reach 2^31 - 1.
Round period_length(const PeriodDist& d, double u);

// The first period of a churning node v in state `d` (docs/model.md, "The first period"): the
// residual length R, P(R = j) = P(L >= j) / E[L], that makes the churn stationary from round 0.
// Geometric: period_length at b0's U (b0 = v's block {v, 0}); Weibull and Pareto: by rejection
// from the uniforms of blocks {v, 2^31 + b, 2^31 + 3, t}, b = 0, 1, ...; kNever when it never ends.
Round first_period_length(const PeriodDist& d, std::uint64_t seed, std::uint32_t trial, NodeId v, const Block& b0);

// The mean period length E[L] of the rounded distribution, 1 + sum_{k>=1} P(X > k).
double mean_length(const PeriodDist& d);

// The probability that a churning node is up at round 0: E[up] / (E[up] + E[down]) when both
// are finite (the stationary fraction), else 1 (a churn that never recovers starts up).
double up_probability(const ChurnSpec& c);

// The words of node v's coin block for trial t.
inline Block node_coins(std::uint64_t seed, std::uint32_t trial, NodeId v) {
  return Rng(seed, trial, kNodeCoinSub).block(v, 0);
}
// The block of v's period starting at round s (s = 0: its first, whose B2 is the initial-state coin).
inline Block period_block(std::uint64_t seed, std::uint32_t trial, NodeId v, Round s) {
  return Rng(seed, trial, kPeriodSub).block(v, static_cast<std::uint32_t>(s));
}
inline Block event_block(std::uint64_t seed, std::uint32_t trial, NodeId v, std::uint32_t e) {
  return Rng(seed, trial, kEventSub).block(v, e);
}

// The group of v among `groups` (a partition of n nodes into contiguous id ranges).
inline std::uint32_t group_of(NodeId v, NodeId n, std::uint32_t groups) {
  return static_cast<std::uint32_t>((std::uint64_t{v} * groups) / n);
}

}  // namespace faults
}  // namespace gossip
