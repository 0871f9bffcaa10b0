#!/usr/bin/env bash
# Generation of a large graph within the machine's memory: build time, final CSR bytes, bytes per
# arc and the process's peak RSS (VmHWM), for each thread count given.
# usage: bench/gen_memory.sh [SPEC] [THREADS...]     default: er:n=1e8,d=10 with 2 threads
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/build/release/tools/gossipsim
spec=${1:-er:n=1e8,d=10}; shift || true
threads=("${@:-2}")
echo "spec,threads,n,arcs,build_seconds,memory_bytes,bytes_per_arc,peak_rss_bytes,peak_over_final"
for t in "${threads[@]}"; do
  "$bin" graph info "$spec" --json --threads "$t" 2>/dev/null | /usr/bin/python3 -c '
import json, sys
j = json.load(sys.stdin)
print(",".join(str(x) for x in [sys.argv[1], sys.argv[2], j["n"], j["arcs"], round(j["build_seconds"], 2),
      j["memory_bytes"], round(j["memory_bytes"] / max(j["arcs"], 1), 3), j["peak_rss_bytes"],
      round(j["peak_rss_bytes"] / j["memory_bytes"], 3)]))' "$spec" "$t"
done
