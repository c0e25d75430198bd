"""History, bisection, change points and the report, on tiny temporary git
repositories whose build and bench steps are faked (no QEMU, no make)."""

import os
import random
import shutil
import subprocess
import sys
import tempfile
import unittest

from . import labpath  # noqa: F401
from cairn import fingerprint, history, results

from .test_compare import (boot_metrics, exact_metrics, git, run_lab,
                          store)

FAKE_QEMU = os.path.join(labpath.HERE, "fake_qemu.py")

# Writes the icount result a bench of {tree} would: ipc.sendrec costs the
# number in the tree's file "cost".  Run as: fakebench.py TREE SHA RESULTS
FAKE_BENCH = """\
import os, sys
from cairn import fingerprint, records, results
tree, sha, root = sys.argv[1:4]
cost = int(open(os.path.join(tree, "cost")).read())
fp = fingerprint.make("icount", 2, @QEMU@)
path = results.result_path(root, "icount", fingerprint.machine_id(fp),
                           "smp2-m128-cpuqemu32-kernelonly", sha)
m = records.Metric("ipc.sendrec", "tsc", 1, "", 5, [(cost + 40, 40)] * 10,
                   True)
results.append_boot(path, results.header_lines(
    results.Source(sha, "s", "", []), "icount",
    "smp2-m128-cpuqemu32-kernelonly", fp, "q"), [m], 1)
print("fake bench of %s: %d" % (sha[:8], cost))
"""


def make_history(costs, broken=()):
    """A repo with one commit per cost (file "cost"); commits whose index
    is in broken have a file "broken" (the fake build fails there).
    Returns (repo, [sha, ...])."""
    d = tempfile.mkdtemp(prefix="cairnlab-hist-")
    git(d, "init", "-q")
    git(d, "config", "user.email", "lab@cairn.invalid")
    git(d, "config", "user.name", "lab test")
    shas = []
    for i, cost in enumerate(costs):
        with open(os.path.join(d, "cost"), "w") as f:
            f.write("%d\n" % cost)
        if i in broken:
            open(os.path.join(d, "broken"), "w").close()
        elif os.path.exists(os.path.join(d, "broken")):
            os.remove(os.path.join(d, "broken"))
        git(d, "add", "-A")
        git(d, "commit", "-q", "--allow-empty", "-m",
            "commit %d: cost %d" % (i, cost))
        shas.append(results.head_commit(d))
    return d, shas


def worktrees(repo):
    out = subprocess.run(["git", "-C", repo, "worktree", "list"],
                         capture_output=True, text=True).stdout
    return [l for l in out.splitlines() if l.strip()]


class Fakes:
    """Injectable build and bench: the build fails where the tree has a
    file "broken"; the bench stores the tree's cost under root."""

    def __init__(self, root):
        self.root = root
        self.built, self.benched = [], []
        self.fp = fingerprint.make("icount", 2, cpu="Test CPU", kernel="k",
                                   qemu="7.2")

    def path(self, sha):
        return results.result_path(self.root, "icount",
                                   fingerprint.machine_id(self.fp), "cfg", sha)

    def has(self, sha):
        return os.path.exists(self.path(sha))

    def build(self, tree):
        self.built.append(tree)
        if os.path.exists(os.path.join(tree, "broken")):
            return False, "cc: error: no broken.c\nmake: *** Error 1"
        return True, "ok"

    def bench(self, tree, sha):
        self.benched.append(sha)
        with open(os.path.join(tree, "cost")) as f:
            cost = int(f.read())
        store(self.root, "icount", sha, [exact_metrics({"ipc.sendrec": cost})],
              machine_fp=self.fp, config="cfg")
        return 0

    def value(self, sha):
        rf = results.read(self.path(sha))
        return rf.values("ipc.sendrec")[0]


class Measure(unittest.TestCase):
    def setUp(self):
        self.repo, self.shas = make_history([1000] * 6, broken={3})
        self.root = os.path.join(self.repo, "results")

    def tearDown(self):
        shutil.rmtree(self.repo)

    def test_range_semantics(self):
        s = self.shas
        self.assertEqual(history.commit_range(self.repo, "%s..%s" % (s[1],
                                                                    s[4])),
                         s[2:5])
        self.assertEqual(history.commit_range(self.repo, "%s^..%s" % (s[1],
                                                                     s[4])),
                         s[1:5])
        self.assertEqual(history.commit_range(self.repo, s[2][:9]), [s[2]])
        with self.assertRaises(history.RangeError):
            history.commit_range(self.repo, "nope..HEAD")

    def test_skips_measured_and_unbuildable(self):
        f = Fakes(self.root)
        f.bench(self.repo, self.shas[1])       # already measured
        f.benched.clear()
        notes = []
        out = history.measure(self.repo, self.shas, f.has, f.build, f.bench,
                              log=notes.append)
        self.assertEqual([o.status for o in out],
                         ["measured", "skipped", "measured", "build failed",
                          "measured", "measured"])
        self.assertEqual(f.benched, [self.shas[i] for i in (0, 2, 4, 5)])
        self.assertEqual(len(f.built), 5)
        self.assertIn("[1/6] %s building... (commit 0: cost 1000)"
                      % self.shas[0][:7], notes)
        self.assertIn("[2/6] %s already measured, skipped (commit 1: cost "
                      "1000)" % self.shas[1][:7], notes)
        self.assertTrue(any(n.startswith("[4/6] %s build FAILED, skipped"
                                         % self.shas[3][:7]) and
                            "make: *** Error 1" in n for n in notes))
        # Every worktree is gone, and so are their directories.
        self.assertEqual(len(worktrees(self.repo)), 1)
        self.assertFalse(any(os.path.exists(t) for t in f.built))
        # A second run has nothing left to do but the broken commit.
        f.built.clear()
        out = history.measure(self.repo, self.shas, f.has, f.build, f.bench,
                              log=notes.append)
        self.assertEqual([o.status for o in out].count("skipped"), 5)
        self.assertEqual(len(f.built), 1)

    def test_worktree_removed_on_failure(self):
        trees = []

        def exploding_build(tree):
            trees.append(tree)
            raise ValueError("boom")
        with self.assertRaises(ValueError):
            history.measure(self.repo, self.shas[:1], lambda s: False,
                            exploding_build, None, log=lambda s: None)
        self.assertEqual(len(worktrees(self.repo)), 1)
        self.assertFalse(os.path.exists(trees[0]))

    def test_cli_history(self):
        # The real bench path (cairnlab.py bench --commit --results, with
        # fake_qemu.py), a faked build.
        s = self.shas
        env = {"CAIRNLAB_BUILD": "mkdir -p {tree}/build && touch "
               "{tree}/build/kernel.elf && test ! -e {tree}/broken"}
        p = run_lab(self.repo, "history", "%s..%s" % (s[1], s[3]), "--qemu",
                    FAKE_QEMU, "--no-user", "--no-kvm", env=env)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)   # s[3] broke
        self.assertIn("[1/2] %s building..." % s[2][:7], p.stdout)
        self.assertIn("[2/2] %s build FAILED, skipped" % s[3][:7], p.stdout)
        self.assertIn("1 build failed, 1 measured", p.stdout)
        files = results.find_files(self.root)
        self.assertEqual([f[3] for f in files], [s[2]])
        self.assertEqual(results.read(files[0][4]).header["commit"], s[2])
        p = run_lab(self.repo, "history", "%s^..%s" % (s[2], s[2]), "--qemu",
                    FAKE_QEMU, "--no-user", "--no-kvm", env=env)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("[1/1] %s already measured, skipped" % s[2][:7],
                      p.stdout)
        self.assertEqual(len(worktrees(self.repo)), 1)

    def test_history_probes_once_and_is_brief(self):
        # Three commits to bench: one KVM probe for all of them, passed on
        # as --kvm-known, and each bench prints a line, not the table.
        import argparse
        from types import SimpleNamespace
        from unittest import mock
        from cairn import qemu
        from cairn.commands import common
        os.makedirs(os.path.join(self.repo, "build"))
        open(os.path.join(self.repo, "build", "kernel.elf"), "w").close()
        probes, cmds = [], []

        def probe(kernel, workdir, binary=None, timeout=None):
            probes.append(kernel)
            return qemu.Probe(True, "fake")

        def run(cmd, *a, **k):
            cmds.append(cmd)
            return SimpleNamespace(returncode=0)
        with mock.patch.object(qemu, "probe_kvm", probe), \
                mock.patch.object(common.subprocess, "run", run), \
                mock.patch.dict(os.environ, {"CAIRNLAB_BENCH": ""}), \
                mock.patch.object(common, "say", lambda *a: None):
            os.environ.pop("CAIRNLAB_BENCH")
            ns = argparse.Namespace(**{a: None for a, _ in
                                       common.BENCH_PASS})
            ns.__dict__.update(repo=self.repo, series="icount,kvm",
                               no_kvm=False, no_user=True, jobs=1)
            _, bench = common.history_steps(ns, self.root)
            for sha in self.shas[:3]:
                bench("/tree", sha)
        self.assertEqual(len(probes), 1)
        self.assertEqual(len(cmds), 3)
        for cmd in cmds:
            self.assertIn("--brief", cmd)
            self.assertEqual(cmd[cmd.index("--kvm-known") + 1], "yes")

    def test_brief_bench(self):
        os.makedirs(os.path.join(self.repo, "build"))
        kernel = os.path.join(self.repo, "build", "kernel.elf")
        open(kernel, "w").close()
        p = run_lab(self.repo, "bench", "--kernel", kernel, "--qemu",
                    FAKE_QEMU, "--no-user", "--kvm-known", "no", "--brief")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("[icount] 1 boot stored in results/icount/", p.stdout)
        self.assertNotIn("median", p.stdout)
        self.assertIn("probed once by the caller (--kvm-known no)", p.stdout)

    def test_bench_commit_must_match(self):
        os.makedirs(os.path.join(self.repo, "build"))
        kernel = os.path.join(self.repo, "build", "kernel.elf")
        open(kernel, "w").close()
        p = run_lab(self.repo, "bench", "--kernel", kernel, "--qemu",
                    FAKE_QEMU, "--no-user", "--no-kvm", "--commit",
                    self.shas[0])
        self.assertEqual(p.returncode, 2)
        self.assertIn("not at --commit %s" % self.shas[0][:12], p.stdout)


# 8 commits; the cost moves at commit 5 (index 5), by 10%.
COSTS = [1000, 1000, 1000, 1000, 1000, 1100, 1100, 1100]


class Bisect(unittest.TestCase):
    def setUp(self):
        self.repo, self.shas = self.history(COSTS)
        self.root = os.path.join(self.repo, "results")

    def history(self, costs, broken=()):
        repo, shas = make_history(costs, broken)
        self.addCleanup(shutil.rmtree, repo)
        return repo, shas

    def value_of(self, repo, f):
        def value(sha):
            if not f.has(sha):
                history.measure(repo, [sha], f.has, f.build, f.bench,
                                log=lambda s: None)
            return f.value(sha) if f.has(sha) else None
        return value

    def bisect(self, costs, broken=()):
        repo, shas = self.history(costs, broken)
        f = Fakes(os.path.join(repo, "results"))
        return shas, f, history.bisect(repo, shas[0], shas[-1],
                                       self.value_of(repo, f),
                                       log=lambda s: None)

    def test_finds_the_culprit(self):
        f = Fakes(self.root)
        res = history.bisect(self.repo, self.shas[0], self.shas[-1],
                             self.value_of(self.repo, f), log=lambda s: None)
        self.assertEqual(res.culprit, self.shas[5])
        self.assertEqual((res.good_value, res.culprit_value), (1000, 1100))
        # GOOD, BAD and log2(7) = 3 midpoints at most.
        self.assertLessEqual(len(f.benched), 5)

    def test_every_position(self):
        for k in range(1, 8):
            shas, f, res = self.bisect([1000] * k + [1200] * (8 - k))
            self.assertEqual(res.culprit, shas[k], "move at %d" % k)
            self.assertLessEqual(len(f.benched), 5)

    def test_reuses_stored_results(self):
        f = Fakes(self.root)
        for i in (0, 4, 7):
            store(self.root, "icount", self.shas[i], [exact_metrics(
                {"ipc.sendrec": COSTS[i]})], machine_fp=f.fp, config="cfg")
        res = history.bisect(self.repo, self.shas[0], self.shas[-1],
                             self.value_of(self.repo, f), log=lambda s: None)
        self.assertEqual(res.culprit, self.shas[5])
        for i in (0, 4, 7):
            self.assertNotIn(self.shas[i], f.benched)
        self.assertEqual(len(f.benched), 2)       # commits 5 and 6

    def test_unbuildable_midpoint_is_skipped(self):
        # The first midpoint (commit 4) does not build: bisect goes on
        # around it and still finds the move at commit 6.
        shas, f, res = self.bisect([1000] * 6 + [1100] * 2, broken={4})
        self.assertEqual(res.culprit, shas[6])
        self.assertIn(shas[4], res.tested)
        self.assertIsNone(res.tested[shas[4]])

    def test_unbuildable_neighbour_leaves_candidates(self):
        # The commit before the move does not build: either could be it.
        shas, f, res = self.bisect(COSTS, broken={4})
        self.assertIsNone(res.culprit)
        self.assertEqual(res.candidates, [shas[4], shas[5]])

    def test_no_move(self):
        f = Fakes(self.root)
        res = history.bisect(self.repo, self.shas[0], self.shas[4],
                             self.value_of(self.repo, f), log=lambda s: None)
        self.assertIsNone(res.culprit)
        self.assertIn("did not move", res.message)

    def test_small_move_is_not_a_move(self):
        # +3 instructions on 1000 is under 0.5%: not a move.
        shas, f, res = self.bisect([1000, 1000, 1003, 1003])
        self.assertIsNone(res.culprit)

    def test_cli_bisect(self):
        script = os.path.join(self.repo, ".git", "fakebench.py")
        with open(script, "w") as f:
            f.write(FAKE_BENCH.replace("@QEMU@", repr(FAKE_QEMU)))
        env = {"CAIRNLAB_BUILD": "true",
               "CAIRNLAB_BENCH": "%s %s {tree} {commit} {results}"
               % (sys.executable, script)}
        p = run_lab(self.repo, "bisect", "ipc.sendrec", self.shas[0],
                    self.shas[-1], "--qemu", FAKE_QEMU, "--no-user", env=env)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("first commit where ipc.sendrec moved: %s commit 5: "
                      "cost 1100" % self.shas[5], p.stdout)
        self.assertIn("1000.000 -> 1100.000 instructions per op (+10.00%)",
                      p.stdout)
        self.assertIn("building...", p.stdout)
        self.assertEqual(len(worktrees(self.repo)), 1)
        p = run_lab(self.repo, "bisect", "ipc.sendrec", "nope", "HEAD")
        self.assertEqual(p.returncode, 2)


class ChangePointsAndReport(unittest.TestCase):
    """A history of 16 commits: icount ipc.sendrec +8% at commit 6 and a
    -1 instruction step at 12; kvm trap.int +15% at commit 10."""

    def setUp(self):
        self.repo, self.shas = make_history(range(16))
        self.root = os.path.join(self.repo, "results")
        rng = random.Random(11)
        for i, sha in enumerate(self.shas):
            send = 1000 if i < 6 else 1080
            if i >= 12:
                send -= 1
            store(self.root, "icount", sha, [exact_metrics(
                {"ipc.sendrec": send, "trap.int": 118})])
            trap = 900.0 if i < 10 else 1035.0
            store(self.root, "kvm", sha, [boot_metrics(
                {"trap.int": trap}, rng) for _ in range(3)])

    def tearDown(self):
        shutil.rmtree(self.repo)

    def test_changes(self):
        series, _ = history.metric_series(self.repo, self.root)
        found = {(c.group[0], c.metric): c
                 for c in history.all_changes(series)
                 if c.significant}
        self.assertEqual(sorted(found), [("icount", "ipc.sendrec"),
                                         ("kvm", "trap.int")])
        c = found[("icount", "ipc.sendrec")]
        self.assertEqual((c.sha, c.old, c.new), (self.shas[6], 1000, 1080))
        c = found[("kvm", "trap.int")]
        self.assertEqual(c.sha, self.shas[10])
        self.assertAlmostEqual(c.rel, 0.15, delta=0.01)
        small = [c for c in history.all_changes(series) if not c.significant]
        self.assertEqual([(c.sha, c.old, c.new) for c in small],
                         [(self.shas[12], 1080, 1079)])

    def test_cli_changepoints(self):
        p = run_lab(self.repo, "changepoints")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertRegex(p.stdout, r"ipc\.sendrec\s+%s\s+%s\s+0\s+1000\.000 "
                         r"-> 1080\.000\s+\+8\.00%%\s+regression\s+commit "
                         r"6: cost 6\n" % (self.shas[5][:12],
                                          self.shas[6][:12]))
        self.assertRegex(p.stdout, r"trap\.int\s+\w+\s+%s .* regression"
                         % self.shas[10][:12])
        self.assertIn("2 change points", p.stdout)
        p = run_lab(self.repo, "changepoints", "--all")
        self.assertIn("small step", p.stdout)
        self.assertIn("3 change points", p.stdout)

    def test_step_after_unmeasured_commits_is_a_range(self):
        # Commits 3..8 were never measured: the +8% step (at commit 6)
        # shows as the range 2..9, with the bisect that would find it.
        for i in range(3, 9):
            for s, m, c, sha, path in results.find_files(self.root,
                                                         self.shas[i]):
                os.remove(path)
        series, _ = history.metric_series(self.repo, self.root)
        order = history.commit_order(self.repo)
        c = [c for c in history.all_changes(series)
             if c.significant and c.group[0] == "icount"][0]
        self.assertEqual((c.prev_sha, c.sha), (self.shas[2], self.shas[9]))
        self.assertEqual(c.gap(order), self.shas[3:9])
        p = run_lab(self.repo, "changepoints")
        self.assertRegex(p.stdout, r"ipc\.sendrec\s+%s\s+%s\s+6\s+1000\.000"
                         % (self.shas[2][:12], self.shas[9][:12]))
        self.assertIn("ipc.sendrec: the step is in %s..%s (6 commits not "
                      "measured): make bisect METRIC=ipc.sendrec GOOD=%s "
                      "BAD=%s" % (self.shas[2][:12], self.shas[9][:12],
                                  self.shas[2][:12], self.shas[9][:12]),
                      p.stdout)

    def test_report(self):
        p = run_lab(self.repo, "report")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        with open(os.path.join(self.root, "report.md")) as f:
            md = f.read()
        regs = md.split("## Regressions, largest first")[1].split("## ")[0]
        lines = [l for l in regs.splitlines() if l.startswith("| 1 ") or
                 l.startswith("| 2 ")]
        # Largest first: kvm trap.int +15% before icount ipc.sendrec +8%.
        self.assertIn("`trap.int`", lines[0])
        self.assertIn("`%s`" % self.shas[10][:8], lines[0])
        self.assertIn("`ipc.sendrec` | **+8.0%** | 1000.000 → 1080.000 "
                      "instr. | `" + self.shas[6][:8] + "` | commit 6: cost 6",
                      lines[1])
        self.assertIn("1 smaller icount step", md)
        self.assertIn("![ipc.sendrec](plots/ipc.sendrec.png)", md)
        self.assertTrue(os.path.exists(os.path.join(self.root, "plots",
                                                    "ipc.sendrec.png")))
        self.assertIn("## Latest figures", md)
        self.assertRegex(md, r"\| `ipc\.sendrec` \| 1079\.000 \| .* \| `%s` "
                         r"\| 1 \| \+7\.9%% \|" % self.shas[15][:8])
        # The kvm plot marks the regression at commit 10 in its .dat.
        kvm_dir = [d for d in os.listdir(os.path.join(self.root, "plots"))
                   if d.startswith("kvm-")][0]
        with open(os.path.join(self.root, "plots", kvm_dir,
                               "trap.int.dat")) as f:
            rows = [l.rstrip("\n").split("\t") for l in f
                    if not l.startswith("#")]
        self.assertEqual([r[12] for r in rows].index("R"), 10)
        self.assertEqual(sum(r[12] == "R" for r in rows), 1)


if __name__ == "__main__":
    unittest.main()
