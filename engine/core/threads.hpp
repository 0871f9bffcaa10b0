// The worker count, chosen as CONVENTIONS.md says: --threads > OMP_NUM_THREADS >
// SLURM_CPUS_PER_TASK > the CPU affinity mask (never hardware_concurrency, which ignores cpusets).
#pragma once
#include <optional>
#include <string>

namespace gossip {

inline constexpr long kMaxThreads = 4096;  // the largest accepted worker count

struct ThreadChoice {
  int count;
  std::string source;  // "--threads", "OMP_NUM_THREADS", "SLURM_CPUS_PER_TASK", "affinity mask"
};

// A flag of 0 is automatic (as none). Throws UsageError when the flag is out of range or an
// environment variable holds no positive integer.
ThreadChoice resolve_threads(std::optional<long> flag);

int affinity_cpu_count();

}  // namespace gossip
