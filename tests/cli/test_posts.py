#!/usr/bin/env python3
"""The posts output through the real binaries: `gossipsim timeline` (text, --json, --at, --trial,
lifetime, every error path with its exit code and one line), the Python loader's posts part,
tools/plot_posts.py writing a PNG, merge of posts runs (equal to one run; another scenario refused). The files come from posts_fixture
(tests/posts_fixture.hpp: a made-up run handed to the real HDF5 writer); the end-to-end class runs
`gossipsim run` with posts and is skipped while the binary has no posts keys (before the engine
and the scenario input are merged).

usage: test_posts.py PATH/TO/gossipsim PATH/TO/posts_fixture PROJECT_DIR
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

BIN = FIXTURE = ROOT = None

# The fixture's users (node: name, id) and posts (row: id, author node, created, text).
NAMES = ["Alice", "Bob", "Charlie", "Dave", "Bob"]
IDS = [10, 11, 12, 13, 14]
POSTS = {0: (3, 2, "Hello from Dave!"), 5: (0, 0, "Hello, this is my first post!"),
         3: (1, 0, "Hey, I'm new here too!"), 1: (2, 1, 'Greetings from Charlie!\nSecond line, "quoted", comma')}


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=300)


def h5diff(a, b):
    """h5diff's exit code for two outputs, the provenance and wall times excluded."""
    exclude = ["--exclude-path", "/provenance", "--exclude-path", "/trials/wall_seconds"]
    return subprocess.run(["h5diff", "-q", *exclude, a, b], capture_output=True, text=True).returncode


def one_error(test, r, code, *words):
    test.assertEqual(r.returncode, code, r.stderr)
    lines = r.stderr.strip().splitlines()
    test.assertEqual(len(lines), 1, r.stderr)
    test.assertTrue(lines[0].startswith("gossipsim: error: "), lines[0])
    for w in words:
        test.assertIn(w, lines[0])
    test.assertEqual(r.stdout, "")


class Tmp(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = pathlib.Path(tempfile.mkdtemp(prefix="gossip_posts_"))
        cls.files = {}
        for name, extra in {"plain": [], "life": ["--lifetime", "3"], "noarr": ["--no-arrivals"],
                            "noname": ["--no-names"]}.items():
            path = str(cls.dir / f"{name}.h5")
            subprocess.run([FIXTURE, path, *extra], check=True)
            cls.files[name] = path

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def timeline(self, name, *args):
        r = run("timeline", self.files[name], *args, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)


class Timeline(Tmp):
    def test_order_fields_and_json(self):
        t = self.timeline("plain", "--user", "11")
        self.assertEqual((t["user"], t["id"], t["trial"], t["round"], t["last_round"], t["lifetime"]),
                         ("Bob", 11, 0, 5, 5, 0))
        # Created round, then id: Bob's own (id 3) and Alice's (id 5) of round 0, Charlie's of
        # round 1, Dave's of round 2; neither the list order nor the id order.
        self.assertEqual([p["post"] for p in t["posts"]], [3, 5, 1, 0])
        self.assertEqual([(p["author"], p["author_id"], p["created"], p["arrived"], p["hops"]) for p in t["posts"]],
                         [("Bob", 11, 0, 0, 0), ("Alice", 10, 0, 1, 1), ("Charlie", 12, 1, 2, 1), ("Dave", 13, 2, 4, 2)])
        for p in t["posts"]:
            self.assertEqual(p["text"], POSTS[p["post"]][2])

    def test_at_round_and_trial(self):
        self.assertEqual([p["post"] for p in self.timeline("plain", "--user", "11", "--at", "2")["posts"]], [3, 5, 1])
        self.assertEqual([p["post"] for p in self.timeline("plain", "--user", "11", "--at", "0")["posts"]], [3])
        t = self.timeline("plain", "--user", "Alice", "--trial", "1")
        self.assertEqual((t["trial"], t["round"]), (1, 3))
        self.assertEqual([(p["post"], p["arrived"]) for p in t["posts"]], [(3, 3), (5, 0)])
        # The second Bob (id 14) saw nothing.
        self.assertEqual(self.timeline("plain", "--user", "14")["posts"], [])

    def test_lifetime_removes_posts_at_created_plus_lifetime(self):
        # L = 3: ids 3 and 5 (created 0) leave at round 3, id 1 (created 1) at 4, id 0 (created 2) at 5.
        at = lambda r: [p["post"] for p in self.timeline("life", "--user", "Charlie", "--at", str(r))["posts"]]
        self.assertEqual(at(2), [3, 5, 1])
        self.assertEqual(at(3), [1])
        self.assertEqual(at(4), [])
        self.assertEqual(at(5), [])
        self.assertEqual(at(1), [3, 1])  # Alice's post (id 5) reaches Charlie in round 2

    def test_text_output(self):
        r = run("timeline", self.files["plain"], "--user", "Bob", "--trial", "0", "--at", "2")
        self.assertEqual(r.returncode, 2)  # two users are named Bob
        r = run("timeline", self.files["plain"], "--user", "11", "--at", "2")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "Bob (id 11), trial 0, at round 2 of 5: 3 posts")
        self.assertEqual(lines[1].split(), ["created", "arrived", "hops", "post", "author", "text"])
        self.assertEqual(lines[2].split()[:6], ["0", "0", "0", "3", "Bob", "Hey,"])
        self.assertEqual(lines[3].split()[:5], ["0", "1", "1", "5", "Alice"])
        # One line per post: a newline in the text is shown escaped.
        self.assertIn('Greetings from Charlie!\\nSecond line, "quoted", comma', lines[4])
        self.assertEqual(len(lines), 5)
        r = run("timeline", self.files["life"], "--user", "12", "--at", "4")
        self.assertEqual(r.stdout, "Charlie (id 12), trial 0, at round 4 of 5: 0 posts "
                                   "(posts expire 3 rounds after they are created)\n")

    def test_names_default_to_ids(self):
        t = self.timeline("noname", "--user", "12")
        self.assertEqual(t["user"], "12")
        self.assertEqual([p["author"] for p in t["posts"]], ["11", "10", "12"])

    def test_errors(self):
        f = self.files["plain"]
        one_error(self, run("timeline", f, "--user", "Bob"), 2, "Bob", "ids 11, 14")
        one_error(self, run("timeline", f, "--user", "Zed"), 2, "'Zed'", "name or id")
        one_error(self, run("timeline", f, "--user", "99"), 2, "'99'")
        one_error(self, run("timeline", f, "--user", "11", "--at", "6"), 2, "--at 6", "last round is 5")
        one_error(self, run("timeline", f, "--user", "11", "--trial", "1", "--at", "4"), 2, "last round is 3")
        one_error(self, run("timeline", f, "--user", "11", "--at=-1"), 2, "--at -1")
        one_error(self, run("timeline", f, "--user", "11", "--trial", "7"), 2, "--trial 7", "trials 0 .. 1")
        one_error(self, run("timeline", f), 2, "--user")
        one_error(self, run("timeline", self.files["noarr"], "--user", "11"), 3, "no stored arrivals",
                  'output.arrivals = "on"')
        one_error(self, run("timeline", str(self.dir / "missing.h5"), "--user", "11"), 3, "missing.h5")
        junk = self.dir / "junk.h5"
        junk.write_text("not hdf5\n")
        one_error(self, run("timeline", str(junk), "--user", "11"), 3, "junk.h5")
        # A run without posts.
        out = str(self.dir / "rumor.h5")
        r = run("run", "-s", "graph.source=er:n=200,d=4", "--trials", "2", "--threads", "1", "-o", out, "--force")
        self.assertEqual(r.returncode, 0, r.stderr)
        one_error(self, run("timeline", out, "--user", "0"), 3, "holds no posts")


class Python(Tmp):
    def setUp(self):
        sys.path.insert(0, os.path.join(ROOT, "tools"))
        import gossip_h5  # noqa: F401
        self.g = sys.modules["gossip_h5"]

    def test_loader(self):
        run_ = self.g.load(self.files["plain"])
        self.assertEqual(run_.users["id"].tolist(), IDS)
        self.assertEqual(run_.users["name"], NAMES)
        self.assertEqual(run_.posts["id"].tolist(), [0, 5, 3, 1])
        self.assertEqual(run_.posts["text"], [POSTS[i][2] for i in (0, 5, 3, 1)])
        self.assertEqual(run_.posts["reach"].shape, (4, 2))
        self.assertEqual(run_.posts["reach"][1].tolist(), [4, 2])
        self.assertEqual(run_.posts_lifetime, 0)
        raw = run_.post_reach(padded=False)
        self.assertEqual(raw.shape, (6, 2, 4))
        self.assertEqual(raw[:, 1, 1].tolist(), [1, 1, 2, 2, -1, -1])
        self.assertEqual(run_.post_reach()[:, 1, 1].tolist(), [1, 1, 2, 2, 2, 2])
        a = self.g.load_arrivals(self.files["plain"])
        self.assertEqual(a["trial"].tolist(), [0] * 14 + [1] * 6)
        a1 = self.g.load_arrivals(self.files["plain"], trial=1)
        self.assertEqual(list(zip(a1["post"].tolist(), a1["user"].tolist(), a1["round"].tolist(), a1["hops"].tolist())),
                         [(0, 3, 2, 0), (1, 0, 0, 0), (1, 1, 2, 1), (2, 0, 3, 1), (2, 1, 0, 0), (3, 2, 1, 0)])
        self.assertIsNone(self.g.load_arrivals(self.files["noarr"]))
        self.assertEqual(self.g.load(self.files["plain"]).summary()["posts"], 4)
        r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gossip_h5.py"), self.files["plain"], "--json"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["users"], 5)

    def test_plot_posts(self):
        png = str(self.dir / "reach.png")
        r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "plot_posts.py"), self.files["life"], "-o", png],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(png, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        self.assertGreater(os.path.getsize(png), 20000)
        sys.path.insert(0, os.path.join(ROOT, "tools"))
        import plot_posts
        frac, final = plot_posts.curves(self.g.load(self.files["plain"]))
        self.assertEqual(frac.shape, (8, 6))  # 2 trials x 4 posts; Alice's trial-0 post spans rounds 0 .. 5
        np.testing.assert_allclose(frac[1], [0.2, 0.4, 0.6, 0.8, 0.8, 0.8])  # trial 0, row 1 (Alice's), n = 5
        np.testing.assert_allclose(frac[0], [0.2, 0.4, 0.6, 0.6, 0.6, 0.6])  # Dave's, created in round 2
        np.testing.assert_allclose(final, [0.6, 0.8, 0.8, 0.6, 0.2, 0.4, 0.4, 0.2])
        r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "plot_posts.py"), self.dir / "missing.h5", "-o",
                            png], capture_output=True, text=True)
        self.assertEqual(r.returncode, 3)


def has_posts_keys():
    r = run("config", "keys")
    return r.returncode == 0 and "posts.count" in r.stdout


class EndToEnd(unittest.TestCase):
    """`gossipsim run` with posts, then timeline and the plot (needs the engine and the scenario
    keys: skipped while `gossipsim config keys` has no posts.count)."""

    def setUp(self):
        if not has_posts_keys():
            self.skipTest("gossipsim has no posts keys yet (enabled once the posts engine and input are merged)")
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="gossip_posts_e2e_"))

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_stop_resume_and_changed_posts_file(self):
        """A posts run stopped at a round boundary resumes to the uninterrupted file; a resume after
        posts.csv changed is refused (its contents are in the checkpoint's fingerprint)."""
        d = self.dir / "social"
        shutil.copytree(pathlib.Path(ROOT) / "data" / "social", d)
        cfg = str(d / "social.toml")
        args = ["-s", "output.arrivals=on", "-s", "run.trials=3", "--threads", "2"]
        ref, out = str(self.dir / "ref.h5"), str(self.dir / "out.h5")
        self.assertEqual(run("run", cfg, *args, "-o", ref).returncode, 0)
        r = run("run", cfg, *args, "-o", out, "--max-hours", "1e-9")
        self.assertEqual(r.returncode, 75, r.stderr)
        r = run("run", cfg, *args, "-o", out, "--resume")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(h5diff(ref, out), 0)
        self.assertEqual(run("run", cfg, *args, "-o", out, "--force", "--max-hours", "1e-9").returncode, 75)
        posts = d / "posts.csv"
        posts.write_text(posts.read_text().replace("Greetings from Charlie!", "Greetings from Charly!"))
        r = run("run", cfg, *args, "-o", out, "--resume")
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("was made with other contents of graph.node_file, posts.users or posts.file",
                      r.stderr.strip().splitlines()[-1])

    def test_merge_equals_one_run(self):
        """Posts runs of one scenario in trial ranges merge into the file of one run over all the
        trials (/users, /posts, per-post rows, reach per round, arrivals), which the Python loader
        reads; parts of another scenario (posts.csv changed between them) are refused, exit 3."""
        d = self.dir / "social"
        shutil.copytree(pathlib.Path(ROOT) / "data" / "social", d)
        cfg = str(d / "social.toml")
        args = ["-s", "output.arrivals=on", "--threads", "2"]
        one, a, b, merged = (str(self.dir / x) for x in ("one.h5", "a.h5", "b.h5", "m.h5"))
        self.assertEqual(run("run", cfg, *args, "--trials", "5", "-o", one).returncode, 0)
        self.assertEqual(run("run", cfg, *args, "--trials", "2", "-o", a).returncode, 0)
        self.assertEqual(run("run", cfg, *args, "--trials", "3", "--trial-offset", "2", "-o", b).returncode, 0)
        r = run("merge", b, a, "-o", merged)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["trials"], 5)
        self.assertEqual(h5diff(one, merged), 0)
        sys.path.insert(0, os.path.join(ROOT, "tools"))
        import gossip_h5
        x, y = gossip_h5.load(one), gossip_h5.load(merged)
        self.assertEqual(y.users["name"], ["Alice", "Bob", "Charlie", "Dave"])
        np.testing.assert_array_equal(x.posts["reach"], y.posts["reach"])
        np.testing.assert_array_equal(x.post_reach(), y.post_reach())
        for t in range(5):
            xa, ya = gossip_h5.load_arrivals(one, trial=t), gossip_h5.load_arrivals(merged, trial=t)
            for col in ("post", "user", "round", "hops"):
                np.testing.assert_array_equal(xa[col], ya[col])
        for user in ("Alice", "Dave"):
            t = [json.loads(run("timeline", f, "--user", user, "--trial", "4", "--json").stdout) for f in (merged, one)]
            self.assertEqual((t[0].pop("file"), t[1].pop("file")), (merged, one))
            self.assertEqual(t[0], t[1])
        posts = d / "posts.csv"
        posts.write_text(posts.read_text().replace("Greetings from Charlie!", "Greetings from Charly!"))
        self.assertEqual(run("run", cfg, *args, "--trials", "3", "--trial-offset", "2", "-o", b, "--force").returncode, 0)
        r = run("merge", a, b, "-o", merged, "--force")
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertEqual(r.stderr.strip().splitlines(),
                         [f"gossipsim: error: {b}: another posts scenario than {a} (/posts/text differs)"])

    def test_memory_plan_counts_the_posts_parts(self):
        """memory_bytes of a posts run: the engine's bit planes, hops, stop counts and rows, and with
        -o the posts output's rows, chunks and a checkpoint's copy, sized as the code allocates them
        (docs/engine.md, "Memory"); the transient parts count once, the largest."""
        n, P, trials = 2000, 100, 2
        words = (P + 63) // 64

        def plan(*extra, out=True):
            args = ["run", "-s", f"graph.source=er:n={n},d=6", "-s", f"posts.count={P}", "-s", "posts.rate=10",
                    "--trials", str(trials), "--threads", "1", *extra]
            if out:
                args += ["-o", str(self.dir / "m.h5"), "--force"]
            r = run(*args)
            self.assertEqual(r.returncode, 0, r.stderr)
            j = json.loads(r.stdout.splitlines()[-1])
            m = j["memory"]
            transient = [m.get(k, 0) for k in ("posts_checkpoint", "posts_reachable")]
            self.assertEqual(j["memory_bytes"], sum(m.values()) - sum(transient) + max(transient))
            return m

        m = plan("-s", "protocol.mode=flood", "-s", "output.arrivals=on")
        self.assertEqual(m["posts_bits"], 3 * 8 * n * words)  # held, arrived, fresh
        self.assertNotIn("posts_hops", m)  # plain flood without delays: hops = rounds since creation
        self.assertEqual(m["posts_arrivals"], 2 * 16 * n * P)
        self.assertEqual(m["output_posts_rows"], 8 * P + 10 * min(n * P, 1 << 20))
        chunks = 7 * 8 * P + 8 * 64 * P + 5 * 4 * (1 << 16) + 2 * 8 * trials
        self.assertEqual(m["output_posts_chunks"], 3 * chunks)
        self.assertEqual(m["output_users"], 56 * n)
        self.assertIn("posts_checkpoint", m)
        self.assertNotIn("output_rows", m)  # no per-node rumor rows in a posts run
        bare = plan("-s", "protocol.mode=flood", "-s", "output.arrivals=on", out=False)
        self.assertFalse({"posts_checkpoint", "output_posts_rows", "output_posts_chunks"} & set(bare))
        m = plan("-s", "protocol.mode=push", "-s", "protocol.stop=feedback-counter", "-s", "protocol.k=2",
                 "-s", "run.stop_coverage=0.9", "-s", "output.arrivals=off")
        self.assertEqual(m["posts_bits"], 3 * 8 * n * words)  # held, arrived, lost interest
        self.assertEqual(m["posts_hops"], 64 * n * words)
        self.assertEqual(m["posts_stop_counts"], 64 * n * words)
        self.assertEqual(m["posts_reachable"], 8 * n * words + ((n + 4095) // 4096) * 64 * words * 8)
        self.assertNotIn("posts_arrivals", m)
        self.assertEqual(m["output_posts_rows"], 8 * P)

    def test_generated_posts(self):
        out = str(self.dir / "p.h5")
        r = run("run", "-s", "graph.source=er:n=300,d=6", "-s", "protocol.mode=flood", "-s", "protocol.forward_prob=0.5",
                "-s", "posts.count=40", "-s", "posts.rate=4", "-s", "output.arrivals=on", "--trials", "3",
                "--threads", "1", "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        summary = json.loads(r.stdout.splitlines()[-1])
        p = summary["posts"]
        self.assertEqual((p["count"], p["trials"]), (40, 3))
        with h5py.File(out, "r") as f:
            reach = f["posts/reach"][:]
            self.assertEqual(reach.shape, (40, 3))
            self.assertAlmostEqual(p["reach_mean"], reach.mean())
            self.assertEqual((p["reach_min"], p["reach_max"]), (reach.min(), reach.max()))
            self.assertEqual(f["users/id"].shape, (300,))
            rr = f["posts/reach_round"][:]
            rounds = f["trials/rounds"][:]
            for t in range(3):
                np.testing.assert_array_equal(rr[rounds[t], t, :], reach[:, t])
            # The arrivals give the reach: one row per (post, user) that holds it.
            first, count = f["posts/arrivals/first"][:], f["posts/arrivals/count"][:]
            post = f["posts/arrivals/post"][:]
            for t in range(3):
                np.testing.assert_array_equal(np.bincount(post[first[t]:first[t] + count[t]], minlength=40), reach[:, t])
        t = json.loads(run("timeline", out, "--user", "0", "--trial", "2", "--json").stdout)
        keys = [(p["created"], p["post"]) for p in t["posts"]]
        self.assertEqual(keys, sorted(keys))
        png = str(self.dir / "reach.png")
        r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "plot_posts.py"), out, "-o", png],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_four_friends_example(self):
        configs = sorted((pathlib.Path(ROOT) / "data" / "social").glob("*.toml"))
        small = [c for c in configs if "1e6" not in c.read_text() and "scale" not in c.name]
        if not small:
            self.skipTest("data/social has no small example config yet")
        out = str(self.dir / "four.h5")
        r = run("run", str(small[0]), "-s", "output.arrivals=on", "--threads", "1", "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        last = json.loads(run("timeline", out, "--user", "Alice", "--json").stdout)
        self.assertEqual(last["user"], "Alice")
        lifetime, seen_own = last["lifetime"], False
        for r in range(last["last_round"] + 1):
            t = json.loads(run("timeline", out, "--user", "Alice", "--at", str(r), "--json").stdout)
            keys = [(p["created"], p["post"]) for p in t["posts"]]
            self.assertEqual(keys, sorted(keys))
            for p in t["posts"]:
                self.assertLessEqual(p["created"], p["arrived"])
                self.assertLessEqual(p["arrived"], r)
                if lifetime:
                    self.assertLess(r, p["created"] + lifetime)
                if p["author"] == "Alice":
                    seen_own = True
                    self.assertEqual((p["hops"], p["arrived"]), (0, p["created"]))
        self.assertTrue(seen_own)


if __name__ == "__main__":
    BIN, FIXTURE, ROOT = (os.path.abspath(a) for a in sys.argv[1:4])
    unittest.main(argv=[sys.argv[0], "-v", *sys.argv[4:]])
