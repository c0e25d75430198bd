"""cairnlab.py continuous: BASE and HEAD benched in worktrees (faked build
and bench), the changed metrics printed with B/A."""

import os
import shutil
import sys
import unittest

from cairn import results

from .test_compare import run_lab
from .test_history import FAKE_BENCH, FAKE_QEMU, make_history


class Continuous(unittest.TestCase):
    """cairnlab.py continuous: BASE and HEAD benched in worktrees (faked
    build and bench), the changed metrics printed with B/A."""

    def run_continuous(self, costs, *extra):
        repo, shas = make_history(costs)
        self.addCleanup(shutil.rmtree, repo)
        script = os.path.join(repo, ".git", "fakebench.py")
        with open(script, "w") as f:
            f.write(FAKE_BENCH.replace("@QEMU@", repr(FAKE_QEMU)))
        env = {"CAIRNLAB_BUILD": "true",
               "CAIRNLAB_BENCH": "%s %s {tree} {commit} {results}"
               % (sys.executable, script)}
        p = run_lab(repo, "continuous", "--qemu", FAKE_QEMU, "--no-user",
                    *extra, env=env)
        return repo, shas, p

    def test_regression(self):
        repo, shas, p = self.run_continuous([1000, 1000, 1100])
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("building...", p.stdout)
        self.assertRegex(p.stdout, r"ipc\.sendrec\s+1000 .* \+100\s+"
                         r"\+10\.00%\s+1\.100\s+REGRESSION")
        self.assertEqual(sorted(f[3] for f in results.find_files(
            os.path.join(repo, "results"))), sorted(shas[1:]))

    def test_no_change_and_base(self):
        repo, shas, p = self.run_continuous([1000, 1100, 1100])
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("no metric changed", p.stdout)
        self.assertNotIn("ipc.sendrec  ", p.stdout)
        # BASE=HEAD~2 reaches back over the +10% step; HEAD is measured
        # already and not benched again.
        p = run_lab(repo, "continuous", "--base", shas[0], "--qemu",
                    FAKE_QEMU, "--no-user", env={
                        "CAIRNLAB_BUILD": "true",
                        "CAIRNLAB_BENCH": "%s %s {tree} {commit} {results}"
                        % (sys.executable, os.path.join(
                            repo, ".git", "fakebench.py"))})
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("already measured, skipped", p.stdout)
        self.assertIn("+10.00%", p.stdout)

    def test_errors(self):
        _, _, p = self.run_continuous([1000, 1000], "--base", "nope")
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown revision 'nope'", p.stdout)


if __name__ == "__main__":
    unittest.main()
