"""Plots of bench/scale's scale.csv: seconds per round against n, speedup against threads, bytes per
node against n. Only measured rows (status ok) are drawn; nothing is interpolated past them.
usage (alone): /usr/bin/python3 bench/scale_plot.py OUT_DIR
"""
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def load(path):
    with open(path) as f:
        return [r for r in csv.DictReader(f) if r["status"] == "ok"]


def series(rows, key):
    """{(tool, family, threads): [(n, value)]} sorted by n."""
    out = {}
    for r in rows:
        out.setdefault((r["tool"], r["family"], int(r["threads"])), []).append((int(r["n"]), float(r[key])))
    return {k: sorted(v) for k, v in sorted(out.items())}


def style(tool, family):
    return dict(marker="o" if family == "complete" else "s", linestyle="-" if tool == "gossipsim" else "--")


def per_round(rows, path):
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for (tool, fam, t), pts in series(rows, "s_per_round").items():
        ax.plot(*zip(*pts), label=f"{tool} {fam} {t} thr", **style(tool, fam))
    ax.set(xscale="log", yscale="log", xlabel="n (nodes)", ylabel="seconds per round",
           title="push, one trial from one source")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def speedup(rows, path):
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    base = {(r["family"], r["n"]): float(r["sim_s"]) for r in rows if r["tool"] == "gossipsim" and r["threads"] == "1"}
    lines = {}
    for r in rows:
        if r["tool"] == "gossipsim" and (r["family"], r["n"]) in base:
            lines.setdefault((r["family"], int(r["n"])), []).append((int(r["threads"]), base[(r["family"], r["n"])] / float(r["sim_s"])))
    top = 1
    for (fam, n), pts in sorted(lines.items()):
        pts.sort()
        top = max(top, pts[-1][0])
        ax.plot(*zip(*pts), label=f"{fam} n={n:.0e}", marker="o" if fam == "complete" else "s")
    ax.plot([1, top], [1, top], color="grey", linewidth=0.8, label="linear")
    ax.set(xlabel="threads", ylabel="speedup over 1 thread (sim seconds)", title="gossipsim push: thread scaling")
    ax.set_xticks(range(1, top + 1))
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def bytes_per_node(rows, path):
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for key, lab in (("bytes_per_node", "held"), ("peak_rss_per_node", "peak RSS")):
        for (tool, fam, t), pts in series(rows, key).items():
            if tool == "gossipsim" and t != max(int(r["threads"]) for r in rows):
                continue
            ax.plot(*zip(*pts), label=f"{tool} {fam}: {lab}", **style(tool, fam), alpha=1 if lab == "held" else 0.5)
    ax.set(xscale="log", yscale="log", xlabel="n (nodes)", ylabel="bytes per node",
           title="memory per node (held = graph + state, from memory_bytes)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot(out_dir):
    rows = load(os.path.join(out_dir, "scale.csv"))
    if not rows:
        print("bench/scale: no measured rows to plot", file=sys.stderr)
        return
    per_round(rows, os.path.join(out_dir, "scale_seconds_per_round.png"))
    speedup(rows, os.path.join(out_dir, "scale_speedup.png"))
    bytes_per_node(rows, os.path.join(out_dir, "scale_bytes_per_node.png"))


if __name__ == "__main__":
    plot(sys.argv[1])
