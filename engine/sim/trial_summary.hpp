// The per-trial summary of docs/model.md ("Trial summary") from the final state and the
// per-round informed counts (the JSON's across-trial statistics are the CLI's, tools/gossipsim).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/simulate.hpp"
#include "sim/state.hpp"

namespace gossip {

TrialSummary summarize_trial(const RumorState& st, const std::vector<std::int64_t>& informed_by_round,
                             std::uint32_t trial, Round rounds, bool truncated);

// The same summary from the per-round counters alone (rounds[r] for r = 0 .. the last round):
// t_avg and t_last from newly_informed, which equals the sums over informed_at.
TrialSummary summarize_rounds(const std::vector<RoundStats>& rounds, NodeId n, std::uint32_t trial, bool truncated);

// The summary fields, by name, as numbers (absent round_X -> nullopt), in a fixed order.
std::vector<std::pair<std::string, std::optional<double>>> summary_fields(const TrialSummary& s);

// Whether a summary field holds whole numbers (rounds, counts) rather than reals (coverage, ...).
bool is_integral_field(std::string_view name);

}  // namespace gossip
