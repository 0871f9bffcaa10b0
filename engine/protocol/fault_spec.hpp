// FaultSpec: which nodes are up in each round of a trial (docs/model.md, "Faults"): crashed
// nodes, churn (up and down periods per node), and scheduled events (fail, recover, partition,
// heal). Values only: defaults and checks live in config/, the draws in protocol/faults.hpp.
#pragma once
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <memory>
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

// A partition's groups read from a node file column (groups = "file:COLUMN"): the distinct values
// of the column in ascending order are groups 0, 1, ..., count - 1.
struct NodeGroups {
  std::vector<std::uint32_t> group;  // group[v]
  std::uint32_t count = 1;
};

// A scheduled event ([[events]]). A partition puts node v in group floor(v * groups / n), or
// with a group column in its group of the node file.
struct FaultEvent {
  enum Kind : std::uint8_t { fail, recover, partition, heal } kind = fail;
  Round round = 0;               // applies from the start of this round
  double fraction = 0.0;         // fail / recover: each node with this probability ...
  std::vector<NodeId> nodes;     // ... or exactly these nodes (when not empty)
  std::uint32_t groups = 2;      // partition: "halves" = 2, "blocks:K" = K, a column: its count
  std::string group_column;      // partition: the node file column of "file:COLUMN" ("": none)
  std::shared_ptr<const NodeGroups> group_map;  // that column, once read (io/node_file.hpp)
};

// Join rounds read from a node file column (network.join = "file:COLUMN").
struct JoinRounds {
  std::vector<Round> round;                          // round[v]: the round node v joins
  std::vector<std::pair<Round, std::uint64_t>> by;  // (r, nodes joined by round r) for each distinct r, ascending
  std::vector<NodeId> initial;                      // the nodes present at round 0, ascending
  JoinRounds() = default;
  explicit JoinRounds(std::vector<Round> rounds);
};

// A growing network (network.join): node v is absent until its join round. linear: the first
// `start` nodes are present from round 0, then `per_round` more join in each round, in id order
// (for ba graphs the order in which the model attached them). file: each node's round from a
// column of the node file.
struct JoinSpec {
  enum Kind : std::uint8_t { none, linear, file } kind = none;
  std::uint64_t per_round = 1;
  std::uint64_t start = 1;
  std::string text = "none";  // as configured
  std::string column;         // file: the node file column
  std::shared_ptr<const JoinRounds> rounds;  // file: that column, once read (io/node_file.hpp)
  // The round node v joins: linear: 0 for v < start, then 1 + (v - start) / per_round.
  Round round_of(NodeId v) const {
    if (kind == file) return rounds->round[v];
    if (kind == none || v < start) return 0;
    const std::uint64_t r = 1 + (v - start) / per_round;
    return r >= static_cast<std::uint64_t>(kNever) ? kNever - 1 : static_cast<Round>(r);
  }
  // The number of nodes present in round r; for none and linear they are [0, present(r)).
  std::uint64_t present(Round r, NodeId n) const {
    if (kind == none) return n;
    if (kind == file) {
      const auto& by = rounds->by;
      auto it = std::upper_bound(by.begin(), by.end(), r, [](Round x, const auto& p) { return x < p.first; });
      return it == by.begin() ? 0 : std::prev(it)->second;
    }
    const std::uint64_t p = start + static_cast<std::uint64_t>(r) * per_round;
    return p < n && p >= start ? p : n;
  }
  // The last round in which a node joins (0 without joins).
  Round last_round(NodeId n) const {
    if (kind == file) return rounds->by.empty() ? 0 : rounds->by.back().first;
    return kind == none || n == 0 ? 0 : round_of(n - 1);
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

// network.join from its text: "none", "linear:per_round=R[,start=S]" (R, S >= 1; S = R by
// default) or "file:COLUMN" (the rounds still to be read: io/node_file.hpp).
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
// A partition's groups as configured: "halves", "blocks:K" or "file:COLUMN".
std::string groups_name(const FaultEvent& e);
// The COLUMN of "file:COLUMN" (a name of letters, digits, '_', '-' and '.'); nothing otherwise.
std::optional<std::string> parse_file_column(std::string_view s);

}  // namespace gossip
