#!/usr/bin/env python3
"""Per-arc latencies and node files through the real gossipsim binary (docs/graphs.md):
graph info reports latencies only when asked for (graph.latency, --latency), convert keeps
them (.gcsr, .el column 3); network.join and partitions read columns of graph.node_file
(relative to the config file); every bad value is exit 3 with file:line:col, every bad
setting exit 2 naming the key.

usage: test_node_data.py PATH/TO/gossipsim
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

BIN = None
ENV = dict(os.environ, OMP_NUM_THREADS="1")
LAT = "expected a latency (a whole number of rounds in [0, 2^31 - 2]), found "


def run(*args, cwd=None):
    return subprocess.run([BIN, *args], capture_output=True, text=True, env=ENV, cwd=cwd, timeout=300)


def error_lines(r):
    return [l for l in r.stderr.splitlines() if l.startswith("gossipsim: error:")]


class Latencies(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.d = pathlib.Path(self.dir.name)

    def tearDown(self):
        self.dir.cleanup()

    def write(self, name, text):
        p = self.d / name
        p.write_text(text)
        return str(p)

    def info(self, *args):
        r = run("graph", "info", *args, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def test_info_and_convert(self):
        # a SNAP-style file with a weight and a timestamp: loads as before unless asked
        g = self.write("w.txt", "# u v latency time\n0 1 4 100\n1 2 1 200\n2 0 7 300\n2 3 2 400\n")
        j = self.info(g)
        self.assertEqual((j["n"], j["edges"], j["latencies"]), (4, 4, False))
        self.assertNotIn("latency_min", j)
        j = self.info(g, "--latency", "column:3")
        self.assertEqual((j["latencies"], j["latency_min"], j["latency_max"], j["latency_mean"]), (True, 1, 7, 3.5))
        j = self.info(g, "--latency", "column:4", "--directed")
        self.assertEqual((j["latency_min"], j["latency_max"], j["latency_mean"]), (100, 400, 250))
        out = str(self.d / "w.gcsr")
        r = run("graph", "convert", g, out, "--latency", "column:3")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("latencies kept", r.stderr)
        j = self.info(out)  # a .gcsr brings its latencies
        self.assertEqual((j["format"], j["latencies"], j["latency_min"], j["latency_max"]), ("gcsr", True, 1, 7))
        el = str(self.d / "back.el")
        self.assertEqual(run("graph", "convert", out, el).returncode, 0)
        self.assertEqual(pathlib.Path(el).read_text(), "0 1 4\n0 2 7\n1 2 1\n2 3 2\n")
        back = str(self.d / "back.gcsr")
        self.assertEqual(run("graph", "convert", el, back, "--latency", "column:3").returncode, 0)
        self.assertEqual(pathlib.Path(out).read_bytes(), pathlib.Path(back).read_bytes())
        r = run("graph", "convert", out, str(self.d / "x.graph"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("cannot hold latencies: they are not written", r.stderr)
        mtx = self.write("m.mtx", "%%MatrixMarket matrix coordinate integer symmetric\n3 3 2\n2 1 5\n3 2 0\n")
        j = self.info(mtx, "--latency", "column:3")
        self.assertEqual((j["latency_min"], j["latency_max"], j["latency_mean"]), (0, 5, 2.5))
        # a run with latencies read (the engine's faults.delay = "edge" reads them)
        r = run("run", "-s", f"graph.source={g}", "-s", "graph.latency=column:3")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_bad_values_exit_3_with_position(self):
        cases = {
            "0 1 2\n1 2\n": "{p}:2:4: expected a latency in column 3 (graph.latency), found end of line",
            "0 1 2\n1 2 -1\n": "{p}:2:5: " + LAT + "'-1' (negative)",
            "0 1 2.5\n": "{p}:1:5: " + LAT + "'2.5' (not a whole number)",
            "0 1 nan\n": "{p}:1:5: " + LAT + "'nan' (not finite)",
            "0 1 inf\n": "{p}:1:5: " + LAT + "'inf' (not finite)",
            "0 1 9999999999\n": "{p}:1:5: " + LAT + "'9999999999' (too large)",
            "0 1 fast\n": "{p}:1:5: " + LAT + "'fast'",
        }
        for text, message in cases.items():
            p = self.write("bad.txt", text)
            for cmd in (["graph", "info", p, "--latency", "column:3"],
                        ["graph", "convert", p, str(self.d / "o.gcsr"), "--latency", "column:3"],
                        ["run", "-s", f"graph.source={p}", "-s", "graph.latency=column:3"]):
                with self.subTest(text=text, cmd=cmd[:2]):
                    r = run(*cmd)
                    self.assertEqual(r.returncode, 3, r.stderr)
                    self.assertEqual(error_lines(r), ["gossipsim: error: " + message.format(p=p)])
        self.assertFalse((self.d / "o.gcsr").exists())
        pattern = self.write("p.mtx", "%%MatrixMarket matrix coordinate pattern symmetric\n2 2 1\n2 1\n")
        r = run("graph", "info", pattern, "--latency", "column:3")
        self.assertEqual(r.returncode, 3)
        self.assertEqual(error_lines(r), [f"gossipsim: error: {pattern}:1:34: expected 'integer' or 'real' entries to "
                                          "read latencies from (graph.latency), found a 'pattern' matrix (no values)"])
        plain = str(self.d / "plain.gcsr")
        self.assertEqual(run("graph", "convert", "ring:n=5", plain).returncode, 0)
        r = run("run", "-s", f"graph.source={plain}", "-s", "graph.latency=column:3")
        self.assertEqual(r.returncode, 3)
        self.assertEqual(error_lines(r), [f"gossipsim: error: {plain}: graph.latency = 'column:3' but this binary CSR "
                                          "holds no latencies (convert a file read with graph.latency)"])

    def test_bad_settings_exit_2(self):
        g = self.write("w.txt", "0 1 4\n")
        metis = self.write("g.graph", "2 1\n2\n1\n")
        mtx = self.write("m.mtx", "%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 2 3\n")
        cases = [
            (["run", "-s", f"graph.source={g}", "-s", "graph.latency=column:2"],
             "graph.latency must be none or column:K (K >= 3, the column of per-arc latencies), got 'column:2'"),
            (["graph", "info", g, "--latency", "col3"],
             "graph.latency must be none or column:K (K >= 3, the column of per-arc latencies), got 'col3'"),
            (["run", "-s", "graph.latency=column:3"],
             "graph.latency = 'column:3' needs a graph file (an edge list, Matrix Market or .gcsr); 'er:n=1e5,d=8' "
             "is a generator spec"),
            (["graph", "info", metis, "--latency", "column:3"],
             "graph.latency = 'column:3': metis files have no latencies (use an edge list, Matrix Market or .gcsr "
             "file)"),
            (["graph", "info", mtx, "--latency", "column:4"],
             f"graph.latency = 'column:4': a Matrix Market entry 'i j value' holds its value in column 3 ({mtx})"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                r = run(*args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertEqual(error_lines(r), ["gossipsim: error: " + message])


class NodeFiles(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.d = pathlib.Path(self.dir.name)
        # a path 10 - 11 - ... - 29 with ids from 10 (renumbered, originals kept)
        (self.d / "g.txt").write_text("".join(f"{v} {v + 1}\n" for v in range(10, 29)))

    def tearDown(self):
        self.dir.cleanup()

    def config(self, nodes, extra=""):
        (self.d / "nodes.csv").write_text(nodes)
        (self.d / "a.toml").write_text('[graph]\nsource = "g.txt"\nnode_file = "nodes.csv"\n'
                                       '[protocol]\nmode = "flood"\nsource_nodes = [0]\n' + extra)
        return str(self.d / "a.toml")

    def good_nodes(self):
        return "id,joined,region\n" + "".join(f"{v},{v - 10},{(v - 10) // 10}\n" for v in reversed(range(10, 30)))

    def test_join_and_partition_from_a_node_file(self):
        cfg = self.config(self.good_nodes(), '[network]\njoin = "file:joined"\n')
        r = run("run", cfg, cwd="/")  # the node file is found beside the config file
        self.assertEqual(r.returncode, 0, r.stderr)
        j = json.loads(r.stdout)
        # node v (id v + 10) joins in round v, just in time for the flood from node 0
        self.assertEqual((j["n"], j["stats"]["final_informed"]["mean"], j["stats"]["rounds"]["mean"]), (20, 20, 19))
        cfg = self.config(self.good_nodes(),
                          '[[events]]\nround = 0\naction = "partition"\ngroups = "file:region"\n')
        r = run("run", cfg, cwd="/")
        self.assertEqual(r.returncode, 0, r.stderr)
        j = json.loads(r.stdout)  # ids 10 .. 19 (region 0) are cut from ids 20 .. 29 (region 1)
        self.assertEqual(j["stats"]["final_informed"]["mean"], 10)
        r = run("config", "show", cfg)
        self.assertIn(f'node_file = "{(self.d / "nodes.csv").resolve()}"', r.stdout)
        self.assertIn('groups = "file:region"', r.stdout)

    def test_bad_node_files_exit_3_with_position(self):
        p = str((self.d / "nodes.csv").resolve())
        good = self.good_nodes().splitlines()
        cases = {
            "": "{p}:1:1: expected a header row naming the columns (id first), found end of file",
            "id,region\n": "{p}:1:1: expected a column named 'joined' in the header, found the columns region",
            "\n".join(good[:-1]) + "\n": "{p}:21:1: expected a row for each of the n = 20 nodes, found 19 (none for node id 10)",
            "\n".join(good + ["12,3,0"]) + "\n": "{p}:22:1: expected each node once, found node id 12 again (first on line 19)",
            "\n".join(good[:3] + ["26,-2,1"] + good[4:]) + "\n":
                "{p}:4:4: column 'joined': expected a whole number in [0, 2147483646], found '-2' (negative)",
            "\n".join(good[:3] + ["26,2.5,1"] + good[4:]) + "\n":
                "{p}:4:4: column 'joined': expected a whole number in [0, 2147483646], found '2.5' (not a whole number)",
            "\n".join(good[:3] + ["5,2,1"] + good[4:]) + "\n":
                "{p}:4:1: expected a node id of the graph (n = 20, its original ids), found 5",
            "\n".join(good[:3] + ["26"] + good[4:]) + "\n": "{p}:4:3: expected a value for column 'joined', found end of line",
        }
        for text, message in cases.items():
            with self.subTest(text=text[:40]):
                cfg = self.config(text, '[network]\njoin = "file:joined"\n')
                r = run("run", cfg)
                self.assertEqual(r.returncode, 3, r.stderr)
                self.assertEqual(error_lines(r), ["gossipsim: error: " + message.format(p=p)])
        cfg = self.config("id,joined\n", '[[events]]\nround = 1\naction = "partition"\ngroups = "file:zone"\n')
        r = run("run", cfg)
        self.assertEqual(r.returncode, 3)
        self.assertEqual(error_lines(r), [f"gossipsim: error: {p}:1:1: expected a column named 'zone' in the header, "
                                          "found the columns joined"])
        os.remove(p)
        r = run("run", cfg)
        self.assertEqual(r.returncode, 3)
        self.assertEqual(error_lines(r), [f"gossipsim: error: {p}: cannot open: No such file or directory"])

    def test_bad_settings_exit_2(self):
        r = run("run", "-s", "network.join=file:joined")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(error_lines(r), ["gossipsim: error: network.join = 'file:joined' needs graph.node_file "
                                          "(the file holding column 'joined')"])
        cfg = self.config(self.good_nodes(), '[network]\njoin = "file:joined"\n')
        r = run("run", cfg, "-s", "protocol.source_nodes=[3]")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(error_lines(r), ["gossipsim: error: protocol.source_nodes: node 3 joins in round 3 "
                                          "(network.join = 'file:joined'): a source is present at round 0"])


if __name__ == "__main__":
    BIN = sys.argv.pop(1)
    unittest.main()
