// FaultSpec: which nodes are up in each round of a trial (docs/model.md, "Faults"): crashed
// nodes, churn (up and down periods per node), and scheduled events (fail, recover, partition,
// heal). Values only: defaults and checks live in config/, the draws in protocol/faults.hpp.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace gossip {

// The length of an up or down period, in rounds, drawn from U in (0, 1] and rounded up to >= 1.
struct PeriodDist {
  enum Kind : std::uint8_t { geometric, weibull, pareto } kind = geometric;
  double a = 1.0;  // geometric: the success probability p (mean 1 / p); weibull, pareto: the shape
  double b = 1.0;  // weibull, pareto: the scale
};

struct ChurnSpec {
  enum Kind : std::uint8_t { none, bernoulli, sessions } kind = none;
  PeriodDist up, down;    // bernoulli:fail=a,recover=b is sessions with geometric p = a and p = b
  double fraction = 1.0;  // the fraction of nodes that churn (two-class churn); the rest stay up
  std::string text = "none";  // as configured (written back as given)
};

// A scheduled event ([[events]]). A partition puts node v in group floor(v * groups / n).
struct FaultEvent {
  enum Kind : std::uint8_t { fail, recover, partition, heal } kind = fail;
  Round round = 0;               // applies from the start of this round
  double fraction = 0.0;         // fail / recover: each node with this probability ...
  std::vector<NodeId> nodes;     // ... or exactly these nodes (when not empty)
  std::uint32_t groups = 2;      // partition: "halves" = 2, "blocks:K" = K
};

// A growing network (network.join): node v is absent until its join round. linear: the first
// `start` nodes are present from round 0, then `per_round` more join in each round, in id order
// (for ba graphs the order in which the model attached them).
struct JoinSpec {
  enum Kind : std::uint8_t { none, linear } kind = none;
  std::uint64_t per_round = 1;
  std::uint64_t start = 1;
  std::string text = "none";  // as configured
  // The round node v joins: 0 for v < start, then 1 + (v - start) / per_round.
  Round round_of(NodeId v) const {
    if (kind == none || v < start) return 0;
    const std::uint64_t r = 1 + (v - start) / per_round;
    return r >= static_cast<std::uint64_t>(kNever) ? kNever - 1 : static_cast<Round>(r);
  }
  // The nodes present in round r: [0, present(r)).
  std::uint64_t present(Round r, NodeId n) const {
    if (kind == none) return n;
    const std::uint64_t p = start + static_cast<std::uint64_t>(r) * per_round;
    return p < n && p >= start ? p : n;
  }
};

// How long a copy travels (faults.delay, docs/model.md "Delays"): a copy sent in round r arrives
// at the end of round r + d, d >= 0 whole rounds drawn per copy (protocol/delay.hpp); `none` is
// d = 0, the model without delays. `edge` takes d from the graph's per-arc latencies.
struct DelaySpec {
  enum Kind : std::uint8_t { none, fixed, uniform, geometric, lognormal, edge } kind = none;
  double a = 0.0;  // fixed: d; uniform: min; geometric: p; lognormal: the median
  double b = 0.0;  // uniform: max; lognormal: sigma
  std::string text = "none";  // as configured
  bool on() const { return kind != none; }
};

// The largest delay a copy takes, in rounds: longer draws (geometric and lognormal tails) are cut
// to it, so that an arrival round stays far below kNever.
inline constexpr Round kMaxDelay = (1 << 20) - 1;

struct FaultSpec {
  double crashed = 0.0;  // each non-source node is down for the whole trial with this probability
  ChurnSpec churn;
  std::vector<FaultEvent> events;  // applied by round, those of one round in this order
  JoinSpec join;
  DelaySpec delay;  // not a fault of the up-mask: any() does not count it
  bool any() const {
    return crashed > 0.0 || churn.kind != ChurnSpec::none || !events.empty() || join.kind != JoinSpec::none;
  }
};

// faults.churn from its text: "none", "bernoulli:fail=A,recover=B" or "sessions:up=DIST,down=DIST"
// with DIST "geometric:mean=M", "weibull:shape=K,scale=L" or "pareto:shape=A,scale=M"; on
// failure nothing, and `error` says why.
std::optional<ChurnSpec> parse_churn(std::string_view text, std::string& error);

// network.join from its text: "none" or "linear:per_round=R[,start=S]" (R, S >= 1; S = R by default).
std::optional<JoinSpec> parse_join(std::string_view text, std::string& error);

// faults.delay from its text: "none", "fixed:D", "uniform:min=A,max=B", "geometric:p=Q",
// "lognormal:median=M,sigma=S" or "edge" (whole rounds; D, A, B in 0 .. kMaxDelay, A <= B,
// 0 < Q <= 1, M > 0, S >= 0); "fixed:0" is "none". On failure nothing, and `error` says why.
std::optional<DelaySpec> parse_delay(std::string_view text, std::string& error);

std::string_view event_action_name(FaultEvent::Kind k);
std::optional<FaultEvent::Kind> parse_event_action(std::string_view s);
// A partition's groups from "halves" or "blocks:K" (K >= 2); nothing when malformed.
std::optional<std::uint32_t> parse_groups(std::string_view s);
std::string groups_name(std::uint32_t groups);

}  // namespace gossip
