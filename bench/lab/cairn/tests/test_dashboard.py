"""make dashboard: rendered from a small generated history, its pages and
links checked, and index.html loaded in headless Chromium (no console
message, a screenshot of the size asked for)."""

import os
import random
import shutil
import tempfile
import unittest

from . import labpath  # noqa: F401
from cairn import browser, dashboard, fingerprint, peer, results

from .test_compare import boot_metrics, exact_metrics, run_lab, store
from .test_history import make_history

NO_BROWSER = ("Chromium is not installed and tools/deps.sh could not "
              "install it (apt-get install chromium): the dashboard was "
              "not checked in a browser")


def fp(series, peer_kernel=None):
    f = fingerprint.make(series, 2, cpu="Dash CPU", kernel="k", qemu="7.2",
                         compiler="gcc", binutils="ld")
    if series != "icount":
        f["accelerator"] = series
    if peer_kernel:
        f[fingerprint.PEER_FIELD] = peer_kernel
    return f


class Dashboard(unittest.TestCase):
    """8 commits; 2 and 5 not measured; ipc.sendrec +10% at commit 6
    under icount; kvm with 3 boots; the Linux peer at the last commit."""

    @classmethod
    def setUpClass(cls):
        cls.repo, cls.shas = make_history(range(8))
        cls.root = os.path.join(cls.repo, "results")
        cls.out = os.path.join(cls.repo, "build", "dashboard")
        rng = random.Random(5)
        levels = {"ipc.sendrec.same_cpu": 1154.0, "trap.int": 118.0,
                  "kentry.null.int": 127.0}
        for i, sha in enumerate(cls.shas):
            if i in (2, 5):
                continue
            lv = dict(levels)
            if i >= 6:
                lv["ipc.sendrec.same_cpu"] *= 1.10
            for series in ("icount", "kvm"):
                results.write_machine(cls.root, fp(series))
            store(cls.root, "icount", sha, [exact_metrics(
                {m: round(v) for m, v in lv.items()})],
                machine_fp=fp("icount"))
            store(cls.root, "kvm", sha, [boot_metrics(lv, rng)
                                         for _ in range(3)],
                  machine_fp=fp("kvm"))
        linux = fp("icount", "Linux 6.1.0-50-686-pae")
        results.write_machine(cls.root, linux)
        store(cls.root, "icount", cls.shas[-1], [exact_metrics(
            {"linux.pipe.same_cpu": 20000, "linux.syscall.int80": 400})],
            machine_fp=linux, config="smp2-m128" + peer.CONFIG_SUFFIX)
        p = run_lab(cls.repo, "dashboard", "--out", cls.out)
        assert p.returncode == 0, p.stdout + p.stderr
        cls.said = p.stdout

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.repo)

    def read(self, rel):
        with open(os.path.join(self.out, rel), encoding="utf-8") as f:
            return f.read()

    def test_pages_and_links(self):
        self.assertIn("file://%s/index.html" % self.out, self.said)
        pages = ["index.html", "commits.html", "machines.html"] + [
            os.path.join("metric", n) for n in
            os.listdir(os.path.join(self.out, "metric"))]
        self.assertEqual(len(pages), 3 + 5)     # 3 Cairn + 2 Linux metrics
        for page in pages:
            text = self.read(page)
            self.assertNotIn("<script", text)
            self.assertNotIn(self.repo, text)    # opens from any copy
            links = dashboard.local_links(os.path.join(self.out, page))
            self.assertTrue(links, page)
            for target in links:
                path = os.path.normpath(os.path.join(
                    self.out, os.path.dirname(page), target))
                self.assertTrue(os.path.exists(path), "%s: %s" % (page,
                                                                  target))

    def test_index(self):
        index = self.read("index.html")
        for group in ("icount / ", "kvm / "):
            self.assertIn("<h2>%s" % group, index)
        # The newest figure, the change against the previous measured
        # commit (the step was at commit 6, the newest is 7), Cairn/Linux.
        self.assertIn("<td>1269.000</td><td class=\"l\"><a href=\"commits"
                      ".html#%s\"><code>%s</code></a></td><td>+0.00%%</td>"
                      % (self.shas[7], self.shas[7][:8]), index)
        self.assertIn("title=\"linux.pipe.same_cpu\">0.06</td>", index)
        self.assertIn("title=\"linux.syscall.int80\">0.32</td>", index)

    def test_metric_page(self):
        page = self.read(os.path.join("metric",
                                      "ipc.sendrec.same_cpu.html"))
        # The change point, as the range over the unmeasured commit 5.
        self.assertIn("commits.html#%s" % self.shas[4], page)
        self.assertIn("1: <code>make bisect METRIC=ipc.sendrec.same_cpu "
                      "GOOD=%s BAD=%s</code>" % (self.shas[4][:12],
                                                 self.shas[6][:12]), page)
        self.assertIn("commit 6: cost 6", page)
        self.assertIn("<td>1154.000 → 1269.000</td><td class=\"worse\">"
                      "+9.97%</td>", page)
        svg = [l for l in dashboard.local_links(os.path.join(
            self.out, "metric", "ipc.sendrec.same_cpu.html"))
            if l.startswith("../svg/icount")][0]
        with open(os.path.normpath(os.path.join(self.out, "metric", svg))) \
                as f:
            self.assertIn("<svg", f.read())
        commits = self.read("commits.html")
        self.assertIn("id=\"%s\"" % self.shas[5], commits)
        self.assertEqual(commits.count("not measured"), 2)
        machines = self.read("machines.html")
        self.assertIn("peer_kernel", machines)

    def test_in_a_browser(self):
        chromium = browser.find()
        if chromium is None:
            self.skipTest(NO_BROWSER)
        shot = os.path.join(self.repo, "shot.png")
        got = browser.load("file://" + os.path.join(self.out, "index.html"),
                           shot, (1000, 700))
        self.assertEqual(got.returncode, 0, got.stderr[-2000:])
        self.assertEqual(got.console, [])
        self.assertEqual(got.size, (1000, 700))
        # The console check can fail: a page that writes to its console.
        bad = os.path.join(self.repo, "bad.html")
        with open(bad, "w") as f:
            f.write("<!DOCTYPE html><script>console.error('boom')</script>")
        got = browser.load("file://" + bad, shot, (320, 200))
        self.assertEqual(len(got.console), 1, got.stderr[-2000:])
        self.assertIn("boom", got.console[0])
        self.assertEqual(got.size, (320, 200))


class Empty(unittest.TestCase):
    def test_no_results(self):
        repo, _ = make_history([1])
        self.addCleanup(shutil.rmtree, repo)
        out = tempfile.mkdtemp(prefix="cairn-dash-")
        self.addCleanup(shutil.rmtree, out)
        p = run_lab(repo, "dashboard", "--out", out)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        with open(os.path.join(out, "index.html")) as f:
            self.assertIn("No results under", f.read())


if __name__ == "__main__":
    unittest.main()
