#!/usr/bin/env python3
"""Batch jobs through the real binary: `--resume auto` in every state the files can be in, the
requeue script of docs/batch.md run as written (SIGTERM, requeue, resume, already complete),
a stop signal without -o (the summary of the finished trials), and merge's refusal of an
incomplete input in words, with hints that name flags the commands have.

usage: test_batch.py PATH/TO/gossipsim PATH/TO/REPOSITORY
"""
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import h5py

BIN = ROOT = None
# The config of test_h5.py's long runs: stopped mid-run by a signal, yet seconds in all.
LONG_CONFIG = ["-s", "graph.source=er:n=20000,d=8", "-s", "output.node_trials=3", "-s", "output.every=4",
               "-s", "output.flush_seconds=0.05"]
LONG_TRIALS = "150" if os.environ.get("GOSSIPSIM_SANITIZER") else "1500"
# One thread through OMP_NUM_THREADS, not --threads: the requeue script's runs set no run.threads.
LONG = [*LONG_CONFIG, "--trials", LONG_TRIALS]
ONE_THREAD = dict(os.environ, OMP_NUM_THREADS="1")
# A short run for the states --resume auto resumes or starts over from.
SHORT = [*LONG_CONFIG, "--trials", "40"]
EXCLUDE = ["--exclude-path", "/provenance", "--exclude-path", "/trials/wall_seconds"]
_long_reference = None


def long_reference():
    """An uninterrupted run of LONG, made once: (path, summary)."""
    global _long_reference
    if _long_reference is None:
        d = tempfile.mkdtemp(prefix="gossip_batch_ref_")
        path = os.path.join(d, "long.h5")
        r = run("run", *LONG, "-o", path)
        assert r.returncode == 0, r.stderr
        _long_reference = (path, json.loads(r.stdout))
    return _long_reference


def run(*args, env=ONE_THREAD):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=600, env=env)


def error_lines(r):
    return [l for l in r.stderr.splitlines() if "error" in l]


def warn_lines(r):
    return [l.split(" warn  ", 1)[1] for l in r.stderr.splitlines() if " warn  " in l]


def h5diff(a, b):
    return subprocess.run(["h5diff", "-q", *EXCLUDE, a, b], capture_output=True, text=True).returncode


def status(path):
    with h5py.File(path, "r", swmr=True) as f:
        return int(f["provenance/status"][0])


def without_clocks(summary):
    """A summary without what differs between equal runs: wall-clock fields, threads, and the
    memory (a resumed run holds the checkpoint it read too)."""
    return {k: v for k, v in summary.items()
            if not k.endswith("seconds") and not k.startswith(("memory", "bytes_per"))
            and k not in ("threads", "run.threads")}


def wait_for_line(p, words):
    """Reads p's stderr until a line holds one of words (the run is then past that point)."""
    for line in p.stderr:
        if any(w in line for w in words):
            return line
    raise AssertionError(f"the process ended before logging any of {words}")


class Tmp(unittest.TestCase):
    def setUp(self):
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="gossip_batch_"))

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return str(self.dir / name)


class ResumeAuto(Tmp):
    """--resume auto: fresh, resume, start over, already complete, and the refusals."""

    @classmethod
    def setUpClass(cls):
        cls.ref_dir = tempfile.mkdtemp(prefix="gossip_batch_ref_")
        cls.ref = os.path.join(cls.ref_dir, "ref.h5")
        r = run("run", *SHORT, "-o", cls.ref)
        assert r.returncode == 0, r.stderr
        cls.ref_summary = json.loads(r.stdout)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.ref_dir, ignore_errors=True)

    def auto(self, out, *extra):
        return run("run", *SHORT, "-o", out, "--resume", "auto", *extra)

    def assert_equals_reference(self, out, r, ref=None):
        ref, ref_summary = ref or (self.ref, self.ref_summary)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(status(out), 1)
        self.assertFalse(os.path.exists(out + ".ckpt"))
        self.assertEqual(h5diff(ref, out), 0)
        summary = json.loads(r.stdout)
        self.assertEqual(summary["status"], "complete")
        self.assertEqual(without_clocks(summary) | {"output": None}, without_clocks(ref_summary) | {"output": None})

    def test_fresh_then_already_complete(self):
        out = self.path("a.h5")
        r = self.auto(out)
        self.assertIn(f"--resume auto: no output '{out}' yet: starting fresh", r.stderr)
        self.assert_equals_reference(out, r)
        before = pathlib.Path(out).read_bytes()
        r = self.auto(out, "--threads", "2")  # run-only keys may differ
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f"--resume auto: '{out}' is already complete: nothing to do", r.stderr)
        j = json.loads(r.stdout)
        self.assertEqual((j["status"], j["already_complete"], j["output"]), ("complete", True, out))
        self.assertEqual(j["graph.source"], "er:n=20000,d=8")
        self.assertNotIn("graph ready", r.stderr)  # nothing was built or run
        self.assertEqual(pathlib.Path(out).read_bytes(), before)

    def test_resume_from_a_checkpoint(self):
        out = self.path("b.h5")
        self.assertEqual(run("run", *SHORT, "-o", out, "--max-hours", "1e-9").returncode, 75)
        self.assertEqual(status(out), 2)
        r = self.auto(out, "--threads", "2")
        self.assertIn(f"resuming {out} at trial 0", r.stderr)
        self.assert_equals_reference(out, r)

    def test_starts_over_when_the_job_died_before_its_first_checkpoint(self):
        # interrupted, its checkpoint lost
        out = self.path("c.h5")
        self.assertEqual(run("run", *SHORT, "-o", out, "--max-hours", "1e-9").returncode, 75)
        os.remove(out + ".ckpt")
        r = self.auto(out)
        self.assertEqual(warn_lines(r), [f"--resume auto: '{out}' is interrupted and has no checkpoint (its job died "
                                         "before the first one): starting over"])
        self.assert_equals_reference(out, r)
        # killed outright (kill -9) after its graph was built: status running, no checkpoint
        out = self.path("d.h5")
        p = subprocess.Popen([BIN, "run", *LONG, "-o", out], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=ONE_THREAD)
        wait_for_line(p, ["graph ready"])
        p.kill()
        p.communicate()
        # Killed before the file switched to SWMR, so h5py cannot read it as it is; the binary
        # clears the flags a killed writer leaves (as h5clear -s) and finds status running.
        self.assertTrue(os.path.getsize(out) > 0)
        self.assertFalse(os.path.exists(out + ".ckpt"))
        r = run("run", *LONG, "-o", out, "--resume", "auto")
        self.assertEqual(warn_lines(r), [f"--resume auto: '{out}' is running and has no checkpoint (its job died "
                                         "before the first one): starting over"])
        self.assert_equals_reference(out, r, long_reference())
        # killed while creating the file: empty
        out = self.path("e.h5")
        pathlib.Path(out).write_bytes(b"")
        r = self.auto(out)
        self.assertEqual(warn_lines(r), [f"--resume auto: '{out}' is empty (its job died while creating it): "
                                         "starting over"])
        self.assert_equals_reference(out, r)

    def test_a_checkpoint_without_its_output_is_not_resumed(self):
        out = self.path("f.h5")
        self.assertEqual(run("run", *SHORT, "-o", out, "--max-hours", "1e-9").returncode, 75)
        os.remove(out)
        r = self.auto(out)
        self.assertEqual(warn_lines(r), [f"--resume auto: checkpoint '{out}.ckpt' has no output '{out}': "
                                         "starting fresh"])
        self.assert_equals_reference(out, r)

    def test_refusals(self):
        out = self.path("g.h5")
        pathlib.Path(out).write_text("precious")
        r = self.auto(out)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(error_lines(r), [f"gossipsim: error: --resume auto: '{out}' is not a readable gossipsim "
                                          "output (remove it, or choose another -o)"])
        self.assertEqual(pathlib.Path(out).read_text(), "precious")
        # another experiment's output, complete or interrupted: never reported complete, never overwritten
        done, stopped = self.path("h.h5"), self.path("i.h5")
        self.assertEqual(run("run", *SHORT, "-o", done).returncode, 0)
        self.assertEqual(run("run", *SHORT, "-o", stopped, "--max-hours", "1e-9").returncode, 75)
        for path in (done, stopped):
            with self.subTest(path=path):
                r = self.auto(path, "-s", "protocol.fanout=2")
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertEqual(error_lines(r), [f"gossipsim: error: --resume auto: '{path}' was written with another "
                                                  "config (protocol.fanout differs)"])
        self.assertEqual((status(done), status(stopped)), (1, 2))
        self.assertEqual(h5diff(self.ref, done), 0)
        for args, message in (
                (["--resume", "auto"], "--resume, --checkpoint-every, --max-hours and --force need an output file "
                                       "(-o OUT.h5)"),
                (["-o", out, "--resume", "auto", "--force"], "--resume and --force exclude each other")):
            with self.subTest(args=args):
                r = run("run", *SHORT, *args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertEqual(error_lines(r), ["gossipsim: error: " + message])
        for value in ("bogus", "config.toml"):  # a value other than auto (a config file put after --resume)
            with self.subTest(value=value):
                r = run("run", *SHORT, "-o", out, "--resume", value)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(f"takes no value or 'auto', got '{value}' (a config file goes before --resume)",
                              r.stderr)
        # plain --resume keeps meaning "must resume"
        r = run("run", *SHORT, "-o", self.path("none.h5"), "--resume")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("cannot resume: no checkpoint", error_lines(r)[0])


class RequeueScript(Tmp):
    """The script of docs/batch.md, "One long run that survives its time limit", as written."""

    def script(self):
        doc = (ROOT / "docs" / "batch.md").read_text()
        section = doc.split("## One long run that survives its time limit", 1)[1]
        return re.search(r"```sh\n(.*?)```", section, re.S).group(1)

    def test_sigterm_requeue_resume_and_complete(self):
        text = self.script()
        self.assertIn("--resume auto", text)
        self.assertIn("scontrol requeue", text)
        job = self.dir / "job"
        (job / "configs").mkdir(parents=True)
        (job / "results").mkdir()
        # The experiment: the long runs' config in the file the script names.
        (job / "configs" / "big.toml").write_text(
            '[graph]\nsource = "er:n=20000,d=8"\n[run]\ntrials = %s\n[output]\nnode_trials = 3\nevery = 4\n'
            'flush_seconds = 0.05\n' % LONG_TRIALS)
        (job / "job.sh").write_text(text)
        # Stand-ins for SLURM: srun runs its command in place (so the script's $! is gossipsim's
        # pid), scontrol logs what it was asked; gossipsim is the binary under test.
        fake = self.dir / "bin"
        fake.mkdir()
        (fake / "srun").write_text('#!/bin/sh\nwhile [ $# -gt 0 ]; do case "$1" in -c) shift 2;; -*) shift;; '
                                   '*) break;; esac; done\nexec "$@"\n')
        (fake / "scontrol").write_text('#!/bin/sh\necho "$@" >> "$REQUEUE_LOG"\n')
        for f in ("srun", "scontrol"):
            (fake / f).chmod(0o755)
        (fake / "gossipsim").symlink_to(BIN)
        log = self.dir / "requeue.log"
        env = dict(os.environ, PATH=f"{fake}:{os.environ['PATH']}", SLURM_CPUS_PER_TASK="1", SLURM_JOB_ID="4242",
                   REQUEUE_LOG=str(log))
        env.pop("OMP_NUM_THREADS", None)
        out = job / "results" / "big.h5"

        def start():
            return subprocess.Popen(["bash", "job.sh"], cwd=job, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)

        # The first start: SIGTERM to the batch shell mid-run; its trap forwards USR1.
        p = start()
        wait_for_line(p, ["graph ready"])
        time.sleep(0.3)
        p.send_signal(signal.SIGTERM)
        stdout, stderr = p.communicate(timeout=600)
        self.assertEqual(p.returncode, 75, stderr)
        self.assertIn("stopped (signal USR1)", stderr)
        self.assertEqual(log.read_text(), "requeue 4242\n")
        self.assertEqual(json.loads(stdout)["status"], "interrupted")
        self.assertEqual(status(str(out)), 2)
        self.assertTrue(os.path.exists(f"{out}.ckpt"))

        # The requeued start resumes and completes; no further requeue.
        p = start()
        stdout, stderr = p.communicate(timeout=600)
        self.assertEqual(p.returncode, 0, stderr)
        self.assertIn("resuming results/big.h5", stderr)
        self.assertEqual(log.read_text(), "requeue 4242\n")
        resumed = json.loads(stdout)

        # A start after completion (a spurious requeue) changes nothing.
        before = out.read_bytes()
        p = start()
        stdout, stderr = p.communicate(timeout=600)
        self.assertEqual(p.returncode, 0, stderr)
        self.assertIn("is already complete", stderr)
        self.assertTrue(json.loads(stdout)["already_complete"])
        self.assertEqual(out.read_bytes(), before)

        # Equal to an uninterrupted run of the same config (given with --set instead of the file).
        ref, ref_summary = long_reference()
        self.assertEqual(h5diff(ref, str(out)), 0)
        self.assertEqual(without_clocks(resumed) | {"output": None}, without_clocks(ref_summary) | {"output": None})


class StopWithoutOutput(Tmp):
    def test_sigterm_prints_the_finished_trials(self):
        p = subprocess.Popen([BIN, "run", *LONG, "--per-trial"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=ONE_THREAD)
        wait_for_line(p, ["graph ready"])
        time.sleep(0.3)
        p.send_signal(signal.SIGTERM)
        stdout, stderr = p.communicate(timeout=600)
        self.assertEqual(p.returncode, 75, stderr)
        lines = [json.loads(l) for l in stdout.splitlines()]
        trials, summary = lines[:-1], lines[-1]
        self.assertEqual(summary["event"], "summary")
        self.assertEqual((summary["status"], summary["reason"]), ("interrupted", "signal TERM"))
        self.assertTrue(0 < len(trials) < int(LONG_TRIALS), len(trials))  # stopped mid-run, after some trials
        self.assertEqual([t["trial"] for t in trials], list(range(len(trials))))
        self.assertEqual(summary["trials_done"], len(trials))
        self.assertEqual(summary["trials"], int(LONG_TRIALS))
        self.assertNotIn("checkpoint", summary)
        self.assertNotIn("output", summary)
        rounds = [t["rounds"] for t in trials]
        self.assertEqual(summary["stats"]["rounds"]["count"], len(trials))
        self.assertEqual((summary["stats"]["rounds"]["min"], summary["stats"]["rounds"]["max"]), (min(rounds), max(rounds)))
        self.assertAlmostEqual(summary["stats"]["rounds"]["mean"], sum(rounds) / len(rounds), places=9)
        self.assertIn(f"stopped (signal TERM): {len(trials)} of {LONG_TRIALS} trials finished; no output file, "
                      "nothing to resume", stderr)


class MergeWords(Tmp):
    def help_flags(self, command):
        return set(re.findall(r"--[a-z][a-z-]*", run(command, "--help").stdout))

    def hint_flags(self, line):
        return set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", line))

    def test_incomplete_input_named_in_words(self):
        a, b, merged = self.path("a.h5"), self.path("b.h5"), self.path("m.h5")
        self.assertEqual(run("run", *LONG_CONFIG, "--trials", "2", "-o", a).returncode, 0)
        self.assertEqual(run("run", *LONG_CONFIG, "--trials", "2", "--trial-offset", "2", "-o", b, "--max-hours", "1e-9")
                         .returncode, 75)
        r = run("merge", a, b, "-o", merged)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertEqual(error_lines(r), [
            f"gossipsim: error: {b}: interrupted, not complete (only complete outputs can be merged; finish it with "
            f"`gossipsim run <its arguments> -o {b} --resume auto`)"])
        self.assertNotRegex(r.stderr, r"status \d")
        self.assertLessEqual(self.hint_flags(error_lines(r)[0]), self.help_flags("run"))
        self.assertFalse(os.path.exists(merged))

    def test_existing_output_hint_names_merge_flags(self):
        a, merged = self.path("a.h5"), self.path("m.h5")
        self.assertEqual(run("run", *LONG_CONFIG, "--trials", "2", "-o", a).returncode, 0)
        pathlib.Path(merged).write_text("precious")
        r = run("merge", a, "-o", merged)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(error_lines(r), [f"gossipsim: error: output '{merged}' exists (--force overwrites it)"])
        self.assertLessEqual(self.hint_flags(error_lines(r)[0]), self.help_flags("merge"))
        self.assertEqual(run("merge", a, "-o", merged, "--force").returncode, 0)


if __name__ == "__main__":
    BIN, ROOT = os.path.abspath(sys.argv[1]), pathlib.Path(sys.argv[2]).resolve()
    try:
        unittest.main(argv=[sys.argv[0], "-v", *sys.argv[3:]])
    finally:
        if _long_reference:
            shutil.rmtree(os.path.dirname(_long_reference[0]), ignore_errors=True)
