"""Helpers of bench/scale: running one measured process, the exclusive CPU lock, counts.

A measured process runs with stdout and stderr in files (no pipe can fill), is reaped with
os.wait4 so its own peak RSS (ru_maxrss) comes back, and is killed at the time limit. A point
that cannot be measured is a Failure carrying one line; the driver reports it and exits non-zero.
"""
import fcntl
import os
import signal
import subprocess
import tempfile
import time


class Failure(Exception):
    """A point that could not be measured; str() is the one line to report."""


def parse_count(text):
    """1e6, 2^24, 1_000_000 -> int (the counts gossipsim's specs accept)."""
    t = str(text).replace("_", "")
    if "^" in t:
        b, e = t.split("^")
        return int(b) ** int(e)
    return int(float(t)) if ("e" in t or "." in t) else int(t)


def fmt_count(n):
    """10^k -> '1e{k}', 2^k -> '2^{k}', else the digits (a spec gossipsim parses)."""
    for base, fmt in ((10, "1e{}"), (2, "2^{}")):
        k, v = 0, 1
        while v < n:
            v *= base
            k += 1
        if v == n and k > 0:
            return fmt.format(k)
    return str(n)


def bound_env(**extra):
    """The environment of a measured OpenMP program: threads pinned one per core, as docs/batch.md
    tells batch jobs to (OMP_PROC_BIND=close, OMP_PLACES=cores), unless the caller set either."""
    env = dict(os.environ, **extra)
    if "OMP_PROC_BIND" not in os.environ and "OMP_PLACES" not in os.environ:
        env.update(OMP_PROC_BIND="close", OMP_PLACES="cores")
    return env


def run_measured(argv, timeout, env=None):
    """Runs argv; returns (exit code, stdout, stderr, wall seconds, peak RSS bytes)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=out, stderr=err, env=env, start_new_session=True)
        deadline = t0 + timeout
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(p.pid, signal.SIGKILL)
                os.wait4(p.pid, 0)
                raise Failure(f"timed out after {timeout:.0f} s: {' '.join(argv)}")
            time.sleep(0.02)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return p.returncode, out.read().decode(), err.read().decode(), wall, ru.ru_maxrss * 1024


def last_error_line(stderr):
    lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else "(no message on stderr)"


class CpuLock:
    """Exclusive flock on the shared CPU lock while one point is timed (other helpers build under
    a shared lock). Waits up to `wait` seconds; if it cannot get it, the point runs anyway and is
    marked as taken under load. Records the 1-minute load average when the point starts."""

    def __init__(self, path, wait):
        self.path, self.wait, self.fd = path, wait, None
        self.alone = True if path else None  # None: no lock asked for, so unknown

    def __enter__(self):
        self.load = None
        if self.path:
            self.fd = os.open(self.path, os.O_RDONLY | os.O_CREAT, 0o644)
            t0 = time.time()
            while True:
                try:
                    fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.time() - t0 > self.wait:
                        self.alone = False
                        break
                    time.sleep(1)
        self.load = os.getloadavg()[0]
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            os.close(self.fd)  # releases the lock
        return False
