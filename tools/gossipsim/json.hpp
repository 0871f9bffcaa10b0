// The JSON of `gossipsim run`'s stdout: a per-trial line and the across-trial statistics.
#pragma once
#include <nlohmann/json.hpp>
#include <vector>

#include "sim/simulate.hpp"

namespace gossip::cli {

using Json = nlohmann::ordered_json;

Json trial_json(const TrialSummary& s);
Json stats_json(const std::vector<TrialSummary>& trials);

}  // namespace gossip::cli
