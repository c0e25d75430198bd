"""Distribution-free statistics for comparing benchmark results.

Everything here works on plain lists of numbers (Python 3 standard
library only) and is checked against textbook values in
bench/lab/cairn/tests/test_stats.py:

    rel_mad            within-boot spread, for the noise gate
    median_ci          order-statistic confidence interval of a median
    mann_whitney       U test, exact or normal approximation
    bh_adjust          Benjamini-Hochberg adjusted p-values
    hodges_lehmann     shift estimate between two samples
    moses_ci           its distribution-free confidence interval
    pelt               penalised least-squares step fit (change points)

and the decisions built on them, whose thresholds BENCHMARKS.md
documents: the noise gate, the icount change threshold and the per-commit
estimate that compare, plots and change points all use.
"""

import math
from dataclasses import dataclass
from statistics import NormalDist

CONFIDENCE = 0.95
FDR_Q = 0.05            # Benjamini-Hochberg level over all metrics compared
MIN_EFFECT = 0.02       # real time: a shift under 2% of A's median: no change
NOISE_GATE = 0.03       # real time: a boot with a rel. MAD over 3% is re-run
NOISE_RERUNS = 2        # ... at most this many extra boots
EXACT_MIN_REL = 0.005   # icount: a change counts at >= 0.5% ...
EXACT_MIN_ABS = 1.0     # ... and >= 1 instruction per operation
EXACT_MAX_N = 30        # exact Mann-Whitney distribution for n1, n2 <= 30
CP_PENALTY_K = 4.0      # change points: penalty K sigma^2 ln(max(n, CP_MIN_N))
CP_MIN_N = 40           # (a sigma from few commits is shaky: at least ln 40)


def is_exact(series):
    """icount counts instructions: the same binary gives the same numbers."""
    return series == "icount"


# ------------------------------------------------------------------ basics

def median(xs):
    s = sorted(xs)
    n = len(s)
    if n == 0:
        raise ValueError("median of nothing")
    mid = n // 2
    return s[mid] if n % 2 else (s[mid - 1] + s[mid]) / 2


def mad(xs):
    """Median absolute deviation from the median (not scaled by 1.4826)."""
    m = median(xs)
    return median([abs(x - m) for x in xs])


def rel_mad(xs):
    """MAD / |median|: the spread of a boot's samples relative to their
    level.  0 for constant data, infinity when the median is 0 but the
    data are not."""
    m = median(xs)
    d = mad(xs)
    if m == 0:
        return 0.0 if d == 0 else math.inf
    return d / abs(m)


def _z(conf):
    return NormalDist().inv_cdf(1 - (1 - conf) / 2)


# ------------------------------------------------------- median interval

@dataclass
class Interval:
    lo: float
    hi: float
    coverage: float          # the exact coverage the order statistics give


def binom_half_cdf(k, n):
    """P(B <= k) for B ~ Binomial(n, 1/2)."""
    if k < 0:
        return 0.0
    return sum(math.comb(n, i) for i in range(0, min(k, n) + 1)) / 2 ** n


def median_ci(xs, conf=CONFIDENCE):
    """Distribution-free confidence interval of the median from order
    statistics: (x_(k), x_(n-k+1)) with the largest k such that
    P(Binomial(n, 1/2) <= k-1) <= (1-conf)/2.  None when n is too small to
    reach conf (n < 6 for 95%)."""
    s = sorted(xs)
    n = len(s)
    alpha2 = (1 - conf) / 2
    k = 0
    while k + 1 <= n // 2 + 1 and binom_half_cdf(k, n) <= alpha2:
        k += 1
    if k == 0:
        return None
    return Interval(s[k - 1], s[n - k], 1 - 2 * binom_half_cdf(k - 1, n))


# ------------------------------------------------------- Mann-Whitney U

def u_distribution(n1, n2):
    """Counts c[u] of the arrangements of n1 + n2 untied values giving
    U = u (u = 0 .. n1*n2), from the Gaussian binomial coefficient
    prod_{i=1..n1} (1 - q^(n2+i)) / (1 - q^i); they sum to C(n1+n2, n1)."""
    size = n1 * n2 + 1
    c = [0] * size
    c[0] = 1
    for i in range(1, n1 + 1):
        a = n2 + i                  # multiply by (1 - q^a)
        for u in range(size - 1, a - 1, -1):
            c[u] -= c[u - a]
        for u in range(i, size):    # divide by (1 - q^i)
            c[u] += c[u - i]
    return c


@dataclass
class MannWhitney:
    u: float                 # U of the first sample: pairs x > y, ties 1/2
    p: float                 # two-sided
    method: str              # "exact" or "normal"


def _ties(values):
    counts = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return [t for t in counts.values() if t > 1]


def mann_whitney(x, y):
    """Two-sided Mann-Whitney U test of x against y.  Exact null
    distribution when there are no ties and n1, n2 <= EXACT_MAX_N; else
    the normal approximation with tie correction of the variance and a
    continuity correction of 1/2."""
    n1, n2 = len(x), len(y)
    if n1 == 0 or n2 == 0:
        raise ValueError("Mann-Whitney needs two non-empty samples")
    u = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a in x for b in y)
    ties = _ties(list(x) + list(y))
    if not ties and n1 <= EXACT_MAX_N and n2 <= EXACT_MAX_N:
        c = u_distribution(n1, n2)
        total = math.comb(n1 + n2, n1)
        k = int(u)
        le = sum(c[:k + 1]) / total
        ge = sum(c[k:]) / total
        return MannWhitney(u, min(1.0, 2 * min(le, ge)), "exact")
    n = n1 + n2
    mu = n1 * n2 / 2
    tie_term = sum(t ** 3 - t for t in ties) / (n * (n - 1))
    var = n1 * n2 / 12 * ((n + 1) - tie_term)
    if var <= 0:
        return MannWhitney(u, 1.0, "normal")
    z = max(0.0, abs(u - mu) - 0.5) / math.sqrt(var)
    return MannWhitney(u, min(1.0, math.erfc(z / math.sqrt(2))), "normal")


def min_p(n1, n2):
    """The smallest two-sided exact p-value n1 and n2 values can give
    (complete separation): 2 / C(n1+n2, n1)."""
    return min(1.0, 2 / math.comb(n1 + n2, n1))


def bh_adjust(ps):
    """Benjamini-Hochberg adjusted p-values (q-values), in input order:
    q_(i) = min over j >= i of m * p_(j) / j, capped at 1.  A hypothesis is
    rejected at FDR level q when its adjusted value is <= q."""
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    out = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, ps[i] * m / rank)
        out[i] = running
    return out


# --------------------------------------------------- Hodges-Lehmann, Moses

def pairwise_shifts(x, y):
    """All n1*n2 differences y_j - x_i, sorted."""
    return sorted(b - a for a in x for b in y)


def hodges_lehmann(x, y):
    """Shift of y relative to x: the median of the pairwise differences."""
    return median(pairwise_shifts(x, y))


def moses_rank(n1, n2, conf=CONFIDENCE):
    """k of the Moses interval (D_(k), D_(n1*n2-k+1)): the largest k with
    P(U <= k-1) <= (1-conf)/2 under the null, exact for n1, n2 <=
    EXACT_MAX_N, else from the normal approximation.  0 when no interval
    reaches conf."""
    alpha2 = (1 - conf) / 2
    if n1 <= EXACT_MAX_N and n2 <= EXACT_MAX_N:
        c = u_distribution(n1, n2)
        total = math.comb(n1 + n2, n1)
        k, cum = 0, 0
        while k < len(c) and (cum + c[k]) / total <= alpha2:
            cum += c[k]
            k += 1
        return k
    k = math.floor(n1 * n2 / 2 - _z(conf) *
                   math.sqrt(n1 * n2 * (n1 + n2 + 1) / 12))
    return max(0, k)


def moses_ci(x, y, conf=CONFIDENCE):
    """Distribution-free confidence interval of the Hodges-Lehmann shift
    (y - x), from the sorted pairwise differences.  None when the samples
    are too small for conf (fewer than 4 values each for 95%)."""
    n1, n2 = len(x), len(y)
    k = moses_rank(n1, n2, conf)
    if k == 0:
        return None
    d = pairwise_shifts(x, y)
    if n1 <= EXACT_MAX_N and n2 <= EXACT_MAX_N:
        c = u_distribution(n1, n2)
        coverage = 1 - 2 * sum(c[:k]) / math.comb(n1 + n2, n1)
    else:
        coverage = conf
    return Interval(d[k - 1], d[len(d) - k], coverage)


def boots_needed(m_tests=1, q=FDR_Q, conf=CONFIDENCE):
    """The smallest equal number of boots n per commit at which a complete
    separation of the two commits' boots would pass the test at level
    q / m_tests (a change in one metric alone, after Benjamini-Hochberg
    over m_tests) and the shift has a Moses interval at conf."""
    n = 2
    while min_p(n, n) > q / max(1, m_tests) or moses_rank(n, n, conf) == 0:
        n += 1
    return n


# ------------------------------------------------------- noise gate, icount

def noisy_metrics(values_by_metric, limit=NOISE_GATE):
    """[(metric, rel_mad)] of the metrics whose within-boot spread is over
    the limit, in the given order."""
    out = []
    for name, xs in values_by_metric.items():
        if xs:
            r = rel_mad(xs)
            if r > limit:
                out.append((name, r))
    return out


def exact_change(a, b):
    """icount, lower is better: +1 when b is worse than a by at least
    EXACT_MIN_ABS and EXACT_MIN_REL of a, -1 when better by as much, 0
    otherwise (including a smaller, but real, difference)."""
    d = b - a
    if abs(d) < EXACT_MIN_ABS or abs(d) < EXACT_MIN_REL * abs(a):
        return 0
    return 1 if d > 0 else -1


# ------------------------------------------------------- per-commit estimate

@dataclass
class Estimate:
    """One commit's figure for one metric, and how it was obtained."""
    value: float             # the median
    ci: Interval             # 95% interval of the median, or None
    units: list              # the independent values behind it
    unit: str                # "sample" (icount) or "boot" (real time)
    boots: int
    ci_kind: str             # how ci was obtained, for legends and tables


def estimate(series, boots):
    """The figure of one commit from its boots' per-op values (a list of
    lists, one per boot).

    icount: the samples of the first boot (all boots are identical) are
    the units; the median and its order-statistic CI over them.
    Real time: the boot is the independent unit; each boot gives its median
    and the figure is the median of those.  Its CI is the order-statistic
    CI over the boot medians when there are at least 6 boots; with 2..5
    boots the range of the boot medians (coverage 1 - 2^(1-n), stated);
    with one boot only the order-statistic CI of that boot's samples,
    which shows within-boot spread only."""
    boots = [list(b) for b in boots if b]
    if not boots:
        return None
    if is_exact(series):
        xs = boots[0]
        return Estimate(median(xs), median_ci(xs), xs, "sample", len(boots),
                        "order statistics of the samples")
    meds = [median(b) for b in boots]
    n = len(meds)
    ci = median_ci(meds)
    kind = "order statistics of the boot medians"
    if ci is None and n >= 2:
        ci = Interval(min(meds), max(meds), 1 - 2 / 2 ** n)
        kind = "range of the boot medians"
    elif ci is None:
        ci = median_ci(boots[0])
        kind = "one boot: samples only"
    return Estimate(median(meds), ci, meds, "boot", n, kind)


# ------------------------------------------------------- change points

def robust_sigma(xs):
    """Noise level of a series with steps: 1.4826 * MAD of the successive
    differences / sqrt(2) (a step spoils one difference, not the MAD)."""
    if len(xs) < 3:
        return 0.0
    d = [b - a for a, b in zip(xs, xs[1:])]
    return 1.4826 * mad(d) / math.sqrt(2)


def pelt(xs, penalty):
    """Optimal partitioning of xs into constant segments minimising the
    sum of squared deviations from each segment's mean plus `penalty` per
    segment, with PELT's pruning (Killick, Fearnhead & Eckley 2012; exact
    for this cost).  Returns the start indices of all segments but the
    first."""
    n = len(xs)
    if n < 2:
        return []
    s1 = [0.0]
    s2 = [0.0]
    for x in xs:
        s1.append(s1[-1] + x)
        s2.append(s2[-1] + x * x)

    def cost(a, b):                     # SSE of xs[a:b]
        m = b - a
        return max(0.0, (s2[b] - s2[a]) - (s1[b] - s1[a]) ** 2 / m)

    f = [0.0] * (n + 1)
    f[0] = -penalty
    last = [0] * (n + 1)
    cands = [0]
    for t in range(1, n + 1):
        best, arg = math.inf, 0
        vals = []
        for s in cands:
            v = f[s] + cost(s, t)
            vals.append(v)
            if v + penalty < best:
                best, arg = v + penalty, s
        f[t], last[t] = best, arg
        cands = [s for s, v in zip(cands, vals) if v <= f[t]] + [t]
    cps = []
    t = n
    while t > 0:
        s = last[t]
        if s > 0:
            cps.append(s)
        t = s
    return sorted(cps)


def segment_levels(xs, cps):
    """(start, end, median) of each segment between change points."""
    bounds = [0] + list(cps) + [len(xs)]
    return [(a, b, median(xs[a:b])) for a, b in zip(bounds, bounds[1:])]


def step_fit(xs, exact=False, penalty_k=CP_PENALTY_K, min_effect=MIN_EFFECT):
    """Change points of a per-commit series (start index of each new level).

    exact (icount): every difference between neighbours is a real change,
    so every index whose value differs from the one before starts a level.
    Otherwise: PELT over the values scaled by a robust sigma (robust_sigma,
    floored at 0.1% of the median level so that flat series stay flat),
    penalty penalty_k * ln(max(n, CP_MIN_N)) per segment (BIC-like; the
    floor because a sigma from a few differences is itself uncertain:
    with n = 10 pure-noise commits a bare 4 ln n gave a false step in 12%
    of seeded trials, with the floor 10%, and 3% at n = 30), then steps smaller
    than min_effect of the level before them are merged away, smallest
    first, until every remaining step is at least that large."""
    if exact:
        return [i for i in range(1, len(xs)) if xs[i] != xs[i - 1]]
    n = len(xs)
    if n < 2:
        return []
    level = abs(median(xs))
    sigma = max(robust_sigma(xs), 1e-3 * level, 1e-12)
    scaled = [x / sigma for x in xs]
    cps = pelt(scaled, penalty_k * math.log(max(n, CP_MIN_N)))
    while cps:
        segs = segment_levels(xs, cps)
        steps = []
        for i, cp in enumerate(cps):
            old, new = segs[i][2], segs[i + 1][2]
            rel = abs(new - old) / abs(old) if old else math.inf
            steps.append((rel, cp))
        rel, cp = min(steps)
        if rel >= min_effect:
            break
        cps.remove(cp)
    return cps
