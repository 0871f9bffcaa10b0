#!/usr/bin/env python3
"""The command line behaves like the rest of the tool, through the real binary: every error (the
argument parser's too) is one line with exit 2 and a did-you-mean; negative counts are refused;
run takes the graph-file flags of graph info; durations take units; --threads 0 is automatic and
too many threads warn; trials cut at run.max_rounds warn; a config file's relative graph path is
relative to its folder; a .gz file names the inner extension it lacks.

usage: test_usage.py PATH/TO/gossipsim
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

BIN = None
# One thread from the environment, so no run here warns about threads unless a test asks it to.
ENV = dict(os.environ, OMP_NUM_THREADS="1")
SMALL = ["-s", "graph.source=ring:n=60"]


def run(*args, env=ENV, cwd=None):
    return subprocess.run([BIN, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


def warn_lines(r):
    return [l.split(" warn  ", 1)[1] for l in r.stderr.splitlines() if " warn  " in l]


class DelayErrors(unittest.TestCase):
    """faults.delay: each bad value is one line naming the key, exit 2; a run with delays works and
    reports its copies in flight and max_hops."""

    CASES = [
        ("faults.delay=uniform:min=3,max=1", "uniform min must not exceed max, got min=3, max=1"),
        ("faults.delay=fixed:-2", "fixed:D needs a whole number of rounds D in 0 .. 1048575, got '-2'"),
        ("faults.delay=geometric:p=0", "geometric p must be in (0, 1], got 0"),
        ("faults.delay=lognormal:median=2", "lognormal needs sigma"),
        ("faults.delay=gamma:k=1", "unknown delay 'gamma:k=1'"),
    ]

    def test_bad_values(self):
        for setting, why in self.CASES:
            with self.subTest(setting=setting):
                r = run("run", *SMALL, "-s", setting)
                self.assertEqual(r.returncode, 2, r.stderr)
                lines = r.stderr.splitlines()
                self.assertEqual(len(lines), 1, r.stderr)
                self.assertTrue(lines[0].startswith("gossipsim: error: --set " + setting + ": faults.delay = "), lines[0])
                self.assertIn(why, lines[0])

    def test_edge_needs_latencies_and_rounds_fit(self):
        r = run("run", *SMALL, "-s", "faults.delay=edge")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stderr.splitlines()[-1], "gossipsim: error: faults.delay = 'edge' needs a graph with arc "
                         "latencies (graph.latency = 'column:K' of an edge list, or Matrix Market values); this graph "
                         "has none")
        r = run("run", *SMALL, "-s", "faults.delay=fixed:1", "-s", "run.max_rounds=2000000000")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("run.max_rounds = 2000000000 is too large with faults.delay", r.stderr)

    def test_a_run_with_delays(self):
        r = run("run", *SMALL, "-s", "protocol.mode=flood", "-s", "faults.delay=fixed:2", "--per-trial")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [json.loads(l) for l in r.stdout.splitlines()]
        trial = lines[0]
        # A ring of 60 from one source: eccentricity 30, each hop 3 rounds.
        self.assertEqual(trial["rounds"], 90)
        self.assertEqual(trial["max_hops"], 30)
        self.assertEqual(lines[-1]["faults.delay"], "fixed:2")


class ParserErrors(unittest.TestCase):
    """CLI11's errors are ours: one line, exit 2, the subcommand named, the nearest flag or command."""

    CASES = [
        (["run", "--trial", "5"], "run: unknown flag '--trial' (did you mean '--trials'?)"),
        (["run", "--thread", "2"], "run: unknown flag '--thread' (did you mean '--threads'?)"),
        (["run", "--max-hour=2"], "run: unknown flag '--max-hour' (did you mean '--max-hours'?)"),
        (["grpah", "info", "ring:n=5"], "unknown command 'grpah' (did you mean 'graph'?)"),
        (["graph", "inof", "ring:n=5"], "graph: unknown command 'inof' (did you mean 'info'?)"),
        (["config", "key"], "config: unknown command 'key' (did you mean 'keys'?)"),
        (["graph", "info", "ring:n=5", "--jsno"], "graph info: unknown flag '--jsno' (did you mean '--json'?)"),
        (["run", "--zzz"], "run: unknown flag '--zzz' (see gossipsim run --help)"),
        (["frobnicate"], "unknown command 'frobnicate' (valid: graph, config, run, merge, timeline)"),
        (["graph", "info"], "graph info: source is required"),
    ]

    def test_one_line_with_a_suggestion(self):
        for args, message in self.CASES:
            with self.subTest(args=args):
                r = run(*args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertEqual(r.stderr.splitlines(), ["gossipsim: error: " + message])
                self.assertEqual(r.stdout, "")

    def test_conversion_errors_are_one_line(self):
        for args in (["run", "--threads", "x"], ["run", "--progress-seconds", "0"], ["graph", "info", "ring:n=5",
                                                                                     "--format", "xml"]):
            with self.subTest(args=args):
                r = run(*args)
                self.assertEqual(r.returncode, 2, r.stderr)
                lines = r.stderr.splitlines()
                self.assertEqual(len(lines), 1, lines)
                self.assertTrue(lines[0].startswith("gossipsim: error: "), lines)

    def test_help_still_exits_0(self):
        r = run("run", "--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("--skip-lines", r.stdout)


class Counts(unittest.TestCase):
    """Counts on the command line: the engine's syntax, never a negative number wrapped around."""

    def test_negative_counts_are_refused(self):
        for args, flag, value in (
                (["run", *SMALL, "--trials", "-5"], "--trials", "-5"), (["run", *SMALL, "--trials=-5"], "--trials", "-5"),
                (["run", *SMALL, "--seed", "-1"], "--seed", "-1"), (["run", *SMALL, "--trial-offset", "-3"], "--trial-offset", "-3"),
                (["run", *SMALL, "--skip-lines", "-1"], "--skip-lines", "-1"), (["run", *SMALL, "--threads", "-1"], "--threads", "-1"),
                (["graph", "info", "ring:n=5", "--skip-lines", "-2"], "--skip-lines", "-2"),
                (["graph", "info", "ring:n=5", "--seed", "-7"], "--seed", "-7")):
            with self.subTest(args=args):
                r = run(*args)
                self.assertEqual(r.returncode, 2, r.stderr)
                command = "run" if args[0] == "run" else "graph info"
                self.assertEqual(r.stderr.splitlines(),
                                 [f"gossipsim: error: {command}: {flag}: must not be negative, got '{value}'"])
                self.assertNotIn("1844674407370955", r.stdout + r.stderr)

    def test_count_syntax(self):
        r = run("run", *SMALL, "--trials", "2^2", "--trial-offset", "1e1")
        self.assertEqual(r.returncode, 0, r.stderr)
        j = json.loads(r.stdout)
        self.assertEqual((j["trials"], j["trial_offset"]), (4, 10))
        r = run("run", *SMALL, "--trials", "1.5")
        self.assertEqual(r.stderr.splitlines(), ["gossipsim: error: run: --trials: expected a count (1000, 1e6, "
                                                 "2^20, 1_000_000), got '1.5'"])


class RunGraphFileFlags(unittest.TestCase):
    """run takes --skip-lines, --directed, --format, --one-based (the flags the loader's hints name)."""

    def test_the_hint_is_true_for_run(self):
        with tempfile.TemporaryDirectory() as d:
            p = pathlib.Path(d, "edges.dat")
            p.write_text("from,to\n1,2\n2,3\n3,1\n3,4\n")
            src = ["-s", f"graph.source={p}", "--trials", "2"]
            r = run("run", *src, "--format", "edgelist")
            self.assertEqual(r.returncode, 3, r.stderr)
            self.assertIn("--skip-lines", r.stderr)
            r = run("run", *src, "--format", "edgelist", "--skip-lines", "1", "--directed", "--one-based")
            self.assertEqual(r.returncode, 0, r.stderr)
            j = json.loads(r.stdout)
            self.assertEqual((j["n"], j["edges"]), (4, 4))
            self.assertEqual((j["graph.format"], j["graph.skip_lines"], j["graph.directed"], j["graph.one_based"]),
                             ("edgelist", 1, True, True))
            # a flag overrides --set, as the other dedicated flags do
            r = run("run", *src, "-s", "graph.skip_lines=0", "-s", "graph.format=mtx", "--skip-lines", "1",
                    "--format", "edgelist")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(json.loads(r.stdout)["graph.skip_lines"], 1)


class Durations(unittest.TestCase):
    """--max-hours, --checkpoint-every and --progress-seconds: one syntax, the old numbers kept."""

    LONG = ["-s", "graph.source=er:n=20000,d=8", "--trials", "30"]

    def test_units_and_plain_numbers(self):
        with tempfile.TemporaryDirectory() as d:
            def stop(limit, *extra):
                out = os.path.join(d, f"o{len(os.listdir(d))}.h5")
                return run("run", *self.LONG, "-o", out, "--max-hours", limit, *extra).returncode
            self.assertEqual(stop("0.001s"), 75)   # seconds with a unit
            self.assertEqual(stop("1e-9"), 75)     # a plain number is still hours
            self.assertEqual(stop("00:00:00.001"), 75)
            self.assertEqual(stop("2h", "--checkpoint-every", "5m"), 0)
            self.assertEqual(stop("1:00:00", "--checkpoint-every", "30", "--progress-seconds", "1m"), 0)

    def test_each_flag_reads_the_same_syntax(self):
        with tempfile.TemporaryDirectory() as d:
            for limit, every, seconds in (("2h", "5m", (7200, 300)), ("1.5", "30", (5400, 1800)),
                                          ("01:02:03", "90s", (3723, 90)), ("1d", "02:30", (86400, 150))):
                with self.subTest(limit=limit, every=every):
                    out = os.path.join(d, f"o{len(os.listdir(d))}.h5")
                    r = run("run", *SMALL, "-o", out, "--max-hours", limit, "--checkpoint-every", every)
                    self.assertEqual(r.returncode, 0, r.stderr)
                    self.assertIn(f"--max-hours: stop with a checkpoint after {seconds[0]} s", r.stderr)
                    self.assertIn(f"--checkpoint-every: a checkpoint every {seconds[1]} s", r.stderr)

    def test_bad_durations(self):
        for flag, value, unit in (("--max-hours", "5x", "hours"), ("--checkpoint-every", "-5m", "minutes"),
                                  ("--progress-seconds", "1:60", "seconds")):
            with self.subTest(flag=flag):
                r = run("run", *SMALL, flag, value)
                self.assertEqual(r.returncode, 2)
                self.assertEqual(r.stderr.splitlines(), [
                    f"gossipsim: error: run: {flag}: expected a duration (90s, 5m, 2h, 1d, HH:MM:SS, or a number "
                    f"of {unit}), got '{value}'"])
        r = run("run", *SMALL, "-o", "x.h5", "--max-hours", "0s")
        self.assertEqual(r.stderr.splitlines(), ["gossipsim: error: --max-hours must be a positive duration, got 0 s"])


class Threads(unittest.TestCase):
    def test_zero_is_automatic(self):
        env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "SLURM_CPUS_PER_TASK")}
        cpus = len(os.sched_getaffinity(0))
        for args in (["--threads", "0"], ["-s", "run.threads=0"]):
            with self.subTest(args=args):
                r = run("run", *SMALL, *args, env=env)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn(f"threads: {cpus} (from affinity mask", r.stderr)
                self.assertEqual(json.loads(r.stdout)["threads"], cpus)
                self.assertNotIn("run.threads", json.loads(r.stdout))
        r = run("graph", "info", "ring:n=5", "--threads", "0", env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run("graph", "info", "ring:n=5", "--threads", "5000")
        self.assertEqual(r.stderr.splitlines(),
                         ["gossipsim: error: --threads must be an integer in [0, 4096] (0: automatic), got 5000"])

    def test_more_threads_than_cpus_warn(self):
        cpus = len(os.sched_getaffinity(0))
        r = run("run", *SMALL, "--threads", str(cpus + 1))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(warn_lines(r), [f"{cpus + 1} threads (from --threads) for {cpus} CPUs this process may use: "
                                         "threads will wait for each other (--threads 0 picks the count automatically)"])
        self.assertEqual(warn_lines(run("run", *SMALL, "--threads", "1")), [])


class Truncation(unittest.TestCase):
    def test_cut_trials_are_a_warning_with_their_count(self):
        r = run("run", "-s", "graph.source=path:n=200", "-s", "run.max_rounds=5", "--trials", "3")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["truncated_trials"], 3)
        self.assertEqual(warn_lines(r), ["3 of 3 trials were cut at run.max_rounds = 5 before they ended "
                                         "(truncated_trials; raise run.max_rounds to let them finish)"])
        self.assertEqual(warn_lines(run("run", *SMALL, "--trials", "3")), [])


class ConfigPaths(unittest.TestCase):
    """A relative graph file in a config file is relative to the config file's folder."""

    def test_relative_to_the_config_file(self):
        with tempfile.TemporaryDirectory() as d:
            sub = pathlib.Path(d, "exp")
            sub.mkdir()
            (sub / "g.txt").write_text("0 1\n1 2\n2 3\n")
            (sub / "a.toml").write_text('[graph]\nsource = "g.txt"\n')
            want = str((sub / "g.txt").resolve())
            for cwd, config in ((d, "exp/a.toml"), (str(sub), "a.toml"), ("/", str(sub / "a.toml"))):
                with self.subTest(cwd=cwd):
                    r = run("run", config, cwd=cwd)
                    self.assertEqual(r.returncode, 0, r.stderr)
                    j = json.loads(r.stdout)
                    self.assertEqual((j["n"], j["graph.source"]), (4, want))
            r = run("config", "show", "exp/a.toml", cwd=d)
            self.assertIn(f'source = "{want}"', r.stdout)
            # on the command line a path stays relative to the working directory
            r = run("run", "-s", "graph.source=g.txt", cwd=d)
            self.assertEqual(r.returncode, 3, r.stderr)
            self.assertEqual(run("run", "-s", "graph.source=g.txt", cwd=str(sub)).returncode, 0)


class GzipNames(unittest.TestCase):
    def test_a_gz_file_names_the_inner_extension_it_lacks(self):
        known = ("known: .txt .el .tsv .csv .edges .snap, .mtx, .graph .metis, .adj; e.g. g.txt.gz); rename it or "
                 "set graph.format (--format) to edgelist, mtx, metis or ligra")
        with tempfile.TemporaryDirectory() as d:
            for name, why in (("g.gz", "it has none"), ("g.dat.gz", "'.dat' is not one")):
                with self.subTest(name=name):
                    p = pathlib.Path(d, name)
                    p.write_bytes(b"")
                    r = run("graph", "info", str(p))
                    self.assertEqual(r.returncode, 2, r.stderr)
                    self.assertEqual(r.stderr.splitlines()[-1], f"gossipsim: error: graph source '{p}': a .gz file "
                                     f"needs the extension of what it holds before .gz ({why}; {known}")


if __name__ == "__main__":
    BIN = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
