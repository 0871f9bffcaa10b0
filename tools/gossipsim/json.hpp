// The JSON of `gossipsim run`'s stdout: a per-trial line, the across-trial statistics, and the
// effective configuration both carry (docs/output.md, "The JSON on stdout").
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "config/config.hpp"
#include "sim/simulate.hpp"

namespace gossip::cli {

using Json = nlohmann::ordered_json;

Json trial_json(const TrialSummary& s);
// aggregate: the fields of aggregation trials (protocol.mode push-sum, averaging, pairwise).
Json stats_json(const std::vector<TrialSummary>& trials, bool aggregate = false, bool posts = false);

// The effective config as the flat dotted keys of the HDF5 /parameters attributes
// (flat_config: the same keys, names and values), in key-table order.
Json config_json(const SimConfig& cfg);
// Appends every key of `from` to `to` (the config keys to a line).
void append(Json& to, const Json& from);

// The statistics of one summary field over the trials that have a value.
struct Describe {
  std::uint64_t count = 0;
  double mean = 0, min = 0, max = 0, median = 0, q05 = 0, q95 = 0;
  std::optional<double> std, sem;  // sample (n - 1) standard deviation and std / sqrt(n); none below 2 values
};
Describe describe(std::vector<double> xs);

}  // namespace gossip::cli
