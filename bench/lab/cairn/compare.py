"""Comparing the stored results of two commits, metric by metric.

For every (series, machine, config) that both commits have results for:

  icount (exact)  the difference of the medians in instructions per
                  operation; a regression or an improvement when it is at
                  least 1 instruction and 0.5% of A's figure
                  (stats.exact_change), "small change" when smaller but not
                  zero, "no change" when zero.
  real time       the boot is the independent unit: per-boot medians are
                  the samples.  Mann-Whitney U between A's and B's boots,
                  Benjamini-Hochberg over every real-time metric compared
                  (q = 0.05), and the Hodges-Lehmann shift with its Moses
                  95% interval, which must lie entirely beyond 2% of A's
                  median for a regression or an improvement.

Lower is better for every metric (they are all costs).  BENCHMARKS.md,
"Comparing two commits", says the same for readers.
"""

import math
import os
from dataclasses import dataclass, field

from . import results, stats
from .history import boot_values


CHANGED = ("regression", "improvement")    # what --only-changed shows


class NoResults(Exception):
    """A commit has no stored results under the results directory."""


def load_commit(root, sha):
    """{(series, machine, config): ResultFile} of one full commit sha."""
    return {(s, m, c): results.read(path)
            for s, m, c, full, path in results.find_files(root, sha)
            if full == sha}


def icount_boots_differ(rf):
    return any(results.compare_boots(a, b) is not None
               for a, b in zip(rf.boots, rf.boots[1:]))


@dataclass
class Row:
    group: tuple
    metric: str
    exact: bool
    a: stats.Estimate
    b: stats.Estimate
    change: float = None          # (B - A) / A of the medians
    delta: float = 0.0            # B - A
    p: float = None
    q: float = None
    shift: float = None           # Hodges-Lehmann, B - A
    shift_ci: stats.Interval = None
    verdict: str = ""
    note: str = ""

    @property
    def ratio(self):
        """B / A of the figures (above 1: B costs more), or None."""
        return None if self.a.value == 0 else self.b.value / self.a.value

    @property
    def changed(self):
        return self.verdict in CHANGED


@dataclass
class Group:
    key: tuple
    rows: list = field(default_factory=list)
    only_a: list = field(default_factory=list)    # metrics removed in B
    only_b: list = field(default_factory=list)    # metrics new in B
    warnings: list = field(default_factory=list)
    machine_a: str = None         # A's machine when another id (icount)


@dataclass
class Comparison:
    a: str
    b: str
    groups: list
    only_a: list                  # (series, machine, config) of A only
    only_b: list

    def rows(self):
        return [r for g in self.groups for r in g.rows]

    def regressions(self):
        return [r for r in self.rows() if r.verdict == "regression"]


def match_groups(root, keys_a, keys_b):
    """Pairs (key of A, key of B) of (series, machine, config) that are
    one series: the same series and config, and the same machine, or for
    icount machines with the same QEMU, toolchain and build config
    (results.SeriesKeys).  An exact match is preferred."""
    sk = results.SeriesKeys(root)
    pairs, used = [], set()
    for ka in keys_a:
        if ka in keys_b:
            pairs.append((ka, ka))
            used.add(ka)
    done = {ka for ka, _ in pairs}
    for ka in keys_a:
        if ka in done:
            continue
        for kb in keys_b:
            if kb in used or kb[0] != ka[0] or kb[2] != ka[2]:
                continue
            if sk.same(ka[0], ka[1], kb[1]):
                pairs.append((ka, kb))
                used.add(kb)
                break
    return pairs


def _rel(x, base):
    return None if base == 0 else x / abs(base)


def compare(root, sha_a, sha_b, q_level=stats.FDR_Q,
            min_effect=stats.MIN_EFFECT):
    """Compares two commits' results under root.  Raises NoResults naming
    the commit that has none."""
    ra = load_commit(root, sha_a)
    if not ra:
        raise NoResults(sha_a)
    rb = load_commit(root, sha_b)
    if not rb:
        raise NoResults(sha_b)
    pairs = match_groups(root, list(ra), list(rb))
    paired_a = {ka for ka, _ in pairs}
    paired_b = {kb for _, kb in pairs}
    cmp = Comparison(sha_a, sha_b, [],
                     [k for k in ra if k not in paired_a],
                     [k for k in rb if k not in paired_b])
    for ka, key in pairs:
        series = key[0]
        fa, fb = ra[ka], rb[key]
        g = Group(key)
        if ka[1] != key[1]:
            g.machine_a = ka[1]
        ma, mb = fa.metrics(), fb.metrics()
        g.only_a = [m for m in ma if m not in mb]
        g.only_b = [m for m in mb if m not in ma]
        if stats.is_exact(series):
            for name, f in (("A", fa), ("B", fb)):
                if icount_boots_differ(f):
                    g.warnings.append("%s's icount boots differ from each "
                                      "other: not deterministic" % name)
        for m in ma:
            if m not in mb:
                continue
            ea = stats.estimate(series, boot_values(fa, m))
            eb = stats.estimate(series, boot_values(fb, m))
            row = Row(key, m, stats.is_exact(series), ea, eb)
            row.delta = eb.value - ea.value
            row.change = _rel(row.delta, ea.value)
            if row.exact:
                _exact_verdict(row)
            else:
                _realtime_stats(row)
            g.rows.append(row)
        cmp.groups.append(g)
    realtime = [r for r in cmp.rows() if not r.exact]
    tested = [r for r in realtime if r.p is not None]
    for r, q in zip(tested, stats.bh_adjust([r.p for r in tested])):
        r.q = q
    for r in realtime:
        _realtime_verdict(r, len(tested), len(realtime), q_level, min_effect)
    for g, (ka, kb) in zip(cmp.groups, pairs):
        if not stats.is_exact(g.key[0]):
            _distrust(g, ra[ka], rb[kb], min_effect)
    return cmp


def untrusted(rf):
    """Why a real-time result file's numbers cannot carry a verdict: (the
    reasons for the whole file, {metric: reason}).  A boot kept though it
    failed the noise gate after its re-runs (`# noise-gate kept`) makes
    its noisy metrics untrusted; a boot whose canary stayed off the run's
    median (`# canary-gate kept`) makes the whole file so."""
    whole, per_metric = [], {}
    for b in rf.boots:
        for note in b.notes:
            if not note.startswith("noise-gate kept"):
                continue
            words = dict(w.split("=", 1) for w in note.split() if "=" in w)
            for item in words.get("noisy", "").split(","):
                name, _, spread = item.rpartition(":")
                if name:
                    per_metric.setdefault(name, "boot %d failed the noise "
                                          "gate (relative MAD %s, limit %s)"
                                          % (b.number, spread,
                                             words.get("limit", "?")))
        for line in b.extra:
            if line.startswith("canary-gate kept"):
                words = dict(w.split("=", 1) for w in line.split()
                             if "=" in w)
                whole.append("boot %d's canary stayed %s off its run's "
                             "median (limit %s)" % (
                                 b.number, words.get("dev", "?"),
                                 words.get("limit", "?")))
    return whole, per_metric


def _distrust(g, fa, fb, min_effect):
    """Real time: verdicts on numbers that failed the noise gate or the
    canary gate, or between commits whose canary moved (the host's speed
    changed between the two runs), become "inconclusive" with the
    reason."""
    reasons = []
    canary = [r for r in g.rows if r.metric == results.CANARY_METRIC]
    if canary and canary[0].change is not None and (
            abs(canary[0].change) > min_effect or
            canary[0].verdict in ("regression", "improvement")):
        reasons.append("the canary %s moved %s between A and B: the host's "
                       "speed changed, not the code" % (
                           results.CANARY_METRIC, pct(canary[0].change)))
    metric_reasons = {}
    for name, f in (("A", fa), ("B", fb)):
        whole, per = untrusted(f)
        reasons += ["%s: %s" % (name, w) for w in whole]
        for m, why in per.items():
            metric_reasons.setdefault(m, []).append("%s: %s" % (name, why))
    for r in g.rows:
        why = reasons + metric_reasons.get(r.metric, [])
        if not why:
            continue
        if r.verdict in ("regression", "improvement", "no change"):
            r.note = "was %s; " % r.verdict + (r.note + "; " if r.note
                                               else "")
        else:
            r.note = r.note + "; " if r.note else ""
        r.verdict = "inconclusive"
        r.note += "untrustworthy data: " + "; ".join(why)


def _exact_verdict(row):
    flag = stats.exact_change(row.a.value, row.b.value)
    if flag > 0:
        row.verdict = "regression"
    elif flag < 0:
        row.verdict = "improvement"
    elif row.delta == 0:
        row.verdict = "no change"
    else:
        row.verdict = "small change"
        row.note = "%+.3f instructions/op: under the threshold (1 " \
            "instruction and 0.5%%)" % row.delta


def _realtime_stats(row):
    xa, xb = row.a.units, row.b.units
    row.shift = stats.hodges_lehmann(xa, xb)
    row.shift_ci = stats.moses_ci(xa, xb)
    if row.shift_ci is not None:
        row.p = stats.mann_whitney(xb, xa).p


def _realtime_verdict(row, m_tests, m_all, q_level, min_effect):
    na, nb = row.a.boots, row.b.boots
    if row.shift_ci is None:
        need = stats.boots_needed(m_all, q_level)
        row.verdict = "inconclusive"
        row.note = "too few boots (A %d, B %d): needs at least %d of each" \
            % (na, nb, need)
        return
    thr = min_effect * abs(row.a.value)
    lo, hi = row.shift_ci.lo, row.shift_ci.hi
    significant = row.q is not None and row.q <= q_level
    if significant and lo > thr:
        row.verdict = "regression"
    elif significant and hi < -thr:
        row.verdict = "improvement"
    elif -thr < lo and hi < thr:
        row.verdict = "no change"
        if significant:
            row.note = "a real shift, but under %g%%" % (100 * min_effect)
    else:
        row.verdict = "inconclusive"
        why = "shift interval [%s, %s] reaches past +-%g%% of A" % (
            pct(_rel(lo, row.a.value)), pct(_rel(hi, row.a.value)),
            100 * min_effect)
        if (lo > thr or hi < -thr) and not significant:
            why = "q = %.3g after correction over %d metrics (needs <= %g)" \
                % (row.q, m_tests, q_level)
        row.note = why + "; " + _more_boots(row, thr)


def _more_boots(row, thr):
    """Rough number of boots per commit at which the shift's interval
    would clear the +-threshold, if its width shrinks like 1/sqrt(n)."""
    half = (row.shift_ci.hi - row.shift_ci.lo) / 2
    gap = abs(abs(row.shift) - thr)
    n = max(row.a.boots, row.b.boots)
    if gap <= 1e-12 * max(1.0, abs(row.a.value)):
        return "the shift estimate sits on the threshold"
    need = math.ceil(n * (half / gap) ** 2)
    if need <= n:
        need = n + 1
    if need > 100:
        return "more than 100 boots of each would be needed"
    return "about %d boots of each might settle it" % need


# ------------------------------------------------------------------ output

def pct(x):
    return "n/a" if x is None else "%+.2f%%" % (100 * x)


def _num(x):
    """3 decimals, trailing zeros dropped: 4622, 16.109, 1160.5."""
    text = "%.3f" % x
    return text.rstrip("0").rstrip(".") if "." in text else text


def _ci(est):
    ci = est.ci
    if ci is None:
        return "n/a"
    short = ci.coverage < stats.CONFIDENCE - 1e-9 or \
        est.ci_kind.startswith("one boot")
    mark = "*" if short else ""
    return "[%s, %s]%s" % (_num(ci.lo), _num(ci.hi), mark)


def table(rows, headers):
    widths = [max([len(h)] + [len(r[i]) for r in rows])
              for i, h in enumerate(headers)]
    last = len(headers) - 1
    lines = ["  ".join(h.ljust(w) if i in (0, last) else h.rjust(w)
                       for i, (h, w) in enumerate(zip(headers, widths)))
             .rstrip(),
             "  ".join("-" * w for w in widths)]
    for r in rows:
        lines.append("  ".join(c.ljust(w) if i in (0, len(r) - 1)
                               else c.rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths)))
                     .rstrip())
    return lines


def ratio(r):
    return "n/a" if r.ratio is None else "%.3f" % r.ratio


def render(cmp, label_a, label_b, only_changed=False):
    """The comparison as lines of text; only_changed: only the metrics
    whose verdict is a regression or an improvement (and only the groups
    that have one), the summary still counting every metric."""
    out = ["A = %s" % label_a, "B = %s" % label_b]
    starred = False
    for g in cmp.groups:
        shown = [r for r in g.rows if r.changed or not only_changed]
        if only_changed and not shown:
            continue
        series, machine, config = g.key
        out.append("")
        exact = stats.is_exact(series)
        ra = g.rows[0].a.boots if g.rows else 0
        rb = g.rows[0].b.boots if g.rows else 0
        out.append("%s, machine %s, config %s (%s; A %d boot%s, B %d boot%s)"
                   % (series, machine, config,
                      "instructions per operation, exact" if exact else
                      "per-op ticks, boot medians are the samples",
                      ra, "" if ra == 1 else "s", rb, "" if rb == 1 else "s"))
        if g.machine_a:
            out.append("  A was measured as machine %s: the same QEMU, "
                       "toolchain and build config (icount does not depend "
                       "on the host)" % g.machine_a)
        for w in g.warnings:
            out.append("  !! " + w)
        rows = []
        for r in shown:
            ca, cb = _ci(r.a), _ci(r.b)
            starred = starred or ca.endswith("*") or cb.endswith("*")
            if exact:
                rows.append([r.metric, _num(r.a.value), ca, _num(r.b.value),
                             cb, ("+" if r.delta > 0 else "") + _num(r.delta),
                             pct(r.change), ratio(r),
                             r.verdict.upper() if r.verdict == "regression"
                             else r.verdict])
            else:
                sci = "n/a" if r.shift_ci is None else "[%s, %s]" % (
                    pct(_rel(r.shift_ci.lo, r.a.value)),
                    pct(_rel(r.shift_ci.hi, r.a.value)))
                rows.append([r.metric, _num(r.a.value), ca, _num(r.b.value),
                             cb, pct(r.change), ratio(r), sci,
                             "n/a" if r.p is None else "%.3g" % r.p,
                             "n/a" if r.q is None else "%.3g" % r.q,
                             r.verdict.upper() if r.verdict == "regression"
                             else r.verdict])
        if exact:
            headers = ["metric", "A median", "A 95% CI", "B median",
                       "B 95% CI", "B-A", "change", "B/A", "verdict"]
        else:
            headers = ["metric", "A median", "A 95% CI", "B median",
                       "B 95% CI", "change", "B/A", "shift 95% CI", "p",
                       "q (BH)", "verdict"]
        out += ["  " + l for l in table(rows, headers)]
        for r in shown:
            if r.note:
                out.append("  %s: %s" % (r.metric, r.note))
        if g.only_a and not only_changed:
            out.append("  removed (only in A, not compared): " +
                       ", ".join(g.only_a))
        if g.only_b and not only_changed:
            out.append("  new (only in B, not compared): " +
                       ", ".join(g.only_b))
    for keys, who in ((cmp.only_a, "A"), (cmp.only_b, "B")):
        for k in keys if not only_changed else ():
            out.append("")
            out.append("%s/%s/%s: results for %s only, not compared"
                       % (k + (who,)))
    if starred:
        out.append("")
        out.append("*: not a full 95% interval (fewer than 6 boots: the "
                   "range of the boot medians; one boot: its samples only; "
                   "icount: fewer than 6 samples)")
    regs = cmp.regressions()
    counts = {}
    for r in cmp.rows():
        counts[r.verdict] = counts.get(r.verdict, 0) + 1
    if only_changed and not any(r.changed for r in cmp.rows()):
        out.append("")
        out.append("no metric changed")
    out.append("")
    out.append("%d metric%s compared: %s" % (
        len(cmp.rows()), "" if len(cmp.rows()) == 1 else "s",
        ", ".join("%d %s" % (n, v) for v, n in sorted(counts.items()))
        or "none"))
    if regs:
        out.append("REGRESSION in %s" % ", ".join(
            "%s (%s %s, %s)" % (r.metric, r.group[0], r.group[2],
                                pct(r.change)) for r in regs))
    return out


def short_label(repo, sha, rev=None):
    subject = results.git(repo, "log", "-1", "--format=%s", sha) or ""
    name = sha[:12]
    if rev and not sha.startswith(rev):
        name = "%s (%s)" % (rev, sha[:12])
    return "%s %s" % (name, subject)


def relpath(path, repo):
    """path relative to repo when it is inside it, else absolute."""
    rel = os.path.relpath(path, repo)
    return os.path.abspath(path) if rel.startswith("..") else rel
