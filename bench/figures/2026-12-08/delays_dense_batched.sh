#!/bin/bash
# Per-round cost of delays, base (38ec827) vs new (dense_batched with delays), alternated.
cd /tmp/dl
B=/work/kx/build/release/tools/gossipsim
N=/work/main/build/release/tools/gossipsim
cp -f $N /tmp/dl/new_gossipsim; cp -f $B /tmp/dl/base_gossipsim
for i in 1 2; do
  for b in base new; do
    for f in none uniform:min=1,max=4; do
      echo "== $b $f run $i $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)"
      ./${b}_gossipsim run -s graph.source=er:n=1e7,d=8 -s run.stop_coverage=0.9 -s run.trials=1 -s faults.delay=$f --threads 2 --per-trial 2>/dev/null | /usr/bin/python3 -c '
import sys,json
for l in sys.stdin:
    o=json.loads(l)
    if o.get("event")=="trial": t=o
    if o.get("event")=="summary": s=o
print("rounds",t["rounds"],"sim",round(s["sim_seconds"],2),"ms/round",round(1000*s["sim_seconds"]/t["rounds"],1),"steps",t["steps"])'
    done
  done
done
