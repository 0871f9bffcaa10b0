// Aggregation gossip (docs/model.md, "Aggregation"): push-sum (Kempe, Dobra, Gehrke 2003),
// push-pull averaging in a random sequential order per round as PeerSim runs it (Jelasity,
// Montresor, Babaoglu 2005), computed by deterministic reservations (Blelloch, Fineman, Gibbons,
// Shun 2012), and averaging over a random matching of neighbour proposals. Invariant: every
// node's value after a round is a pure function of (graph, spec, seed, trial, round), the same
// for any thread count: shares are added in ascending (sender, share) order (delayed ones at
// their arrival, in (send round, sender, share) order), exchanges commit only when every earlier
// exchange touching their nodes has, and every sum over nodes is taken over fixed blocks of
// kObserveBlock nodes combined in block order. Faults (FaultState, as the rumor's) only decide
// which nodes act and which messages are lost.
#pragma once
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <vector>

#include "core/array.hpp"
#include "core/rng.hpp"
#include "graph/graph.hpp"
#include "protocol/spec.hpp"
#include "sim/aggregate_round.hpp"
#include "sim/faults.hpp"
#include "sim/simulate.hpp"

namespace gossip {

// Sub-stream ids of the aggregation draws (docs/model.md lists every counter).
inline constexpr std::uint32_t kInitSub = 0x80000005u;   // initial values: {v, 0, 2^31 + 5, t}
inline constexpr std::uint32_t kPeakSub = 0x80000006u;   // the peak (leader) node: {0, d, 2^31 + 6, t}
inline constexpr std::uint32_t kOrderSub = 0x80000007u;  // averaging's order of round r: {0, r, 2^31 + 7, t}
inline constexpr std::uint32_t kMatchSub = 0x80000008u;  // pairwise priorities of round r: {v, r, 2^31 + 8, t}

inline constexpr std::size_t kObserveBlock = std::size_t{1} << 16;  // the fixed blocks of every sum over nodes

// The per-node state of a trial: s (averaging, pairwise: the value) and w (push-sum only).
struct AggregateState {
  Array<double> s, w;
};

// The value of node v at round 0 from its block {v, 0, 2^31 + 5, t} (uniform, normal; peak and
// file are not drawn: 0 here).
double initial_draw(const AggregateParams& a, const r123::Philox4x32::ctr_type& b);

// The peak (and push-sum's weight-holding leader) node of trial t: below(n) from {0, d, 2^31 + 6, t}.
NodeId peak_node(NodeId n, std::uint64_t seed, std::uint32_t trial);

// Round 0 of trial t. Throws UsageError for an empty graph.
void aggregate_init(NodeId n, Mode mode, const AggregateParams& a, std::uint64_t seed, std::uint32_t trial,
                    AggregateState& st);

// The true aggregate of trial t's round-0 state: average, sum (block-ordered sums) or n.
double aggregate_truth(NodeId n, Mode mode, const AggregateParams& a, const AggregateState& st);

// The estimate of node v (NaN where undefined).
inline double estimate(Mode mode, const AggregateParams& a, const AggregateState& st, std::size_t v) {
  if (mode == Mode::push_sum) return st.w[v] > 0 ? st.s[v] / st.w[v] : std::numeric_limits<double>::quiet_NaN();
  if (a.target == AggregateTarget::count) return st.s[v] > 0 ? 1.0 / st.s[v] : std::numeric_limits<double>::quiet_NaN();
  return st.s[v];
}

// The observables of st against `truth`; `prev` the previous round's (null at round 0), `mass0`
// round 0's (null at round 0: this round's); the estimates' figures over the nodes up in `faults`
// (null or off: all). messages and the lost counts are left to the caller.
AggregateRound observe(Mode mode, const AggregateParams& a, const AggregateState& st, double truth,
                       const AggregateRound* prev, const AggregateRound* mass0, const FaultState* faults = nullptr);

// Push-sum shares in flight (faults.delay, docs/model.md "Aggregation", "Delays"): per target
// range of push-sum's bins (cut from n alone), by arrival round, each list in (send round,
// sender, j) order. Only a range's owner touches its lists within a round.
struct AggregateShare {
  std::uint32_t target;
  double s, w;
};
struct SharesInFlight {
  std::vector<std::map<Round, std::vector<AggregateShare>>> by_range;
  std::size_t span = 1;  // nodes per target range
  void reset(std::size_t n);  // empty, with push-sum's ranges for n nodes
  void add(Round arrival, const AggregateShare& x) { by_range[x.target / span][arrival].push_back(x); }
  // Every share, range by range, by arrival round, in order (a checkpoint; add() in this order
  // restores the lists).
  template <class F>
  void each(F&& f) const {
    for (const auto& range : by_range)
      for (const auto& [arrival, list] : range)
        for (const AggregateShare& x : list) f(arrival, x);
  }
};

// Scratch space a step keeps from round to round (sized on first use).
struct AggregateScratch {
  std::vector<std::uint32_t> u, w, pending, spare, res;
  std::vector<std::uint8_t> flags;
  std::vector<std::uint64_t> res64, counts;
  std::vector<std::uint32_t> target;
  std::vector<Round> delay, share_delay;
  std::vector<double> share_s, share_w;
  SharesInFlight flight;  // push-sum with faults.delay
};

// One round r of a step (push_sum, averaging, pairwise) on st, with the up nodes and groups of
// `faults` in round r (null or off: none); returns the messages and what was lost. With
// faults.delay (push-sum) shares in flight wait in scratch.flight (reset it at a trial's start)
// and those of round r arrive at its end.
struct AggregateCounts {
  std::int64_t messages = 0, lost = 0, lost_down = 0, lost_partition = 0;
  double lost_s = 0, lost_w = 0;  // push-sum: the mass of the lost shares
  std::int64_t in_flight = 0;     // push-sum: shares in flight after the round (faults.delay)
  double flight_s = 0, flight_w = 0;  // their mass
  AggregateCounts& operator+=(const AggregateCounts& o) {
    messages += o.messages, lost += o.lost, lost_down += o.lost_down, lost_partition += o.lost_partition;
    lost_s += o.lost_s, lost_w += o.lost_w;
    in_flight += o.in_flight, flight_s += o.flight_s, flight_w += o.flight_w;
    return *this;
  }
};
AggregateCounts aggregate_round(StepKind kind, const Graph& g, const ProtocolSpec& spec, std::uint64_t seed,
                                std::uint32_t trial, Round r, AggregateState& st, AggregateScratch& scratch,
                                const FaultState* faults = nullptr);

// The trials of an aggregation run (simulate() hands them here when plan_run chose `step`).
// Returns false when the sink stopped the run (after its checkpoint).
bool run_aggregate(const Graph& g, const ProtocolSpec& spec, const RunParams& run, StepKind step, Sink& sink,
                   const TrialCheckpoint* from, std::uint64_t first);

// Bytes of the per-node state and scratch of an aggregation run on n nodes (its faults' too).
std::uint64_t aggregate_bytes(NodeId n, const ProtocolSpec& spec);

}  // namespace gossip
