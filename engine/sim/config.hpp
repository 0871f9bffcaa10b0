// SimConfig: the whole configuration of a run, with every default in this one file.
// Layers get their slice: graph -> open_graph, protocol (+ faults.loss) -> the kernels,
// run -> the trial driver. Read from TOML (config_toml.hpp) and --set overrides; validated by
// validate() with UsageErrors that name the key.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "io/source.hpp"
#include "protocol/spec.hpp"

namespace gossip {

struct RunSpec {
  std::uint64_t seed = 1;
  std::uint64_t trials = 1;
  std::uint64_t trial_offset = 0;
  Round max_rounds = 100000;
  std::string packed = "auto";  // "auto", "on", "off": flood's trials 64 per pass (docs/model.md)
  std::optional<long> threads;  // unset: OMP_NUM_THREADS, SLURM_CPUS_PER_TASK, affinity
};

struct SimConfig {
  GraphOptions graph{.source = "er:n=1e5,d=8",
                     .seed = 1,
                     .keep_self_loops = false,
                     .keep_duplicates = false,
                     .format = "auto",
                     .directed = false,
                     .one_based = false,
                     .skip_lines = 0};
  ProtocolSpec protocol{.mode = Mode::push,
                        .fanout = 1,
                        .no_repeat = false,
                        .forward_prob = 1.0,
                        .ttl = 0,
                        .stop = StopRule::none,
                        .k = 1,
                        .sources = 1,
                        .source_nodes = {},
                        .loss = 0.0};
  RunSpec run;
};

// Checks ranges and combinations that do not need the graph (UsageError naming the key).
void validate(const SimConfig& cfg);

// Whether the run packs 64 flood trials per pass: run.packed = "on", or "auto" for a flood run of
// two trials or more. (validate() has rejected "on" without flood.)
bool use_packed(const SimConfig& cfg);

}  // namespace gossip
