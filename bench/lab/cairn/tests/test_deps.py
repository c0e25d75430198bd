"""tools/deps.sh and the Makefile's use of it: on a host that lacks a
package, `make test` stops before building with one line naming the
exact apt-get command (never a compiler or linker error).  The missing
tool is simulated: PATH is a directory of links to every host command
but the one taken away.  CAIRN_NO_INSTALL=1 keeps the script from
installing anything, whoever runs the test."""

import os
import shutil
import subprocess
import tempfile
import unittest

from . import labpath  # noqa: F401

DEPS = os.path.join(labpath.REPO, "tools", "deps.sh")
HOST_PATH = os.environ.get("PATH", "/usr/bin:/bin")


def path_without(*gone):
    """A PATH directory with links to every command on this host's PATH
    except those named (sudo too: the message must not depend on it)."""
    d = tempfile.mkdtemp(prefix="cairn-path-")
    gone = set(gone) | {"sudo"}
    for src in HOST_PATH.split(os.pathsep):
        if not os.path.isdir(src):
            continue
        for name in os.listdir(src):
            dst = os.path.join(d, name)
            if name in gone or os.path.lexists(dst):
                continue
            os.symlink(os.path.join(src, name), dst)
    return d


def run(cmd, path_dir, cwd=labpath.REPO):
    env = dict(os.environ, PATH=path_dir, CAIRN_NO_INSTALL="1")
    env.pop("CAIRN_DEPS_DONE", None)
    env.pop("MAKEFLAGS", None)
    env.pop("MAKELEVEL", None)
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


class DepsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.full = path_without()
        cls.no_qemu = path_without("qemu-system-x86_64")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.full)
        shutil.rmtree(cls.no_qemu)

    def test_nothing_missing_here(self):
        p = run(["sh", DEPS, "test"], self.full)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, "")

    def test_a_missing_tool_names_its_package_and_the_command(self):
        p = run(["sh", DEPS, "test"], self.no_qemu)
        self.assertEqual(p.returncode, 2)
        lines = p.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        root = os.geteuid() == 0
        want = ("cairn: missing for make test: qemu-system-x86; install "
                "with: %sapt-get update && %sapt-get install -y "
                "qemu-system-x86" % (("", "") if root else ("sudo ",
                                                             "sudo ")))
        self.assertEqual(lines[0], want)

    def test_make_test_stops_before_building(self):
        p = run(["make", "-n", "test"], self.no_qemu)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("cairn: missing for make test: qemu-system-x86",
                      p.stderr)
        self.assertIn("the host lacks what 'make test' needs", p.stderr)
        self.assertNotIn("gcc ", p.stdout)     # nothing was to be built

    def test_make_help_needs_nothing(self):
        p = run(["make", "help"], self.no_qemu)
        self.assertEqual(p.returncode, 0, p.stderr)


if __name__ == "__main__":
    unittest.main()
