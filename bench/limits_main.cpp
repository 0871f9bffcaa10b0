// bench/limits: this machine's sequential bandwidth and random gather / scatter rates at 1 thread
// and at all threads (the affinity mask, or --threads N), as a table on stderr and one JSON
// object on stdout. Run: build/release/bench/limits [--threads N]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/threads.hpp"
#include "limits.hpp"

int main(int argc, char** argv) {
  int all = gossip::affinity_cpu_count();
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--threads") == 0) all = std::max(1, std::atoi(argv[i + 1]));
  std::vector<int> counts{1};
  if (all > 1) counts.push_back(all);
  std::fprintf(stderr, "%8s %14s %16s %16s\n", "threads", "triad GB/s", "gather M/s", "scatter M/s");
  std::string json = "{\"limits\": [";
  for (std::size_t k = 0; k < counts.size(); ++k) {
    const gossip::bench::Limits l = gossip::bench::measure_limits(counts[k]);
    std::fprintf(stderr, "%8d %14.2f %16.1f %16.1f\n", l.threads, l.triad_bytes_per_s / 1e9, l.gather_per_s / 1e6,
                 l.scatter_per_s / 1e6);
    json += (k ? ", " : "") + gossip::bench::to_json(l);
  }
  std::fprintf(stderr, "(4-byte elements, arrays of %.0f MiB = 8 x the %.0f MiB last-level cache or more)\n",
               8 * gossip::bench::llc_bytes() / 1048576.0, gossip::bench::llc_bytes() / 1048576.0);
  std::printf("%s]}\n", json.c_str());
  return 0;
}
