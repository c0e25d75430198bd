"""The lab's trust check: on a synthetic history with known answers, the
lab finds exactly what was planted and nothing else.

History: 24 commits, 12 metrics at realistic levels, icount (exact) and
kvm and tcg (real time: 8 boots per commit, within-boot and between-boot
noise as measured here, a steady canary).  Planted: ipc.sendrec +2% under
icount at commit 15, trap.int +10% under kvm at commit 9.  compare,
changepoints and bisect must report those two and no other; a no-change
rerun (every commit measured again, other noise) must raise zero alerts
in every series; a host that slowed down between two runs must give
"inconclusive", never a regression.  Seeds are fixed, so the check is the
same on every run; three seeds make it more than one lucky draw.
"""

import os
import random
import shutil
import unittest

from . import labpath  # noqa: F401
from cairn import compare, fingerprint, history, results, stats

from .test_compare import boot_metrics, exact_metrics, store
from .test_history import make_history

N_COMMITS = 24
ICOUNT_STEP = (15, "ipc.sendrec", 0.02)
KVM_STEP = (9, "trap.int", 0.10)
LEVELS = {
    "canary.loop": 6002.0, "ipc.sendrec": 1154.0, "ipc.sendrec.cross_cpu":
    1422.0, "ipc.notify.latency": 558.0, "trap.int": 118.0,
    "kentry.null.sysenter": 132.0, "kentry.null.syscall": 131.0,
    "vm.pagefault.anon": 3157.0, "vm.pagefault.cow": 3273.0,
    "vm.mmap_munmap": 4288.0, "proc.fork_exit_wait": 80380.0,
    "tlb.invlpg": 240.0,
}
# Real time: per-sample spread and boot-to-boot spread (sigma, relative).
NOISE = {"kvm": (0.004, 0.003), "tcg": (0.010, 0.006)}
# compare corrects over every real-time metric compared (Benjamini-
# Hochberg over 2 x 12 here): a lone change needs p <= 0.05 / 24, which
# Mann-Whitney reaches from 7 boots of each (stats.boots_needed); with
# the default 5 such a change is "inconclusive: too few boots".
BOOTS = 8
SEEDS = (1, 2, 3)


def levels_at(series, i):
    lv = dict(LEVELS)
    for at, metric, rel, where in ((ICOUNT_STEP + ("icount",)),
                                   (KVM_STEP + ("kvm",))):
        if series == where and i >= at:
            lv[metric] *= 1 + rel
    return lv


def fp_of(series):
    f = fingerprint.make(series, 2, cpu="Trust CPU", kernel="k",
                         qemu="7.2", compiler="gcc", binutils="ld")
    if series != "icount":
        f["accelerator"] = series
    return f


def measure(root, shas, seed, skip=(), slow=None):
    """Stores every series for the commits of shas (leaving out the
    indexes in skip); slow: {series: factor} for a host that slowed."""
    rng = random.Random(seed)
    for i, sha in enumerate(shas):
        if i in skip:
            continue
        store(root, "icount", sha, [exact_metrics(
            {m: round(v) for m, v in levels_at("icount", i).items()})],
            machine_fp=fp_of("icount"))
        for series, (within, between) in NOISE.items():
            f = (slow or {}).get(series, 1.0)
            lv = {m: v * f for m, v in levels_at(series, i).items()}
            store(root, series, sha, [boot_metrics(lv, rng, within, between)
                                      for _ in range(BOOTS)],
                  machine_fp=fp_of(series))


class Trust(unittest.TestCase):
    def setUp(self):
        self.repo, self.shas = make_history(range(N_COMMITS))
        self.root = os.path.join(self.repo, "results")

    def tearDown(self):
        shutil.rmtree(self.repo)

    def fresh(self, seed, **kw):
        shutil.rmtree(self.root, ignore_errors=True)
        measure(self.root, self.shas, seed, **kw)

    def alerts(self, a, b):
        """(series, metric, verdict) of every regression or improvement
        compare reports between commits a and b."""
        cmp = compare.compare(self.root, self.shas[a], self.shas[b])
        return sorted((r.group[0], r.metric, r.verdict) for r in cmp.rows()
                      if r.verdict in ("regression", "improvement"))

    def change_points(self):
        series, _ = history.metric_series(self.repo, self.root)
        return sorted((c.group[0], c.metric, self.shas.index(c.sha))
                      for c in history.all_changes(series) if c.significant)

    def test_planted_steps_are_found_exactly(self):
        for seed in SEEDS:
            with self.subTest(seed=seed):
                self.fresh(seed)
                self.assertEqual(self.change_points(), [
                    ("icount", "ipc.sendrec", 15), ("kvm", "trap.int", 9)])
                self.assertEqual(self.alerts(14, 15), [
                    ("icount", "ipc.sendrec", "regression")])
                self.assertEqual(self.alerts(8, 9), [
                    ("kvm", "trap.int", "regression")])
                # Across both steps, from the first commit to the last.
                self.assertEqual(self.alerts(0, N_COMMITS - 1), [
                    ("icount", "ipc.sendrec", "regression"),
                    ("kvm", "trap.int", "regression")])

    def test_bisect_names_the_commit(self):
        self.fresh(SEEDS[0])
        key = fp_of("icount")
        measured = []

        def value_of(sha):
            measured.append(sha)
            path = results.find_result(self.root, "icount", key,
                                       "smp2-m128", sha)
            rf = results.read(path)
            return stats.estimate("icount", history.boot_values(
                rf, "ipc.sendrec")).value
        res = history.bisect(self.repo, self.shas[0], self.shas[-1],
                             value_of, log=lambda s: None)
        self.assertEqual(res.culprit, self.shas[15])
        self.assertLessEqual(len(measured), 2 + 5)   # ends + log2(22)

    def test_step_in_unmeasured_commits_is_a_range(self):
        # Commits 12..17 never measured: the steps show as the range from
        # the last unchanged to the first changed commit, with the bisect.
        self.fresh(SEEDS[0], skip=set(range(12, 18)))
        order = history.commit_order(self.repo)
        series, _ = history.metric_series(self.repo, self.root, order)
        found = [c for c in history.all_changes(series) if c.significant]
        self.assertEqual(sorted((c.group[0], c.metric) for c in found),
                         [("icount", "ipc.sendrec"), ("kvm", "trap.int")])
        ic = [c for c in found if c.group[0] == "icount"][0]
        self.assertEqual((ic.prev_sha, ic.sha), (self.shas[11],
                                                 self.shas[18]))
        self.assertEqual(ic.gap(order), self.shas[12:18])
        self.assertIn("make bisect METRIC=ipc.sendrec", ic.bisect_hint(order))

    def test_no_change_rerun_raises_no_alert(self):
        # Every commit measured again with other noise, nothing planted in
        # between: compare of each commit with its own rerun, and of each
        # commit with the next where no step was planted, must be silent.
        for seed in SEEDS[:2]:
            with self.subTest(seed=seed):
                self.fresh(seed)
                first = os.path.join(self.repo, "first")
                shutil.move(self.root, first)
                measure(self.root, self.shas, seed + 100)
                rerun = {}
                for s, m, c, sha, path in results.find_files(self.root):
                    rerun[(s, m, c, sha)] = path
                shutil.rmtree(self.root)
                # Two trees with the same commits: pair them as A and B of
                # one results directory, under two commit names.
                shutil.move(first, self.root)
                loud = []
                for i in range(N_COMMITS):
                    if i in (ICOUNT_STEP[0], KVM_STEP[0]):
                        continue
                    if i:
                        loud += self.alerts(i - 1, i)
                self.assertEqual(loud, [])
                # And each commit against its rerun.
                for (s, m, c, sha), path in sorted(rerun.items()):
                    twin = results.result_path(self.root, s, m, c, "r" + sha)
                    os.makedirs(os.path.dirname(twin), exist_ok=True)
                    shutil.copy(path, twin)
                cmpd = []
                for sha in self.shas:
                    cmp = compare.compare(self.root, sha, "r" + sha)
                    cmpd += [(r.group[0], r.metric, r.verdict)
                             for r in cmp.rows() if r.changed]
                    self.assertEqual(len(cmp.groups), 3)
                self.assertEqual(cmpd, [])

    def test_no_change_history_has_no_change_points(self):
        for seed in SEEDS:
            with self.subTest(seed=seed):
                shutil.rmtree(self.root, ignore_errors=True)
                rng = random.Random(seed)
                for sha in self.shas:
                    store(self.root, "icount", sha, [exact_metrics(
                        {m: round(v) for m, v in LEVELS.items()})],
                        machine_fp=fp_of("icount"))
                    for series, (within, between) in NOISE.items():
                        store(self.root, series, sha, [
                            boot_metrics(LEVELS, rng, within, between)
                            for _ in range(BOOTS)], machine_fp=fp_of(series))
                self.assertEqual(self.change_points(), [])

    def test_slower_host_is_inconclusive_not_a_regression(self):
        # The second run's host is 6% slower in tcg (the canary too): no
        # verdict in tcg may call that a regression.
        self.fresh(SEEDS[0])
        measure(os.path.join(self.repo, "slow"), self.shas, 7,
                slow={"tcg": 1.06})
        for s, m, c, sha, path in results.find_files(
                os.path.join(self.repo, "slow")):
            if s == "tcg" and sha == self.shas[3]:
                twin = results.result_path(self.root, s, m, c, "slow")
                os.makedirs(os.path.dirname(twin), exist_ok=True)
                shutil.copy(path, twin)
        shutil.rmtree(os.path.join(self.repo, "slow"))
        cmp = compare.compare(self.root, self.shas[3], "slow")
        tcg = [r for r in cmp.rows() if r.group[0] == "tcg"]
        self.assertEqual(len(tcg), len(LEVELS))
        self.assertEqual({r.verdict for r in tcg}, {"inconclusive"})
        self.assertIn("the canary canary.loop moved", tcg[0].note)


if __name__ == "__main__":
    unittest.main()
