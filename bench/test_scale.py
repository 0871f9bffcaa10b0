#!/usr/bin/python3
"""ctest `bench_scale_smoke`: bench/scale at n = 1e4 through the real binaries (a few seconds).
It measures and plots (rows ok, messages close to the NumPy peer's, PNGs written), and a point
that cannot be measured (GAP not built, a memory limit) is a loud line and exit 1, never a row
that looks measured.
usage: test_scale.py GOSSIPSIM EXPORT_SG WORKDIR
"""
import csv
import os
import subprocess
import sys
import unittest

BENCH = os.path.dirname(os.path.abspath(__file__))
BIN, EXPORT, WORK = sys.argv[1:4] if len(sys.argv) >= 4 else (None, None, None)


def scale(out, *args):
    argv = [os.path.join(BENCH, "scale"), "--smoke", "--max-n", "1e4", "--threads", "1,2", "--bin", BIN,
            "--export-bin", EXPORT, "--out-dir", os.path.join(WORK, out), *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=300)


def rows(out, name="scale.csv"):
    with open(os.path.join(WORK, out, name)) as f:
        return list(csv.DictReader(f))


class Scale(unittest.TestCase):
    def test_measures_and_plots(self):
        p = scale("ok", "--peers", "numpy")
        self.assertEqual(p.returncode, 0, p.stderr)
        got = rows("ok")
        self.assertEqual(sorted((r["tool"], r["family"], r["threads"]) for r in got),
                         sorted([("gossipsim", f, t) for f in ("complete", "er") for t in ("1", "2")] +
                                [("numpy", f, "1") for f in ("complete", "er")]))
        for r in got:
            self.assertEqual(r["status"], "ok")
            self.assertGreater(float(r["sim_s"]), 0)
            self.assertGreater(int(r["peak_rss_bytes"]), 0)
        # The same model: push messages summed over the same rounds agree to a few percent.
        for fam in ("complete", "er"):
            ours = [int(r["messages"]) for r in got if r["family"] == fam and r["tool"] == "gossipsim"]
            peer = [int(r["messages"]) for r in got if r["family"] == fam and r["tool"] == "numpy"]
            self.assertEqual(ours[0], ours[1], "messages differ across thread counts")
            self.assertLess(abs(peer[0] - ours[0]) / ours[0], 0.25, (fam, ours, peer))
        for png in ("scale_seconds_per_round", "scale_speedup", "scale_bytes_per_node"):
            self.assertGreater(os.path.getsize(os.path.join(WORK, "ok", png + ".png")), 5000)

    def test_repeat_keeps_the_fastest_run_and_notes_the_spread(self):
        p = scale("rep", "--families", "complete", "--threads", "1", "--peers", "none", "--repeat", "3", "--no-plots")
        self.assertEqual(p.returncode, 0, p.stderr)
        (r,) = rows("rep")
        self.assertIn("fastest of 3 runs (sim_s ", r["note"])
        lo, hi = (float(x) for x in r["note"].split("(sim_s ")[1].rstrip(")").split(" .. "))
        self.assertLessEqual(lo, hi)
        self.assertAlmostEqual(float(r["sim_s"]), lo, delta=lo * 1e-3)
        p = scale("rep0", "--repeat", "0", "--no-plots")
        self.assertEqual(p.returncode, 2)
        self.assertIn("--repeat must be at least 1", p.stderr)

    def test_gap_missing_is_loud(self):
        p = scale("nogap", "--families", "er", "--peers", "gap", "--gap-dir", os.path.join(WORK, "no-such-gap"), "--no-plots")
        self.assertEqual(p.returncode, 1)
        self.assertIn("bench/scale: NOT MEASURED gap: er:n=2^14,d=16: peer not measured:", p.stderr)
        self.assertEqual({r["status"] for r in rows("nogap", "gap.csv") if r["tool"].startswith("gap")}, {"not_measured"})

    def test_does_not_fit_is_loud(self):
        p = scale("nofit", "--families", "er", "--peers", "none", "--mem-limit", "1e6", "--no-plots")
        self.assertEqual(p.returncode, 1)
        self.assertIn("bench/scale: NOT MEASURED gossipsim er:n=1e4,d=8: needs about", p.stderr)
        self.assertEqual([r["status"] for r in rows("nofit")], ["not_measured", "not_measured"])

    def test_threads_pinned_unless_the_caller_chose(self):
        sys.path.insert(0, BENCH)
        from scale_lib import bound_env
        saved = {k: os.environ.pop(k, None) for k in ("OMP_PROC_BIND", "OMP_PLACES")}
        try:
            env = bound_env(OMP_NUM_THREADS="2")
            self.assertEqual((env["OMP_PROC_BIND"], env["OMP_PLACES"], env["OMP_NUM_THREADS"]), ("close", "cores", "2"))
            os.environ["OMP_PLACES"] = "threads"  # the caller's choice stands, and nothing is added to it
            env = bound_env()
            self.assertEqual(env["OMP_PLACES"], "threads")
            self.assertNotIn("OMP_PROC_BIND", env)
        finally:
            for k, v in saved.items():
                os.environ.pop(k, None)
                if v is not None:
                    os.environ[k] = v


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
