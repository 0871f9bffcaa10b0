#!/usr/bin/python3
"""NumPy peer of `gossipsim run` push: synchronous push gossip from one source, vectorised.

The model is gossipsim's (docs/model.md) for mode=push, fanout 1, no loss: in round r every node
informed before r that has a neighbor pushes to one neighbor drawn uniformly (on the complete
graph: a uniform other node); a target not yet informed becomes informed in round r.

No Python loop runs over nodes: a round is a handful of NumPy array operations over the list of
pushers, taken in chunks (--chunk, default 2^18) so the temporaries stay in the cache and their
buffers are reused. Per round and chunk: one rng.random() into a float buffer, floor(rand * deg)
+ row offset, one gather of the neighbor, one gather of its state, a compress of the targets
still uninformed, and a scatter that marks them (with a stamp pass so a node reached twice in one
round is appended once). State: int32 informed round per node (-1 = never), the pushers'
ids / row offsets / degrees appended as nodes get informed (no gather of offsets per round).

Graphs: --graph complete:n=N (implicit) or --sg FILE (GAP's serialized CSR, as written by
build/release/bench/export_sg from a gossipsim spec: the very graph gossipsim simulates).
Before allocating, the bytes needed are compared with --mem-limit and MemAvailable; a run that
cannot fit is refused with one line on stderr and exit 1 (never a swap storm).
Prints one JSON object: n, arcs, rounds, informed, messages, load_seconds, sim_seconds (making
and initialising the state, then the rounds, as gossipsim times it),
seconds_per_round, ns_per_message, estimated_bytes, peak_rss_bytes.
"""
import argparse
import json
import resource
import sys
import time

import numpy as np

SG_HEADER = 17  # bool directed, int64 arcs, int64 n


def fail(msg, code=1):
    print(f"numpy_push: error: {msg}", file=sys.stderr)
    sys.exit(code)


def mem_available():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def parse_count(text):
    text = text.replace("_", "")
    if "^" in text:
        b, e = text.split("^")
        return int(b) ** int(e)
    return int(float(text)) if ("e" in text or "." in text) else int(text)


def sg_header(path):
    with open(path, "rb") as f:
        head = f.read(SG_HEADER)
    if len(head) != SG_HEADER:
        fail(f"{path}: not a GAP .sg file (shorter than its header)", 3)
    directed = bool(head[0])
    arcs, n = np.frombuffer(head[1:], dtype="<i8")
    return directed, int(n), int(arcs)


def estimate_bytes(n, arcs, complete, chunk):
    graph = 0 if complete else 8 * (n + 1) + 4 * arcs
    state = 4 * n                               # int32 informed round (and stamp)
    active = 4 * n if complete else 16 * n      # ids (complete) or ids + offsets + degrees
    buffers = 40 * (chunk if chunk else n)      # float draw, int64 index, int32 target/state, masks
    return graph + state + active + buffers + (200 << 20)  # + the interpreter and NumPy


class Push:
    """The pushers' arrays grow as nodes get informed; rounds reuse chunk buffers."""

    def __init__(self, n, offsets, neighbors, rng, chunk):
        self.n, self.offsets, self.neighbors, self.rng = n, offsets, neighbors, rng
        self.complete = offsets is None
        self.state = np.full(n, -1, dtype=np.int32)
        self.act = np.empty(n, dtype=np.int32)
        if not self.complete:
            self.act_off = np.empty(n, dtype=np.int64)
            self.act_deg = np.empty(n, dtype=np.float64)
        self.nact = 0
        self.informed = 0
        c = chunk if chunk else n
        self.chunk = c
        self.r = np.empty(c, dtype=np.float64)
        self.idx = np.empty(c, dtype=np.int64)
        self.tgt = np.empty(c, dtype=np.int32)
        self.st = np.empty(c, dtype=np.int32)
        self.mask = np.empty(c, dtype=bool)
        self.stamp = np.arange(c, dtype=np.int32)

    def inform(self, nodes, rnd):
        """nodes: distinct, uninformed. Marks them and appends those with neighbors as pushers."""
        self.state[nodes] = rnd
        self.informed += len(nodes)
        if self.complete:
            pushers = nodes if self.n > 1 else nodes[:0]
            k = len(pushers)
            self.act[self.nact:self.nact + k] = pushers
        else:
            lo = self.offsets[nodes]
            deg = self.offsets[nodes + 1] - lo
            keep = deg > 0
            pushers, lo, deg = nodes[keep], lo[keep], deg[keep]
            k = len(pushers)
            self.act[self.nact:self.nact + k] = pushers
            self.act_off[self.nact:self.nact + k] = lo
            self.act_deg[self.nact:self.nact + k] = deg
        self.nact += k

    def round(self, rnd):
        """One synchronous round; returns the messages sent (= pushers at the round's start)."""
        pushers = self.nact
        for i in range(0, pushers, self.chunk):
            j = min(i + self.chunk, pushers)
            m = j - i
            r, idx, tgt, st, mask = self.r[:m], self.idx[:m], self.tgt[:m], self.st[:m], self.mask[:m]
            self.rng.random(out=r)
            if self.complete:  # a uniform node other than the sender
                np.multiply(r, self.n - 1, out=r)
                np.copyto(idx, r, casting="unsafe")
                np.greater_equal(idx, self.act[i:j], out=mask)
                np.add(idx, mask, out=idx)
                np.copyto(tgt, idx, casting="unsafe")
            else:              # floor(rand * deg) + row offset, then gather the neighbor
                np.multiply(r, self.act_deg[i:j], out=r)
                np.copyto(idx, r, casting="unsafe")
                np.add(idx, self.act_off[i:j], out=idx)
                np.take(self.neighbors, idx, out=tgt, mode="clip")
            np.take(self.state, tgt, out=st, mode="clip")
            np.less(st, 0, out=mask)
            cand = tgt[mask]
            if len(cand) == 0:
                continue
            # The last write of a repeated index wins, so stamp == position marks one copy each.
            stamp = self.stamp[:len(cand)]
            self.state[cand] = stamp
            first = cand[self.state[cand] == stamp]
            self.inform(first, rnd)
        return pushers


def load(args):
    t0 = time.perf_counter()
    if args.graph:
        fam, _, params = args.graph.partition(":")
        if fam != "complete" or not params.startswith("n="):
            fail(f"--graph takes complete:n=N (other graphs come as --sg files), got '{args.graph}'", 2)
        n = parse_count(params[2:])
        est = estimate_bytes(n, 0, True, args.chunk)
        check_memory(est, args)
        return n, 0, None, None, est, time.perf_counter() - t0
    directed, n, arcs = sg_header(args.sg)
    est = estimate_bytes(n, arcs, False, args.chunk)
    check_memory(est, args)
    offsets = np.fromfile(args.sg, dtype="<i8", count=n + 1, offset=SG_HEADER)
    neighbors = np.fromfile(args.sg, dtype="<i4", count=arcs, offset=SG_HEADER + 8 * (n + 1))
    if len(neighbors) != arcs or offsets[-1] != arcs:
        fail(f"{args.sg}: truncated or inconsistent (.sg header says {arcs} arcs)", 3)
    return n, arcs, offsets, neighbors, est, time.perf_counter() - t0


def check_memory(est, args):
    avail = mem_available()
    limit = min(args.mem_limit, avail) if avail else args.mem_limit
    if est > limit:
        fail(f"needs about {est / 1e9:.2f} GB (state, pushers, graph and chunk temporaries), "
             f"limit {limit / 1e9:.2f} GB (--mem-limit {args.mem_limit / 1e9:.2f} GB, MemAvailable "
             f"{(avail or 0) / 1e9:.2f} GB): not run")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--graph", help="complete:n=N")
    src.add_argument("--sg", help="GAP .sg file (bench/peers/export_sg)")
    ap.add_argument("--rounds", type=int, default=None, help="rounds to run (default: until every node is informed)")
    ap.add_argument("--source", type=int, default=0, help="the source node (default 0)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rng", choices=["pcg64", "philox"], default="pcg64")
    ap.add_argument("--chunk", type=lambda s: parse_count(s), default=1 << 18, help="pushers per array operation (0: all at once)")
    ap.add_argument("--mem-limit", type=lambda s: int(float(s)), default=8 << 30, help="bytes (default 8 GiB)")
    args = ap.parse_args()

    n, arcs, offsets, neighbors, est, load_s = load(args)
    if not 0 <= args.source < n:
        fail(f"--source {args.source} is not a node of a graph with {n} nodes", 2)
    if args.rounds is None and offsets is not None:
        fail("--rounds is required on a CSR graph (it may not be connected)", 2)
    bitgen = np.random.PCG64(args.seed) if args.rng == "pcg64" else np.random.Philox(args.seed)
    # sim_seconds covers what gossipsim's does: making and initialising the per-node state, then the rounds.
    t0 = time.perf_counter()
    sim = Push(n, offsets, neighbors, np.random.Generator(bitgen), args.chunk)
    sim.inform(np.array([args.source], dtype=np.int32), 0)
    messages, rnd = 0, 0
    limit = args.rounds if args.rounds is not None else 1 << 30
    while rnd < limit and sim.informed < n:
        rnd += 1
        messages += sim.round(rnd)
    sim_s = time.perf_counter() - t0
    print(json.dumps({
        "n": n, "arcs": arcs, "rounds": rnd, "informed": sim.informed, "messages": messages,
        "load_seconds": load_s, "sim_seconds": sim_s,
        "seconds_per_round": sim_s / max(rnd, 1), "ns_per_message": 1e9 * sim_s / max(messages, 1),
        "chunk": args.chunk, "rng": args.rng, "numpy": np.__version__, "estimated_bytes": est,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))


if __name__ == "__main__":
    main()
