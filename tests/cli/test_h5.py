#!/usr/bin/env python3
"""The HDF5 output through the real binary: layout (shapes, types, values against the JSON),
h5dump, SWMR reads during a run and after kill -9, SIGTERM and --checkpoint-every then --resume
equal to an uninterrupted run (h5diff), merge equal to one run, progress lines, every bad-input
path (exit code and one line), and the Python loader and plot.

usage: test_h5.py PATH/TO/gossipsim PATH/TO/tools
"""
import json
import os
import pathlib
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import tomllib
import unittest
import zlib

import h5py
import numpy as np

BIN = TOOLS = None
# One thread: on a loaded 2-core machine libgomp's barriers make small rounds at 2 threads many
# times slower (results are thread-count independent; resumes below switch thread counts).
SMALL = ["-s", "graph.source=er:n=3000,d=6", "--threads", "1"]
# Long enough to be stopped mid-run (dozens of trials), short enough to finish in seconds.
LONG_CONFIG = ["-s", "graph.source=er:n=20000,d=8", "-s", "output.node_trials=3", "-s", "output.every=4",
               "-s", "output.flush_seconds=0.05"]
LONG_TRIALS = "1500"  # about 1.5 s at 1 thread on the 2-core VM (the tail rounds go receiver-side)
if os.environ.get("GOSSIPSIM_SANITIZER"):  # set by the asan and tsan test presets (CMakePresets.json)
    LONG_TRIALS = "150"  # a sanitizer binary is 10-30x slower: 150 trials still last seconds
LONG = [*LONG_CONFIG, "--trials", LONG_TRIALS, "--threads", "1"]
EXCLUDE = ["--exclude-path", "/provenance", "--exclude-path", "/trials/wall_seconds"]


def run(*args, **kw):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=600, **kw)


def error_lines(r):
    return [l for l in r.stderr.splitlines() if "error" in l]


def h5diff(a, b):
    return subprocess.run(["h5diff", "-q", *EXCLUDE, a, b], capture_output=True, text=True).returncode


def status(path):
    with h5py.File(path, "r", swmr=True) as f:
        return int(f["provenance/status"][0])


class Tmp(unittest.TestCase):
    def setUp(self):
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="gossip_h5_"))

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return str(self.dir / name)

    def start(self, *args):
        """Starts a run; returns the process once it has installed its signal handlers."""
        p = subprocess.Popen([BIN, "run", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for line in p.stderr:
            if "building " in line or "loading " in line:
                return p
        self.fail("the run ended before building its graph")


class Layout(Tmp):
    """Every dataset with the documented shape and type, and values equal to the JSON."""

    def test_layout_and_values(self):
        out = self.path("a.h5")
        r = run("run", *SMALL, "--trials", "4", "--trial-offset", "3", "-s", "output.node_trials=2",
                "-s", "output.every=3", "--per-trial", "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [json.loads(l) for l in r.stdout.splitlines()]
        per_trial, summary = lines[:-1], lines[-1]
        self.assertEqual(summary["output"], out)
        T, n = 4, 3000
        self.assertEqual(subprocess.run(["h5dump", "-H", out], capture_output=True).returncode, 0)
        with h5py.File(out, "r") as f:
            self.assertEqual(list(f["h5md"].attrs["version"]), [1, 1])
            self.assertEqual(f["h5md/creator"].attrs["name"], "gossipsim")
            self.assertEqual(list(f["h5md/modules/gossipsim"].attrs["version"]), [1, 0])
            cfg = tomllib.loads(f["parameters/config.toml"][()].decode())
            self.assertEqual(cfg["run"]["trials"], T)
            self.assertEqual(cfg["run"]["trial_offset"], 3)
            self.assertEqual(f["parameters"].attrs["protocol.mode"], "push")
            self.assertEqual(f["parameters"].attrs["graph.source"], "er:n=3000,d=6")
            self.assertEqual(f["parameters"].attrs["output.every"], 3)
            # The JSON lines carry the same flat keys and values (booleans there, int8 0/1 here;
            # an empty list there, an empty attribute here).
            params = {k: [] if isinstance(v, h5py.Empty) else v.tolist() if hasattr(v, "tolist") else v
                      for k, v in f["parameters"].attrs.items()}
            self.assertIn("run.threads", params)
            for line in lines:
                self.assertEqual({k: v for k, v in line.items() if "." in k}, params)
            prov = f["provenance"].attrs
            for key in ("command_line", "version", "git_sha", "build_type", "compiler", "hdf5_version",
                        "tbb_version", "hostname", "start_utc", "end_utc", "threads", "rng"):
                self.assertIn(key, prov)
            self.assertEqual(prov["rng"], "philox4x32-10")
            self.assertEqual(prov["threads"], 1)
            self.assertIn("--trial-offset 3", prov["command_line"])
            self.assertEqual(f["provenance/status"].dtype, np.int32)
            self.assertEqual(list(f["provenance/status"][:]), [1])
            g = f["graph"].attrs
            self.assertEqual((g["n_nodes"], g["n_edges"], g["source"]), (n, summary["edges"], "er:n=3000,d=6"))
            self.assertEqual(len(g["fingerprint"]), 16)

            rounds = f["trials/rounds"][:]
            R = int(rounds.max()) + 1
            step = f["observables/step"]
            self.assertEqual((step.shape, step.dtype), ((R,), np.int64))
            self.assertEqual(list(step[:]), list(range(R)))
            names = sorted(k for k in f["observables"] if isinstance(f["observables"][k], h5py.Group))
            self.assertEqual(names, sorted(["informed", "newly_informed", "messages", "requests", "redundant",
                                            "lost", "spreaders", "up", "lost_down", "lost_partition", "present", "in_flight"]))
            for name in names:
                v = f[f"observables/{name}/value"]
                self.assertEqual((v.shape, v.dtype), ((R, T), np.int64))
                self.assertEqual(v.chunks, (256, T))
                self.assertEqual(v.compression, "gzip")
                self.assertTrue(v.shuffle)
                self.assertEqual(v.fillvalue, -1)
                self.assertEqual(f[f"observables/{name}/step"].id, step.id)  # a hard link
            inf = f["observables/informed/value"][:]
            msg = f["observables/messages/value"][:]
            for t, j in enumerate(per_trial):
                k = j["rounds"]
                self.assertEqual(rounds[t], k)
                self.assertTrue((inf[: k + 1, t] >= 1).all() and (inf[k + 1:, t] == -1).all())
                self.assertEqual(inf[k, t], j["final_informed"])
                self.assertEqual(msg[: k + 1, t].sum(), j["messages"])
            tr = f["trials"]
            self.assertEqual(list(tr["trial"][:]), [3, 4, 5, 6])
            for j, t in zip(per_trial, range(T)):
                for key in ("rounds", "final_informed", "t_last", "round_50", "round_90", "round_99", "round_full"):
                    self.assertEqual(tr[key][t], -1 if j[key] is None else j[key], key)
                self.assertEqual(tr["messages_total"][t], j["messages"])
                for key in ("coverage", "residue", "traffic", "t_avg"):
                    self.assertEqual(tr[key][t], j[key], key)
                self.assertEqual(tr["status"][t], 0)
                # The rounds each step kind ran (docs/engine.md): the JSON lists the kinds that
                # ran, the file has a column per kind; one step a round.
                steps = {k[len("steps_"):]: int(tr[k][t]) for k in tr if k.startswith("steps_")}
                self.assertEqual(len(steps), 15)
                self.assertEqual({k: v for k, v in steps.items() if v}, j["steps"])
                self.assertEqual(sum(steps.values()), j["rounds"])
            for key, ds in tr.items():
                self.assertEqual(ds.shape, (T,), key)
                self.assertIn(ds.dtype, (np.int64, np.float64, np.int8), key)
            ia = f["nodes/informed_at"]
            self.assertEqual((ia.shape, ia.dtype), ((2, n), np.int32))
            for t in range(2):
                row = ia[t]
                self.assertEqual((row >= 0).sum(), per_trial[t]["final_informed"])
                self.assertEqual(row.max(), per_trial[t]["t_last"])
                self.assertTrue(((row == -1) | (row >= 0)).all())
                counts = np.bincount(row[row >= 0], minlength=R)
                self.assertEqual(list(np.cumsum(counts)[: rounds[t] + 1]), list(inf[: rounds[t] + 1, t]))
            snap_step, snap = f["nodes/informed/step"][:], f["nodes/informed/value"]
            self.assertEqual(snap.dtype, np.uint8)
            self.assertEqual(list(snap_step), list(range(0, 3 * snap.shape[0], 3)))
            self.assertEqual(snap.shape[1:], (2, n))
            for t in range(2):
                for s, r in enumerate(snap_step):
                    if r <= rounds[t]:
                        self.assertTrue((snap[s, t] == (ia[t] <= r) * (ia[t] >= 0)).all())
                    else:
                        self.assertTrue((snap[s, t] == 255).all())

    def test_original_ids_of_a_renumbered_file(self):
        edges = self.dir / "gaps.txt"
        edges.write_text("# ids with gaps: renumbered 0..3\n10 20\n20 1000000\n1000000 10\n7 10\n")
        a, b, merged = self.path("a.h5"), self.path("b.h5"), self.path("m.h5")
        for out, offset in ((a, "0"), (b, "2")):
            r = run("run", "-s", f"graph.source={edges}", "--trials", "2", "--trial-offset", offset, "--threads", "1",
                    "-o", out)
            self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(run("merge", a, b, "-o", merged).returncode, 0)
        for out in (a, merged):
            with h5py.File(out, "r") as f:
                self.assertEqual((f["graph/original_id"].dtype, list(f["graph/original_id"][:])),
                                 (np.uint64, [7, 10, 20, 1000000]))
        with h5py.File(self.path("a.h5"), "r") as f:
            self.assertEqual(f["graph"].attrs["n_nodes"], 4)

    def test_node_trials_zero_and_default(self):
        out = self.path("b.h5")
        self.assertEqual(run("run", *SMALL, "--trials", "2", "-s", "output.node_trials=0", "-o", out).returncode, 0)
        with h5py.File(out, "r") as f:
            self.assertNotIn("informed_at", f["nodes"])
            self.assertNotIn("informed", f["nodes"])
        self.assertEqual(run("run", *SMALL, "--trials", "2", "-o", out, "--force").returncode, 0)
        with h5py.File(out, "r") as f:
            self.assertEqual(f["nodes/informed_at"].shape, (1, 3000))


class Interrupt(Tmp):
    """Stops mid-run through the real binary, then --resume equals an uninterrupted run."""

    @classmethod
    def setUpClass(cls):
        cls.ref_dir = tempfile.mkdtemp(prefix="gossip_h5_ref_")
        cls.ref = os.path.join(cls.ref_dir, "ref.h5")
        r = subprocess.run([BIN, "run", *LONG, "-o", cls.ref], capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr
        cls.ref_stats = json.loads(r.stdout)["stats"]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.ref_dir, ignore_errors=True)

    def test_sigterm_then_resume(self):
        for sig in (signal.SIGTERM, signal.SIGUSR1, signal.SIGINT):
            with self.subTest(sig=sig):
                out = self.path(f"s{int(sig)}.h5")
                p = self.start(*LONG, "-o", out)
                time.sleep(0.3)  # the run lasts seconds (LONG_TRIALS): the signal comes mid-run
                p.send_signal(sig)
                stdout, stderr = p.communicate(timeout=600)
                self.assertEqual(p.returncode, 75, stderr)
                j = json.loads(stdout)
                self.assertEqual((j["status"], j["checkpoint"]), ("interrupted", out + ".ckpt"))
                self.assertIn(f"stopped (signal {signal.Signals(sig).name[3:]})", stderr)
                self.assertEqual(status(out), 2)
                self.assertTrue(os.path.exists(out + ".ckpt"))
                r = run("run", *LONG_CONFIG, "--trials", LONG_TRIALS, "--threads", "2", "-o", out, "--resume")
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(status(out), 1)
                self.assertFalse(os.path.exists(out + ".ckpt"))
                self.assertEqual(h5diff(self.ref, out), 0)
                self.assertEqual(json.loads(r.stdout)["stats"], self.ref_stats)  # restored summaries too

    def test_kill9_swmr_then_resume(self):
        out = self.path("k.h5")
        p = self.start(*LONG, "-o", out, "--checkpoint-every", "0.001")
        live = None
        deadline = time.time() + 300
        while time.time() < deadline:
            time.sleep(0.1)
            if not os.path.exists(out + ".ckpt"):
                continue
            with h5py.File(out, "r", swmr=True) as f:  # read while it runs
                done = int((f["trials/status"][:] >= 0).sum())
                if done >= 2:
                    live = done
                    break
        p.kill()
        p.communicate()
        self.assertIsNotNone(live, "the run did not get far enough")
        with h5py.File(out, "r", swmr=True) as f:
            self.assertEqual(int(f["provenance/status"][0]), 0)  # still says running
            inf = f["observables/informed/value"][:]
            rounds, st = f["trials/rounds"][:], f["trials/status"][:]
            self.assertGreaterEqual(int((st >= 0).sum()), live)
            for t in range(inf.shape[1]):
                col = inf[:, t]
                k = int((col >= 0).sum())
                self.assertTrue((col[:k] >= 1).all() and (col[k:] == -1).all())  # a prefix of rows
                self.assertTrue((np.diff(col[:k]) >= 0).all())
                if st[t] >= 0:
                    self.assertEqual(k, rounds[t] + 1)
        r = run("run", *LONG, "-o", out, "--resume")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(h5diff(self.ref, out), 0)
        self.assertEqual(subprocess.run(["h5dump", "-H", out], capture_output=True).returncode, 0)

    def test_max_hours(self):
        out = self.path("m.h5")
        # A limit far below the graph build: the run stops at its first round boundary, whatever the load.
        r = run("run", *LONG, "-o", out, "--max-hours", "1e-9")
        self.assertEqual(r.returncode, 75, r.stderr)
        self.assertIn("--max-hours reached", r.stderr)
        self.assertEqual(status(out), 2)
        r = run("run", *LONG, "-o", out, "--resume")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(h5diff(self.ref, out), 0)


class Merge(Tmp):
    def test_merge_equals_one_run(self):
        args = [*SMALL, "-s", "output.node_trials=3", "-s", "output.every=2"]
        one = self.path("one.h5")
        self.assertEqual(run("run", *args, "--trials", "7", "-o", one).returncode, 0)
        parts = []
        for trials, offset in ((2, 0), (4, 2), (1, 6)):
            parts.append(self.path(f"p{offset}.h5"))
            r = run("run", *args, "--trials", str(trials), "--trial-offset", str(offset), "-o", parts[-1])
            self.assertEqual(r.returncode, 0, r.stderr)
        merged = self.path("all.h5")
        r = run("merge", parts[2], parts[0], parts[1], "-o", merged)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["trials"], 7)
        self.assertEqual(h5diff(one, merged), 0)
        with h5py.File(merged, "r") as f:
            self.assertEqual(f["provenance"].attrs["merged_from"].split("\n"), [parts[0], parts[1], parts[2]])

    def test_merge_refuses_mismatches(self):
        a, b, c, d = (self.path(x) for x in ("a.h5", "b.h5", "c.h5", "d.h5"))
        self.assertEqual(run("run", *SMALL, "--trials", "2", "-o", a).returncode, 0)
        self.assertEqual(run("run", *SMALL, "--trials", "2", "--trial-offset", "3", "-o", b).returncode, 0)
        self.assertEqual(run("run", *SMALL, "--trials", "2", "--trial-offset", "2", "-s", "protocol.fanout=2",
                             "-o", c).returncode, 0)
        cases = [((a, b), f"gossipsim: error: {b}: starts at trial 3, expected 2 (trial ranges must be contiguous, "
                          "without overlap)"),
                 ((a, c), f"gossipsim: error: {c}: another experiment than {a} (protocol.fanout differs)"),
                 ((a, a), f"gossipsim: error: {a}: starts at trial 0, expected 2 (trial ranges must be contiguous, "
                          "without overlap)")]
        for inputs, line in cases:
            with self.subTest(inputs=inputs):
                r = run("merge", *inputs, "-o", d, "--force")
                self.assertEqual(r.returncode, 3, r.stderr)
                self.assertEqual(error_lines(r), [line])


class BadInput(Tmp):
    def test_existing_output_needs_force(self):
        out = self.path("x.h5")
        pathlib.Path(out).write_text("precious")
        r = run("run", *SMALL, "-o", out)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(error_lines(r), [f"gossipsim: error: output '{out}' exists (--force overwrites it, "
                                          "--resume continues it, --resume auto does either as needed)"])
        self.assertEqual(pathlib.Path(out).read_text(), "precious")
        self.assertEqual(run("run", *SMALL, "-o", out, "--force").returncode, 0)
        self.assertEqual(status(out), 1)

    def test_unwritable_output(self):
        out = self.path("no/such/dir/x.h5")
        r = run("run", *SMALL, "-o", out)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(len(error_lines(r)), 1)
        self.assertTrue(error_lines(r)[0].startswith(f"gossipsim: error: cannot create '{out}': "), r.stderr)
        self.assertFalse(os.path.exists(out))

    def test_full_disk(self):
        if not shutil.which("prlimit"):
            self.skipTest("prlimit (util-linux) not installed")
        out = self.path("full.h5")
        # A file size cap: writes past it fail with EFBIG (SIGXFSZ ignored), as on a full disk.
        cmd = ["prlimit", "--fsize=300000", "sh", "-c", 'trap "" XFSZ; exec "$@"', "sh", BIN, "run",
               "-s", "graph.source=er:n=50000,d=8", "--trials", "4", "-s", "output.node_trials=4",
               "-s", "output.every=1", "-o", out]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(len(error_lines(r)), 1, r.stderr)
        self.assertEqual(error_lines(r), [f"gossipsim: error: cannot write '{out}': File too large"])
        try:
            self.assertNotEqual(status(out), 1)  # never claims to be complete
        except OSError:
            pass  # unreadable is acceptable too; complete is not

    def test_resume_errors(self):
        out = self.path("r.h5")
        args = [*SMALL, "--trials", "3"]
        r = run("run", *args, "-o", out, "--resume")
        self.assertEqual(r.returncode, 2)
        self.assertTrue(error_lines(r)[0].startswith(f"gossipsim: error: cannot resume: no checkpoint '{out}.ckpt'"))
        self.assertEqual(run("run", *LONG, "-o", out, "--max-hours", "1e-9").returncode, 75)
        self.assertEqual(status(out), 2)
        ck = pathlib.Path(out + ".ckpt")
        good = ck.read_bytes()

        r = run("run", *LONG, "-s", "protocol.fanout=2", "-o", out, "--resume")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(error_lines(r), [f"gossipsim: error: cannot resume: checkpoint '{ck}' was written with "
                                          "another config (protocol.fanout differs)"])
        r = run("run", *LONG, "-s", "graph.seed=7", "-o", out, "--resume")
        self.assertEqual(r.returncode, 2)
        self.assertIn("(graph.seed differs)", error_lines(r)[0])

        # Same config, another graph: the graph fingerprint in the checkpoint (CRC recomputed).
        conf_len = struct.unpack_from("<Q", good, 12)[0]
        fp_at = 20 + conf_len
        body = bytearray(good[:-12])
        body[fp_at] ^= 0xFF
        ck.write_bytes(bytes(body) + struct.pack("<I", zlib.crc32(body)) + good[-8:])
        r = run("run", *LONG, "-o", out, "--resume")
        self.assertEqual(r.returncode, 3)
        self.assertIn(f"gossipsim: error: cannot resume: checkpoint '{ck}' was made on another graph", r.stderr)

        for name, data, what in (("flipped", good[:100] + bytes([good[100] ^ 1]) + good[101:], "checksum mismatch"),
                                 ("truncated", good[: len(good) // 2], "truncated"),
                                 ("foreign", b"not a checkpoint at all", "wrong magic")):
            with self.subTest(corrupt=name):
                ck.write_bytes(data)
                r = run("run", *LONG, "-o", out, "--resume")
                self.assertEqual(r.returncode, 3, r.stderr)
                self.assertEqual(error_lines(r), [f"gossipsim: error: {ck}: not a valid gossipsim checkpoint ({what})"])
                self.assertEqual(status(out), 2)  # still interrupted, never complete

        ck.write_bytes(good)
        other = self.path("other.h5")
        self.assertEqual(run("run", *SMALL, "--trials", "3", "-o", other).returncode, 0)
        shutil.copy(ck, other + ".ckpt")
        r = run("run", *LONG, "-o", other, "--resume")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(error_lines(r), [f"gossipsim: error: cannot resume: '{other}' was written with another "
                                          "config (graph.source differs)"])

    def test_flags_need_output(self):
        for flag in (["--resume"], ["--max-hours", "1"], ["--checkpoint-every", "5"], ["--force"]):
            r = run("run", *SMALL, *flag)
            self.assertEqual(r.returncode, 2)
            self.assertEqual(error_lines(r), ["gossipsim: error: --resume, --checkpoint-every, --max-hours and "
                                              "--force need an output file (-o OUT.h5)"])


class Progress(Tmp):
    def test_plain_lines_when_not_a_terminal(self):
        r = run("run", *LONG_CONFIG, "--trials", "400", "--threads", "1", "--progress-seconds", "0.05")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("\r", r.stderr)
        lines = [l for l in r.stderr.splitlines() if "rounds/s" in l]
        self.assertGreater(len(lines), 1)
        for l in lines:
            self.assertRegex(l, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ info  trial \d+ \(\d+/400 done\), round \d+: "
                                r"coverage [01]\.\d{6}, \d+\.\d rounds/s, ETA (unknown|\d+:\d\d:\d\d)$")


class PythonTools(Tmp):
    def py(self, script, *args):
        return subprocess.run([sys.executable, os.path.join(TOOLS, script), *args], capture_output=True, text=True,
                              timeout=600)

    def test_loader_and_plot(self):
        a, b = self.path("a.h5"), self.path("b.h5")
        self.assertEqual(run("run", *SMALL, "--trials", "5", "-o", a).returncode, 0)
        self.assertEqual(run("run", *SMALL, "--trials", "3", "-s", "protocol.mode=push-pull", "-o", b).returncode, 0)
        for script in ("gossip_h5.py", "plot_coverage.py"):
            r = self.py(script, "--help")
            self.assertEqual(r.returncode, 0)
            self.assertIn("usage:", r.stdout)
        r = self.py("gossip_h5.py", a, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        s = json.loads(r.stdout)
        self.assertEqual((s["status"], s["n"], s["trials"], s["trials_done"], s["mode"]), ("complete", 3000, 5, 5, "push"))
        sys.path.insert(0, TOOLS)
        import gossip_h5
        run_ = gossip_h5.load(a)
        cov = run_.coverage()
        self.assertEqual(cov.shape, run_.observables["informed"].shape)
        self.assertTrue(np.allclose(cov[-1], run_.trials["coverage"]))  # final values carried forward
        self.assertEqual(run_.parameters["protocol.mode"], "push")
        if gossip_h5.pd is not None:
            df = gossip_h5.observables_frame(run_)
            self.assertEqual(set(df.columns), {"trial", "round", "counter", "value"})
            self.assertEqual(len(gossip_h5.trials_frame(run_)), 5)
        png = self.path("cov.png")
        for extra in ([], ["--log-residue"], ["--y", "messages", "--band", "iqr"], ["--y", "reachable", "--xlim", "0", "9"],
                      ["--demers"], ["--log-x", "--band", "none"]):
            r = self.py("plot_coverage.py", a, b, "-o", png, *extra)
            self.assertEqual(r.returncode, 0, r.stderr)
            data = pathlib.Path(png).read_bytes()
            self.assertGreater(len(data), 1000)
            self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n")
            os.remove(png)
        r = self.py("plot_coverage.py", a, "-o", png, "--y", "mesages")
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(r.stderr.splitlines()[-1], f"plot_coverage.py: error: --y mesages: not a counter of {a} "
                         "(valid: coverage, reachable, residue, in_flight, informed, lost, lost_down, lost_partition, messages, "
                         "newly_informed, present, redundant, requests, spreaders, up)")
        self.assertFalse(os.path.exists(png))

    def test_plot_draws_medians_labelled_from_the_parameters(self):
        """The line is the median over trials (not the mean), the legend comes from /parameters, the
        title from the mode, and the ceiling left by unreachable nodes is drawn where it exists."""
        a, b = self.path("a.h5"), self.path("b.h5")
        # er:n=3000,d=2: about e^-2 of the nodes are isolated, so the reachable sets miss nodes
        sparse = ["-s", "graph.source=er:n=3000,d=2", "--threads", "1", "--trials", "6"]
        self.assertEqual(run("run", *sparse, "-o", a).returncode, 0)
        self.assertEqual(run("run", *sparse, "-s", "protocol.fanout=2", "-o", b).returncode, 0)
        sys.path.insert(0, TOOLS)
        import gossip_h5
        import plot_coverage
        fig, _ = plot_coverage.plot([a, b, "-o", self.path("x.png")])
        ax = fig.axes[0]
        lines = {l.get_label(): l for l in ax.get_lines()}
        run_a, run_b = gossip_h5.load(a), gossip_h5.load(b)
        stuck = int((run_a.trials["reachable"] <= 1).sum())
        label_a = "push on er:n=3000,d=2, n = 3,000; fanout = 1 (6 trials" + (
            f", {stuck} stuck at an isolated source)" if stuck else ")")
        self.assertIn(label_a, lines)
        self.assertTrue(np.array_equal(lines[label_a].get_ydata(), np.median(run_a.coverage(), axis=1)))
        ceilings = [k for k in lines if k.startswith("ceiling: ")]
        self.assertEqual(len(ceilings), 1 if np.median(run_a.trials["reachable"]) == np.median(run_b.trials["reachable"])
                         else 2)
        missing = 3000 - np.median(run_a.trials["reachable"])
        self.assertTrue(any(f"{missing:,.0f} nodes unreachable" in k for k in ceilings), ceilings)
        self.assertTrue(ax.get_title().startswith("push gossip: coverage by round\nmedian and 5-95 %"), ax.get_title())
        # The reachable set's coverage ends at 1 in every trial that ran to its end.
        fig, _ = plot_coverage.plot([a, "-o", self.path("x.png"), "--y", "reachable"])
        y = fig.axes[0].get_lines()[0].get_ydata()
        self.assertEqual(y[-1], 1.0)
        self.assertEqual(plot_coverage.mode_title({"protocol.mode": "flood", "protocol.recovery_prob": 0.3}),
                         "SIR flooding (recovery 0.3)")


if __name__ == "__main__":
    BIN, TOOLS = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v", *sys.argv[3:]])
