#!/usr/bin/env python3
"""Plot coverage against round from gossipsim HDF5 outputs: the mean over trials and a 5-95 %
band, one line per file (compare protocols or graphs). --log-residue plots 1 - coverage on a
log scale instead, which shows the tail of the spread.

usage: plot_coverage.py OUT.h5 [MORE.h5 ...] -o coverage.png [--log-residue] [--title T]
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gossip_h5  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description="Coverage against round: mean and 5-95 %% band over trials, one line per file.")
    p.add_argument("files", nargs="+", help="gossipsim output files")
    p.add_argument("-o", "--output", required=True, help="image to write (PNG, PDF or SVG by extension)")
    p.add_argument("--log-residue", action="store_true", help="plot the residue 1 - coverage on a log scale")
    p.add_argument("--labels", help="comma-separated legend labels (default: file names)")
    p.add_argument("--title", default=None)
    args = p.parse_args(argv)
    labels = args.labels.split(",") if args.labels else [os.path.basename(f) for f in args.files]
    if len(labels) != len(args.files):
        p.error("--labels needs one label per file")
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for path, label in zip(args.files, labels):
        run = gossip_h5.load(path)
        cov = run.coverage()
        y = 1.0 - cov if args.log_residue else cov
        mean = np.nanmean(y, axis=1)
        lo, hi = np.nanpercentile(y, [5, 95], axis=1)
        line, = ax.plot(run.step, mean, label=f"{label} ({cov.shape[1]} trials)")
        ax.fill_between(run.step, lo, hi, color=line.get_color(), alpha=0.25, linewidth=0)
    ax.set_xlabel("round")
    if args.log_residue:
        ax.set_yscale("log")
        ax.set_ylabel("residue (1 - coverage)")
    else:
        ax.set_ylabel("coverage")
        ax.set_ylim(0, 1.02)
    ax.set_title(args.title or "coverage: mean and 5-95 % over trials")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(args.output, dpi=120)
    return 0


if __name__ == "__main__":
    sys.exit(main())
