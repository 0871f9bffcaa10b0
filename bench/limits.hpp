// The memory system's limits that the kernels are compared with (issue 7): sequential bandwidth
// (STREAM triad a[i] = b[i] + s * c[i], McCalpin), random gather (sum += x[idx[i]]) and random
// scatter (x[idx[i]] = i) of 4-byte elements through precomputed random 32-bit indices, on arrays
// of at least 8x the last-level cache, at a given thread count (through core/parallel.hpp).
// Each figure is the best of a few repetitions. Used by bench/limits and by every bench_* binary
// (measured once per process, so a kernel's ratio compares figures of the same run).
#pragma once
#include <cstdint>
#include <string>

namespace gossip::bench {

struct Limits {
  int threads = 1;
  std::uint64_t llc_bytes = 0;       // the largest cache found in /sys
  std::uint64_t array_bytes = 0;     // bytes of the gathered / scattered array
  double triad_bytes_per_s = 0;      // 3 x 8 bytes per element (2 reads, 1 write; no RFO counted)
  double gather_per_s = 0;           // random 4-byte loads per second
  double scatter_per_s = 0;          // random 4-byte stores per second
};

// The largest cache size under /sys/devices/system/cpu/cpu0/cache (32 MiB when none is readable).
std::uint64_t llc_bytes();

// Measures at `threads` threads (restores nothing: callers set their own thread count after).
Limits measure_limits(int threads);

// The limits at 1 thread and at `all` threads, measured once per process (first call).
const Limits& limits_at(int threads);

std::string to_json(const Limits& l);

}  // namespace gossip::bench
