#include "core/threads.hpp"

#include <sched.h>

#include <cstdlib>
#include <string_view>

#include "core/error.hpp"
#include "core/numbers.hpp"

namespace gossip {
namespace {

int positive(std::string_view text, const std::string& what) {
  auto v = parse_count(text);
  if (!v || *v < 1 || *v > kMaxThreads)
    throw UsageError(what + " must be an integer in [1, 4096], got '" + std::string(text) + "'");
  return static_cast<int>(*v);
}

}  // namespace

int affinity_cpu_count() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    int c = CPU_COUNT(&set);
    if (c > 0) return c;
  }
  return 1;
}

ThreadChoice resolve_threads(std::optional<long> flag) {
  if (flag && *flag != 0) {  // 0: automatic, as no flag
    if (*flag < 0 || *flag > kMaxThreads)
      throw UsageError("--threads must be an integer in [0, 4096] (0: automatic), got " + std::to_string(*flag));
    return {static_cast<int>(*flag), "--threads"};
  }
  if (const char* omp = std::getenv("OMP_NUM_THREADS"); omp && *omp) {
    std::string_view s(omp);
    s = s.substr(0, s.find(','));  // a nested list "4,2": the outer level counts
    return {positive(s, "OMP_NUM_THREADS"), "OMP_NUM_THREADS"};
  }
  if (const char* slurm = std::getenv("SLURM_CPUS_PER_TASK"); slurm && *slurm)
    return {positive(slurm, "SLURM_CPUS_PER_TASK"), "SLURM_CPUS_PER_TASK"};
  return {affinity_cpu_count(), "affinity mask"};
}

}  // namespace gossip
