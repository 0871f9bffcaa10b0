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

struct FaultSpec {
  double crashed = 0.0;  // each non-source node is down for the whole trial with this probability
  ChurnSpec churn;
  std::vector<FaultEvent> events;  // applied by round, those of one round in this order
  bool any() const { return crashed > 0.0 || churn.kind != ChurnSpec::none || !events.empty(); }
};

// faults.churn from its text: "none", "bernoulli:fail=A,recover=B" or "sessions:up=DIST,down=DIST"
// with DIST "geometric:mean=M", "weibull:shape=K,scale=L" or "pareto:shape=A,scale=M"; on
// failure nothing, and `error` says why.
std::optional<ChurnSpec> parse_churn(std::string_view text, std::string& error);

std::string_view event_action_name(FaultEvent::Kind k);
std::optional<FaultEvent::Kind> parse_event_action(std::string_view s);
// A partition's groups from "halves" or "blocks:K" (K >= 2); nothing when malformed.
std::optional<std::uint32_t> parse_groups(std::string_view s);
std::string groups_name(std::uint32_t groups);

}  // namespace gossip
