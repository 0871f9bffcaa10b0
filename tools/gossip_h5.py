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
        self.n = int(self.graph["n_nodes"])

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
                  f"mean rounds {s['rounds_mean']}, mean coverage {s['coverage_mean']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
