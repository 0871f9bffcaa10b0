"""GAP Benchmark Suite BFS as the floor for gossipsim's flood with forward probability 1.

For each spec er:n=2^S,d=D and thread count t (OMP_NUM_THREADS=t for GAP):
  gossipsim graph info SPEC --json   build_seconds: generation + CSR build
  gossipsim run ... protocol.mode=flood --trials K   sim_seconds / K: one flood trial
  GAP bfs -f SPEC.sg -n K     the very same graph (export_sg writes GAP's .sg): Average Time
  GAP bfs -u S -k D/2 -n K    GAP's own uniform random graph: Generate Time + Build Time
GAP's -k counts undirected edges per node (it prints "degree" = edges / nodes), so our mean
degree D is GAP's -k D/2. Without --gap-dir (or without GAP's bfs in it) GAP is NOT MEASURED.
"""
import csv
import json
import os
import re
import sys

from scale_lib import CpuLock, Failure, bound_env, last_error_line, parse_count, run_measured

FIELDS = ["spec", "tool", "threads", "build_s", "gen_s", "csr_s", "read_s", "trial_s", "trials", "rounds",
          "n", "arcs", "peak_rss_bytes", "load1", "alone", "status", "note"]


def refuse(msg):
    raise Failure(msg)


def gap_times(text):
    """GAP prints 'Name Time:   seconds' lines; returns {name: seconds} (last of each)."""
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^(\w[\w ]*?) Time:\s+([0-9.]+)", text, re.M)}


def parse_er(spec):
    m = re.fullmatch(r"er:n=([^,]+),d=(\d+)", spec)
    if not m:
        raise Failure(f"gap: --gap-specs takes er:n=2^S,d=D, got '{spec}'")
    n, d = parse_count(m.group(1)), int(m.group(2))
    if n & (n - 1) or d % 2:
        raise Failure(f"gap: {spec}: GAP's generator needs n a power of 2 and an even mean degree")
    return n, d


def ours(args, spec, t):
    rc, out, err, _, rss_b = run_measured([args.bin, "graph", "info", spec, "--json", "--threads", str(t), "--seed", str(args.seed)], args.timeout, env=bound_env())
    if rc != 0:
        raise Failure(f"gap: gossipsim graph info {spec} exited {rc}: {last_error_line(err)}")
    info = json.loads(out)
    argv = [args.bin, "run", "-s", f"graph.source={spec}", "-s", "protocol.mode=flood", "-s", "protocol.forward_prob=1",
            "-s", "run.packed=off", "--trials", str(args.gap_trials), "--threads", str(t), "--seed", str(args.seed)]
    rc, out, err, _, rss = run_measured(argv, args.timeout, env=bound_env())
    if rc != 0:
        raise Failure(f"gap: gossipsim flood {spec} exited {rc}: {last_error_line(err)}")
    j = json.loads(out)
    return dict(tool="gossipsim flood", build_s=info["build_seconds"], trial_s=j["sim_seconds"] / args.gap_trials,
                trials=args.gap_trials, rounds=j["stats"]["rounds"]["mean"], n=info["n"], arcs=info["arcs"],
                peak_rss_bytes=rss, note=f"graph info build_seconds; {args.gap_trials} flood trials, one random source each")


def gap(args, spec, t, argv, tool):
    rc, out, err, _, rss = run_measured(argv, args.timeout, env=bound_env(OMP_NUM_THREADS=str(t)))
    times = gap_times(out)
    if rc != 0 or "Average" not in times:
        raise Failure(f"gap: {' '.join(argv)} exited {rc}: {last_error_line(err or out)}")
    deg = re.search(r"Graph has (\d+) nodes and (\d+) (?:un)?directed edges", out)
    row = dict(tool=tool, trial_s=times["Average"], trials=args.gap_trials, peak_rss_bytes=rss,
               n=int(deg.group(1)) if deg else "", arcs=2 * int(deg.group(2)) if deg else "")
    if "Read" in times:
        row.update(read_s=times["Read"], note="the gossipsim graph, written by export_sg")
    else:
        row.update(gen_s=times["Generate"], csr_s=times["Build"], build_s=times["Generate"] + times["Build"],
                   note="GAP's own uniform random graph (same n and mean degree)")
    return row


def run(args, threads, tmp):
    """Measures every spec x thread count; writes gap.csv; returns the NOT MEASURED lines."""
    rows, failures = [], []
    bfs = os.path.join(args.gap_dir, "bfs") if args.gap_dir else None

    def record(spec, t, tool, fn):
        with CpuLock(args.lock, args.lock_wait) as lock:
            try:
                row = dict(fn(), status="ok")
            except Failure as e:
                print(f"bench/scale: NOT MEASURED {e}", file=sys.stderr, flush=True)
                failures.append(str(e))
                row = dict(tool=tool, status="not_measured", note=str(e))
        row.update(spec=spec, threads=t, load1=round(lock.load, 2), alone="" if lock.alone is None else int(lock.alone))
        rows.append(row)
        if row["status"] == "ok":
            print(f"bench/scale: {tool:16} {spec} t={t} build={row.get('build_s', '-')} read={row.get('read_s', '-')} "
                  f"trial={row['trial_s']:.4f}s load={row['load1']}", flush=True)

    for spec in args.gap_specs.split(";"):
        try:
            n, d = parse_er(spec)
        except Failure as e:
            print(f"bench/scale: NOT MEASURED {e}", file=sys.stderr)
            failures.append(str(e))
            continue
        for t in threads:
            record(spec, t, "gossipsim flood", lambda: ours(args, spec, t))
        if not bfs or not os.access(bfs, os.X_OK):
            why = "--gap-dir not given" if not args.gap_dir else f"{bfs} is missing (build GAP with make there)"
            for tool in ("gap bfs -f .sg", "gap bfs -u"):
                record(spec, 0, tool, lambda: refuse(f"gap: {spec}: peer not measured: {why}"))
            continue
        sg = os.path.join(tmp, "gap.sg")
        rc, _, err, _, _ = run_measured([args.export_bin, spec, sg, str(args.seed)], args.timeout)
        for t in threads:
            if rc != 0:
                record(spec, t, "gap bfs -f .sg", lambda: refuse(f"gap: export_sg {spec} exited {rc}: {last_error_line(err)}"))
            else:
                record(spec, t, "gap bfs -f .sg", lambda: gap(args, spec, t, [bfs, "-f", sg, "-n", str(args.gap_trials)], "gap bfs -f .sg"))
        if os.path.exists(sg):
            os.remove(sg)
        scale = n.bit_length() - 1
        for t in threads:
            record(spec, t, "gap bfs -u", lambda: gap(args, spec, t, [bfs, "-u", str(scale), "-k", str(d // 2), "-n", str(args.gap_trials)], "gap bfs -u"))
    with open(os.path.join(args.out_dir, "gap.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in r.items()})
    return failures
