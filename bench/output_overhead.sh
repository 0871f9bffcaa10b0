#!/usr/bin/env bash
# HDF5 output overhead (issue 6): the same trials without output, with -o (default: informed_at
# of the first trial, no snapshots) and with coverage snapshots every round, best of REPS.
# Prints one table row per setting: sim seconds, rounds, seconds per round, overhead vs none.
#   bench/output_overhead.sh [SPEC] [TRIALS] [THREADS] [REPS]
set -euo pipefail
spec=${1:-er:n=1e7,d=8}; trials=${2:-2}; threads=${3:-2}; reps=${4:-3}
bin=$(dirname "$0")/../build/release/tools/gossipsim
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
best() {  # best sim_seconds of $reps runs; also prints total rounds
  local b=""
  for _ in $(seq "$reps"); do
    rm -f "$dir/o.h5"
    out=$("$bin" run -s graph.source="$spec" --trials "$trials" --threads "$threads" --per-trial "$@" 2>"$dir/err")
    s=$(echo "$out" | tail -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["sim_seconds"])')
    echo "$out" | tail -1 | python3 -c 'import json,sys; j=json.load(sys.stdin); print("  sim_seconds", j["sim_seconds"], "output_seconds", j.get("output_seconds"))' >&2
    rounds=$(echo "$out" | head -n -1 | python3 -c 'import json,sys; print(sum(json.loads(l)["rounds"] + 1 for l in sys.stdin))')
    b=$(python3 -c "print(min(x for x in [$s, ${b:-1e99}]))")
  done
  echo "$b $rounds"
}
read -r none rounds < <(best)
echo "| setting | sim s (best of $reps) | rounds | ms/round | overhead |"
echo "|---|---|---|---|---|"
row() { python3 -c "print(f'| $1 | {$2:.3f} | $rounds | {1e3*$2/$rounds:.1f} | {100*($2-$none)/$none:+.1f} % |')"; }
row "no output" "$none"
read -r h5 _ < <(best -o "$dir/o.h5")
row "-o (informed_at of trial 0)" "$h5"
read -r snap _ < <(best -o "$dir/o.h5" -s output.every=1)
row "-o, snapshots every round" "$snap"
ls -la "$dir" >/dev/null
