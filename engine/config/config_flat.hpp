// The configuration as flat dotted key/value pairs (the HDF5 /parameters attributes), and the
// part of it that defines an experiment's numbers (what --resume and merge compare): every key
// except how it is run (run.threads, output.flush_seconds, output.file_locking) and, for
// merge, which trials (run.trials, run.trial_offset).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "config/config.hpp"

namespace gossip {

using FlatValue = std::variant<std::string, std::int64_t, std::uint64_t, double, bool, std::vector<std::uint64_t>>;

// Every key of the key table in table order; run.threads only when set.
std::vector<std::pair<std::string, FlatValue>> flat_config(const SimConfig& cfg);

// A copy with the run-only keys set to their defaults (and, with ignore_trials, the trial range).
SimConfig experiment_config(const SimConfig& cfg, bool ignore_trials = false);

// The first key whose value differs between a and b ("" when none): "protocol.fanout".
std::string first_difference(const SimConfig& a, const SimConfig& b);

}  // namespace gossip
