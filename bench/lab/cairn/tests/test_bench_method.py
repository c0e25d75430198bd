"""The bench method (BENCHMARKS.md, "Method" and "Noise control and perf"):
default boots per series, the canary, re-runs of broken boots, VM exits
counted with perf, and the host recorded and quietened around each boot.
`cairnlab.py bench` runs in this process against tests/fake_qemu.py;
nothing here boots a real kernel."""

import contextlib
import io
import os
import shutil
import unittest
from types import SimpleNamespace
from unittest import mock

from . import labpath  # noqa: F401
from cairn import qemu, results

from cairn import benchrun, cli
from .test_results import git, make_repo

FAKE_QEMU = os.path.join(labpath.HERE, "fake_qemu.py")


def lab(repo, *args, env=None, probe_ok=False):
    """Runs `cairnlab.py --repo repo bench ...` in this process: (exit
    status, console output).  probe_ok makes the KVM probe pass (with
    FAKE_QEMU_KVM=1 the fake QEMU then runs kvm boots)."""
    out = io.StringIO()
    env = dict(env or {})
    if probe_ok:
        env["FAKE_QEMU_KVM"] = "1"
    probe = qemu.Probe(True, "fake probe passed") if probe_ok else \
        qemu.Probe(False, "fake probe failed")
    with mock.patch.dict(os.environ, env), \
            mock.patch.object(benchrun.qemu, "probe_kvm",
                              return_value=probe), \
            contextlib.redirect_stdout(out):
        rc = cli.main(["--repo", repo, "bench", "--kernel",
                            os.path.join(repo, "build", "kernel.elf"),
                            "--qemu", FAKE_QEMU, "--no-user", "--samples",
                            "12"] + list(args))
    return rc, out.getvalue()


def stored(repo, series):
    """The ResultFiles of a series under repo/results."""
    return [results.read(f[4]) for f in results.find_files(
        os.path.join(repo, "results")) if f[0] == series]


def lines_of(boot, prefix):
    return [l for l in boot.notes + boot.extra if l.startswith(prefix)]


class Repo(unittest.TestCase):
    """A clean repository with an (empty) kernel and a canary source."""

    def setUp(self):
        self.repo = make_repo()
        os.makedirs(os.path.join(self.repo, "build"))
        open(os.path.join(self.repo, "build", "kernel.elf"), "w").close()
        os.makedirs(os.path.join(self.repo, "bench", "kern"))
        self.canary("/* the canary loop */\n")
        self.counter = os.path.join(self.repo, "build", "count")
        self.env = {"FAKE_QEMU_COUNTER": self.counter}

    def tearDown(self):
        shutil.rmtree(self.repo)

    def canary(self, text):
        with open(os.path.join(self.repo, "bench", "kern", "canary.c"),
                  "w") as f:
            f.write(text)
        git(self.repo, "add", "bench")
        git(self.repo, "commit", "-q", "-m", "canary")

    def commit(self, msg):
        with open(os.path.join(self.repo, "src.c"), "a") as f:
            f.write("/* %s */\n" % msg)
        git(self.repo, "commit", "-q", "-am", msg)

    def run_lab(self, *args, probe_ok=False, **env):
        e = dict(self.env)
        e.update(env)
        if os.path.exists(self.counter):
            os.unlink(self.counter)
        return lab(self.repo, *args, env=e, probe_ok=probe_ok)


# ------------------------------------------------------------ 1. method

class DefaultBoots(Repo):
    def test_boots_of(self):
        a = SimpleNamespace(boots=None)
        self.assertEqual(benchrun.boots_of(a, "icount"), 1)
        self.assertEqual(benchrun.boots_of(a, "tcg"), 5)
        self.assertEqual(benchrun.boots_of(a, "kvm"), 5)
        a.boots = 2
        self.assertEqual(benchrun.boots_of(a, "tcg"), 2)
        self.assertEqual(benchrun.boots_of(a, "icount"), 2)

    def test_five_realtime_boots_one_icount(self):
        rc, out = self.run_lab("--no-kvm", "--series", "tcg")
        self.assertEqual(rc, 0, out)
        self.assertIn("series: icount (1 boot), tcg (5 boots)", out)
        self.assertEqual(len(stored(self.repo, "icount")[0].boots), 1)
        self.assertEqual(len(stored(self.repo, "tcg")[0].boots), 5)
        self.assertIn("[tcg 5/5]", out)


class IcountCanary(Repo):
    """icount: the canary must repeat exactly, across boots and across
    commits with the same canary source."""

    def canary_line(self):
        """The `# canary` line of HEAD's last icount boot."""
        head = results.head_commit(self.repo)
        rf = [f for f in stored(self.repo, "icount")
              if f.header["commit"] == head][0]
        return rf.boots[-1].canary()

    def test_same_across_boots_and_commits(self):
        rc, out = self.run_lab(FAKE_QEMU_CANARY="6000")
        self.assertEqual(rc, 0, out)
        c = self.canary_line()
        self.assertEqual((c["metric"], c["median"], c["check"]),
                         ("canary.loop", "6000.000", "first"))
        self.assertEqual(len(c["source"]), 12)
        self.assertIn("the first with this canary source", out)
        rc, out = self.run_lab(FAKE_QEMU_CANARY="6000")
        self.assertEqual(self.canary_line()["check"], "same")
        self.assertIn("as in 1 stored boot with the same canary", out)
        # Another commit, the same canary: compared with both boots.
        self.commit("elsewhere")
        rc, out = self.run_lab(FAKE_QEMU_CANARY="6000")
        self.assertEqual(rc, 0, out)
        self.assertEqual(self.canary_line()["check"], "same")
        self.assertIn("as in 2 stored boots", out)

    def test_different_count_is_loud(self):
        self.run_lab(FAKE_QEMU_CANARY="6000")
        self.commit("elsewhere")
        rc, out = self.run_lab(FAKE_QEMU_CANARY="6001")
        self.assertIn("!! icount canary canary.loop = 6001.000 differs", out)
        self.assertIn("changed what an instruction count is", out)
        c = self.canary_line()
        self.assertEqual(c["check"], "DIFFERENT")
        self.assertRegex(c["differs"], r"^[0-9a-f]{12}/[^/]+/boot1:6000\.000$")

    def test_samples_of_the_same_commit_compared(self):
        self.run_lab(FAKE_QEMU_CANARY="6000")
        # One sample of the stored boot changed, the median still 6000:
        # under icount that is a difference all the same.
        path = results.find_files(os.path.join(self.repo, "results"))[0][4]
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(text.replace("canary.loop\ttsc\t1\t0\t1\t6040\t40\t"
                                 "6000.000", "canary.loop\ttsc\t1\t0\t1\t"
                                 "6041\t40\t6001.000"))
        rc, out = self.run_lab(FAKE_QEMU_CANARY="6000")
        c = self.canary_line()
        self.assertEqual((c["median"], c["check"], c["differs"]),
                         ("6000.000", "DIFFERENT", "boot1:samples"))

    def test_new_canary_source_starts_afresh(self):
        self.run_lab(FAKE_QEMU_CANARY="6000")
        self.canary("/* a longer canary loop */\n")
        rc, out = self.run_lab(FAKE_QEMU_CANARY="7000")
        self.assertNotIn("!! icount canary", out)
        self.assertEqual(self.canary_line()["check"], "first")

    def test_kernel_without_canary(self):
        rc, out = self.run_lab()
        self.assertEqual(rc, 0, out)
        self.assertIn("no canary.loop metric in this boot", out)
        self.assertIsNone(self.canary_line())


class RealtimeCanary(Repo):
    """tcg: a boot whose canary median is more than 5% off the run's is
    booted again, bounded like the noise gate, and every boot records the
    canary's spread over the run."""

    def tcg(self, values, *args):
        # The k-th tcg boot of the run gets the k-th value.
        rc, out = self.run_lab("--no-kvm", "--series", "tcg", *args,
                               FAKE_QEMU_CANARY=values)
        self.assertEqual(rc, 0, out)
        return out, stored(self.repo, "tcg")[0]

    def test_outlier_rerun_then_passed(self):
        out, rf = self.tcg("6000,6000,6600,6000")
        self.assertIn("[tcg 3/5] canary gate: canary.loop median", out)
        self.assertIn("[tcg 3/5, try 2] booting", out)
        self.assertEqual(len(rf.boots), 5)
        b3 = rf.boots[2]
        gate = lines_of(b3, "canary-gate")
        self.assertRegex(gate[0], r"^canary-gate rerun attempt=1 limit=5% "
                         r"median=\d+\.\d{3} run_median=\d+\.\d{3} "
                         r"dev=\+(9|10)\.\d\d%$")
        self.assertEqual(gate[1], "canary-gate passed attempt=2 limit=5%")
        for b in rf.boots:
            c = b.canary()
            self.assertEqual((c["boots"], c["limit"]), ("5", "5%"))
            self.assertLess(float(c["run_range"].rstrip("%")), 5)
            self.assertIn("run_rel_mad", c)
            self.assertLess(abs(float(c["dev"].rstrip("%"))), 5)
        self.assertEqual([lines_of(b, "canary-gate") for b in
                          rf.boots if b is not b3], [[]] * 4)

    def test_bounded_and_marked(self):
        out, rf = self.tcg("6000,6000,7000", "--boots", "3")
        self.assertIn("[tcg 3/3, try 3]", out)
        self.assertNotIn("try 4", out)
        gate = lines_of(rf.boots[2], "canary-gate")
        self.assertEqual([g.split()[1] for g in gate],
                         ["rerun", "rerun", "kept"])
        self.assertIn("still +16.", out)
        self.assertEqual(rf.boots[2].canary()["dev"][:3], "+16")

    def test_gate_off(self):
        out, rf = self.tcg("6000,6000,7000", "--boots", "3",
                           "--canary-gate", "0")
        self.assertNotIn("try 2", out)
        self.assertEqual(rf.boots[2].canary()["limit"], "0%")


class GateBudgets(unittest.TestCase):
    """The noise gate and the canary gate each re-run a boot at most
    --noise-reruns times, and broken attempts count against neither
    (boot_attempt replaced by a script of attempts)."""

    def attempt(self, slot, canary, noisy=False, broken=False):
        from cairn import records
        spread = [0.8, 1.0, 1.2] if noisy else [1.0, 1.0, 1.0]
        ms = {"x": records.Metric("x", "tsc", 1, "", 0,
                                  [(int(1000 * f), 0) for f in spread], True),
              "canary.loop": records.Metric(
                  "canary.loop", "tsc", 1, "", 0, [(canary, 0)] * 3, True)}
        n = len(slot.attempts) + 1
        a = benchrun.Attempt(n, "[tcg %d/3%s]" % (slot.k, "" if n == 1 else
                                                  ", try %d" % n),
                             "log", [], SimpleNamespace(seconds=0.1),
                             SimpleNamespace(garbled=[]), ms,
                             ["no done record"] if broken else [], [])
        slot.attempts.append(a)
        return a

    def test_budgets(self):
        plan = {1: [(6000, False, False)], 2: [(6000, False, False)],
                3: [(6000, False, True), (7000, True, False),
                    (7000, True, False), (7000, True, False),
                    (6000, True, False)]}
        args = SimpleNamespace(noise_gate=3.0, noise_reruns=2,
                               canary_gate=5.0, timeout=1)
        run = benchrun.SeriesRun(args, "tcg", None, "cfg", "logs", "now", 3)

        def fake(run_, slot):
            canary, noisy, broken = plan[slot.k].pop(0)
            return self.attempt(slot, canary, noisy, broken)
        slots = [benchrun.Slot(k) for k in (1, 2, 3)]
        with mock.patch.object(benchrun, "boot_attempt", side_effect=fake), \
                contextlib.redirect_stdout(io.StringIO()):
            for s in slots:
                benchrun.boot_slot(run, s)
            benchrun.canary_gate(run, slots)
        self.assertEqual(plan[3], [])
        lines = [l.split(" limit")[0].split(" reason")[0]
                 for l in slots[2].lines]
        self.assertEqual(lines, [
            "retry attempt=2",
            "noise-gate rerun attempt=2", "noise-gate rerun attempt=3",
            "noise-gate kept attempt=4",
            "canary-gate rerun attempt=4",
            "noise-gate kept attempt=5",
            "canary-gate passed attempt=5",
            "canary canary.loop median=6000.000 run_median=6000.000 "
            "dev=+0.00% run_range=0.00% run_rel_mad=0.00% boots=3"])
        self.assertEqual(slots[2].kept.number, 5)


# ------------------------------------------------------------ 2. records

class BrokenBoots(Repo):
    """A boot with broken records, a failed exit or a timeout is booted
    again, three attempts in all, and never dropped silently."""

    def test_garbled_first_attempt_only(self):
        rc, out = self.run_lab(FAKE_QEMU_BREAK="garble:1")
        self.assertEqual(rc, 0, out)
        self.assertIn("[icount 1/1] attempt 1 failed", out)
        self.assertIn("garbled record, line", out)
        self.assertIn("[icount 1/1] booting again: attempt 2", out)
        self.assertIn("[icount 1/1, try 2] booting", out)
        self.assertIn("(attempt 2 of 2)", out)
        rf = stored(self.repo, "icount")[0]
        self.assertEqual(len(rf.boots), 1)
        retry = lines_of(rf.boots[0], "retry")
        self.assertEqual(len(retry), 1)
        self.assertRegex(retry[0], r"^retry attempt=2 reason=garbled record "
                         r"at line \d+ \(checksum mismatch")
        self.assertTrue(os.path.exists(os.path.join(
            self.repo, "build", "lab", "logs")))

    def test_always_garbled(self):
        rc, out = self.run_lab(FAKE_QEMU_BREAK="garble:all")
        self.assertEqual(rc, 1, out)
        self.assertIn("[icount 1/1, try 3] booting", out)
        self.assertNotIn("try 4", out)
        self.assertIn("[icount 1/1] FAILED: 3 attempts, none stored:", out)
        for n in (1, 2, 3):
            self.assertRegex(out, r"    attempt %d: garbled record, line \d+"
                             % n)
        self.assertIn("1 boot failed after 3 attempts each", out)
        self.assertEqual(stored(self.repo, "icount"), [])

    def test_other_breakages(self):
        cases = {"no-benchend": "metric ipc.sendrec: no benchend",
                 "no-done": "no done record",
                 "exit": "QEMU exit status 5 (panic)",
                 "hang": "timed out after 3 s"}
        for kind, reason in cases.items():
            with self.subTest(kind=kind):
                shutil.rmtree(os.path.join(self.repo, "results"),
                              ignore_errors=True)
                rc, out = self.run_lab("--timeout", "3",
                                       FAKE_QEMU_BREAK=kind + ":1")
                self.assertEqual(rc, 0, out)
                retry = lines_of(stored(self.repo, "icount")[0].boots[0],
                                 "retry")
                self.assertEqual(len(retry), 1, retry)
                self.assertIn("retry attempt=2 reason=" + reason, retry[0])

    def test_realtime_retry_then_noise_and_canary(self):
        rc, out = self.run_lab("--no-kvm", "--series", "tcg", "--boots", "2",
                               FAKE_QEMU_BREAK="garble:2:tcg",
                               FAKE_QEMU_CANARY="6000")
        self.assertEqual(rc, 0, out)
        # tcg 1/2 garbled twice, stored on attempt 3; tcg 2/2 at once.
        rf = stored(self.repo, "tcg")[0]
        self.assertEqual(len(rf.boots), 2)
        b = rf.boots[0]
        self.assertEqual([l.split(" reason=")[0]
                          for l in lines_of(b, "retry")],
                         ["retry attempt=2", "retry attempt=3"])
        self.assertEqual(lines_of(rf.boots[1], "retry"), [])
        self.assertEqual(b.canary()["boots"], "2")
        self.assertEqual(lines_of(stored(self.repo, "icount")[0].boots[0],
                                  "retry"), [])


# ------------------------------------------------------------ 3. perf


if __name__ == "__main__":
    unittest.main()
