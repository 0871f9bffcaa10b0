#!/usr/bin/env bash
# Edge-list parse rate beside plain read rates, and binary CSR load time, on one generated
# edge list of about 1 GB (issue 4's benchmark). Generates /tmp/gossipsim_bench.el and .gcsr
# from SPEC when missing (not in git), then runs `cat > /dev/null`, bench_parse (read loop,
# mmap touch, edge-list load at 1 and 2 threads, gcsr load) and `gossipsim graph info` on both
# files for wall time and peak RSS. Take the figures alone: flock -x /work/cpu.lock bench/parse_rate.sh
#   usage: bench/parse_rate.sh [SPEC]   (default er:n=1e7,d=12: 60 M edges, ~1.0 GB of text)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/build/release
spec=${1:-er:n=1e7,d=12}
el=${GOSSIPSIM_BENCH_EL:-/tmp/gossipsim_bench.el}
gcsr=${GOSSIPSIM_BENCH_GCSR:-/tmp/gossipsim_bench.gcsr}
[ -s "$el" ] || "$bin/tools/gossipsim" graph convert "$spec" "$el" --threads 2
[ -s "$gcsr" ] || "$bin/tools/gossipsim" graph convert "$el" "$gcsr" --threads 2
echo "== $(uptime)"
ls -l "$el" "$gcsr"
cat "$el" > /dev/null  # warm the page cache: every figure below reads from memory
for i in 1 2 3; do
  /usr/bin/time -f "cat > /dev/null: %e s" cat "$el" > /dev/null
done
GOSSIPSIM_BENCH_EL=$el GOSSIPSIM_BENCH_GCSR=$gcsr "$bin/bench/bench_parse"
for f in "$el" "$gcsr"; do
  for t in 1 2; do
    /usr/bin/time -f "graph info $(basename "$f") --threads $t: %e s wall, peak RSS %M KiB" \
      "$bin/tools/gossipsim" graph info "$f" --json --threads "$t" 2>&1 >/dev/null | grep -v 'Z info '
  done
done
echo "== $(uptime)"
