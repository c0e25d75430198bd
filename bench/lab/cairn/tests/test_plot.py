"""Plots: history order, .dat contents, pictures from gnuplot, labels."""

import os
import shutil
import unittest

from . import labpath  # noqa: F401
from cairn import fingerprint, plot, results

from . import fakelog
from .test_results import git, make_repo, metrics_of


class Plot(unittest.TestCase):
    def setUp(self):
        self.repo = make_repo()
        self.shas = []
        for i in range(3):
            with open(os.path.join(self.repo, "src.c"), "a") as f:
                f.write("int v%d;\n" % i)
            git(self.repo, "commit", "-q", "-am", "change %d" % i)
            self.shas.append(results.head_commit(self.repo))
        self.root = os.path.join(self.repo, "results")
        fp = fingerprint.make("icount", 1, cpu="Test CPU", kernel="k",
                              qemu="7.2")
        self.machine = fingerprint.machine_id(fp)
        # Results for commits 0 and 2 (written newest first, to check the
        # order comes from history), and one commit not in the history.
        for sha, noise in ((self.shas[2], True), (self.shas[0], False),
                           ("f" * 40, False)):
            src = results.Source(sha, "s", "", [])
            path = results.result_path(self.root, "icount", self.machine,
                                       "smp1-m128-cpuqemu32", sha)
            results.append_boot(path, results.header_lines(
                src, "icount", "smp1-m128-cpuqemu32", fp, "q"),
                metrics_of(fakelog.bench_lines(20, noise)), 1)

    def tearDown(self):
        shutil.rmtree(self.repo)

    def test_plot_all(self):
        notes = []
        written = plot.plot_all(self.repo, self.root, log=notes.append)
        gdir = os.path.join(self.root, "plots", "icount-%s-smp1-m128-cpuqemu32"
                            % self.machine)
        self.assertIn(os.path.join(gdir, "ipc.sendrec.png"), written)
        # png + svg per metric, and its overview
        self.assertEqual(len(written), 3 * len(fakelog.METRICS))
        with open(os.path.join(gdir, "ipc.sendrec.png"), "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        with open(os.path.join(gdir, "ipc.sendrec.svg")) as f:
            svg = f.read()
        self.assertIn("<svg", svg)
        self.assertIn("instructions (icount)", svg)
        self.assertNotIn("cycles", svg)
        with open(os.path.join(gdir, "ipc.sendrec.dat")) as f:
            rows = [l.rstrip("\n").split("\t") for l in f
                    if not l.startswith("#")]
        # Commit 1 was not measured: it keeps its place on the x axis, as
        # a row of NaN marked U (the line breaks there, a grey tick).
        self.assertEqual([r[8] for r in rows], self.shas)
        self.assertEqual([r[0] for r in rows], ["0", "1", "2"])
        # (commit 2's noisy samples move its median: a step, which the
        # plot shades over the unmeasured commit before it)
        self.assertEqual([r[12] for r in rows], ["-", "U", "R"])
        self.assertEqual(rows[1][2], "NaN")
        self.assertEqual(rows[0][2], "2101.000")          # median
        with open(os.path.join(gdir, "ipc.sendrec.gp")) as f:
            gp = f.read()
        self.assertIn("set arrow from 1, graph 0 to 1, graph 0.035", gp)
        self.assertIn("set object rect from 0.500000, graph 0 to 1.500000",
                      gp)
        # Quiet: only what needs saying (the commit outside HEAD's
        # history), not a line per picture.
        self.assertEqual(len(notes), 1, notes)
        self.assertIn("not in HEAD's history", notes[0])

    def test_positions(self):
        order = ["a", "b", "c", "d", "e", "f"]
        self.assertEqual(plot.positions(order, ["b", "c", "f"]),
                         ([0, 1, 4], [(2, "d"), (3, "e")]))
        self.assertEqual(plot.positions(order, ["a", "b"]), ([0, 1], []))

    def test_labels_of_close_change_points_do_not_overlap(self):
        heights = plot.label_rows([10.5, 11.5, 12.5, 60.5], 100)
        self.assertEqual(len(set(heights[:3])), 3)
        self.assertEqual(heights[3], heights[0])

    def test_scripts_are_the_same_in_every_checkout(self):
        # Plots are tracked in results/plots: a `make plot` in another
        # checkout must not rewrite them, so no .gp may name the checkout.
        other = self.repo + "-copy"
        shutil.copytree(self.repo, other)
        self.addCleanup(shutil.rmtree, other)
        plot.plot_all(self.repo, self.root, log=lambda s: None)
        plot.plot_all(other, os.path.join(other, "results"),
                      log=lambda s: None)
        scripts = []
        for d, _, names in os.walk(os.path.join(self.root, "plots")):
            scripts += [os.path.join(d, n) for n in names
                        if n.endswith((".gp", ".dat", ".svg", ".png"))]
        self.assertTrue(any(s.endswith(".gp") for s in scripts))
        for path in scripts:
            with open(path, "rb") as f:
                data = f.read()
            self.assertNotIn(self.repo.encode(), data, path)
            twin = os.path.join(other, os.path.relpath(path, self.repo))
            with open(twin, "rb") as f:
                self.assertEqual(f.read(), data, path)

    def test_labels(self):
        self.assertEqual(plot.y_label("icount", "tsc"),
                         "instructions (icount) per operation")
        self.assertIn("TSC ticks", plot.y_label("kvm", "tsc"))
        self.assertIn("noisy", plot.y_label("tcg", "ticks"))
        self.assertIn(plot.png_terminal(), ("png", "pngcairo"))


if __name__ == "__main__":
    unittest.main()
