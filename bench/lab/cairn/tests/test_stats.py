"""Statistics of the lab against known answers: textbook tables and values
worked out by hand (each derivation is in the comments)."""

import math
import random
import unittest

from . import labpath  # noqa: F401
from cairn import stats


class MannWhitney(unittest.TestCase):
    def test_exact_complete_separation(self):
        # n1 = n2 = 3: C(6,3) = 20 arrangements, one with U = 0, so the
        # one-sided p is 1/20 and the two-sided 0.1.
        r = stats.mann_whitney([1, 2, 3], [4, 5, 6])
        self.assertEqual((r.u, r.method), (0.0, "exact"))
        self.assertAlmostEqual(r.p, 0.1, places=12)
        # n1 = n2 = 5: C(10,5) = 252, two-sided 2/252.
        r = stats.mann_whitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
        self.assertAlmostEqual(r.p, 2 / 252, places=12)
        self.assertAlmostEqual(r.p, 0.00794, places=5)
        # Symmetric in direction.
        self.assertAlmostEqual(
            stats.mann_whitney([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]).p, 2 / 252)

    def test_exact_distribution(self):
        # n1 = n2 = 3: U = 0..9 occurs 1,1,2,3,3,3,3,2,1,1 times (the
        # coefficients of the Gaussian binomial [6 choose 3]_q).
        self.assertEqual(stats.u_distribution(3, 3),
                         [1, 1, 2, 3, 3, 3, 3, 2, 1, 1])
        self.assertEqual(sum(stats.u_distribution(10, 12)), math.comb(22, 10))
        # x = [1, 5, 9], y = [2, 3, 4]: x beats y in 0 + 3 + 3 = 6 pairs;
        # P(U >= 6) = (3+2+1+1)/20 = 7/20, two-sided 0.7.
        r = stats.mann_whitney([1, 5, 9], [2, 3, 4])
        self.assertEqual(r.u, 6.0)
        self.assertAlmostEqual(r.p, 0.7)

    def test_ties_normal_approximation(self):
        # x = [1, 2, 3, 4], y = [3, 4, 5, 6, 7]: U_x = 0.5 (3 vs 3) + 1
        # (4 vs 3) + 0.5 (4 vs 4) = 2.  n = 9, mean n1 n2 / 2 = 10; ties: two
        # groups of 2, sum(t^3 - t) = 12; variance 20/12 * (10 - 12/72);
        # z = (|2 - 10| - 0.5) / sd; p = erfc(z / sqrt 2) = 0.0639...
        r = stats.mann_whitney([1, 2, 3, 4], [3, 4, 5, 6, 7])
        self.assertEqual((r.u, r.method), (2.0, "normal"))
        sd = math.sqrt(20 / 12 * (10 - 12 / 72))
        self.assertAlmostEqual(r.p, math.erfc(7.5 / sd / math.sqrt(2)))
        self.assertAlmostEqual(r.p, 0.0639, places=3)

    def test_all_tied(self):
        r = stats.mann_whitney([5, 5, 5], [5, 5, 5])
        self.assertEqual((r.u, r.p), (4.5, 1.0))

    def test_large_untied_uses_normal(self):
        # 40 vs 40, interleaved: U = 800 = n1 n2 / 2, nothing to see.
        x = list(range(0, 80, 2))
        y = list(range(1, 80, 2))
        r = stats.mann_whitney(x, y)
        self.assertEqual(r.method, "normal")
        self.assertGreater(r.p, 0.5)

    def test_min_p(self):
        self.assertAlmostEqual(stats.min_p(3, 3), 0.1)
        self.assertAlmostEqual(stats.min_p(4, 4), 2 / 70)


class BenjaminiHochberg(unittest.TestCase):
    def test_adjusted_values(self):
        # Sorted: 0.005 (rank 1), 0.01 (2), 0.03 (3), 0.04 (4); m p / rank:
        # 0.02, 0.02, 0.04, 0.04; running minimum from the top keeps them.
        self.assertEqual([round(q, 12) for q in
                          stats.bh_adjust([0.01, 0.04, 0.03, 0.005])],
                         [0.02, 0.04, 0.04, 0.02])
        # Monotone: [0.01, 0.02, 0.0295, 0.03] give m p / rank = 0.04,
        # 0.04, 0.0393, 0.03; the running minimum from the top makes every
        # adjusted value 0.03.
        q = stats.bh_adjust([0.01, 0.02, 0.0295, 0.03])
        self.assertAlmostEqual(q[0], 0.03)
        self.assertAlmostEqual(q[1], 0.03)
        self.assertAlmostEqual(q[2], 0.03)
        self.assertAlmostEqual(q[3], 0.03)
        self.assertEqual(stats.bh_adjust([0.9, 0.8]), [0.9, 0.9])

    def test_benjamini_hochberg_1995_example(self):
        # The 15 p-values of Benjamini & Hochberg (1995), section 4: at
        # q = 0.05 the procedure rejects the four smallest.
        ps = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298,
              0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0]
        q = stats.bh_adjust(ps)
        self.assertEqual(sum(1 for x in q if x <= 0.05), 4)
        self.assertAlmostEqual(q[0], 0.0015)            # 15 * 0.0001 / 1
        self.assertAlmostEqual(q[3], 15 * 0.0095 / 4)   # 0.035625
        self.assertAlmostEqual(q[14], 1.0)


class HodgesLehmannMoses(unittest.TestCase):
    def test_estimate(self):
        # y - x for x = [1, 2, 3], y = [2, 4, 9]: 1 0 -1, 3 2 1, 8 7 6;
        # sorted -1 0 1 1 2 3 6 7 8, median 2.
        self.assertEqual(stats.hodges_lehmann([1, 2, 3], [2, 4, 9]), 2)

    def test_moses_interval(self):
        # n1 = n2 = 5: P(U <= 2) = 4/252 <= 0.025 < P(U <= 3) = 7/252, so
        # k = 3 (Hollander & Wolfe's table: C = 3) and the interval is
        # (D_(3), D_(23)).  x = 0..4, y = 10..14: the 25 differences are
        # 6 (once), 7 (twice), 8 (3), 9 (4), 10 (5), 11 (4), 12 (3),
        # 13 (2), 14 (1): D_(3) = 7, D_(23) = 13, median 10.
        x, y = [0, 1, 2, 3, 4], [10, 11, 12, 13, 14]
        self.assertEqual(stats.moses_rank(5, 5), 3)
        ci = stats.moses_ci(x, y)
        self.assertEqual((ci.lo, ci.hi), (7, 13))
        self.assertAlmostEqual(ci.coverage, 1 - 8 / 252)
        self.assertEqual(stats.hodges_lehmann(x, y), 10)

    def test_too_few_for_an_interval(self):
        # n1 = n2 = 3: even U = 0 has probability 1/20 > 0.025.
        self.assertIsNone(stats.moses_ci([1, 2, 3], [4, 5, 6]))
        # n1 = n2 = 4: P(U = 0) = 1/70: k = 1, the full range.
        ci = stats.moses_ci([1, 2, 3, 4], [5, 6, 7, 8])
        self.assertEqual((ci.lo, ci.hi), (1, 7))
        self.assertEqual(stats.boots_needed(1), 4)
        # 20 metrics: complete separation must reach 0.05/20: C(2n, n) >= 800.
        self.assertEqual(stats.boots_needed(20), 6)


class MedianCI(unittest.TestCase):
    def test_order_statistics(self):
        # n = 10: P(B <= 1) = 11/1024 <= 0.025 < P(B <= 2) = 56/1024:
        # (x_(2), x_(9)), coverage 1 - 22/1024.
        ci = stats.median_ci(range(1, 11))
        self.assertEqual((ci.lo, ci.hi), (2, 9))
        self.assertAlmostEqual(ci.coverage, 1 - 22 / 1024)
        # n = 30 (the default sample count): the table value is (10, 21).
        ci = stats.median_ci(range(1, 31))
        self.assertEqual((ci.lo, ci.hi), (10, 21))
        # n = 6: (min, max) with coverage 1 - 2/64; n = 5 reaches only
        # 1 - 2/32 = 93.75%: no interval.
        self.assertEqual((stats.median_ci([5, 1, 4, 2, 3, 6]).lo,
                          stats.median_ci([5, 1, 4, 2, 3, 6]).hi), (1, 6))
        self.assertIsNone(stats.median_ci([1, 2, 3, 4, 5]))

    def test_rel_mad(self):
        # median 3, |deviations| 2 1 0 1 97, their median 1: 1/3.
        self.assertAlmostEqual(stats.rel_mad([1, 2, 3, 4, 100]), 1 / 3)
        self.assertEqual(stats.rel_mad([7, 7, 7]), 0.0)
        self.assertEqual(stats.rel_mad([-1, 0, 1]), math.inf)
        self.assertEqual(stats.noisy_metrics({"a": [100, 101, 102],
                                              "b": [100, 110, 90]}),
                         [("b", 0.1)])


class Estimates(unittest.TestCase):
    def test_icount_uses_samples(self):
        e = stats.estimate("icount", [[3, 1, 2, 5, 4, 6], [3, 1, 2, 5, 4, 6]])
        self.assertEqual((e.value, e.unit, e.boots), (3.5, "sample", 2))
        self.assertEqual((e.ci.lo, e.ci.hi), (1, 6))

    def test_realtime_boot_is_the_unit(self):
        boots = [[10, 11, 12], [20, 21, 22], [30, 31, 32]]
        e = stats.estimate("kvm", boots)
        self.assertEqual(e.units, [11, 21, 31])
        self.assertEqual(e.value, 21)
        self.assertEqual((e.ci.lo, e.ci.hi), (11, 31))     # range, 3 boots
        self.assertAlmostEqual(e.ci.coverage, 0.75)
        six = stats.estimate("kvm", [[v] for v in (5, 1, 4, 2, 3, 6)])
        self.assertTrue(six.ci_kind.startswith("order"))

    def test_exact_threshold(self):
        self.assertEqual(stats.exact_change(1000, 1005), 1)      # 0.5%, 5
        self.assertEqual(stats.exact_change(1000, 1004.9), 0)    # < 0.5%
        self.assertEqual(stats.exact_change(100, 100.9), 0)      # < 1 instr.
        self.assertEqual(stats.exact_change(100, 99), -1)
        self.assertEqual(stats.exact_change(100, 100), 0)


def noisy(levels, seed, sigma=1.0):
    rng = random.Random(seed)
    return [lvl + rng.gauss(0, sigma) for lvl in levels]


class ChangePoints(unittest.TestCase):
    def test_one_step(self):
        xs = noisy([100] * 30 + [120] * 30, seed=1)
        self.assertEqual(stats.step_fit(xs), [30])

    def test_two_steps(self):
        xs = noisy([100] * 20 + [110] * 20 + [95] * 20, seed=2)
        self.assertEqual(stats.step_fit(xs), [20, 40])

    def test_no_step(self):
        for seed in range(10):
            self.assertEqual(stats.step_fit(noisy([100] * 60, seed)), [],
                             "seed %d" % seed)

    def test_small_step_is_not_a_change(self):
        # A 1.5% step, clear against sigma 0.1, is under the 2% minimum.
        xs = noisy([100] * 30 + [101.5] * 30, seed=3, sigma=0.1)
        self.assertEqual(stats.step_fit(xs), [])
        self.assertEqual(stats.step_fit(xs, min_effect=0.01), [30])

    def test_pelt_is_optimal_partitioning(self):
        # Without noise and with a tiny penalty every level is found.
        xs = [0.0] * 5 + [10.0] * 5 + [3.0] * 5
        self.assertEqual(stats.pelt(xs, 1.0), [5, 10])
        self.assertEqual(stats.pelt(xs, 1e6), [])

    def test_exact_steps(self):
        # icount: every difference starts a new level, however small.
        xs = [118.094] * 4 + [118.125] + [118.125] * 3 + [120.0]
        self.assertEqual(stats.step_fit(xs, exact=True), [4, 8])
        self.assertEqual(stats.step_fit([5.0] * 10, exact=True), [])

    def test_robust_sigma_ignores_the_step(self):
        xs = noisy([100] * 50 + [200] * 50, seed=4)
        self.assertAlmostEqual(stats.robust_sigma(xs), 1.0, delta=0.3)


if __name__ == "__main__":
    unittest.main()
