"""Result files: per-op arithmetic, append-only TSV, dirty trees,
statistics, and a whole `cairnlab.py bench` run against a fake QEMU."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from . import labpath  # noqa: F401
from cairn import fingerprint, records, results

from . import fakelog

FAKE_QEMU = os.path.join(labpath.HERE, "fake_qemu.py")


def metrics_of(lines):
    m, problems = records.collect_bench(records.parse_text("\n".join(lines)))
    assert not problems, problems
    return list(m.values())


def git(repo, *args):
    subprocess.run(["git", "-C", repo] + list(args), check=True,
                   capture_output=True)


def make_repo():
    d = tempfile.mkdtemp(prefix="cairnlab-test-")
    git(d, "init", "-q")
    git(d, "config", "user.email", "lab@cairn.invalid")
    git(d, "config", "user.name", "lab test")
    with open(os.path.join(d, "src.c"), "w") as f:
        f.write("int x;\n")
    git(d, "add", "src.c")
    git(d, "commit", "-q", "-m", "first commit")
    return d


class PerOp(unittest.TestCase):
    def test_arithmetic(self):
        self.assertEqual(results.per_op_text(2140, 40, 1), "2100.000")
        self.assertEqual(results.per_op_text(1001, 0, 3), "333.667")
        self.assertEqual(results.per_op_text(1000, 1, 3), "333.000")
        self.assertEqual(results.per_op_text(15240, 40, 16), "950.000")
        self.assertEqual(results.per_op_text(15241, 40, 16), "950.062")  # .0625, half-even
        self.assertEqual(results.per_op_text(10, 20, 4), "-2.500")

    def test_no_float_rounding(self):
        # 2**60 + 1 is not a double; the decimal path keeps it.
        self.assertEqual(results.per_op_text(2 ** 60 + 1, 0, 1),
                         "%d.000" % (2 ** 60 + 1))

    def test_half_even(self):
        self.assertEqual(results.per_op_text(1, 0, 2000), "0.000")
        self.assertEqual(results.per_op_text(3, 0, 2000), "0.002")


class Stats(unittest.TestCase):
    def test_median_percentile(self):
        self.assertEqual(results.median([3, 1, 2]), 2)
        self.assertEqual(results.median([4, 1, 2, 3]), 2.5)
        xs = list(range(101))
        self.assertEqual(results.percentile(xs, 5), 5)
        self.assertEqual(results.percentile(xs, 95), 95)
        self.assertAlmostEqual(results.percentile([1, 2], 50), 1.5)
        s = results.summarize([5, 1, 9])
        self.assertEqual((s.n, s.median, s.min, s.max), (3, 5, 1, 9))


class Files(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="cairnlab-test-")
        self.src = results.Source("a" * 40, "ipc: faster path", "2024-01-01",
                                  [])
        self.fp = fingerprint.make("icount", 1, cpu="Test CPU", kernel="k",
                                   qemu="7.2")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def header(self):
        return results.header_lines(self.src, "icount", "smp1-m128-cpuqemu32",
                                    self.fp, "qemu-system-i386 ...")

    def test_clock_rates_kept_with_the_boot(self):
        path = results.result_path(self.dir, "kvm", "m", "smp1", "a" * 40)
        log = records.parse_text(records.make_record(
            "clock", tsc_khz=2600000, lapic_khz=62500, source="pit") + "\n")
        clock = results.clock_line(log)
        self.assertEqual(clock, "tsc_khz=2600000 lapic_khz=62500")
        ms = metrics_of(fakelog.bench_lines(samples=3))
        results.append_boot(path, self.header(), ms, 1, clock=clock)
        with open(path) as f:
            self.assertIn("\n# clock tsc_khz=2600000 lapic_khz=62500\n",
                          f.read())
        self.assertEqual(len(results.read(path).boots[0].rows), 9)
        self.assertIsNone(results.clock_line(records.parse_text("")))

    def test_append_creates_then_appends(self):
        path = results.result_path(self.dir, "icount",
                                   fingerprint.machine_id(self.fp),
                                   "smp1-m128-cpuqemu32", "a" * 40)
        ms = metrics_of(fakelog.bench_lines(samples=10))
        b1 = results.append_boot(path, self.header(), ms, 1,
                                 date="2024-01-02T00:00:00+00:00")
        with open(path) as f:
            first = f.read()
        b2 = results.append_boot(path, self.header(), ms, 1)
        with open(path) as f:
            both = f.read()
        self.assertEqual((b1.number, b2.number), (1, 2))
        self.assertTrue(both.startswith(first), "append-only")
        self.assertEqual(both.count("# commit: "), 1)
        self.assertIn("# boot 1 2024-01-02T00:00:00+00:00 exit=1\n", first)
        self.assertIn("# subject: ipc: faster path\n", first)
        self.assertIn("# host_cpu: Test CPU\n", first)
        rf = results.read(path)
        self.assertEqual([b.number for b in rf.boots], [1, 2])
        self.assertEqual(len(rf.boots[0].rows), 30)
        row = rf.boots[1].rows[0]
        self.assertEqual((row.metric, row.unit, row.boot, row.sample,
                          row.batch, row.raw, row.overhead, row.per_op),
                         ("ipc.sendrec", "ticks", 2, 0, 1, 2140, 40,
                          "2100.000"))
        self.assertEqual(rf.desc("trap.int"), "int $0x30 null kernel call")
        self.assertIsNone(results.compare_boots(rf.boots[0], rf.boots[1]))
        data_lines = [l for l in both.splitlines() if not l.startswith("#")]
        self.assertTrue(all(len(l.split("\t")) == 8 for l in data_lines))

    def test_compare_finds_difference(self):
        a = metrics_of(fakelog.bench_lines(samples=10))
        b = metrics_of(fakelog.bench_lines(samples=10, noise=True, seed=5))
        ra = results.BootRows(1, "", "1", results.rows_for(a, 1))
        rb = results.BootRows(2, "", "1", results.rows_for(b, 2))
        self.assertIsNone(results.compare_boots(ra, ra))
        self.assertIn("first difference", results.compare_boots(ra, rb))

    def test_machine_file_written_once(self):
        p = results.write_machine(self.dir, self.fp)
        self.assertEqual(os.path.basename(p),
                         fingerprint.machine_id(self.fp) + ".txt")
        mtime = os.stat(p).st_mtime_ns
        results.write_machine(self.dir, self.fp)
        self.assertEqual(os.stat(p).st_mtime_ns, mtime)
        with open(p) as f:
            self.assertIn("host_cpu: Test CPU\n", f.read())

    def test_find_files(self):
        for sha in ("b" * 40, "c" * 40):
            path = results.result_path(self.dir, "icount", "m", "cfg", sha)
            results.append_boot(path, self.header(),
                                 metrics_of(fakelog.bench_lines(4)), 1)
        found = results.find_files(self.dir)
        self.assertEqual([f[3] for f in found], ["b" * 40, "c" * 40])
        self.assertEqual(len(results.find_files(self.dir, "ccc")), 1)


class Dirty(unittest.TestCase):
    def setUp(self):
        self.repo = make_repo()

    def tearDown(self):
        shutil.rmtree(self.repo)

    def test_clean_then_dirty(self):
        src = results.source(self.repo)
        self.assertTrue(src.clean)
        self.assertEqual(len(src.commit), 40)
        self.assertEqual(src.subject, "first commit")
        self.assertEqual(results.store_root(self.repo, src),
                         os.path.join(self.repo, "results"))
        # Untracked build output and results do not make the tree dirty.
        os.makedirs(os.path.join(self.repo, "build", "x"))
        open(os.path.join(self.repo, "build", "x", "k.elf"), "w").close()
        os.makedirs(os.path.join(self.repo, "results", "icount"))
        open(os.path.join(self.repo, "results", "icount", "a.tsv"),
             "w").close()
        self.assertTrue(results.source(self.repo).clean)
        # An edit of a tracked file does.
        with open(os.path.join(self.repo, "src.c"), "a") as f:
            f.write("int y;\n")
        src = results.source(self.repo)
        self.assertFalse(src.clean)
        self.assertEqual(results.store_root(self.repo, src),
                         os.path.join(self.repo, "build", "results-dirty"))

    def test_modified_results_keep_the_tree_clean(self):
        # `make plot` or `make report` rewrite tracked files under
        # results/: " M results/..." is git status's first line, whose
        # leading space must not be lost (it was: "esults/..." was dirt).
        os.makedirs(os.path.join(self.repo, "results", "plots"))
        path = os.path.join(self.repo, "results", "plots", "a.gp")
        with open(path, "w") as f:
            f.write("old\n")
        git(self.repo, "add", "results")
        git(self.repo, "commit", "-q", "-m", "plots")
        with open(path, "w") as f:
            f.write("new\n")
        self.assertEqual(results.dirty_paths(self.repo), [])
        self.assertTrue(results.source(self.repo).clean)
        # A tracked source edit listed after it still counts.
        with open(os.path.join(self.repo, "src.c"), "a") as f:
            f.write("int y;\n")
        self.assertEqual([l.split()[-1] for l in
                          results.dirty_paths(self.repo)], ["src.c"])

    def test_untracked_source_is_dirty(self):
        open(os.path.join(self.repo, "new.c"), "w").close()
        self.assertFalse(results.source(self.repo).clean)


class BenchCommand(unittest.TestCase):
    """cairnlab.py bench end to end, with fake_qemu.py standing in for QEMU."""

    def setUp(self):
        self.repo = make_repo()
        self.kernel = os.path.join(self.repo, "build", "kernel.elf")
        os.makedirs(os.path.join(self.repo, "build", "user"))
        for f in ("kernel.elf", "user/vm.elf", "user/pm.elf",
                  "user/system.tar", "user/ubench.elf"):
            open(os.path.join(self.repo, "build", f), "w").close()

    def tearDown(self):
        shutil.rmtree(self.repo)

    def bench(self, *extra, env=None):
        cmd = [sys.executable, os.path.join(labpath.LAB, "cairnlab.py"),
               "--repo", self.repo, "bench", "--kernel", self.kernel,
               "--qemu", FAKE_QEMU, "--samples", "12"] + list(extra)
        e = dict(os.environ)
        e.update(env or {})
        return subprocess.run(cmd, capture_output=True, text=True, env=e,
                              timeout=120)

    def test_missing_user_programs_named(self):
        os.remove(os.path.join(self.repo, "build", "user", "ubench.elf"))
        r = self.bench()
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("ubench.elf", r.stdout)
        self.assertEqual(self.bench("--no-user").returncode, 0)

    def test_boots_append_and_repeat(self):
        p = self.bench("--boots", "2")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("identical to boot 1, as expected", p.stdout)
        self.assertIn("accelerator: TCG", p.stdout)
        self.assertRegex(p.stdout, r"ipc\.sendrec\s+instructions\s+24\s+")
        files = results.find_files(os.path.join(self.repo, "results"))
        self.assertEqual(len(files), 1)
        series, machine, config, sha, path = files[0]
        self.assertEqual((series, config), ("icount",
                                            "smp2-m128-cpuqemu32-s12"))
        self.assertTrue(os.path.exists(os.path.join(
            self.repo, "results", "machines", machine + ".txt")))
        p = self.bench()
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("stored as boot 3", p.stdout)
        self.assertEqual(len(results.read(path).boots), 3)
        with open(path) as f:
            self.assertIn("-serial file:<log> -kernel build/kernel.elf",
                          f.read())
        show = subprocess.run([sys.executable, os.path.join(
            labpath.LAB, "cairnlab.py"), "--repo", self.repo, "show"],
            capture_output=True, text=True, timeout=60)
        self.assertIn("icount boots all identical", show.stdout)

    def test_different_icount_boot_is_loud(self):
        self.assertEqual(self.bench().returncode, 0)
        p = self.bench(env={"FAKE_QEMU_NOISE": "1"})
        self.assertIn("DIFFERENT from boot 1", p.stdout)
        self.assertIn("!! icount boot 2 differs from boot 1", p.stdout)

    def test_dirty_tree_goes_to_build(self):
        with open(os.path.join(self.repo, "src.c"), "a") as f:
            f.write("int z;\n")
        p = self.bench()
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("results go to build/results-dirty/", p.stdout)
        self.assertEqual(results.find_files(os.path.join(self.repo,
                                                         "results")), [])
        self.assertEqual(len(results.find_files(os.path.join(
            self.repo, "build", "results-dirty"))), 1)


if __name__ == "__main__":
    unittest.main()
