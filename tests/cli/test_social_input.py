#!/usr/bin/env python3
"""The social scenario's input through the real gossipsim binary (docs/usage.md, "Posts: a social
scenario"): users.csv and posts.csv relative to the config file, quoted CSV text, and every bad
input as one line: bad files exit 3 with path:line (a friendship naming a missing user: the edge
list's path:line:col), bad [posts] settings exit 2 naming the key.

usage: test_social_input.py PATH/TO/gossipsim REPO
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

BIN = None
REPO = None
ENV = dict(os.environ, OMP_NUM_THREADS="1")
NO_NODE_FILE = ["-s", "graph.node_file=", "-s", "network.join=none"]
USERS = "id,joined,name\n0,0,Alice\n1,0,Bob\n2,0,Charlie\n3,3,Dave\n"
POSTS = ('author,created,text\n0,0,"Hello, this is my first post!"\n1,0,"Hey, I\'m new here too!"\n'
         "2,1,Greetings from Charlie!\n3,3,Hello from Dave!\n")


def run(*args, cwd=None):
    return subprocess.run([BIN, *args], capture_output=True, text=True, env=ENV, cwd=cwd, timeout=300)


def error_lines(r):
    return [l for l in r.stderr.splitlines() if l.startswith("gossipsim: error:")]


class SocialInput(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.d = pathlib.Path(self.dir.name).resolve()
        for name in ("friends.txt", "social.toml"):
            shutil.copy(pathlib.Path(REPO) / "data" / "social" / name, self.d / name)
        self.write("users.csv", USERS)
        self.write("posts.csv", POSTS)
        self.cfg = str(self.d / "social.toml")

    def tearDown(self):
        self.dir.cleanup()

    def write(self, name, text):
        p = self.d / name
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(text)
        return str(p)

    def assert_accepted(self, r):
        """The input was read and the run ran."""
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_the_four_friends_are_read(self):
        # from another folder: the config's files are found beside it
        self.assert_accepted(run("run", self.cfg, cwd="/"))
        # texts with line breaks, quotes and commas inside quotes, CRLF line ends, a BOM
        self.write("posts.csv", '\ufeffauthor,created,text\r\n0,0,"two\r\nlines, ""quoted"""\r\n3,4,x\r\n')
        self.assert_accepted(run("run", self.cfg))
        # generated posts with users named
        self.assert_accepted(run("run", self.cfg, "-s", "posts.file=", "-s", "posts.count=8", "-s", "posts.rate=2"))

    def test_bad_files_exit_3_with_line(self):
        u, p, e = str(self.d / "users.csv"), str(self.d / "posts.csv"), str(self.d / "friends.txt")
        cases = [
            ("users.csv", USERS + "2,0,Carl\n", f"{u}:6: expected each user once, found user id 2 again (first on line 4)"),
            ("users.csv", USERS + "9,0,Eve\n",
             f"{u}:6: expected a user id that is a node of the graph (n = 4, ids 0 to 3), found 9"),
            ("users.csv", USERS.replace("Bob", ""), f"{u}:3: expected a name for user 1, found an empty field"),
            ("users.csv", USERS.replace("1,0,Bob", "1,0"), f"{u}:3: expected 3 fields (id,joined,name), found 2"),
            ("users.csv", USERS.replace("id,joined,name", "id,joined,nick"),
             f"{u}:1: expected a column named 'name' in the header, found the columns id,joined,nick"),
            ("users.csv", USERS.replace("3,3,Dave\n", ""),
             f"{e}:4:3: expected friendships between users of {u} (posts.users), found user id 3, which it does not list"),
            ("posts.csv", POSTS + "7,2,who?\n",
             f"{p}:6: expected an author that is a user of the graph (n = 4, ids 0 to 3), found user id 7"),
            ("posts.csv", POSTS + "1,-3,early\n",
             f"{p}:6: expected a created round (a whole number in [0, 2147483646]), found '-3' (negative)"),
            ("posts.csv", POSTS + "1,2\n", f"{p}:6: expected 3 fields (author,created,text), found 2"),
            ("posts.csv", POSTS + "1,2,Hello, world\n",
             f"{p}:6: expected 3 fields (author,created,text), found 4 (a field that holds a comma must be in quotes)"),
            ("posts.csv", POSTS.replace("0,0,", "0,0,\"A\nB\nC\"\n0,0,", 1) + "1,x,y\n",
             f"{p}:9: expected a created round (a whole number in [0, 2147483646]), found 'x'"),
            ("posts.csv", POSTS + "1,2,\"unclosed\n",
             f"{p}:6: expected a closing quote for the field opened on this line, found end of file"),
            ("posts.csv", "id," + POSTS.replace("\n0,", "\n5,0,").replace("\n1,", "\n5,1,").replace("\n2,", "\n6,2,")
             .replace("\n3,", "\n7,3,"), f"{p}:3: expected each post id once, found post id 5 again (first on line 2)"),
            ("posts.csv", POSTS.encode() + b"1,2,caf\xe9\n", f"{p}:6: expected UTF-8 text, found the byte 0xe9 (not UTF-8)"),
            ("posts.csv", "", f"{p}:1: expected a header row naming the columns (author,created,text[,id]), found end of file"),
        ]
        for name, text, message in cases:
            with self.subTest(message=message):
                self.write("users.csv", USERS)
                self.write("posts.csv", POSTS)
                self.write(name, text)
                # users.csv is social.toml's node file too: its reader would find the ids' problems first
                r = run("run", self.cfg, *NO_NODE_FILE)
                self.assertEqual(r.returncode, 3, r.stderr)
                self.assertEqual(error_lines(r), ["gossipsim: error: " + message])
        # Dave joins in round 3 (network.join = "file:joined"): his post cannot be created before
        self.write("posts.csv", POSTS.replace("3,3,Hello", "3,2,Hello"))
        r = run("run", self.cfg)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertEqual(error_lines(r), [f"gossipsim: error: {p}:5: expected a post created when its author is present, "
                                          "found round 2 and user id 3, who joins in round 3 (network.join = 'file:joined')"])
        os.remove(p)
        r = run("run", self.cfg)
        self.assertEqual(r.returncode, 3)
        self.assertEqual(error_lines(r), [f"gossipsim: error: {p}: cannot open: No such file or directory"])

    def test_bad_settings_exit_2(self):
        cases = [
            (["-s", "posts.count=5"], "posts.file and posts.count = 5 exclude each other (posts come from a file or are generated)"),
            (["-s", "posts.file=", "-s", "posts.count=5", "-s", "posts.rate=0"],
             "--set posts.rate=0: posts.rate must be in (0, 1000000000], got 0"),
            (["-s", "protocol.ttl=255"], "protocol.ttl = 255 is too large with posts: at most 254 (a post's hops are one byte)"),
            (["-s", "protocol.mode=push", "-s", "protocol.stop=feedback-counter", "-s", "protocol.k=300"],
             "protocol.k = 300 cannot be used with posts (posts.file): a counter stop rule keeps one byte per user and "
             "post (at most 255)"),
            (["-s", "run.packed=on"],
             "run.packed = 'on' cannot be used with posts (posts.file): posts are packed 64 to a word already"),
            (["-s", "output.arrivals=maybe"], "output.arrivals must be one of auto, on, off, got 'maybe'"),
            (["-s", "posts.file=", "-s", "posts.users=", "-s", "posts.lifetime=3"],
             "posts.lifetime needs posts (posts.file or posts.count)"),
            (["-s", "posts.file="], "posts.users needs posts (posts.file or posts.count)"),
        ]
        for sets, message in cases:
            with self.subTest(message=message):
                r = run("run", self.cfg, *sets)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertEqual(error_lines(r), ["gossipsim: error: " + message])
        r = run("run", "-s", "graph.source=ring:n=4", "-s", "posts.count=2", "-s", "protocol.mode=push-sum")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(error_lines(r), ["gossipsim: error: protocol.mode = 'push-sum' cannot be used with posts "
                                          "(posts.count): posts spread as rumors"])

    def test_config_show_resolves_paths(self):
        r = run("config", "show", self.cfg)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f'users = "{self.d / "users.csv"}"', r.stdout)
        self.assertIn(f'file = "{self.d / "posts.csv"}"', r.stdout)
        self.assertIn('arrivals = "auto"', r.stdout)


if __name__ == "__main__":
    BIN, REPO = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0]])
