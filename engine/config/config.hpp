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
#include "io/social.hpp"
#include "io/source.hpp"
#include "protocol/spec.hpp"
#include "sim/step.hpp"

namespace gossip {

struct RunSpec {
  std::uint64_t seed = 1;
  std::uint64_t trials = 1;
  std::uint64_t trial_offset = 0;
  Round max_rounds = 100000;
  double stop_coverage = 1.0;   // end a trial once this fraction of its reachable nodes is informed (1: off)
  std::string packed = "auto";  // "auto", "on", "off": flood's trials 64 per pass (docs/model.md)
  std::optional<long> threads;  // unset: OMP_NUM_THREADS, SLURM_CPUS_PER_TASK, affinity
};

// What the HDF5 output holds beyond the per-round counters and per-trial summaries, and how it
// is written (engine/output). The output path itself is a command-line flag (-o), not config.
struct OutputSpec {
  std::uint64_t node_trials = 1;  // /nodes/informed_at for the first K trials (0: none)
  Round every = 0;                // coverage snapshots every this many rounds (0: none)
  double flush_seconds = 5.0;     // flush the file at least this often (and at every checkpoint)
  bool file_locking = true;       // HDF5 file locks; off for Lustre/NFS mounts that reject them
  std::string arrivals = "auto";  // posts: every user's arrival round of every post: "auto", "on", "off"
};

struct SimConfig {
  GraphOptions graph{.source = "er:n=1e5,d=8",
                     .seed = 1,
                     .keep_self_loops = false,
                     .keep_duplicates = false,
                     .format = "auto",
                     .directed = false,
                     .one_based = false,
                     .skip_lines = 0,
                     .latency = "none",
                     .node_file = ""};
  ProtocolSpec protocol{.mode = Mode::push,
                        .fanout = 1,
                        .no_repeat = false,
                        .forward_prob = 1.0,
                        .ttl = 0,
                        .stop = StopRule::none,
                        .k = 1,
                        .sources = 1,
                        .source_nodes = {},
                        .loss = 0.0,
                        .recovery_prob = 1.0,
                        .faults = {},
                        .aggregate = {.init = "uniform:0,1", .target = "average", .eps = 1e-6}};
  io::PostsConfig posts{.users = "", .file = "", .count = 0, .rate = 1.0, .lifetime = 0};
  RunSpec run;
  OutputSpec output;
};

// Checks ranges and combinations that do not need the graph (UsageError naming the key).
void validate(const SimConfig& cfg);

// run.packed as the engine's Packing (validate() has checked the word).
Packing packing(const RunSpec& run);

}  // namespace gossip
