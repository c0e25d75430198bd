"""The bench method (BENCHMARKS.md, "Method" and "Noise control and perf"):
default boots per series, the canary, re-runs of broken boots, VM exits
counted with perf, and the host recorded and quietened around each boot.
`cairnlab.py bench` runs in this process against tests/lab/fake_qemu.py;
nothing here boots a real kernel."""

import contextlib
import io
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
import unittest
from types import SimpleNamespace
from unittest import mock

import labpath
from cairn import hostenv, qemu, results

from cairn import benchrun, cli
from test_results import git, make_repo

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

FAKE_PERF = textwrap.dedent("""\
    #!/usr/bin/env python3
    # perf, as far as the lab uses it: exits counted on a pid, a kvm stat
    # recording, its report.
    import os, sys, time
    a = sys.argv[1:]
    def wait(pid):
        while os.path.exists("/proc/%d" % pid):
            try:
                st = open("/proc/%d/stat" % pid).read()
                if st.rsplit(")", 1)[1].split()[0] in "ZX":
                    return
            except OSError:
                return
            time.sleep(0.05)
    if a[:2] == ["list", "tracepoint"]:
        print("  kvm:kvm_entry  [Tracepoint event]")
        print("  kvm:kvm_exit   [Tracepoint event]")
    elif a[0] == "stat" and a[-1] == "true":
        sys.stderr.write("0,,kvm:kvm_exit,1000,100.00,,\\n")
    elif a[0] == "stat":
        wait(int(a[a.index("-p") + 1]))
        open(a[a.index("-o") + 1], "w").write(
            "# started on today\\n\\n1234,,kvm:kvm_exit,5000,100.00,,\\n")
    elif a[:3] == ["kvm", "stat", "record"] and "-h" in a:
        sys.stderr.write("\\n Usage: perf kvm stat record [<options>]\\n")
        sys.exit(129)
    elif a[:3] == ["kvm", "stat", "record"]:
        wait(int(a[a.index("-p") + 1]))
        open(a[a.index("-o") + 1], "w").write("data")
    elif a[0] == "kvm" and "report" in a:
        print(open(os.environ["FAKE_PERF_REPORT"]).read())
    else:
        sys.exit(2)
""")

REPORT = """

Analyze events for all VMs, all VCPUs:

             VM-EXIT    Samples  Samples%     Time%    Min Time    Max Time         Avg time

               HLT        900    72.93%    99.80%      0.69us 201083.18us   1492.15us ( +-  10.38% )
         MSR_WRITE        300    24.31%     0.15%      0.46us     23.81us      1.21us ( +-   2.73% )
  EXTERNAL_INTERRUPT       34     2.76%     0.05%      0.50us     10.00us      1.00us ( +-   5.00% )

Total Samples:1234, Total events handled time:1342.10us.
"""


def runner(answers):
    """A fake `run(cmd)` answering by the command's first words."""
    def run(cmd):
        for words, answer in answers.items():
            if cmd[1:1 + len(words)] == list(words):
                return answer
        return 2, "", "unknown command %s" % cmd
    return run


class PerfProbe(unittest.TestCase):
    def which(self, name):
        return "/usr/bin/perf"

    LIST = (0, "  kvm:kvm_exit   [Tracepoint event]\n", "")
    STAT = (0, "", "0,,kvm:kvm_exit,1000,100.00,,\n")
    KVM = (129, "", " Usage: perf kvm stat record [<options>]\n")

    def test_not_installed(self):
        p = hostenv.probe_perf("perf", which=lambda n: None)
        self.assertFalse(p.ok)
        self.assertEqual(p.reason, "perf is not installed (Debian: "
                         "linux-perf)")

    def test_wrapper_without_matching_perf(self):
        p = hostenv.probe_perf(which=self.which, run=runner({
            ("list",): (1, "", "perf: perf not found for kernel 6.18\n")}))
        self.assertFalse(p.ok)
        self.assertEqual(p.reason, "perf list failed: perf: perf not found "
                         "for kernel 6.18")

    def test_no_tracepoint(self):
        p = hostenv.probe_perf(which=self.which, run=runner({
            ("list",): (0, "  sched:sched_switch [Tracepoint event]\n",
                        "")}))
        self.assertFalse(p.ok)
        self.assertIn("no kvm:kvm_exit tracepoint", p.reason)

    def test_not_permitted(self):
        for stat_answer in ((255, "", "Error:\nNo permission to enable "
                             "kvm:kvm_exit event.\n"),
                            (0, "", "<not supported>,,kvm:kvm_exit,0,,\n")):
            p = hostenv.probe_perf(which=self.which, run=runner({
                ("list",): self.LIST, ("stat",): stat_answer}))
            self.assertFalse(p.ok)
            self.assertIn("counting kvm:kvm_exit not permitted", p.reason)

    def test_supported(self):
        p = hostenv.probe_perf(which=self.which, run=runner({
            ("list",): self.LIST, ("stat",): self.STAT,
            ("kvm", "stat"): self.KVM}))
        self.assertTrue(p.ok)
        self.assertTrue(p.reasons)
        self.assertEqual(p.perf, "/usr/bin/perf")
        p = hostenv.probe_perf(which=self.which, run=runner({
            ("list",): self.LIST, ("stat",): self.STAT}))
        self.assertTrue(p.ok)
        self.assertFalse(p.reasons)

    def test_parsers(self):
        self.assertEqual(hostenv.parse_stat(
            "# started on x\n\n1234,,kvm:kvm_exit,5000,100.00,,\n"), 1234)
        self.assertIsNone(hostenv.parse_stat(
            "<not counted>,,kvm:kvm_exit,0,0.00,,\n"))
        self.assertEqual(hostenv.parse_kvm_report(REPORT),
                         {"HLT": 900, "MSR_WRITE": 300,
                          "EXTERNAL_INTERRUPT": 34})
        self.assertEqual(hostenv.parse_kvm_report(
            "VM-EXIT    Samples  Samples%\n\nTotal Samples:0\n"), {})

    def test_run_without_kvm_series_says_why_once(self):
        self.assertEqual(benchrun.perf_support(["icount", "tcg"], None).reason,
                         "no kvm series in this run (--no-kvm)")
        self.assertEqual(benchrun.perf_support(
            ["icount"], qemu.Probe(False, "no /dev/kvm")).reason,
            "no kvm series in this run (no /dev/kvm)")


class PerfAroundKvm(Repo):
    """The kvm series with a fake KVM: exits counted with a fake perf, or
    not, said once."""

    def setUp(self):
        super().setUp()
        self.perf = os.path.join(self.repo, "build", "perf")
        with open(self.perf, "w") as f:
            f.write(FAKE_PERF)
        os.chmod(self.perf, os.stat(self.perf).st_mode | stat.S_IXUSR)
        self.report = os.path.join(self.repo, "build", "report.txt")
        with open(self.report, "w") as f:
            f.write(REPORT)

    def test_counted(self):
        rc, out = self.run_lab("--boots", "2", probe_ok=True,
                               CAIRNLAB_PERF=self.perf,
                               FAKE_PERF_REPORT=self.report)
        self.assertEqual(rc, 0, out)
        self.assertNotIn("perf: VM exits not counted", out)
        rf = stored(self.repo, "kvm")[0]
        self.assertEqual(len(rf.boots), 2)
        for b in rf.boots:
            self.assertEqual(lines_of(b, "perf"), [
                "perf kvm_exit total=1234 HLT=900 MSR_WRITE=300 "
                "EXTERNAL_INTERRUPT=34"])
        self.assertEqual(lines_of(stored(self.repo, "icount")[0].boots[0],
                                  "perf"), [])

    def test_not_supported_said_once(self):
        rc, out = self.run_lab("--boots", "2", probe_ok=True,
                               CAIRNLAB_PERF=os.path.join(self.repo, "none"))
        self.assertEqual(rc, 0, out)
        self.assertEqual(out.count("perf: VM exits not counted: perf is not "
                                   "installed"), 1)
        rf = stored(self.repo, "kvm")[0]
        self.assertEqual(len(rf.boots), 2)
        self.assertEqual([lines_of(b, "perf") for b in rf.boots], [[], []])

    def test_no_kvm_said_once(self):
        rc, out = self.run_lab("--series", "tcg", "--boots", "2")
        self.assertEqual(out.count("perf: VM exits not counted: no kvm series "
                                   "in this run (fake probe failed)"), 1)


# ------------------------------------------------------------ 4. host

class HostBits(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="cairnlab-host-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def write(self, rel, text):
        path = os.path.join(self.dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    def test_load_and_freq(self):
        self.write("proc/loadavg", "0.39 0.57 0.88 1/83 10336\n")
        self.assertEqual(hostenv.loadavg(os.path.join(self.dir, "proc")),
                         "0.39")
        self.assertEqual(hostenv.loadavg(os.path.join(self.dir, "x")), "?")
        sysr = os.path.join(self.dir, "sys")
        self.write("sys/devices/system/cpu/cpu1/cpufreq/scaling_cur_freq",
                   "2600000\n")
        self.assertEqual(hostenv.cpu_freq_khz(1, sysr), 2600000)
        self.assertIsNone(hostenv.cpu_freq_khz(0, sysr))
        w = hostenv.BootWatch(True, sys_root=sysr)
        w.pinning = hostenv.Pinning("threads", [0, 1], "")
        w.tick()
        self.assertEqual(w.freq_text(), "cpu1:2600MHz")
        self.write("sys/devices/system/cpu/cpu1/cpufreq/scaling_cur_freq",
                   "2400000\n")
        w.tick()
        self.assertEqual(w.freq_text(), "cpu1:2400-2600MHz")
        self.assertEqual(hostenv.BootWatch(True).freq_text(), "unavailable")

    def test_choose_cpus(self):
        self.assertEqual(hostenv.choose_cpus(2, {0, 1, 2, 3}), [2, 3])
        self.assertEqual(hostenv.choose_cpus(2, {0, 1}), [0, 1])
        self.assertEqual(hostenv.choose_cpus(4, {0, 1}), [0, 1, 0, 1])
        self.assertEqual(hostenv.choose_cpus(1, set()), [])
        self.assertEqual(hostenv.cpu_list([0, 1, 2, 3, 6, 8, 9]), "0-3,6,8-9")

    def fake_proc(self, pid, names):
        for tid, name in names.items():
            self.write("proc/%d/task/%d/comm" % (pid, tid), name + "\n")
        return os.path.join(self.dir, "proc")

    def test_pin_vcpu_threads(self):
        proc = self.fake_proc(100, {100: "qemu-system-i38", 101: "call_rcu",
                                    102: "CPU 0/KVM", 103: "CPU 1/KVM"})
        done = []
        p = hostenv.pin_vcpus(100, 2, {0, 1, 2}, proc, wait=0,
                              setaffinity=lambda t, c: done.append((t, c)))
        self.assertEqual((p.method, p.cpus), ("threads", [1, 2]))
        self.assertEqual(done, [(102, {1}), (103, {2})])
        self.assertEqual(p.line(), "pin method=threads vcpu0=cpu1 vcpu1=cpu2")

    def test_pin_falls_back_to_the_process(self):
        proc = self.fake_proc(100, {100: "qemu-system-i38",
                                    101: "qemu-system-i38"})
        done = []
        p = hostenv.pin_vcpus(100, 2, {0, 1}, proc, wait=0,
                              setaffinity=lambda t, c: done.append((t, c)))
        self.assertEqual(p.method, "process")
        self.assertEqual(done, [(100, {0, 1}), (101, {0, 1})])
        self.assertEqual(p.line(), "pin method=process cpus=0-1 threads=2 "
                         "reason=no 'CPU <n>/KVM|TCG' threads in "
                         "/proc/100/task")

        def refuse_vcpus(tid, cpus):
            if len(cpus) == 1:
                raise PermissionError(1, "Operation not permitted")
            done.append((tid, cpus))
        proc = self.fake_proc(200, {200: "qemu", 201: "CPU 0/TCG",
                                    202: "CPU 1/TCG"})
        p = hostenv.pin_vcpus(200, 2, {0, 1, 2}, proc, wait=0,
                              setaffinity=refuse_vcpus)
        self.assertEqual((p.method, p.cpus), ("process", [1, 2]))
        self.assertIn("sched_setaffinity on a vCPU thread: Operation not "
                      "permitted", p.detail)

        def refuse(tid, cpus):
            raise PermissionError(1, "Operation not permitted")
        p = hostenv.pin_vcpus(200, 2, {0, 1}, proc, wait=0, setaffinity=refuse)
        self.assertEqual(p.method, "none")
        p = hostenv.pin_vcpus(999, 1, {0}, proc, wait=0)
        self.assertEqual(p.method, "none")
        self.assertIn("QEMU gone before pinning", p.detail)

    def test_pin_real_threads(self):
        """The real thing on this host: a process with threads named like
        QEMU's vCPUs, pinned with sched_setaffinity."""
        env = dict(os.environ, FAKE_QEMU_THREADS="1")
        log = os.path.join(self.dir, "x.log")
        p = subprocess.Popen([sys.executable, FAKE_QEMU, "-accel", "tcg",
                              "-smp", "2", "-name", "cairn,debug-threads=on",
                              "-serial", "file:" + log, "-append",
                              "mode=test"], env=env)
        try:
            pin = hostenv.pin_vcpus(p.pid, 2, wait=10)
            self.assertEqual(pin.method, "threads", pin.detail)
            threads = hostenv.vcpu_threads(p.pid)
            for i in range(2):
                self.assertEqual(os.sched_getaffinity(threads[i][0]),
                                 {pin.cpus[i]})
        finally:
            p.wait(timeout=30)

    def test_noise_options(self):
        spec = qemu.Boot("mode=bench", "k", "tcg", binary=FAKE_QEMU,
                         thread_names=True, prealloc=True)
        line = qemu.format_command(qemu.build_command(spec, "l"))
        self.assertIn("-name cairn,debug-threads=on -mem-prealloc", line)
        plain = qemu.Boot("mode=bench", "k", "icount", binary=FAKE_QEMU)
        line = qemu.format_command(qemu.build_command(plain, "l"))
        self.assertNotIn("-mem-prealloc", line)
        self.assertNotIn("debug-threads", line)
        refuses = os.path.join(self.dir, "old-qemu")
        with open(refuses, "w") as f:
            f.write("#!/bin/sh\necho \"invalid option\" >&2\nexit 1\n")
        os.chmod(refuses, 0o755)
        kept, notes = qemu.check_noise_options(refuses, ["prealloc"])
        self.assertEqual(kept, [])
        self.assertEqual(notes, ["%s rejects -mem-prealloc (invalid option): "
                                 "dropped" % refuses])


class HostLines(Repo):
    def test_lines_in_the_boot_blocks(self):
        rc, out = self.run_lab("--no-kvm", "--series", "tcg", "--boots", "2",
                               FAKE_QEMU_THREADS="1")
        self.assertEqual(rc, 0, out)
        ic = stored(self.repo, "icount")[0].boots[0]
        self.assertEqual(len(lines_of(ic, "host")), 1)
        self.assertRegex(lines_of(ic, "host")[0],
                         r"^host load=\d+\.\d\d->\d+\.\d\d$")
        self.assertEqual(lines_of(ic, "pin"), [])
        rf = stored(self.repo, "tcg")[0]
        self.assertIn("-name cairn,debug-threads=on -mem-prealloc",
                      rf.header["qemu"])
        for b in rf.boots:
            self.assertRegex(lines_of(b, "host")[0],
                             r"^host load=\d+\.\d\d->\d+\.\d\d freq=\S+$")
            self.assertRegex(lines_of(b, "pin")[0],
                             r"^pin method=threads vcpu0=cpu\d+ vcpu1=cpu\d+$")


if __name__ == "__main__":
    unittest.main()
