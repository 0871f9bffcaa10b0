#!/usr/bin/env python3
"""Plot gossipsim HDF5 outputs, one line per file: the median over trials with a band (5-95 %
or the interquartile range), against the round or, with --demers, residue against traffic.

  --y coverage    informed fraction of all n nodes (default); where the file has the trials'
                  reachable sets and they miss nodes (isolated or unreachable ones), the ceiling
                  they leave is drawn dashed: a plateau there is not slow convergence
  --y reachable   informed fraction of each trial's reachable set (reaches 1 when it converges)
  --y residue     1 - coverage on a log axis (--log-residue is the same), the floor dashed
  --y COUNTER     any per-round counter of /observables (messages, newly_informed, lost, ...)
  --demers        fraction uninformed (residue) against messages per node so far (traffic), the
                  view of Demers et al. 1987; dots are the trials' final (traffic, residue)

The legend names each file by its /parameters (mode, graph, n, and any key that differs between
the files) and counts the trials whose source was isolated (their reachable set is the source
alone); the title names the protocol when the files share it.

usage: plot_coverage.py OUT.h5 [MORE.h5 ...] -o coverage.png [--y WHAT] [--demers]
                        [--band q05-q95|iqr|none] [--xlim LO HI] [--log-x] [--log-y] [--labels A,B]
                        [--title T]
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

BANDS = {"q05-q95": (5, 95, "5-95 %"), "iqr": (25, 75, "interquartile range"), "none": None}
# Keys that say how a run was done, not what was simulated: never in a legend.
HOW = ("run.threads", "run.packed", "run.trial_offset", "output.", "graph.format", "graph.skip_lines")


def mode_title(p, detail=True):
    """What the files simulate, in words: the protocol with what changes its nature (and, with
    detail, its parameters)."""
    mode = p.get("protocol.mode", "?")
    stop = p.get("protocol.stop", "none")
    if mode == "flood":
        rec = float(p.get("protocol.recovery_prob", 1.0))
        if rec < 1:
            return f"SIR flooding (recovery {rec:g})" if detail else "SIR flooding"
        fp = float(p.get("protocol.forward_prob", 1.0))
        return "flooding" + (f", forward probability {fp:g}" if fp < 1 and detail else "")
    text = f"{mode} gossip"
    if stop and stop != "none":
        text = f"rumor mongering ({mode}, {stop}" + (f", k = {p.get('protocol.k')})" if detail else ")")
    fanout = int(p.get("protocol.fanout", 1))
    return text + (f", fanout {fanout}" if fanout > 1 and detail else "")


def legend_labels(runs):
    """mode, graph and n of each file, then the parameters in which the files differ."""
    keys = sorted(set().union(*(r.parameters for r in runs)))
    differ = [k for k in keys if not k.startswith(HOW) and k not in ("protocol.mode", "graph.source")
              and len({str(r.parameters.get(k)) for r in runs}) > 1]
    labels = []
    for r in runs:
        p = r.parameters
        text = f"{p.get('protocol.mode')} on {p.get('graph.source')}, n = {r.n:,}"
        extra = ", ".join(f"{k.split('.', 1)[1]} = {p.get(k)}" for k in differ)
        trials = f"{r.coverage().shape[1]} trials"
        reach = reachable(r)
        if reach is not None:  # trials whose rumor could not leave its sources (an isolated source)
            stuck = int(np.sum(reach <= int(p.get("protocol.sources", 1))))
            trials += f", {stuck} stuck at an isolated source" if stuck else ""
        labels.append(text + (f"; {extra}" if extra else "") + f" ({trials})")
    return labels


def carried(values):
    """[rounds][trials] with -1 (rounds after a trial ended) carried from its last round."""
    v = values.astype(float)
    for t in range(v.shape[1]):
        ended = np.flatnonzero(v[:, t] < 0)
        if ended.size and ended[0] > 0:
            v[ended[0]:, t] = v[ended[0] - 1, t]
        elif ended.size:
            v[:, t] = np.nan
    return v


def reachable(run):
    """Each trial's reachable-set size, or None where the file does not have it."""
    r = run.trials.get("reachable")
    if r is None or not np.all(r > 0):
        return None
    return r.astype(float)


def series(run, what):
    """(x, y [rounds][trials], ylabel) for --y WHAT against the round."""
    if what in ("coverage", "residue"):
        cov = run.coverage()
        return run.step, (1.0 - cov if what == "residue" else cov), (
            "residue (1 - coverage)" if what == "residue" else "coverage (informed / n)")
    if what == "reachable":
        reach = reachable(run)
        if reach is None:
            raise SystemExit(f"plot_coverage.py: error: {run.path} has no /trials/reachable (an older output?)")
        return run.step, carried(run.observables["informed"]) / reach[np.newaxis, :], "coverage of the reachable set"
    if what not in run.observables:
        raise SystemExit(f"plot_coverage.py: error: --y {what}: not a counter of {run.path} "
                         f"(valid: coverage, reachable, residue, {', '.join(sorted(run.observables))})")
    values = run.observables[what].astype(float)
    values[values < 0] = np.nan  # rounds after a trial ended
    return run.step, values, f"{what} per round"


def draw(ax, x, y, label, band):
    with np.errstate(all="ignore"):
        med = np.nanmedian(y, axis=1)
    line, = ax.plot(x, med, label=label)
    if band:
        lo, hi = np.nanpercentile(y, band[:2], axis=1)
        ax.fill_between(x, lo, hi, color=line.get_color(), alpha=0.22, linewidth=0)
    return line


def demers(ax, run, label, band):
    """Residue against traffic so far: per round, the median over trials of both."""
    traffic = np.nancumsum(carried_zero(run.observables["messages"]), axis=0) / run.n
    residue = 1.0 - run.coverage()
    with np.errstate(all="ignore"):
        x, y = np.nanmedian(traffic, axis=1), np.nanmedian(residue, axis=1)
    line, = ax.plot(x, y, label=label)
    if band:
        lo, hi = np.nanpercentile(residue, band[:2], axis=1)
        ax.fill_between(x, lo, hi, color=line.get_color(), alpha=0.22, linewidth=0)
    ax.scatter(run.trials["traffic"], run.trials["residue"], s=9, color=line.get_color(), alpha=0.6, linewidths=0)
    return line


def carried_zero(values):
    """A counter [rounds][trials] with the rounds after a trial ended as 0 (nothing more sent)."""
    v = values.astype(float)
    v[v < 0] = 0
    return v


def plot(argv=None):
    """The figure and the parsed arguments for a command line (main saves it)."""
    p = argparse.ArgumentParser(description="Median over trials with a band, one line per file: coverage, the "
                                            "residue, the reachable set's coverage or any counter against the "
                                            "round, or residue against traffic (--demers).")
    p.add_argument("files", nargs="+", help="gossipsim output files")
    p.add_argument("-o", "--output", required=True, help="image to write (PNG, PDF or SVG by extension)")
    p.add_argument("--y", default="coverage", help="coverage (default), reachable, residue, or a counter of "
                                                   "/observables such as messages")
    p.add_argument("--log-residue", action="store_true", help="the same as --y residue")
    p.add_argument("--demers", action="store_true", help="residue against traffic (messages per node so far)")
    p.add_argument("--band", choices=list(BANDS), default="q05-q95", help="the band around the median")
    p.add_argument("--xlim", nargs=2, type=float, metavar=("LO", "HI"), help="x-axis limits")
    p.add_argument("--log-y", action="store_true", help="a log y axis (residue and --demers have one)")
    p.add_argument("--log-x", action="store_true", help="a log x axis (linear up to 1): long tails")
    p.add_argument("--labels", help="comma-separated legend labels (default: from each file's /parameters)")
    p.add_argument("--title", default=None)
    args = p.parse_args(argv)
    what = "residue" if args.log_residue else args.y
    runs = [gossip_h5.load(f) for f in args.files]
    labels = args.labels.split(",") if args.labels else legend_labels(runs)
    if len(labels) != len(args.files):
        p.error("--labels needs one label per file")
    band = BANDS[args.band]

    fig, ax = plt.subplots(figsize=(8, 4.8))
    floors, ylabel = [], ""
    for run, label in zip(runs, labels):
        if args.demers:
            line = demers(ax, run, label, band)
        else:
            x, y, ylabel = series(run, what)
            line = draw(ax, x, y, label, band)
        reach = reachable(run)
        if reach is not None and what in ("coverage", "residue") and np.median(reach) < run.n:
            floors.append((float(np.median(reach)) / run.n, line.get_color(), run.n - float(np.median(reach))))

    log_y = args.log_y or args.demers or what == "residue"
    ceiling = what == "coverage" and not args.demers
    levels = {}
    for share, color, missing in floors:  # what the reachable set leaves out: a limit, not slowness
        levels.setdefault((share, missing), []).append(color)
    for (share, missing), colors in levels.items():  # files with the same limit share one line
        ax.axhline(share if ceiling else 1.0 - share, color=colors[0] if len(colors) == 1 else "0.4", linestyle="--",
                   linewidth=1, label=f"{'ceiling' if ceiling else 'floor'}: {missing:,.0f} nodes unreachable (median)")
    if args.demers:
        ax.set_xlabel("traffic (messages per node so far)")
        ax.set_ylabel("residue (fraction uninformed)")
        if all(r.parameters.get("protocol.stop", "none") != "none" for r in runs):
            m = np.linspace(0, ax.get_xlim()[1], 200)
            ax.plot(m, np.exp(-m), "k:", linewidth=1, label="s = exp(-m) (Demers et al. 1987)")
    else:
        ax.set_xlabel("round")
        ax.set_ylabel(ylabel)
        if what in ("coverage", "reachable") and not log_y:
            ax.set_ylim(0, 1.02)
    if log_y:
        ax.set_yscale("log")
    if args.log_x:
        ax.set_xscale("symlog", linthresh=1)
        ax.set_xlim(left=0)
    if args.xlim:
        ax.set_xlim(*args.xlim)
    modes = {mode_title(r.parameters) for r in runs}
    if len(modes) > 1:
        modes = {mode_title(r.parameters, detail=False) for r in runs}
    name = ylabel.split(" (")[0] if what in ("coverage", "reachable", "residue") else what
    view = "residue against traffic" if args.demers else f"{name} by round"
    stat = f"median and {band[2]} over trials" if band else "median over trials"
    ax.set_title(args.title or f"{modes.pop() + ': ' if len(modes) == 1 else ''}{view}\n{stat}", fontsize=11)
    ax.grid(alpha=0.3, which="both" if log_y else "major")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig, args


def main(argv=None):
    fig, args = plot(argv)
    fig.savefig(args.output, dpi=120)
    return 0


if __name__ == "__main__":
    sys.exit(main())
