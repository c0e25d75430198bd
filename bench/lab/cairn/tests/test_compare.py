"""cairnlab.py compare on synthetic results trees with known answers, and
the noise gate of cairnlab.py bench for real-time series."""

import os
import random
import shutil
import subprocess
import sys
import textwrap
import unittest

from . import labpath  # noqa: F401
from cairn import compare, fingerprint, records, results, stats

from .test_results import git, make_repo

CAIRNLAB = os.path.join(labpath.LAB, "cairnlab.py")
OVERHEAD = 40


def boot_metrics(levels, rng, within=0.004, between=0.003, samples=30):
    """records.Metric values of one boot: per metric a boot-level offset
    (sigma `between` of the level) and per-sample noise (`within`)."""
    out = []
    for name, level in levels.items():
        boot_level = level * (1 + rng.gauss(0, between))
        raws = [int(round(boot_level * (1 + rng.gauss(0, within)))) + OVERHEAD
                for _ in range(samples)]
        out.append(records.Metric(name, "tsc", 1, "synthetic " + name, 5,
                                  [(r, OVERHEAD) for r in raws], True))
    return out


def exact_metrics(levels, samples=30):
    """icount: every sample the same, as under -icount."""
    return [records.Metric(name, "tsc", 1, "", 5,
                           [(int(level) + OVERHEAD, OVERHEAD)] * samples, True)
            for name, level in levels.items()]


def store(root, series, sha, boots, machine_fp=None, config="smp2-m128",
          notes=()):
    """Stores boots (lists of records.Metric); notes[k], when given, are
    the comment lines of boot k+1 (e.g. "noise-gate kept ...")."""
    fp = machine_fp or fingerprint.make(series, 2, cpu="Test CPU",
                                        kernel="k", qemu="7.2")
    if series != "icount":
        fp["accelerator"] = series
    path = results.result_path(root, series, fingerprint.machine_id(fp),
                               config, sha)
    src = results.Source(sha, "s", "", [])
    header = results.header_lines(src, series, config, fp, "q")
    for k, ms in enumerate(boots):
        results.append_boot(path, header, ms, 1,
                            notes=notes[k] if k < len(notes) else ())
    return path


def commit(repo, msg):
    with open(os.path.join(repo, "src.c"), "a") as f:
        f.write("/* %s */\n" % msg)
    git(repo, "commit", "-q", "-am", msg)
    return results.head_commit(repo)


def run_lab(repo, *args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([sys.executable, CAIRNLAB, "--repo", repo] +
                          list(args), capture_output=True, text=True,
                          timeout=300, env=e)


LEVELS = {"ipc.sendrec": 2000.0, "trap.int": 900.0, "cpulocal.read": 1400.0}


class Compare(unittest.TestCase):
    def setUp(self):
        self.repo = make_repo()
        self.root = os.path.join(self.repo, "results")
        self.a = commit(self.repo, "A")
        self.b = commit(self.repo, "B")

    def tearDown(self):
        shutil.rmtree(self.repo)

    def kvm(self, sha, levels, boots, seed):
        rng = random.Random(seed)
        store(self.root, "kvm", sha, [boot_metrics(levels, rng)
                                      for _ in range(boots)])

    def test_ten_percent_slower_is_a_regression(self):
        self.kvm(self.a, LEVELS, 8, seed=1)
        slower = dict(LEVELS, **{"ipc.sendrec": 2200.0})
        self.kvm(self.b, slower, 8, seed=2)
        cmp = compare.compare(self.root, self.a, self.b)
        verdicts = {r.metric: r.verdict for r in cmp.rows()}
        self.assertEqual(verdicts, {"ipc.sendrec": "regression",
                                    "trap.int": "no change",
                                    "cpulocal.read": "no change"})
        row = [r for r in cmp.rows() if r.metric == "ipc.sendrec"][0]
        # 8 boots each, completely separated: exact p = 2 / C(16, 8).
        self.assertAlmostEqual(row.p, 2 / 12870)
        self.assertLessEqual(row.q, 0.05)
        self.assertAlmostEqual(row.change, 0.10, delta=0.01)
        self.assertGreater(row.shift_ci.lo, 0.02 * row.a.value)
        p = run_lab(self.repo, "compare", self.a[:10], "HEAD")
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertRegex(p.stdout, r"ipc\.sendrec .* REGRESSION")
        self.assertRegex(p.stdout, r"REGRESSION in ipc\.sendrec \(kvm "
                         r"smp2-m128, \+(9\.[5-9]|10\.[0-4])\d%\)")
        self.assertIn("boot medians are the samples", p.stdout)

    def test_faster_is_an_improvement(self):
        self.kvm(self.a, LEVELS, 8, seed=3)
        self.kvm(self.b, dict(LEVELS, **{"trap.int": 800.0}), 8, seed=4)
        verdicts = {r.metric: r.verdict for r in
                    compare.compare(self.root, self.a, self.b).rows()}
        self.assertEqual(verdicts["trap.int"], "improvement")
        self.assertEqual(run_lab(self.repo, "compare", self.a,
                                 self.b).returncode, 0)

    def test_identical_is_no_change(self):
        self.kvm(self.a, LEVELS, 8, seed=5)
        self.kvm(self.b, LEVELS, 8, seed=6)
        p = run_lab(self.repo, "compare", self.a, self.b)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("3 metrics compared: 3 no change", p.stdout)

    def test_too_few_boots_is_inconclusive(self):
        self.kvm(self.a, LEVELS, 2, seed=7)
        self.kvm(self.b, dict(LEVELS, **{"ipc.sendrec": 2400.0}), 2, seed=8)
        p = run_lab(self.repo, "compare", self.a, self.b)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("3 metrics compared: 3 inconclusive", p.stdout)
        # 3 metrics: a lone change must reach p <= 0.05/3: C(2n, n) >= 120,
        # n = 5.
        self.assertIn("too few boots (A 2, B 2): needs at least 5 of each",
                      p.stdout)

    def test_moved_canary_makes_it_inconclusive(self):
        # The host got 10% slower between A's run and B's: every metric,
        # the canary too, is 10% up. No regression can be told from that.
        levels = dict(LEVELS, **{"canary.loop": 5000.0})
        self.kvm(self.a, levels, 8, seed=21)
        self.kvm(self.b, {k: v * 1.10 for k, v in levels.items()}, 8,
                 seed=22)
        cmp = compare.compare(self.root, self.a, self.b)
        self.assertEqual({r.verdict for r in cmp.rows()}, {"inconclusive"})
        self.assertEqual(cmp.regressions(), [])
        self.assertIn("the canary canary.loop moved +",
                      cmp.rows()[0].note)
        p = run_lab(self.repo, "compare", self.a, self.b)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("4 metrics compared: 4 inconclusive", p.stdout)
        self.assertIn("was regression; ", p.stdout)
        # A steady canary leaves the verdicts alone.
        shutil.rmtree(self.root)
        self.kvm(self.a, levels, 8, seed=21)
        self.kvm(self.b, dict(levels, **{"ipc.sendrec": 2200.0}), 8,
                 seed=22)
        verdicts = {r.metric: r.verdict for r in
                    compare.compare(self.root, self.a, self.b).rows()}
        self.assertEqual(verdicts["ipc.sendrec"], "regression")

    def test_failed_gates_make_it_inconclusive(self):
        rng = random.Random(23)
        store(self.root, "kvm", self.a, [boot_metrics(LEVELS, rng)
                                         for _ in range(8)])
        slower = {k: v * 1.10 for k, v in LEVELS.items()}
        # B's boot 3 was kept after failing the noise gate in
        # ipc.sendrec: that metric's verdict cannot stand; the others can.
        store(self.root, "kvm", self.b, [boot_metrics(slower, rng)
                                         for _ in range(8)],
              notes=[[], [], ["noise-gate kept attempt=3 limit=3% "
                              "noisy=ipc.sendrec:5.12%"]])
        rows = {r.metric: r for r in
                compare.compare(self.root, self.a, self.b).rows()}
        self.assertEqual(rows["ipc.sendrec"].verdict, "inconclusive")
        self.assertIn("B: boot 3 failed the noise gate (relative MAD 5.12%, "
                      "limit 3%)", rows["ipc.sendrec"].note)
        self.assertEqual(rows["trap.int"].verdict, "regression")
        # A boot whose canary stayed off: the whole file.
        shutil.rmtree(os.path.join(self.root, "kvm"))
        store(self.root, "kvm", self.a, [boot_metrics(LEVELS, rng)
                                         for _ in range(8)],
              notes=[["canary-gate kept attempt=3 limit=5% dev=+7.10%"]])
        store(self.root, "kvm", self.b, [boot_metrics(slower, rng)
                                         for _ in range(8)])
        rows = compare.compare(self.root, self.a, self.b).rows()
        self.assertEqual({r.verdict for r in rows}, {"inconclusive"})
        self.assertIn("A: boot 1's canary stayed +7.10% off its run's "
                      "median (limit 5%)", rows[0].note)

    def test_icount_exact_difference(self):
        store(self.root, "icount", self.a, [exact_metrics(
            {"ipc.sendrec": 1154, "trap.int": 118, "vm.fault": 3246})] * 2)
        # +6 instructions on 1154 (0.52%): regression; +1 on 3246 (0.03%):
        # under the threshold; trap.int unchanged.
        store(self.root, "icount", self.b, [exact_metrics(
            {"ipc.sendrec": 1160, "trap.int": 118, "vm.fault": 3247})])
        cmp = compare.compare(self.root, self.a, self.b)
        rows = {r.metric: r for r in cmp.rows()}
        self.assertEqual(rows["ipc.sendrec"].verdict, "regression")
        self.assertEqual(rows["ipc.sendrec"].delta, 6)
        self.assertEqual(rows["trap.int"].verdict, "no change")
        self.assertEqual(rows["vm.fault"].verdict, "small change")
        p = run_lab(self.repo, "compare", self.a, self.b)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertRegex(p.stdout, r"ipc\.sendrec\s+1154 .* \+6\s+\+0\.52%"
                         r"\s+1\.005\s+REGRESSION")
        self.assertRegex(p.stdout, r"trap\.int\s+118 .* 0\s+\+0\.00%"
                         r"\s+1\.000\s+no change")
        self.assertAlmostEqual(rows["ipc.sendrec"].ratio, 1160 / 1154)
        # --only-changed: the regression alone, the summary of all.
        p = run_lab(self.repo, "compare", "--only-changed", self.a, self.b)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("ipc.sendrec", p.stdout)
        self.assertNotIn("trap.int", p.stdout)
        self.assertNotIn("vm.fault", p.stdout)
        self.assertIn("3 metrics compared: 1 no change, 1 regression, "
                      "1 small change", p.stdout)
        self.assertIn("instructions per operation, exact", p.stdout)

    def test_icount_from_another_host_compares(self):
        # icount does not depend on the host: A measured on one host and
        # B on another (other CPU and kernel, same QEMU and toolchain) are
        # one series, also for records older than the toolchain fields.
        def fp(cpu, kernel, legacy=False):
            f = fingerprint.make("icount", 2, cpu=cpu, kernel=kernel,
                                 qemu="7.2", compiler="gcc 12",
                                 binutils="ld 2.40")
            if legacy:
                f = {k: f[k] for k in fingerprint.FIELDS}
            results.write_machine(self.root, f)
            return f
        for legacy in (True, False):
            shutil.rmtree(self.root, ignore_errors=True)
            fa = fp("AMD EPYC", "6.18-v669", legacy)
            fb = fp("Intel Xeon", "6.18-v1252")
            # Old records are keyed by host: two ids; new ones: one.
            self.assertEqual(fingerprint.machine_id(fa) ==
                             fingerprint.machine_id(fb), not legacy)
            store(self.root, "icount", self.a, [exact_metrics(
                {"ipc.sendrec": 1154})], machine_fp=fa)
            store(self.root, "icount", self.b, [exact_metrics(
                {"ipc.sendrec": 1160})], machine_fp=fb)
            cmp = compare.compare(self.root, self.a, self.b)
            self.assertEqual([r.verdict for r in cmp.rows()], ["regression"])
            self.assertEqual(cmp.groups[0].machine_a,
                             fingerprint.machine_id(fa) if legacy else None)
            p = run_lab(self.repo, "compare", self.a, self.b)
            self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
            if legacy:
                self.assertIn("icount does not depend on the host", p.stdout)
            # bisect and bench-history find A's file from B's host.
            self.assertEqual(results.find_result(
                self.root, "icount", fb, "smp2-m128", self.a),
                results.result_path(self.root, "icount",
                                    fingerprint.machine_id(fa), "smp2-m128",
                                    self.a))
        # Another compiler is another series.
        fc = fp("Intel Xeon", "6.18-v1252")
        fc["compiler"] = "clang 16"
        results.write_machine(self.root, fc)
        store(self.root, "icount", self.b, [exact_metrics(
            {"ipc.sendrec": 1160})], machine_fp=fc, config="smp1")
        self.assertIsNone(results.find_result(self.root, "icount", fc,
                                              "smp2-m128", self.a))

    def test_realtime_from_another_host_does_not(self):
        fa = fingerprint.make("kvm", 2, cpu="AMD EPYC", kernel="6.18-v669",
                              qemu="7.2")
        fb = dict(fa, host_kernel="6.18-v1252")
        for f in (fa, fb):
            results.write_machine(self.root, f)
        rng = random.Random(9)
        store(self.root, "kvm", self.a, [boot_metrics(LEVELS, rng)
                                         for _ in range(6)], machine_fp=fa)
        store(self.root, "kvm", self.b, [boot_metrics(LEVELS, rng)
                                         for _ in range(6)], machine_fp=fb)
        self.assertEqual(compare.compare(self.root, self.a, self.b).groups,
                         [])

    def test_new_and_removed_metrics(self):
        store(self.root, "icount", self.a, [exact_metrics(
            {"old.metric": 100, "kept": 50})])
        store(self.root, "icount", self.b, [exact_metrics(
            {"kept": 50, "new.metric": 900})])
        p = run_lab(self.repo, "compare", self.a, self.b)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("removed (only in A, not compared): old.metric",
                      p.stdout)
        self.assertIn("new (only in B, not compared): new.metric", p.stdout)

    def test_usage_errors(self):
        p = run_lab(self.repo, "compare", "no-such-rev", self.b)
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown revision 'no-such-rev'", p.stdout)
        store(self.root, "icount", self.a, [exact_metrics({"kept": 50})])
        p = run_lab(self.repo, "compare", self.a, self.b)
        self.assertEqual(p.returncode, 2)
        self.assertIn("no results for %s (%s B)" % (self.b, self.b[:12]),
                      p.stdout)
        # Results in different configs only: nothing in common.
        store(self.root, "icount", self.b, [exact_metrics({"kept": 50})],
              config="smp1-m128")
        p = run_lab(self.repo, "compare", self.a, self.b)
        self.assertEqual(p.returncode, 2)
        self.assertIn("no series/machine/config in common", p.stdout)


class ExitCodes(unittest.TestCase):
    """compare and continuous: 0 no regression, 1 regression, 2 usage or
    error (BENCHMARKS.md); an error must never look like a regression."""

    def setUp(self):
        self.repo = make_repo()
        self.root = os.path.join(self.repo, "results")
        self.a = commit(self.repo, "A")
        self.b = commit(self.repo, "B")

    def tearDown(self):
        shutil.rmtree(self.repo)

    def test_codes(self):
        store(self.root, "icount", self.a, [exact_metrics({"m": 1000})])
        path = store(self.root, "icount", self.b,
                     [exact_metrics({"m": 1000})])
        self.assertEqual(run_lab(self.repo, "compare", self.a,
                                 self.b).returncode, 0)
        os.remove(path)
        store(self.root, "icount", self.b, [exact_metrics({"m": 1100})])
        self.assertEqual(run_lab(self.repo, "compare", self.a,
                                 self.b).returncode, 1)
        # Usage: a missing argument, an unknown option.
        self.assertEqual(run_lab(self.repo, "compare", self.a).returncode, 2)
        self.assertEqual(run_lab(self.repo, "compare", "--bogus", self.a,
                                 self.b).returncode, 2)
        # An error inside the lab (a corrupt result file) is 2, not 1.
        with open(path, "a") as f:
            f.write("not\ta\trow\n")
        p = run_lab(self.repo, "compare", self.a, self.b)
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        self.assertIn("bad row", p.stdout + p.stderr)


FAKE_NOISY_QEMU = textwrap.dedent("""\
    #!/usr/bin/env python3
    # fake_qemu.py, except that the first NOISY_BOOTS real-time bench boots
    # (not icount) have a within-boot spread of about 10 percent.
    import os, random, sys
    from cairn.tests import fake_qemu, fakelog
    from cairn.records import make_record
    args = sys.argv[1:]
    append = args[args.index("-append") + 1] if "-append" in args else ""
    if "mode=bench" not in append or "-icount" in args:
        sys.exit(fake_qemu.main())
    counter = os.environ["COUNTER"]
    n = int(open(counter).read()) if os.path.exists(counter) else 0
    open(counter, "w").write(str(n + 1))
    noisy = n < int(os.environ["NOISY_BOOTS"])
    rng = random.Random(n)
    lines = fakelog.preamble("bench")
    for name, base in (("ipc.sendrec", 2000), ("trap.int", 900)):
        lines.append(make_record("benchinfo", name=name, unit="tsc", batch=1,
                                 desc="x"))
        spread = 0.4 if noisy and name == "ipc.sendrec" else 0.01
        raws = [int(base * (1 + spread * (rng.random() - 0.5))) + 40
                for _ in range(12)]
        lines.append(make_record("bench", name=name, seq=0, overhead=40,
                                 raw=",".join(map(str, raws))))
        lines.append(make_record("benchend", name=name, samples=12,
                                 records=1, warmup=4))
    lines.append(make_record("done", mode="bench", tests=0, failed=0))
    log = args[args.index("-serial") + 1][len("file:"):]
    fakelog.write(log, lines)
    sys.exit(1)
""")


class NoiseGate(unittest.TestCase):
    """A real-time boot whose within-boot spread is over 3% is booted
    again, at most twice, and the TSV says so."""

    def setUp(self):
        self.repo = make_repo()
        build = os.path.join(self.repo, "build")
        os.makedirs(build)
        self.kernel = os.path.join(build, "kernel.elf")
        open(self.kernel, "w").close()
        self.qemu = os.path.join(self.repo, "build", "noisy_qemu.py")
        with open(self.qemu, "w") as f:
            f.write(FAKE_NOISY_QEMU)
        os.chmod(self.qemu, 0o755)
        self.env = {"COUNTER": os.path.join(build, "count"),
                    "PYTHONPATH": labpath.LAB}

    def tearDown(self):
        shutil.rmtree(self.repo)

    def bench(self, noisy_boots):
        self.env["NOISY_BOOTS"] = str(noisy_boots)
        p = run_lab(self.repo, "bench", "--kernel", self.kernel, "--qemu",
                    self.qemu, "--no-user", "--no-kvm", "--series", "tcg",
                    "--boots", "1", env=self.env)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        tcg = [f for f in results.find_files(os.path.join(self.repo,
                                                          "results"))
               if f[0] == "tcg"]
        self.assertEqual(len(tcg), 1)
        return p.stdout, results.read(tcg[0][4])

    def test_rerun_then_passed(self):
        out, rf = self.bench(noisy_boots=1)
        self.assertIn("noise gate: within-boot spread (relative MAD) over 3% "
                      "in ipc.sendrec:", out)
        self.assertIn("try 2", out)
        self.assertEqual(len(rf.boots), 1)
        notes = rf.boots[0].notes
        self.assertEqual(len(notes), 2)
        self.assertRegex(notes[0], r"^noise-gate rerun attempt=1 limit=3% "
                         r"noisy=ipc\.sendrec:\d+\.\d\d%$")
        self.assertEqual(notes[1], "noise-gate passed attempt=2 limit=3%")
        self.assertLess(stats.rel_mad(rf.values("ipc.sendrec")), 0.03)
        # The icount series is exact and never gated.
        with open(results.find_files(os.path.join(
                self.repo, "results"))[0][4]) as f:
            self.assertNotIn("noise-gate", f.read())

    def test_bounded_and_marked(self):
        out, rf = self.bench(noisy_boots=10)
        self.assertIn("[tcg 1/1, try 3]", out)
        self.assertNotIn("try 4", out)
        self.assertIn("still over 3% after 3 attempts", out)
        notes = rf.boots[0].notes
        self.assertEqual([n.split()[1] for n in notes],
                         ["rerun", "rerun", "kept"])

    def test_quiet_boot_has_no_line(self):
        _, rf = self.bench(noisy_boots=0)
        self.assertEqual(rf.boots[0].notes, [])


if __name__ == "__main__":
    unittest.main()
