#!/usr/bin/env python3
"""Runs the real gossipsim binary: exit codes, the one-line error messages, JSON output.

usage: test_cli.py PATH/TO/gossipsim
"""
import json
import math
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import tomllib
import unittest

BIN = None
EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "data" / "examples"


def run(*args, env=None):
    return subprocess.run([BIN, *args], capture_output=True, text=True, env=env, timeout=600)


class BadSpecs(unittest.TestCase):
    """Every bad spec or flag: exit 2 and one line naming the parameter (and the valid ones)."""

    CASES = [
        ("nosuch:n=10", "unknown graph family 'nosuch' (valid: complete, er, regular, ba, ws, rmat, grid, hypercube, ring, star, path, sbm)"),
        ("ring:q=1", "ring: unknown parameter 'q' (valid: n)"),
        ("ring", "ring: missing parameter 'n' (valid: n)"),
        ("ring:n=abc", "ring: parameter 'n' must be a non-negative integer (1000, 1e6, 2^20, 1_000_000), got 'abc'"),
        ("ring:n=1.5", "ring: parameter 'n' must be a non-negative integer (1000, 1e6, 2^20, 1_000_000), got '1.5'"),
        ("ring:n=2", "ring: parameter 'n' must be at least 3, got '2'"),
        ("complete:n=5e9", "complete: parameter 'n' = 5000000000 exceeds the node limit 4294967294 (2^32 - 2)"),
        ("complete:n=2^32", "complete: parameter 'n' = 4294967296 exceeds the node limit 4294967294 (2^32 - 2)"),
        ("ring:n=10,n=11", "graph spec 'ring:n=10,n=11': parameter 'n' given twice"),
        ("ring:n", "graph spec 'ring:n': expected key=value, found 'n'"),
        ("grid:rows=2,cols=5,torus=1", "grid: parameter 'rows' must be at least 3 for a torus, got '2'"),
        ("grid:rows=3,cols=3,torus=2", "grid: parameter 'torus' must be 0 or 1, got '2'"),
        ("hypercube:dim=32", "hypercube: parameter 'dim' must be at most 31 (2^dim nodes, below 2^32 - 1), got '32'"),
        ("er:n=10,p=0.5,d=3", "er: give exactly one of 'p' and 'd', not both"),
        ("er:n=10", "er: missing parameter 'p' or 'd' (valid: n, p, d, directed)"),
        ("er:n=10,p=1.5", "er: parameter 'p' must be a probability in [0, 1], got '1.5'"),
        ("er:n=10,d=10", "er: parameter 'd' must be at most n - 1 = 9, got '10'"),
        ("regular:n=5,d=3", "regular: n * d must be even, got n = 5, d = 3"),
        ("regular:n=10,d=10", "regular: parameter 'd' must be below n = 10, got '10'"),
        ("rmat:scale=10,ef=8,a=0.6,b=0.3,c=0.2",
         "rmat: probabilities must sum below 1 (d = 1 - a - b - c > 0), got a + b + c = 1.1"),
        ("ba:n=10,m=10", "ba: parameter 'm' must be at least 1 and below n = 10, got '10'"),
        ("ws:n=10,k=3,beta=0.1", "ws: parameter 'k' must be even, at least 2 and below n = 10, got '3'"),
        ("sbm:sizes=0x5,p_in=0.1,p_out=0.1",
         "sbm: parameter 'sizes' must be block sizes like 500/500/1000 or 4x250, each at least 1, got '0x5'"),
    ]

    def test_bad_specs(self):
        for spec, message in self.CASES:
            with self.subTest(spec=spec):
                r = run("graph", "info", spec)
                self.assertEqual(r.returncode, 2, r.stderr)
                lines = [l for l in r.stderr.splitlines() if "error" in l]
                self.assertEqual(lines, ["gossipsim: error: " + message])

    def test_bad_flags(self):
        for args in (["graph", "info", "ring:n=5", "--threads", "-1"],
                     ["graph", "info", "ring:n=5", "--threads", "x"],
                     ["graph", "info", "ring:n=5", "--nosuch"],
                     ["graph", "info"],
                     ["nosuch"]):
            with self.subTest(args=args):
                self.assertEqual(run(*args).returncode, 2)

    def test_bad_thread_environment(self):
        import os
        env = dict(os.environ, OMP_NUM_THREADS="zero")
        r = run("graph", "info", "ring:n=5", env=env)
        self.assertEqual(r.returncode, 2)
        self.assertIn("OMP_NUM_THREADS must be an integer in [1, 4096], got 'zero'", r.stderr)


class GraphInfo(unittest.TestCase):
    FIELDS = ["n", "edges", "arcs", "directed", "degree_min", "degree_max", "degree_mean",
              "isolated", "self_loops_dropped", "duplicates_dropped", "largest_component",
              "memory_bytes", "build_seconds"]

    def info(self, spec, *extra):
        r = run("graph", "info", spec, "--json", *extra)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def test_fields_and_values(self):
        j = self.info("grid:rows=3,cols=4")
        for f in self.FIELDS:
            self.assertIn(f, j)
        self.assertEqual((j["n"], j["edges"], j["arcs"]), (12, 17, 34))
        self.assertEqual((j["degree_min"], j["degree_max"]), (2, 4))
        self.assertEqual(j["largest_component"], 12)
        self.assertEqual(j["memory_bytes"], 13 * 8 + 34 * 4)

    def test_complete_is_implicit(self):
        j = self.info("complete:n=1e9")
        self.assertEqual(j["n"], 10**9)
        self.assertEqual(j["edges"], 10**9 * (10**9 - 1) // 2)
        self.assertEqual(j["memory_bytes"], 0)
        self.assertEqual(j["largest_component"], 10**9)

    def test_number_syntax(self):
        for spec in ("ring:n=1000", "ring:n=1e3", "ring:n=1_000"):
            self.assertEqual(self.info(spec)["n"], 1000)
        self.assertEqual(self.info("ring:n=2^10")["n"], 1024)

    def test_threads_flag_and_environment(self):
        import os
        r = run("graph", "info", "ring:n=100", "--threads", "3")
        self.assertIn("threads: 3 (from --threads", r.stderr)
        r = run("graph", "info", "ring:n=100", env=dict(os.environ, OMP_NUM_THREADS="2"))
        self.assertIn("threads: 2 (from OMP_NUM_THREADS", r.stderr)
        env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
        r = run("graph", "info", "ring:n=100", env=dict(env, SLURM_CPUS_PER_TASK="1"))
        self.assertIn("threads: 1 (from SLURM_CPUS_PER_TASK", r.stderr)

    def test_version(self):
        r = run("--version")
        self.assertEqual(r.returncode, 0)
        for word in ("gossipsim", "git sha", "compiler", "build type", "HDF5", "oneTBB"):
            self.assertIn(word, r.stdout)


class ConfigShow(unittest.TestCase):
    """`config show`: the effective config as TOML on stdout; bad keys exit 2 with one line."""

    def show(self, *args):
        r = run("config", "show", *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def error_lines(self, *args):
        r = run("config", "show", *args)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        return [l for l in r.stderr.splitlines() if "error" in l]

    def test_defaults_are_toml(self):
        out = self.show()
        for line in ("[graph]", "[protocol]", "[faults]", "[run]", 'mode = "push"', "# threads = auto"):
            self.assertIn(line, out.splitlines())
        cfg = tomllib.loads(out)
        self.assertEqual(cfg["protocol"]["fanout"], 1)
        self.assertNotIn("threads", cfg["run"])

    def test_set_overrides_later_wins(self):
        out = self.show("-s", "protocol.mode=pull", "--set", "run.trials=1e3", "-s", "run.trials=7",
                        "-s", "run.threads=3")
        cfg = tomllib.loads(out)
        self.assertEqual(cfg["protocol"]["mode"], "pull")
        self.assertEqual(cfg["run"]["trials"], 7)
        self.assertEqual(cfg["run"]["threads"], 3)

    def test_file_then_set_and_round_trip(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "c.toml")
            with open(path, "w") as f:
                f.write('[protocol]\nmode = "flood"\nttl = 4\n[run]\ntrials = 5\n')
            out = self.show(path, "-s", "run.trials=6")
            cfg = tomllib.loads(out)
            self.assertEqual((cfg["protocol"]["mode"], cfg["protocol"]["ttl"], cfg["run"]["trials"]), ("flood", 4, 6))
            with open(path, "w") as f:
                f.write(out)
            self.assertEqual(self.show(path), out)

    def test_examples(self):
        examples = sorted(EXAMPLES.glob("*.toml"))
        self.assertTrue(examples)
        for path in examples:
            with self.subTest(example=path.name):
                tomllib.loads(self.show(str(path)))
        social = tomllib.loads(self.show(str(EXAMPLES / "social.toml")))
        self.assertEqual(social["protocol"]["mode"], "flood")
        self.assertEqual(social["protocol"]["forward_prob"], 0.5)
        self.assertEqual(social["protocol"]["ttl"], 6)
        sir = tomllib.loads(self.show(str(EXAMPLES / "sir.toml")))
        self.assertEqual((sir["protocol"]["mode"], sir["protocol"]["recovery_prob"]), ("flood", 0.3))

    def test_unknown_key_via_set(self):
        self.assertEqual(self.error_lines("-s", "protocol.fanot=2"), [
            "gossipsim: error: --set protocol.fanot=2: unknown key 'protocol.fanot' (did you mean 'protocol.fanout'?)"])

    def test_unknown_key_in_file(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "bad.toml")
            with open(path, "w") as f:
                f.write('[run]\ntrials = 3\ntirals = 4\n')
            self.assertEqual(self.error_lines(path), [
                f"gossipsim: error: {path}:3:1: unknown key 'run.tirals' (did you mean 'run.trials'?)"])

    def test_other_errors(self):
        self.assertEqual(self.error_lines("no/such.toml"), [
            "gossipsim: error: cannot read config file 'no/such.toml': No such file or directory"])
        self.assertEqual(self.error_lines("-s", "protocol.stop=blind-coin", "-s", "protocol.mode=pull"), [
            "gossipsim: error: protocol.stop = 'blind-coin' requires protocol.mode = 'push'"])
        self.assertEqual(run("config").returncode, 2)



class RunCommand(unittest.TestCase):
    """gossipsim run: the JSON summary, per-trial lines, determinism, bad values."""

    STAT_FIELDS = ["rounds", "final_informed", "coverage", "residue", "traffic", "messages", "t_avg",
                   "t_last", "round_50", "round_90", "round_99", "round_full"]

    def run_json(self, *args):
        r = run("run", *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [json.loads(l) for l in r.stdout.splitlines()]
        return lines

    def test_summary_fields(self):
        (j,) = self.run_json("-s", "graph.source=grid:rows=20,cols=20", "--trials", "3", "--seed", "9")
        for f in ["n", "edges", "trials", "seed", "threads", "rng", "wall_seconds", "graph_seconds", "sim_seconds"]:
            self.assertIn(f, j)
        self.assertEqual((j["n"], j["trials"], j["seed"], j["rng"]), (400, 3, 9, "philox4x32-10"))
        for f in self.STAT_FIELDS:
            self.assertEqual(list(j["stats"][f]), ["mean", "std", "sem", "min", "q05", "median", "q95", "max", "count"])
        self.assertEqual(j["stats"]["coverage"]["min"], 1.0)
        self.assertEqual(j["stats"]["round_full"]["count"], 3)

    def test_memory_bytes_count_the_csr_and_only_the_state_the_protocol_needs(self):
        # grid 20 x 20: 400 nodes, 1520 arcs; CSR = 8 B x 401 offsets + 4 B x 1520 neighbours.
        csr = 8 * 401 + 4 * 1520
        tbb = "parallel backend: oneTBB" in run("--version").stdout
        (j,) = self.run_json("-s", "graph.source=grid:rows=20,cols=20", "--threads", "1")
        m = j["memory"]
        self.assertEqual(j["memory_bytes"], sum(m.values()))
        # push without TTL: informed_at (4 B) + the sweep's two bitmaps (7 words each) + the
        # reachable set's components on an undirected graph (a label and a size, 8 B, and n / 8)
        reach = 8 * 400 + 400 // 8
        self.assertEqual((m["graph"], m["state"], m["reach"]), (csr, 4 * 400 + 2 * 7 * 8, reach))
        # sparse rounds: fewer than 400 / 20 = 20 actors listed three times, each informing at
        # most fanout = 1 node (listed twice); the bins: 20 B a copy of those 20, one block of
        # them (a vector, and 4 B per range and one), and a vector for the one range of 2^16 nodes
        self.assertEqual(m["lists"], 4 * (3 * 20 + 2 * 20))
        self.assertEqual(m["bins"], 20 * 20 + (24 + 4 * 2) + 24)
        self.assertEqual(set(m), {"graph", "reach", "state", "lists", "bins"})  # no output, no checkpoint
        self.assertEqual(j["arcs"], 1520)
        self.assertAlmostEqual(j["bytes_per_node"], j["memory_bytes"] / 400)
        self.assertAlmostEqual(j["bytes_per_arc"], j["memory_bytes"] / 1520)
        (t,) = self.run_json("-s", "graph.source=grid:rows=20,cols=20", "-s", "protocol.ttl=3")
        self.assertEqual(t["memory"]["state"], (4 + 2) * 400)  # + hops, no bitmaps
        # implicit: no graph bytes; the fused push adds a bitmap of the round's informs per worker
        # slot (OpenMP: one per thread; oneTBB: one per slot of the arena, every core's)
        for threads in (1, 2):
            (c,) = self.run_json("-s", "graph.source=complete:n=1000", "--threads", str(threads))
            slots = len(os.sched_getaffinity(0)) if tbb else threads
            self.assertEqual((c["memory"]["graph"], c["memory"]["state"], c["memory"]["worker_bitmaps"]),
                             (0, 4 * 1000 + 2 * 16 * 8, slots * 16 * 8))
        self.assertEqual(c["arcs"], 1000 * 999)
        (c,) = self.run_json("-s", "graph.source=complete:n=1000", "-s", "faults.loss=0.5", "--threads", "2")
        self.assertNotIn("worker_bitmaps", c["memory"])  # lossy copies take the pipeline

    def strip(self, line):
        """A line without what may differ between equal runs: timings, threads, the step kinds
        that ran (a packed pass and one-by-one trials run different steps for the same results),
        the memory (per-worker bins and bitmaps) and the config keys that say how it ran."""
        return {k: v for k, v in line.items()
                if not k.endswith("seconds") and not k.startswith(("memory", "bytes_per"))
                and k not in ("threads", "steps", "run.threads", "run.packed")}

    def test_trial_alone_equals_trial_in_batch(self):
        base = ["-s", "graph.source=er:n=3000,d=5", "-s", "protocol.mode=push-pull", "-s", "faults.loss=0.1"]
        batch = self.run_json(*base, "--trials", "4", "--per-trial")
        self.assertEqual([l["event"] for l in batch], ["trial"] * 4 + ["summary"])
        alone = self.run_json(*base, "--trials", "1", "--trial-offset", "2", "--per-trial")
        self.assertEqual((alone[0]["run.trials"], alone[0]["run.trial_offset"], batch[2]["run.trials"]), (1, 2, 4))
        trial_range = ("run.trials", "run.trial_offset")  # the only config keys that differ
        self.assertEqual({k: v for k, v in alone[0].items() if k not in trial_range},
                         {k: v for k, v in batch[2].items() if k not in trial_range})
        self.assertNotEqual(batch[1], batch[2])

    def test_threads_do_not_change_results(self):
        base = ["-s", "graph.source=er:n=20000,d=6", "-s", "protocol.forward_prob=0.7", "--trials", "2"]
        one = self.run_json(*base, "--threads", "1")[0]
        two = self.run_json(*base, "--threads", "2")[0]
        self.assertEqual(self.strip(one), self.strip(two))

    def packed_equals_one_by_one(self, *flood):
        """70 flood trials from trial 30 (two batches) packed by default and with run.packed=off:
        the same per-trial lines and statistics; returns the packed run's summary."""
        base = ["-s", "graph.source=er:n=5000,d=4", "-s", "protocol.mode=flood", *flood, "--trials", "70",
                "--trial-offset", "30", "--per-trial"]
        packed = self.run_json(*base)
        one = self.run_json(*base, "-s", "run.packed=off")
        self.assertEqual((packed[-1]["packed"], one[-1]["packed"]), (True, False))
        self.assertEqual([self.strip(l) for l in packed[:-1]], [self.strip(l) for l in one[:-1]])
        self.assertEqual(self.strip(packed[-1])["stats"], self.strip(one[-1])["stats"])
        self.assertGreater(packed[-1]["stats"]["coverage"]["std"], 0)  # the trials differ
        return packed[-1]

    def test_packed_flood_equals_one_by_one(self):
        self.packed_equals_one_by_one("-s", "protocol.forward_prob=0.3", "-s", "faults.loss=0.1")
        (single,) = self.run_json("-s", "protocol.mode=flood", "-s", "graph.source=ring:n=50")
        self.assertFalse(single["packed"])  # auto: one trial runs alone
        (on,) = self.run_json("-s", "protocol.mode=flood", "-s", "graph.source=ring:n=50", "-s", "run.packed=on")
        self.assertTrue(on["packed"])
        (push,) = self.run_json("-s", "graph.source=ring:n=50", "--trials", "3")
        self.assertFalse(push["packed"])
        # A certain flood on an undirected CSR graph goes bottom-up one by one: packed from 64 trials.
        certain = ["-s", "protocol.mode=flood", "-s", "graph.source=er:n=500,d=6"]
        self.assertFalse(self.run_json(*certain, "--trials", "63")[0]["packed"])
        self.assertTrue(self.run_json(*certain, "--trials", "64")[0]["packed"])
        self.assertTrue(self.run_json(*certain, "-s", "faults.loss=0.1", "--trials", "2")[0]["packed"])
        self.assertTrue(self.run_json("-s", "protocol.mode=flood", "-s", "graph.source=complete:n=50", "--trials", "2")[0]["packed"])

    def test_packed_sir_equals_one_by_one(self):
        # Flood with recovery: packed by default, equal to one by one; with a TTL it runs one by one.
        sir = ["-s", "protocol.forward_prob=0.4", "-s", "protocol.recovery_prob=0.4"]
        packed = self.packed_equals_one_by_one(*sir)
        base = ["-s", "graph.source=er:n=5000,d=4", "-s", "protocol.mode=flood", *sir, "--trials", "70"]
        (plain,) = self.run_json(*base, "-s", "protocol.recovery_prob=1")  # the later --set wins
        self.assertLess(plain["stats"]["coverage"]["mean"], packed["stats"]["coverage"]["mean"])
        self.assertFalse(self.run_json(*base, "-s", "protocol.ttl=5")[0]["packed"])

    def test_source_without_neighbours(self):
        (j,) = self.run_json("-s", "graph.source=er:n=10,p=0", "-s", "protocol.source_nodes=[3]")
        self.assertEqual(j["stats"]["coverage"]["mean"], 0.1)
        self.assertEqual(j["stats"]["rounds"]["mean"], 0)

    def test_bad_values(self):
        cases = [
            (["-s", "graph.source=ring:n=100", "-s", "protocol.source_nodes=[200]"],
             "protocol.source_nodes: node 200 is outside the graph (n = 100)"),
            (["-s", "graph.source=ring:n=100", "-s", "protocol.sources=101"],
             "protocol.sources = 101 exceeds the number of nodes (n = 100)"),
            (["-s", "protocol.forward_prob=0"], "protocol.forward_prob"),
            (["-s", "protocol.fanout=0"], "protocol.fanout"),
            (["-s", "protocol.ttl=-1"], "protocol.ttl"),
            (["-s", "protocol.k=0"], "protocol.k"),
            (["-s", "run.trials=0"], "run.trials"),
            (["--trials", "0"], "run.trials"),
            (["-s", "protocol.fanot=2"], "did you mean 'protocol.fanout'?"),
            (["-s", "graph.source=nosuch:n=3"], "unknown graph family 'nosuch'"),
            (["-s", "run.packed=on"], "run.packed = 'on' requires protocol.mode = 'flood' (got 'push')"),
            (["-s", "run.packed=yes"], "run.packed must be one of auto, on, off, got 'yes'"),
            (["-s", "protocol.recovery_prob=0.5"], "protocol.recovery_prob = 0.5 requires protocol.mode = 'flood'"),
            (["-s", "protocol.recovery_prob=0"], "protocol.recovery_prob must be in (0, 1], got 0"),
            (["-s", "protocol.mode=flood", "-s", "protocol.recovery_prob=0.5", "-s", "protocol.ttl=2", "-s",
              "run.packed=on"], "run.packed = 'on' cannot run protocol.recovery_prob below 1 with protocol.ttl"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                r = run("run", *args)
                self.assertEqual(r.returncode, 2, r.stderr)
                errors = [l for l in r.stderr.splitlines() if l.startswith("gossipsim: error:")]
                self.assertEqual(len(errors), 1, r.stderr)
                self.assertIn(message, errors[0])
                self.assertEqual(r.stdout, "")

    def test_not_enough_memory(self):
        r = run("graph", "info", "er:n=4e9,d=1000")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"gossipsim: error: not enough memory for the graph er:n=4e9,d=1000: "
                                   r"needs [0-9.]+ GiB, [0-9.]+ GiB available")

class MemoryPreCheck(unittest.TestCase):
    """memory_bytes counts what the run allocates, the output's rows and checkpoint copies too, and
    a run that cannot fit is refused before it starts, naming its largest parts and what the run
    needs with output.node_trials = 0 and without -o; the memory
    available is lowered through GOSSIPSIM_MEMORY_LIMIT (docs/engine.md, "Memory")."""

    def test_output_parts_are_counted(self):
        n = 3000
        with tempfile.TemporaryDirectory() as d:
            def summary(*extra, out=True):
                args = ["run", "-s", f"graph.source=ring:n={n}", "--trials", "2", "--threads", "1", *extra]
                if out:
                    args += ["-o", os.path.join(d, "o.h5"), "--force"]
                r = run(*args)
                self.assertEqual(r.returncode, 0, r.stderr)
                j = json.loads(r.stdout)
                # every part, of the transient ones (a checkpoint's copy, a row being written) the largest
                m = j["memory"]
                transient = [m.get(k, 0) for k in ("checkpoint", "output_rows", "output_snapshots")]
                self.assertEqual(j["memory_bytes"], sum(m.values()) - sum(transient) + max(transient))
                return j
            bare, out = summary(out=False), summary()
            m = out["memory"]
            self.assertEqual(m["output_rows"], 4 * n)  # the int32 row of a saved trial's informed_at
            # the checkpoint's copy of a frontier of fewer than n / 20 nodes (the per-node arrays
            # are written from the state itself)
            self.assertEqual(m["checkpoint"], 4 * (n // 20))
            self.assertGreaterEqual(m["output_chunks"], 3 * 4 * n)  # the per-node chunk, compressed
            self.assertEqual(out["memory_bytes"] - bare["memory_bytes"],
                             max(m["output_rows"], m["checkpoint"]) + m["output_chunks"])
            lean = summary("-s", "output.node_trials=0")["memory"]
            self.assertNotIn("output_rows", lean)
            self.assertEqual(summary("-s", "output.every=2")["memory"]["output_snapshots"], n)

    def refusal(self, limit, *extra):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "big.h5")
            r = run("run", "-s", "graph.source=complete:n=1e8", "-o", out, *extra,
                    env=dict(os.environ, GOSSIPSIM_MEMORY_LIMIT=limit))
            self.assertFalse(os.path.exists(out))  # refused before it started: nothing left behind
        return r

    def parse(self, r):
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(r.stdout, "")
        errors = [l for l in r.stderr.splitlines() if l.startswith("gossipsim: error:")]
        self.assertEqual(len(errors), 1, r.stderr)
        m = re.fullmatch(r"gossipsim: error: not enough memory for the run on n = 100000000 \(beyond the graph's "
                         r"0\.00 GiB, loaded\): needs ([0-9.]+) GiB, ([0-9.]+) GiB available; largest parts: (.*); "
                         r"with output\.node_trials = 0: ([0-9.]+) GiB, without -o: ([0-9.]+) GiB", errors[0])
        self.assertIsNotNone(m, errors[0])
        parts = dict((what, float(gib)) for what, gib in re.findall(r"\s*([^,]+?) ([0-9.]+) GiB", m[3]))
        return float(m[1]), float(m[2]), parts, float(m[4]), float(m[5])

    def test_refused_with_the_largest_parts(self):
        need, avail, parts, lean, bare = self.parse(self.refusal("1M"))
        self.assertEqual(avail, 0.0)  # the limit is below what the process holds already
        # informed_at (4 B/node, and the bitmaps) and the output's int32 row of it: 0.37 GiB each
        gib = 4e8 / 2**30
        rows = "informed_at rows for the output (output.node_trials)"
        self.assertEqual(list(parts)[:2], ["the per-node state", rows])
        self.assertAlmostEqual(parts[rows], gib, delta=0.006)
        self.assertGreater(need, 2 * gib)
        self.assertLess(lean, need - gib)  # the row and its chunk buffers less
        self.assertLessEqual(bare, lean)  # no chunk caches, no checkpoint either
        # A limit between the two: refused, and the line shows that output.node_trials = 0 fits.
        need2, avail2, _, lean2, bare2 = self.parse(self.refusal(f"{int((need + lean) / 2 * 1024)}M"))
        self.assertEqual((need2, lean2, bare2), (need, lean, bare))
        self.assertLess(lean, avail2)
        self.assertLess(avail2, need)

    def test_bad_limit(self):
        r = run("run", "-s", "graph.source=ring:n=10", env=dict(os.environ, GOSSIPSIM_MEMORY_LIMIT="lots"))
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stderr.splitlines()[-1],
                         "gossipsim: error: GOSSIPSIM_MEMORY_LIMIT: expected a size (4GiB, 512M, 1e9 bytes), found 'lots'")


class RunJson(unittest.TestCase):
    """The JSON names its experiment (the /parameters keys) and its statistics are right by hand."""

    FIELDS = RunCommand.STAT_FIELDS

    def run_lines(self, *args):
        r = run("run", *args, "--per-trial")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [json.loads(l) for l in r.stdout.splitlines()]
        self.assertEqual([l["event"] for l in lines[:-1]], ["trial"] * (len(lines) - 1))
        self.assertEqual(lines[-1]["event"], "summary")
        return lines[:-1], lines[-1]

    def test_lines_carry_the_effective_config(self):
        sweep_point = ["-s", "graph.source=er:n=400,d=4", "-s", "protocol.fanout=2", "-s", "faults.loss=0.25",
                       "-s", "protocol.forward_prob=0.5", "-s", "protocol.ttl=7", "-s", "protocol.source_nodes=[3,5]",
                       "--seed", "11", "--trials", "3"]
        trials, summary = self.run_lines(*sweep_point)
        expected = {"graph.source": "er:n=400,d=4", "protocol.mode": "push", "protocol.fanout": 2,
                    "faults.loss": 0.25, "protocol.forward_prob": 0.5, "protocol.ttl": 7, "run.seed": 11,
                    "run.trials": 3, "protocol.source_nodes": [3, 5], "protocol.no_repeat": False}
        # Every key of `config show`, flattened to section.key, and no other dotted key.
        shown = run("config", "show", *sweep_point[:-4], "-s", "run.seed=11", "-s", "run.trials=3").stdout
        keys = {f"{section}.{key}" for section, table in tomllib.loads(shown).items() for key in table}
        for line in (*trials, summary):
            self.assertLessEqual(expected.items(), line.items())
            self.assertEqual({k for k in line if "." in k}, keys)
        self.assertNotIn("run.threads", summary)  # as in /parameters: only when set
        (with_threads,) = self.run_lines("-s", "graph.source=ring:n=20", "--threads", "1")[0]
        self.assertEqual(with_threads["run.threads"], 1)

    @staticmethod
    def type7(xs, p):
        """numpy's default ("linear") and R's type 7, written out."""
        s = sorted(xs)
        h = (len(s) - 1) * p
        lo = int(h // 1)
        return s[lo] + (h - lo) * (s[min(lo + 1, len(s) - 1)] - s[lo])

    def check_stats(self, trials, summary):
        for f in self.FIELDS:
            xs = [t[f] for t in trials if t[f] is not None]
            st = summary["stats"][f]
            self.assertEqual(list(st), ["mean", "std", "sem", "min", "q05", "median", "q95", "max", "count"])
            self.assertEqual(st["count"], len(xs), f)
            if not xs:
                self.assertEqual({v for k, v in st.items() if k != "count"}, {None}, f)
                continue
            n, mean = len(xs), sum(xs) / len(xs)
            self.assertTrue(math.isclose(st["mean"], mean, rel_tol=1e-12, abs_tol=1e-12), (f, st, xs))
            self.assertEqual((st["min"], st["max"]), (min(xs), max(xs)))
            if n > 1:
                std = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1))
                self.assertTrue(math.isclose(st["std"], std, rel_tol=1e-9, abs_tol=1e-12), (f, st, xs))
                self.assertTrue(math.isclose(st["sem"], std / math.sqrt(n), rel_tol=1e-9, abs_tol=1e-12), f)
            for key, p in (("q05", 0.05), ("median", 0.5), ("q95", 0.95)):
                self.assertTrue(math.isclose(st[key], self.type7(xs, p), rel_tol=1e-12, abs_tol=1e-12), (f, key, st, xs))

    def test_statistics_by_hand(self):
        lossy = ["-s", "graph.source=er:n=300,d=3", "-s", "faults.loss=0.3", "-s", "protocol.fanout=2"]
        # Five trials: h = 4p, so q05 = s0 + 0.2 (s1 - s0), median = s2, q95 = s3 + 0.8 (s4 - s3).
        trials, summary = self.run_lines(*lossy, "--trials", "5")
        s = sorted(t["rounds"] for t in trials)
        self.assertGreater(len(set(s)), 2, s)  # the trials differ, or the test proves little
        st = summary["stats"]["rounds"]
        self.assertAlmostEqual(st["q05"], s[0] + 0.2 * (s[1] - s[0]), places=12)
        self.assertEqual(st["median"], s[2])
        self.assertAlmostEqual(st["q95"], s[3] + 0.8 * (s[4] - s[3]), places=12)
        self.assertAlmostEqual(st["mean"], sum(s) / 5, places=12)
        self.check_stats(trials, summary)
        # Four trials: h = 3p, so q05 = s0 + 0.15 (s1 - s0), median = (s1 + s2) / 2, q95 = s2 + 0.85 (s3 - s2).
        trials, summary = self.run_lines(*lossy, "--trials", "4", "--trial-offset", "5")
        s = sorted(t["rounds"] for t in trials)
        self.assertGreater(len(set(s)), 2, s)
        st = summary["stats"]["rounds"]
        self.assertAlmostEqual(st["q05"], s[0] + 0.15 * (s[1] - s[0]), places=12)
        self.assertAlmostEqual(st["median"], (s[1] + s[2]) / 2, places=12)
        self.assertAlmostEqual(st["q95"], s[2] + 0.85 * (s[3] - s[2]), places=12)
        self.check_stats(trials, summary)
        # Many trials, every field (round_full never reached: all null with count 0).
        trials, summary = self.run_lines(*lossy, "--trials", "23")
        self.assertEqual(summary["stats"]["round_full"]["count"], 0)
        self.check_stats(trials, summary)

    def test_one_trial_has_no_standard_deviation(self):
        (trial,), summary = self.run_lines("-s", "graph.source=er:n=300,d=3", "--trials", "1")
        for f in self.FIELDS:
            st = summary["stats"][f]
            if trial[f] is None:
                continue
            self.assertEqual((st["std"], st["sem"], st["count"]), (None, None, 1), f)
            self.assertEqual({st[k] for k in ("mean", "min", "q05", "median", "q95", "max")}, {trial[f]}, f)

    def test_identical_values_give_exactly_zero(self):
        # Flood with certain forwarding from one fixed source: every trial the same BFS, so every
        # field is one value, t_avg and traffic among them with values no binary fraction holds.
        trials, summary = self.run_lines("-s", "graph.source=grid:rows=7,cols=9", "-s", "protocol.mode=flood",
                                         "-s", "protocol.source_nodes=[10]", "--trials", "7")
        self.assertEqual(len({json.dumps({f: t[f] for f in self.FIELDS}) for t in trials}), 1)
        self.assertNotEqual(trials[0]["t_avg"] * 4 % 1, 0)
        for f in self.FIELDS:
            st = summary["stats"][f]
            self.assertEqual((st["std"], st["sem"]), (0, 0), (f, st))
            self.assertEqual({st[k] for k in ("mean", "min", "q05", "median", "q95", "max")}, {trials[0][f]}, f)


if __name__ == "__main__":
    BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
