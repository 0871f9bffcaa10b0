#!/usr/bin/env python3
"""Aggregation through the real binary: its bad inputs are one line with exit 2, its JSON summary
has the aggregation fields, and 1 and 2 threads print the same numbers.

usage: test_aggregate.py PATH/TO/gossipsim
"""
import json
import math
import os
import pathlib
import subprocess
import tempfile
import sys
import unittest

import h5py

BIN = None
ENV = dict(os.environ, OMP_NUM_THREADS="1")


def run(*args, env=ENV):
    return subprocess.run([BIN, *args], capture_output=True, text=True, env=env, timeout=300)


def mode(m):
    return ["-s", "graph.source=complete:n=500", "-s", f"protocol.mode={m}"]


class BadInput(unittest.TestCase):
    CASES = [
        (mode("averaging") + ["-s", "aggregate.eps=0"], "aggregate.eps must be in (0, 1], got 0"),
        (mode("push-sum") + ["-s", "aggregate.eps=-1"], "aggregate.eps must be in (0, 1], got -1"),
        (mode("averaging") + ["-s", "aggregate.init=uniform:2,1"], "aggregate.init = 'uniform:2,1': uniform:a,b needs"),
        (mode("averaging") + ["-s", "aggregate.init=uniform:nan,1"], "aggregate.init = 'uniform:nan,1'"),
        (mode("averaging") + ["-s", "aggregate.init=uniform:0,1e300"], "of magnitude at most 1e100"),
        (mode("push-sum") + ["-s", "aggregate.init=normal:0,-1"], "normal:mu,sigma needs"),
        (mode("push-sum") + ["-s", "aggregate.init=file:x"], "aggregate.init = 'file:x' needs graph.node_file"),
        (mode("push-sum") + ["-s", "aggregate.init=file:"], "expected uniform:a,b, normal:mu,sigma, peak or file:COLUMN"),
        (mode("push-sum") + ["-s", "aggregate.target=count"], "aggregate.target = 'count' needs aggregate.init = 'peak'"),
        (mode("averaging") + ["-s", "aggregate.target=sum"], "aggregate.target = 'sum' needs protocol.mode = 'push-sum'"),
        (mode("pairwise") + ["-s", "aggregate.target=max"], "aggregate.target must be one of average, sum, count"),
        (mode("averaging") + ["-s", "protocol.stop=blind-coin"], "protocol.stop cannot be used with protocol.mode = 'averaging'"),
        (mode("push-sum") + ["-s", "protocol.ttl=3"], "protocol.ttl cannot be used with protocol.mode = 'push-sum'"),
        (mode("pairwise") + ["-s", "run.packed=on"], "run.packed = 'on' cannot be used with protocol.mode = 'pairwise'"),
        (mode("push-sum") + ["-s", "run.stop_coverage=0.9"], "run.stop_coverage cannot be used"),
        (mode("push-sum") + ["-s", "protocol.source_nodes=[1]"], "protocol.sources cannot be used"),
        (mode("averaging") + ["-s", "protocol.fanout=2"], "protocol.fanout = 2 needs protocol.mode = 'push-sum'"),
        (mode("averaging") + ["-s", "faults.delay=fixed:1"], "faults.delay cannot be used with protocol.mode = 'averaging'"),
        (mode("pairwise") + ["-s", "faults.delay=uniform:min=0,max=2"], "faults.delay cannot be used with protocol.mode = 'pairwise'"),
        (["-s", "aggregate.eps=0.01"], "the [aggregate] keys need protocol.mode = 'push-sum', 'averaging' or 'pairwise'"),
    ]

    def test_one_line_exit_2(self):
        for args, message in self.CASES:
            with self.subTest(args=args):
                r = run("run", *args)
                self.assertEqual(r.returncode, 2, r.stderr)
                errors = [l for l in r.stderr.splitlines() if l.startswith("gossipsim: error:")]
                self.assertEqual(len(errors), 1, r.stderr)
                self.assertIn(message, errors[0])
                self.assertEqual(r.stdout, "")


class NodeFileInit(unittest.TestCase):
    """aggregate.init = "file:COLUMN": the column's values are round 0 (their mean the truth); a bad
    file is one line naming file:line:col, exit 3."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = pathlib.Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def node_file(self, name, rows, header="id x"):
        path = self.dir / name
        path.write_text(header + "\n" + "".join(f"{v} {x}\n" for v, x in rows))
        return str(path)

    def args(self, path, column="x"):
        return ["-s", "graph.source=complete:n=50", "-s", "protocol.mode=push-sum", "-s", f"aggregate.init=file:{column}",
                "-s", f"graph.node_file={path}", "-s", "aggregate.eps=1e-9"]

    def test_values_are_round_0(self):
        path = self.node_file("n.txt", [(v, 2.5 * v - 10) for v in range(50)])
        r = run("run", *self.args(path), "--per-trial")
        self.assertEqual(r.returncode, 0, r.stderr)
        trial = json.loads(r.stdout.splitlines()[0])
        self.assertAlmostEqual(trial["truth"], sum(2.5 * v - 10 for v in range(50)) / 50, places=12)
        self.assertEqual(trial["converged"], 1)

    def test_bad_files_exit_3(self):
        good = [(v, 1.0) for v in range(50)]
        cases = [
            (self.node_file("a.txt", good[:49]), "x", ":51:1: expected a row for each of the n = 50 nodes, found 49"),
            (self.node_file("b.txt", good[:3] + [(3, "inf")] + good[4:]), "x",
             ":5:3: column 'x': expected a finite number of magnitude at most 1e+100, found 'inf'"),
            (self.node_file("c.txt", good[:3] + [(3, "2e100")] + good[4:]), "x", "found '2e100' (not finite or too large)"),
            (self.node_file("d.txt", good), "y", ":1:1: expected a column named 'y' in the header, found the columns x"),
            (str(self.dir / "missing.txt"), "x", "missing.txt"),
        ]
        for path, column, message in cases:
            with self.subTest(message=message):
                r = run("run", *self.args(path, column))
                self.assertEqual(r.returncode, 3, r.stderr)
                errors = [l for l in r.stderr.splitlines() if l.startswith("gossipsim: error:")]
                self.assertEqual(len(errors), 1, r.stderr)
                self.assertIn(message, errors[0])
                self.assertEqual(r.stdout, "")


class Summary(unittest.TestCase):
    def run_json(self, *args, threads="1"):
        r = run("run", *args, env=dict(ENV, OMP_NUM_THREADS=threads))
        self.assertEqual(r.returncode, 0, r.stderr)
        return [json.loads(l) for l in r.stdout.splitlines()]

    def test_loss_loses_mass(self):
        # The consensus drifts from the true average: eps is never reached, the trial is cut.
        (j,) = self.run_json("-s", "graph.source=er:n=3000,d=12", "-s", "protocol.mode=push-sum", "-s",
                             "faults.loss=0.05", "-s", "run.max_rounds=40")
        self.assertEqual(j["truncated_trials"], 1)
        self.assertEqual(j["stats"]["converged"]["mean"], 0)
        self.assertEqual(j["stats"]["round_eps"]["count"], 0)
        self.assertGreater(j["stats"]["lost"]["mean"], 0)
        self.assertLess(j["stats"]["drift_w"]["mean"], -0.5)  # 0.975^40: about 64 % of the weight is gone

    def test_fields_and_threads(self):
        for m in ("push-sum", "averaging", "pairwise"):
            with self.subTest(mode=m):
                args = ["-s", "graph.source=er:n=3000,d=12", "-s", f"protocol.mode={m}", "-s", "aggregate.eps=1e-3",
                        "--trials", "3", "--per-trial"]
                one = self.run_json(*args)
                two = self.run_json(*args, threads="2")
                *trials, summary = one
                self.assertEqual(summary["mode"], m)
                self.assertEqual(len(trials), 3)
                for t in trials:
                    self.assertEqual(t["steps"], {m.replace("-", "_"): t["rounds"]})
                    self.assertEqual(t["round_eps"], t["rounds"])
                    self.assertEqual(t["converged"], 1)
                    self.assertLess(t["max_rel_error"], 1e-3)
                    self.assertEqual(t["lost"], 0)
                    self.assertLess(abs(t["drift_s"]), 1e-12)
                    self.assertLess(abs(t["mean"] - t["truth"]), 1e-3 * t["truth"])
                stats = summary["stats"]
                for f in ("rounds", "round_eps", "messages", "lost", "truth", "mean", "variance", "max_abs_error",
                          "max_rel_error", "mass_s", "mass_w", "drift_s", "drift_w", "last_factor", "factor",
                          "undefined", "traffic"):
                    self.assertIn(f, stats)
                self.assertNotIn("coverage", stats)
                strip = lambda lines: [{k: v for k, v in l.items() if "seconds" not in k and k != "threads"}
                                       for l in lines]
                self.assertEqual(strip(one), strip(two))



class Hdf5(unittest.TestCase):
    """-o: per-round observables (float64, NaN after a trial ended), /trials, estimate snapshots;
    merge of two halves equals one run; a stopped and resumed run equals an uninterrupted one."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = pathlib.Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def run_h5(self, name, *args):
        out = self.dir / name
        r = run("run", *args, "-o", str(out), "--per-trial")
        self.assertEqual(r.returncode, 0, r.stderr)
        return out, [json.loads(l) for l in r.stdout.splitlines()]

    ARGS = ["-s", "graph.source=complete:n=500", "-s", "protocol.mode=averaging", "-s", "aggregate.eps=1e-3",
            "-s", "output.every=2"]

    def test_layout(self):
        out, lines = self.run_h5("a.h5", *self.ARGS, "--trials", "3")
        trials = lines[:-1]
        with h5py.File(out, "r") as f:
            mean = f["observables/mean/value"][:]
            lost = f["observables/lost/value"][:]
            self.assertEqual(mean.dtype, "float64")
            self.assertEqual(lost.dtype, "int64")
            for t, line in enumerate(trials):
                r = line["rounds"]
                self.assertTrue(all(map(math.isfinite, mean[: r + 1, t])))
                self.assertTrue(all(map(math.isnan, mean[r + 1:, t])))
                self.assertEqual(f["trials/round_eps"][t], line["round_eps"])
                self.assertEqual(f["trials/steps_averaging"][t], r)
                self.assertAlmostEqual(f["observables/max_rel_error/value"][r, t], line["max_rel_error"])
            est = f["nodes/estimate/value"]
            self.assertEqual(est.shape[1:], (1, 500))
            self.assertEqual(list(f["nodes/estimate/step"][:]), list(range(0, 2 * est.shape[0], 2)))
            self.assertNotIn("informed_at", f["nodes"])
            self.assertAlmostEqual(float(est[0, 0].mean()), trials[0]["truth"], places=9)

    def test_merge_equals_one_run(self):
        whole, _ = self.run_h5("w.h5", *self.ARGS, "--trials", "4")
        a, _ = self.run_h5("a.h5", *self.ARGS, "--trials", "2")
        b, _ = self.run_h5("b.h5", *self.ARGS, "--trials", "2", "--trial-offset", "2")
        merged = self.dir / "m.h5"
        r = run("merge", str(a), str(b), "-o", str(merged))
        self.assertEqual(r.returncode, 0, r.stderr)
        with h5py.File(whole, "r") as x, h5py.File(merged, "r") as y:
            for name in ("mean", "variance", "lost", "drift_s"):
                u, v = x[f"observables/{name}/value"][:], y[f"observables/{name}/value"][:]
                self.assertEqual(u.shape, v.shape)
                self.assertTrue(((u == v) | ((u != u) & (v != v))).all(), name)
            self.assertEqual(list(x["trials/round_eps"][:]), list(y["trials/round_eps"][:]))

    def test_stop_and_resume_equals_uninterrupted(self):
        args = ["-s", "graph.source=regular:n=2e5,d=8", "-s", "protocol.mode=push-sum", "-s", "aggregate.eps=1e-12",
                "--trials", "2", "--threads", "2"]
        whole, _ = self.run_h5("w.h5", *args)
        part = self.dir / "p.h5"
        # A limit below the graph build: the run stops at its first round boundary, whatever the load
        # (a limit of seconds let a quiet machine finish first).
        r = run("run", *args, "-o", str(part), "--max-hours", "1e-9")
        self.assertEqual(r.returncode, 75, r.stderr)
        r = run("run", *args, "-o", str(part), "--resume")
        self.assertEqual(r.returncode, 0, r.stderr)
        with h5py.File(whole, "r") as x, h5py.File(part, "r") as y:
            for name in ("mean", "variance", "mass_s", "mass_w", "messages"):
                u, v = x[f"observables/{name}/value"][:], y[f"observables/{name}/value"][:]
                self.assertEqual(u.shape, v.shape)
                self.assertTrue(((u == v) | ((u != u) & (v != v))).all(), name)

    def test_faults_observables_and_resume(self):
        # Churn and a partition that heals (push-sum also with delays): the fault counters reach
        # the output, 1 and 2 threads agree, and a stopped and resumed run equals an uninterrupted one.
        events = self.dir / "events.toml"
        events.write_text('[[events]]\nround = 3\naction = "partition"\ngroups = "halves"\n'
                          '[[events]]\nround = 9\naction = "heal"\n')
        for m, extra in (("pairwise", []), ("push-sum", ["-s", "faults.delay=uniform:min=0,max=3"])):
            with self.subTest(mode=m):
                args = [str(events), "-s", "graph.source=er:n=50000,d=8", "-s", f"protocol.mode={m}", "-s",
                        "aggregate.eps=1e-9", "-s", "faults.churn=bernoulli:fail=0.05,recover=0.5", "-s",
                        "faults.loss=0.01", "-s", "run.max_rounds=30", "--trials", "2", *extra]
                whole, _ = self.run_h5(f"w{m}.h5", *args, "--threads", "2")
                one, _ = self.run_h5(f"one{m}.h5", *args, "--threads", "1")
                part = self.dir / f"p{m}.h5"
                r = run("run", *args, "--threads", "2", "-o", str(part), "--max-hours", "1e-9")
                self.assertEqual(r.returncode, 75, r.stderr)
                r = run("run", *args, "--threads", "2", "-o", str(part), "--resume")
                self.assertEqual(r.returncode, 0, r.stderr)
                with h5py.File(whole, "r") as x, h5py.File(part, "r") as y, h5py.File(one, "r") as z:
                    up = x["observables/up/value"][:]
                    lost = x["observables/lost/value"][:]
                    down = x["observables/lost_down/value"][:]
                    cut = x["observables/lost_partition/value"][:]
                    flight = x["observables/in_flight/value"][:]
                    self.assertTrue(((up > 40000) & (up < 50000)).all())
                    self.assertTrue((lost >= down + cut).all())
                    self.assertTrue((down[1:] > 0).all())
                    self.assertTrue((cut[3:9] > 0).all() and (cut[:3] == 0).all() and (cut[9:] == 0).all())
                    self.assertEqual((flight[1:] > 0).all(), m == "push-sum")
                    for name in ("mean", "variance", "mass_s", "up", "lost", "lost_down", "lost_partition", "in_flight",
                                 "flight_s"):
                        for other in (y, z):
                            u, v = x[f"observables/{name}/value"][:], other[f"observables/{name}/value"][:]
                            self.assertEqual(u.shape, v.shape)
                            self.assertTrue(((u == v) | ((u != u) & (v != v))).all(), name)

if __name__ == "__main__":
    BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
