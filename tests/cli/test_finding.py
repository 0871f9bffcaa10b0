#!/usr/bin/env python3
"""Finding things: `gossipsim config keys` lists every key (type, default, allowed values,
meaning) and docs/config.md is its output; `cmake --install` puts the binary and the Python
tools under a chosen prefix; tools/run.sh configures only when needed.

usage: test_finding.py PATH/TO/gossipsim SOURCE_DIR BUILD_DIR
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import tomllib
import unittest

BIN = ROOT = BUILD = None


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=60)


class KeyReference(unittest.TestCase):
    def keys_output(self):
        r = run("config", "keys")
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def test_docs_config_md_is_the_generated_reference(self):
        doc = (ROOT / "docs" / "config.md").read_text()
        self.assertEqual(doc, self.keys_output(),
                         "docs/config.md is stale: regenerate it with `gossipsim config keys > docs/config.md`")

    def test_every_key_with_type_default_allowed_and_meaning(self):
        rows = {}
        for line in self.keys_output().splitlines():
            if line.startswith("| `"):
                cells = [c.strip() for c in line.strip("|").split(" | ")]
                self.assertEqual(len(cells), 5, line)
                rows[cells[0].strip("`")] = cells[1:]
        shown = tomllib.loads(run("config", "show").stdout)
        keys = [f"{s}.{k}" for s, t in shown.items() for k in t] + ["run.threads"]  # threads: unset by default
        self.assertEqual(sorted(rows), sorted(keys))
        for key in ("faults.crashed", "faults.churn", "faults.churn_fraction", "run.stop_coverage"):
            self.assertIn(key, rows)
        for key, (type_, default, allowed, meaning) in rows.items():
            with self.subTest(key=key):
                self.assertTrue(type_ and default and allowed, key)
                self.assertTrue(meaning.endswith(".") and len(meaning) > 15, meaning)
                section, name = key.split(".")
                if name in shown.get(section, {}):  # the default is the value config show prints
                    self.assertEqual(tomllib.loads(f"x = {default.strip('`')}")["x"], shown[section][name])
        self.assertEqual(rows["protocol.mode"][2], "`push`, `pull`, `push-pull`, `flood`, `push-sum`, `averaging`, `pairwise`")
        self.assertEqual(rows["faults.loss"][2], "[0, 1]")
        self.assertIn("[[events]]", self.keys_output())


class Install(unittest.TestCase):
    def test_install_to_a_prefix(self):
        with tempfile.TemporaryDirectory() as prefix:
            r = subprocess.run(["cmake", "--install", str(BUILD), "--prefix", prefix], capture_output=True, text=True,
                               timeout=120)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            bindir = pathlib.Path(prefix, "bin")
            for name in ("gossipsim", "gossip_h5.py", "plot_coverage.py", "plot_posts.py"):
                self.assertTrue(os.access(bindir / name, os.X_OK), name)
            r = subprocess.run([str(bindir / "gossipsim"), "--version"], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)


class RunScript(unittest.TestCase):
    """tools/run.sh in a copy of tools/ with stand-ins for cmake and dpkg-query that log their calls."""

    def test_configures_once(self):
        with tempfile.TemporaryDirectory() as d:
            root = pathlib.Path(d)
            shutil.copytree(ROOT / "tools", root / "tools", ignore=shutil.ignore_patterns("gossipsim", "*.py"))
            (root / "CMakePresets.json").write_text("{}")
            fake = root / "fakebin"
            fake.mkdir()
            log = root / "cmake.log"
            (fake / "cmake").write_text(f"""#!/bin/sh
echo "$*" >> {log}
if [ "$1" = --preset ]; then mkdir -p build/$2/tools; touch build/$2/CMakeCache.txt; fi
if [ "$1" = --build ]; then printf '#!/bin/sh\\necho gossipsim "$@"\\n' > build/release/tools/gossipsim;
  chmod +x build/release/tools/gossipsim; fi
""")
            (fake / "dpkg-query").write_text("#!/bin/sh\nprintf 'install ok installed'\n")
            for f in fake.iterdir():
                f.chmod(0o755)
            env = dict(os.environ, PATH=f"{fake}:{os.environ['PATH']}")
            for _ in range(2):
                r = subprocess.run([str(root / "tools" / "run.sh"), "--version"], capture_output=True, text=True,
                                   env=env, timeout=60)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stdout, "gossipsim --version\n")
            calls = log.read_text().splitlines()
            self.assertEqual([c.split()[0] for c in calls], ["--preset", "--build", "--build"], calls)
            self.assertIn("--target gossipsim", calls[1])
            # CMakePresets.json newer than the cache: configure again
            os.utime(root / "CMakePresets.json", (2e9, 2e9))
            subprocess.run([str(root / "tools" / "run.sh"), "--version"], capture_output=True, env=env, timeout=60)
            self.assertEqual(log.read_text().splitlines()[3].split()[0], "--preset")


if __name__ == "__main__":
    BIN = os.path.abspath(sys.argv.pop(1))
    ROOT = pathlib.Path(sys.argv.pop(1))
    BUILD = pathlib.Path(sys.argv.pop(1))
    unittest.main(verbosity=2)
