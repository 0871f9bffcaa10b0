#!/usr/bin/env python3
"""Load a gossipsim HDF5 (H5MD) output file into numpy arrays, and pandas DataFrames when
pandas is installed (docs/output.md describes the layout).

    import gossip_h5                      # tools/ on sys.path
    run = gossip_h5.load("out.h5")
    run.observables["informed"]           # int64 [rounds][trials]; -1 after a trial ended
    run.trials["rounds"]                  # one entry per trial
    run.parameters["protocol.mode"]       # flat dotted config keys
    run.coverage()                        # float [rounds][trials], last value carried forward
    gossip_h5.load_nodes("out.h5")        # /nodes/informed_at [K][n] (-1 = never), or None
    gossip_h5.observables_frame(run)      # pandas: trial, round, counter, value (long format)
    gossip_h5.trials_frame(run)           # pandas: one row per trial
    run.users, run.posts                  # posts runs: /users (id, name), /posts columns (None otherwise)
    run.post_reach()                      # reach per round [rounds][trials][posts], last value carried
    gossip_h5.load_arrivals("out.h5")     # /posts/arrivals: trial, post (row), user, round, hops
    gossip_h5.posts_frame(run)            # pandas: one row per (post, trial)

A file still being written (or left by kill -9) is opened in SWMR read mode.
Command line: gossip_h5.py OUT.h5 [--json] prints a summary.
"""
import argparse
import json
import sys

import h5py
import numpy as np

try:
    import pandas as pd
except ImportError:  # optional: everything but the *_frame functions works without it
    pd = None

STATUS = {0: "running", 1: "complete", 2: "interrupted", 3: "failed"}


def _value(v):
    if isinstance(v, bytes):
        return v.decode()
    if isinstance(v, h5py.Empty):
        return []
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, np.generic):
        return v.item()
    return v


def open_file(path):
    """h5py.File for reading; SWMR mode when the writer is running or was killed."""
    try:
        return h5py.File(path, "r")
    except FileNotFoundError:
        raise
    except OSError:
        return h5py.File(path, "r", swmr=True)


class Run:
    """One output file, loaded: every array is a numpy array."""

    def __init__(self, path):
        self.path = str(path)
        with open_file(self.path) as f:
            self.status = STATUS.get(int(f["provenance/status"][0]), "unknown")
            self.parameters = {k: _value(v) for k, v in f["parameters"].attrs.items()}
            self.config_toml = _value(f["parameters/config.toml"][()])
            self.provenance = {k: _value(v) for k, v in f["provenance"].attrs.items()}
            self.graph = {k: _value(v) for k, v in f["graph"].attrs.items()}
            self.schema_version = _value(f["h5md/modules/gossipsim"].attrs["version"])
            self.step = f["observables/step"][:]
            self.observables = {name: g["value"][:] for name, g in f["observables"].items()
                                if isinstance(g, h5py.Group)}
            self.trials = {name: d[:] for name, d in f["trials"].items()}
            self.users = self.posts = None
            self.posts_lifetime = None
            if "posts" in f and "users" in f:
                self.users = {"id": f["users/id"][:], "name": _strings(f["users/name"])}
                self.posts = {name: (_strings(d) if name == "text" else d[:])
                              for name, d in f["posts"].items() if isinstance(d, h5py.Dataset) and name != "reach_round"}
                self.posts_lifetime = int(f["posts"].attrs["lifetime"])
        self.n = int(self.graph["n_nodes"])

    def post_reach(self, padded=True):
        """Reach per round [rounds][trials][posts] (/posts/reach_round): holders of each post at
        the end of each round. The file has -1 after a trial ended; padded=True carries each
        trial's last value forward instead (the reach no longer changes then). None without posts."""
        if self.posts is None:
            return None
        with open_file(self.path) as f:
            r = f["posts/reach_round"][:]
        if padded:
            for t in range(r.shape[1]):
                last = int(self.trials["rounds"][t]) if t < self.trials["rounds"].size else -1
                if last >= 0 and last + 1 < r.shape[0]:
                    r[last + 1:, t, :] = r[last, t, :]
        return r

    def coverage(self):
        """Informed fraction [rounds][trials]; a trial's final value is carried to later rounds."""
        inf = self.observables["informed"].astype(float)
        for t in range(inf.shape[1]):
            col = inf[:, t]
            ended = np.flatnonzero(col < 0)
            if ended.size and ended[0] > 0:
                col[ended[0]:] = col[ended[0] - 1]
            elif ended.size:
                col[:] = np.nan
        return inf / self.n if self.n else inf

    def post_name(self, row):
        """The text and author name of post `row` (its row in /posts)."""
        return self.posts["text"][row], self.users["name"][int(self.posts["author"][row])]

    def summary(self):
        rounds = self.trials["rounds"]
        done = self.trials["status"] >= 0
        cov = self.trials["coverage"][done] if "coverage" in self.trials else np.array([])
        eps = self.trials["round_eps"][done] if "round_eps" in self.trials else None  # aggregation
        return {
            "path": self.path, "status": self.status, "n": self.n, "graph": self.graph.get("source"),
            "mode": self.parameters.get("protocol.mode"), "trials": int(rounds.size),
            "trials_done": int(done.sum()), "rounds_written": int(self.step.size),
            "rounds_mean": float(rounds[done].mean()) if done.any() else None,
            "coverage_mean": float(cov.mean()) if cov.size else None,
            **({"converged": int((eps >= 0).sum())} if eps is not None else {}),
            "observables": sorted(self.observables),
            **({"posts": int(self.posts["id"].size), "users": int(self.users["id"].size)} if self.posts else {}),
        }


def load(path):
    return Run(path)


def load_nodes(path, snapshots=False):
    """/nodes/informed_at [K][n] int32 (-1 = never informed), or None when not written. With
    snapshots=True: (step [S], informed uint8 [S][K][n]), for aggregation (step [S], estimate
    float64 [S][K][n], NaN = undefined), or None."""
    with open_file(path) as f:
        if snapshots:
            for name in ("nodes/informed", "nodes/estimate"):
                if name in f:
                    return f[name + "/step"][:], f[name + "/value"][:]
            return None
        return f["nodes/informed_at"][:] if "nodes/informed_at" in f else None


def _strings(d):
    """A dataset of variable-length UTF-8 strings as a list of str."""
    return [x.decode() if isinstance(x, bytes) else str(x) for x in d[:]]


def load_arrivals(path, trial=None):
    """/posts/arrivals as numpy columns: trial (global index), post (row of /posts), user (node,
    row of /users), round, hops; only trial `trial` when given. None when the file has none
    (output.arrivals off)."""
    with open_file(path) as f:
        if "posts/arrivals/first" not in f:
            return None
        g = f["posts/arrivals"]
        names = ("trial", "post", "user", "round", "hops")
        if trial is None:
            return {k: g[k][:] for k in names}
        col = np.flatnonzero(f["trials/trial"][:] == trial)
        if col.size == 0 or g["first"][col[0]] < 0:
            return {k: g[k][:0] for k in names}
        a, n = int(g["first"][col[0]]), int(g["count"][col[0]])
        return {k: g[k][a:a + n] for k in names}


def _need_pandas():
    if pd is None:
        raise ImportError("pandas is not installed (python3-pandas); use the numpy arrays of load()")


def observables_frame(run):
    """Long format: one row per (trial, round, counter) that was recorded."""
    _need_pandas()
    frames = []
    trial_ids = run.trials["trial"]
    for name, v in run.observables.items():
        r, t = np.nonzero(v >= 0 if v.dtype.kind == "i" else ~np.isnan(v))  # fill: -1, NaN (aggregation)
        frames.append(pd.DataFrame({"trial": trial_ids[t], "round": run.step[r], "counter": name, "value": v[r, t]}))
    return pd.concat(frames, ignore_index=True)


def trials_frame(run):
    _need_pandas()
    return pd.DataFrame(run.trials)


def posts_frame(run):
    """One row per (post, trial): id, author (name), created_round, text and the trial's results
    (reach, rounds_50 .. rounds_full, max_hops, duplicates; -1 = absent)."""
    _need_pandas()
    p = run.posts
    P, T = p["reach"].shape
    rows = {"trial": np.tile(run.trials["trial"], P), "post": np.repeat(p["id"], T),
            "author": np.repeat([run.users["name"][int(a)] for a in p["author"]], T),
            "created_round": np.repeat(p["created_round"], T), "text": np.repeat(p["text"], T)}
    for k in ("reach", "rounds_50", "rounds_90", "rounds_99", "rounds_full", "max_hops", "duplicates"):
        rows[k] = p[k].reshape(-1)
    return pd.DataFrame(rows)


def main(argv=None):
    p = argparse.ArgumentParser(description="Summarise gossipsim HDF5 output files (numpy/pandas loader).")
    p.add_argument("files", nargs="+", help="gossipsim output files (OUT.h5)")
    p.add_argument("--json", action="store_true", help="one JSON object per file instead of text")
    args = p.parse_args(argv)
    for path in args.files:
        s = load(path).summary()
        if args.json:
            print(json.dumps(s))
        else:
            print(f"{s['path']}: {s['status']}, {s['graph']} (n = {s['n']}), {s['mode']}, "
                  f"{s['trials_done']}/{s['trials']} trials, {s['rounds_written']} rounds written, "
                  f"mean rounds {s['rounds_mean']}, mean coverage {s['coverage_mean']}"
                  + (f", {s['posts']} posts of {s['users']} users" if "posts" in s else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
