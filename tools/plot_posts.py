#!/usr/bin/env python3
"""Plot how the posts of a gossipsim posts run spread (docs/output.md, "Posts").

Left: each post's reach (the fraction of users holding it) against the rounds since it was
created, over every (post, trial) pair of the file: the median, the 10-90 % band, and a few
individual posts drawn faintly. After a trial ends a post's reach no longer changes, so each
curve is carried at its final value to the longest one.
Right: the distribution of the posts' final reach (the empirical CDF over the same pairs), with
the median marked.
The title says what was simulated, from the file's /parameters and /posts.

usage: plot_posts.py RUN.h5 -o reach.png [--individual K] [--log-x] [--xmax X] [--title T]
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
from plot_coverage import mode_title  # noqa: E402


def curves(run):
    """reach fraction [pairs][rounds since creation] over the finished trials' (post, trial)
    pairs, each carried at its final value; and the final reach fraction of each pair."""
    reach = run.post_reach(padded=True)  # [R][T][P]
    created = run.posts["created_round"].astype(int)
    rounds = run.trials["rounds"]
    n = max(run.n, 1)
    R = reach.shape[0]
    done = [t for t in range(reach.shape[1]) if rounds[t] >= 0]
    span = max((int(rounds[t]) - c + 1 for t in done for c in created), default=1)
    span = max(span, 1)
    out = np.zeros((len(done) * created.size, span))
    k = 0
    for t in done:
        last = int(rounds[t])
        for i, c in enumerate(created):
            row = reach[c:min(last, R - 1) + 1, t, i].astype(float) if c <= last else np.zeros(0)
            final = float(reach[min(last, R - 1), t, i]) if R else 0.0
            out[k, :] = final
            out[k, :row.size] = row
            k += 1
    return out / n, out[:, -1] / n if out.size else np.zeros(0)


def title(run):
    p = run.parameters
    what = mode_title(p)
    ttl = int(p.get("protocol.ttl", 0) or 0)
    if ttl:
        what += f", TTL {ttl}"
    lifetime = run.posts_lifetime or 0
    life = f"lifetime {lifetime} rounds" if lifetime else "no expiry"
    trials = int((run.trials["rounds"] >= 0).sum())
    return (f"{run.posts['id'].size} posts on {p.get('graph.source', '?')} (n = {run.n:,} users), {what}\n"
            f"{life}, {trials} trial{'s' if trials != 1 else ''}, seed {p.get('run.seed', '?')}")


def main(argv=None):
    ap = argparse.ArgumentParser(description="Reach of the posts of a gossipsim posts run (HDF5 output).")
    ap.add_argument("file", help="the run's output (gossipsim run ... -o RUN.h5)")
    ap.add_argument("-o", "--output", required=True, help="the image to write (.png, .pdf, .svg)")
    ap.add_argument("--individual", type=int, default=8, help="individual posts drawn faintly (default 8)")
    ap.add_argument("--log-x", action="store_true", help="rounds since creation on a log axis (from 1)")
    ap.add_argument("--xmax", type=float, help="the last round since creation shown (default: where 99 %% of the "
                    "posts have reached their final reach, and a quarter more)")
    ap.add_argument("--title", help="the title (default: from /parameters)")
    args = ap.parse_args(argv)

    try:
        run = gossip_h5.load(args.file)
    except (OSError, KeyError) as e:
        print(f"plot_posts.py: error: {args.file}: not a readable gossipsim output ({e})", file=sys.stderr)
        return 3
    if run.posts is None:
        print(f"plot_posts.py: error: {args.file} holds no posts (a run with posts.file or posts.count)",
              file=sys.stderr)
        return 3
    frac, final = curves(run)
    if frac.size == 0:
        print(f"plot_posts.py: error: {args.file} has no finished trial", file=sys.stderr)
        return 3

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(12, 4.8), gridspec_kw={"width_ratios": [3, 2]})
    x = np.arange(frac.shape[1])
    rng = np.random.default_rng(0)
    for k in rng.choice(frac.shape[0], size=min(args.individual, frac.shape[0]), replace=False):
        ax.plot(x, frac[k], color="0.55", lw=0.8, alpha=0.45, zorder=1)
    lo, med, hi = np.percentile(frac, [10, 50, 90], axis=0)
    ax.fill_between(x, lo, hi, color="tab:blue", alpha=0.25, lw=0, label="10-90 % of posts", zorder=2)
    ax.plot(x, med, color="tab:blue", lw=2.2, label="median over posts", zorder=3)
    ax.plot([], [], color="0.55", lw=0.8, alpha=0.6, label=f"{min(args.individual, frac.shape[0])} individual posts")
    ax.set_xlabel("rounds since the post was created")
    ax.set_ylabel("reach: fraction of users holding the post")
    ax.set_ylim(-0.02, 1.02)
    # Up to where 99 % of the posts have stopped growing (a quarter more), not the flat tail.
    settled = np.argmax(frac >= frac[:, -1:], axis=1)
    xmax = args.xmax if args.xmax else min(x[-1], int(np.ceil(1.25 * np.percentile(settled, 99))) + 1)
    ax.set_xlim(1 if args.log_x else 0, max(xmax, 2))
    if args.log_x:
        ax.set_xscale("log")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=9)
    ax.set_title(f"reach over time ({frac.shape[0]:,} post-trial pairs)", fontsize=10)

    xs = np.sort(final)
    ys = np.arange(1, xs.size + 1) / xs.size
    bx.step(np.concatenate([[0], xs]), np.concatenate([[0], ys]), where="post", color="tab:orange", lw=2)
    m = float(np.median(final))
    bx.axvline(m, color="0.3", ls="--", lw=1)
    bx.text(m, 0.04, f" median {m:.3g}", color="0.2", fontsize=9, ha="left" if m < 0.7 else "right")
    bx.set_xlabel("final reach: fraction of users holding the post at the trial's end")
    bx.set_ylabel("fraction of posts with at most this reach")
    bx.set_xlim(-0.02, 1.02)
    bx.set_ylim(0, 1.02)
    bx.grid(alpha=0.3)
    bx.set_title("distribution of final reach (empirical CDF)", fontsize=10)

    fig.suptitle(args.title or title(run), fontsize=11)
    fig.tight_layout()
    fig.savefig(args.output, dpi=120)
    print(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
