// The observables of an aggregation round and trial (docs/model.md, "Aggregation"): what the
// aggregation steps hand the sink, as RoundStats and TrialSummary are for a rumor. A field added
// to AggregateRound and listed in kAggregateFields reaches the JSON and the HDF5 output.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/types.hpp"

namespace gossip {

// The observables of one round (after it; round 0: the initial state). With faults the
// estimates' figures are over the nodes up in the round, the masses over all nodes.
struct AggregateRound {
  double mean = 0;           // of the defined estimates
  double variance = 0;       // population variance of the defined estimates
  double max_abs_error = 0;  // max |estimate - truth| (infinite while an estimate is undefined)
  double max_rel_error = 0;  // max_abs_error / |truth| (= max_abs_error when truth is 0)
  double mass_s = 0;         // sum of s (averaging: of the values)
  double mass_w = 0;         // sum of w (averaging: n)
  double drift_s = 0;        // (mass_s - its round-0 value) / |round-0 value| (not divided when 0)
  double drift_w = 0;
  double factor = 0;         // variance / the previous round's variance (NaN at round 0 or from 0)
  double lost_s = 0;         // push-sum: the s of this round's lost shares (0 otherwise)
  double lost_w = 0;         // push-sum: their w
  double flight_s = 0;       // push-sum: the s of the shares in flight after the round (faults.delay)
  double flight_w = 0;       // push-sum: their w
  std::int64_t undefined = 0;  // up nodes without an estimate (push-sum: w = 0; count: value 0)
  std::int64_t messages = 0;   // push-sum: shares sent; averaging, pairwise: requests and replies sent
  std::int64_t lost = 0;       // of those, lost (faults.loss, the partition, a down target)
  std::int64_t lost_down = 0;       // of those, to a down target
  std::int64_t lost_partition = 0;  // of those, to the partition
  std::int64_t up = 0;              // nodes up in this round (all without faults)
  std::int64_t in_flight = 0;       // push-sum: shares in flight after the round (faults.delay)
  friend bool operator==(const AggregateRound&, const AggregateRound&) = default;
};

struct AggregateField {
  std::string_view name;
  double AggregateRound::*member;
};
inline constexpr std::array kAggregateFields = {
    AggregateField{"mean", &AggregateRound::mean},
    AggregateField{"variance", &AggregateRound::variance},
    AggregateField{"max_abs_error", &AggregateRound::max_abs_error},
    AggregateField{"max_rel_error", &AggregateRound::max_rel_error},
    AggregateField{"mass_s", &AggregateRound::mass_s},
    AggregateField{"mass_w", &AggregateRound::mass_w},
    AggregateField{"drift_s", &AggregateRound::drift_s},
    AggregateField{"drift_w", &AggregateRound::drift_w},
    AggregateField{"factor", &AggregateRound::factor},
    AggregateField{"lost_s", &AggregateRound::lost_s},
    AggregateField{"lost_w", &AggregateRound::lost_w},
    AggregateField{"flight_s", &AggregateRound::flight_s},
    AggregateField{"flight_w", &AggregateRound::flight_w},
};
struct AggregateCount {
  std::string_view name;
  std::int64_t AggregateRound::*member;
};
inline constexpr std::array kAggregateCounts = {
    AggregateCount{"undefined", &AggregateRound::undefined},
    AggregateCount{"messages", &AggregateRound::messages},
    AggregateCount{"lost", &AggregateRound::lost},
    AggregateCount{"lost_down", &AggregateRound::lost_down},
    AggregateCount{"lost_partition", &AggregateRound::lost_partition},
    AggregateCount{"up", &AggregateRound::up},
    AggregateCount{"in_flight", &AggregateRound::in_flight},
};

// A finished aggregation trial (TrialSummary::aggregate): its last round's observables and
// when the estimates first came within aggregate.eps.
struct AggregateSummary {
  double truth = 0;                 // the true aggregate of the round-0 values
  AggregateRound last;              // the observables of the last round
  std::optional<Round> round_eps;   // the first round with max_rel_error < eps (absent: never)
  double factor = 0;                // (variance_R / variance_0)^(1/R), R the last round (NaN unless both > 0)
  std::int64_t lost = 0;            // messages lost over the trial
  friend bool operator==(const AggregateSummary&, const AggregateSummary&) = default;
};

}  // namespace gossip
