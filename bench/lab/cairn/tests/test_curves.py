"""Metric families over a size (curves.py), the targets (targets.py), and
both in the report: synthetic results of two commits."""

import os
import shutil
import unittest

from . import labpath  # noqa: F401
from cairn import curves, fingerprint, history, report, results, stats, \
    targets

from . import fakelog
from .test_results import git, make_repo, metrics_of

CONFIG = "smp2-m128-cpuqemu32"


def lookup_metrics(scale):
    """The region-lookup family, per-op figures growing with log N, and
    two metrics with targets."""
    ms = [("vm.region_lookup.n%d" % n, "tsc", 256, int(scale * k), "lookup")
          for k, n in ((10, 1), (20, 100), (30, 10000), (35, 100000))]
    ms.append(("vm.pagefault.anon.n100000", "tsc", 1, 3500, "alone"))
    ms.append(("vm.pagefault.anon", "tsc", 1, 3300, "fault"))
    ms.append(("vm.mmap_munmap", "tsc", 16, 7000, "map"))
    return ms


class Curves(unittest.TestCase):
    def setUp(self):
        self.repo = make_repo()
        self.shas = []
        for i in range(2):
            with open(os.path.join(self.repo, "src.c"), "a") as f:
                f.write("int v%d;\n" % i)
            git(self.repo, "commit", "-q", "-am", "change %d" % i)
            self.shas.append(results.head_commit(self.repo))
        self.root = os.path.join(self.repo, "results")
        fp = fingerprint.make("icount", 2, cpu="Test CPU", kernel="k",
                              qemu="7.2")
        self.machine = fingerprint.machine_id(fp)
        for sha, scale in ((self.shas[0], 1.0), (self.shas[1], 2.0)):
            src = results.Source(sha, "s", "", [])
            path = results.result_path(self.root, "icount", self.machine,
                                       CONFIG, sha)
            results.append_boot(path, results.header_lines(
                src, "icount", CONFIG, fp, "q"), metrics_of(
                    fakelog.bench_lines(9, metrics=lookup_metrics(scale))), 1)

    def tearDown(self):
        shutil.rmtree(self.repo)

    def test_families(self):
        fam = curves.families(["vm.region_lookup.n100", "vm.region_lookup.n1",
                               "vm.pagefault.anon.n100000", "tlb.warm.8",
                               "vm.pagefault.anon", "x.n2", "x.n10"])
        self.assertEqual(fam, {
            "vm.region_lookup": [(1, "vm.region_lookup.n1"),
                                 (100, "vm.region_lookup.n100")],
            "x": [(2, "x.n2"), (10, "x.n10")]})

    def test_plot_curves(self):
        notes = []
        written = curves.plot_curves(self.repo, self.root, log=notes.append)
        base = os.path.join(self.root, "plots", "icount-%s-%s" % (
            self.machine, CONFIG), "vm.region_lookup.curve")
        self.assertEqual(written, [base + ".png", base + ".svg"])
        with open(base + ".png", "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        with open(base + ".svg") as f:
            svg = f.read()
        self.assertIn("instructions (icount)", svg)
        self.assertIn("log scale", svg)
        self.assertNotIn("cycles", svg)
        with open(base + ".dat") as f:
            blocks = f.read().split("\n\n\n")
        self.assertEqual(len(blocks), 2)    # newest, then the first
        rows = [l.split("\t") for l in blocks[0].splitlines()
                if not l.startswith("#")]
        self.assertEqual([r[0] for r in rows], ["1", "100", "10000",
                                                "100000"])
        # scale 2: 2 * 10, plus fakelog's jitter of 1 tick in 256
        self.assertEqual(rows[0][1], "20.004")
        self.assertTrue(all(r[5] == self.shas[1] for r in rows))
        self.assertIn(self.shas[0], blocks[1])
        # Only the family gets a curve: anon.n100000 is alone.
        self.assertFalse(any("pagefault" in p for p in written))

    def test_targets(self):
        smap, _ = history.metric_series(self.repo, self.root)
        checks = {c.what: c for c in targets.check(smap)}
        anon = checks["vm.pagefault.anon"]
        # fakelog's samples: the figure plus 0, 1, 2 ticks
        self.assertEqual((anon.value, anon.target, anon.met, anon.sha),
                         (3301.0, 2000.0, False, self.shas[1]))
        self.assertFalse(checks["vm.mmap_munmap"].met)     # 7000 > 3000
        ratio = checks["vm.region_lookup.n100000 / vm.region_lookup.n100"]
        self.assertTrue(ratio.ratio)
        self.assertAlmostEqual(ratio.value, 70.0 / 40.0, places=3)
        self.assertTrue(ratio.met)
        self.assertNotIn("proc.fork_exit_wait", checks)   # not measured

    def test_targets_icount_only(self):
        est = stats.estimate("kvm", [[9000.0] * 6])
        smap = {("kvm", "m", "c"): {"vm.pagefault.anon": [
            history.Point("a" * 40, est)]}}
        self.assertEqual(targets.check(smap), [])

    def test_report(self):
        curves.plot_curves(self.repo, self.root, log=lambda s: None)
        text = report.build(self.repo, self.root)
        self.assertIn("## Targets (icount)", text)
        self.assertIn("| `vm.mmap_munmap` | 7000.1 | <= 3000 | **missed by "
                      "4000.1** |", text)
        self.assertIn("| 1.75x | <= 2.00x | met |", text)
        self.assertIn("## Curves", text)
        self.assertIn("vm.region_lookup.curve.png)", text)


if __name__ == "__main__":
    unittest.main()
