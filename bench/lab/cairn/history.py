"""Benchmarks over a range of commits, change points, and bisection.

    measure       builds and benchmarks each commit of a range in its own
                  temporary git worktree, skipping commits already measured
    metric_series each metric's per-commit figures in history order
    changes       change points of those series (stats.step_fit)
    bisect        the first commit at which an icount metric moved

Building and benchmarking are callables passed in (build(tree) -> (ok,
output), bench(tree, sha) -> exit status), so that the tests can fake
them; cairnlab.py passes ones that run make and `cairnlab.py bench`.
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

from . import results, stats


class RangeError(Exception):
    """A revision or range git does not know."""


def rev_parse(repo, rev):
    """Full sha of a revision, or None."""
    return results.git(repo, "rev-parse", "--verify", "-q",
                       rev + "^{commit}")


def subject(repo, sha):
    return results.git(repo, "log", "-1", "--format=%s", sha) or ""


def commit_range(repo, spec):
    """Commits of a range, oldest first.  'A..B' means what it means to
    git: the commits reachable from B but not from A, so A itself is not
    included (write A^..B to include it).  A single revision means that
    one commit."""
    if ".." in spec:
        a, _, b = spec.partition("..")
        for rev in (a or "HEAD", b or "HEAD"):
            if rev_parse(repo, rev) is None:
                raise RangeError("unknown revision %r" % rev)
        out = results.git(repo, "rev-list", "--reverse", spec)
        if out is None:
            raise RangeError("git rev-list %s failed" % spec)
        return out.split()
    sha = rev_parse(repo, spec)
    if sha is None:
        raise RangeError("unknown revision %r" % spec)
    return [sha]


# ------------------------------------------------------------------ worktrees

@contextlib.contextmanager
def worktree(repo, sha):
    """A detached worktree of repo at sha in a temporary directory,
    removed afterwards whatever happens."""
    parent = tempfile.mkdtemp(prefix="cairn-history-")
    tree = os.path.join(parent, "tree")
    try:
        p = subprocess.run(["git", "-C", repo, "worktree", "add", "--detach",
                            tree, sha], capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError("git worktree add %s failed: %s"
                               % (sha[:12], p.stderr.strip()))
        yield tree
    finally:
        subprocess.run(["git", "-C", repo, "worktree", "remove", "--force",
                        tree], capture_output=True)
        shutil.rmtree(parent, ignore_errors=True)
        subprocess.run(["git", "-C", repo, "worktree", "prune"],
                       capture_output=True)


def make_build(jobs=None, targets=("kernel", "user")):
    """The default build step: make -C <tree> -j<jobs> kernel user."""
    jobs = jobs or os.cpu_count() or 1

    def build(tree):
        p = subprocess.run(["make", "-C", tree, "-j%d" % jobs] +
                           list(targets), capture_output=True, text=True)
        return p.returncode == 0, p.stdout + p.stderr
    return build


def shell_step(template, **fields):
    """A build or bench step from a shell command template with {tree},
    {commit}, {results} and {repo} (CAIRNLAB_BUILD, CAIRNLAB_BENCH)."""
    def run(tree, sha=None):
        cmd = template.format(tree=tree, commit=sha or "", **fields)
        p = subprocess.run(cmd, shell=True, capture_output=True, text=True)
        return p.returncode, p.stdout + p.stderr
    return run


# ------------------------------------------------------------------ measure

@dataclass
class Outcome:
    sha: str
    subject: str
    status: str     # "measured", "skipped", "build failed", "bench failed"
    detail: str = ""


def _tail(text, n=15):
    lines = [l for l in text.splitlines() if l.strip()]
    return "\n".join("    " + l for l in lines[-n:])


def measure(repo, shas, has_results, build, bench, log=print):
    """Builds and benchmarks each commit in its own worktree.  Commits for
    which has_results(sha) is true are skipped; a commit that fails to
    build or whose bench fails is reported and the run goes on.  Returns
    a list of Outcome."""
    out = []
    n = len(shas)
    for i, sha in enumerate(shas, 1):
        subj = subject(repo, sha)
        label = "[%d/%d] %s" % (i, n, sha[:7])
        if has_results(sha):
            log("%s already measured, skipped (%s)" % (label, subj))
            out.append(Outcome(sha, subj, "skipped"))
            continue
        log("%s building... (%s)" % (label, subj))
        try:
            with worktree(repo, sha) as tree:
                ok, text = build(tree)
                if not ok:
                    log("%s build FAILED, skipped:\n%s" % (label, _tail(text)))
                    out.append(Outcome(sha, subj, "build failed", text))
                    continue
                log("%s benchmarking..." % label)
                status = bench(tree, sha)
        except RuntimeError as e:
            log("%s %s, skipped" % (label, e))
            out.append(Outcome(sha, subj, "build failed", str(e)))
            continue
        if status != 0 or not has_results(sha):
            log("%s bench FAILED (exit %s%s)" % (
                label, status, "" if has_results(sha) else
                ", no results stored"))
            out.append(Outcome(sha, subj, "bench failed"))
            continue
        log("%s measured" % label)
        out.append(Outcome(sha, subj, "measured"))
    return out


# ------------------------------------------------------------ change points

@dataclass
class Point:
    sha: str
    est: stats.Estimate


@dataclass
class Change:
    group: tuple          # (series, machine, config)
    metric: str
    index: int            # index in the metric's series of the first commit
    sha: str              # of the new level
    old: float
    new: float
    exact: bool
    prev_sha: str = None  # the last measured commit at the old level

    def gap(self, order):
        """The commits between prev_sha and sha in history order (order:
        commit_order()) that were not measured: the step is in one of
        them or at sha."""
        index = {s: i for i, s in enumerate(order)}
        if self.prev_sha not in index or self.sha not in index:
            return []
        return order[index[self.prev_sha] + 1:index[self.sha]]

    def bisect_hint(self, order):
        """The command that finds the commit, when unmeasured commits
        leave it open; None when sha is known to be it."""
        if not self.gap(order):
            return None
        if self.exact:
            return "make bisect METRIC=%s GOOD=%s BAD=%s" % (
                self.metric, self.prev_sha[:12], self.sha[:12])
        return "make bench-history REVS=%s..%s SERIES=%s" % (
            self.prev_sha[:12], self.sha[:12], self.group[0])

    @property
    def rel(self):
        return None if self.old == 0 else (self.new - self.old) / abs(self.old)

    @property
    def worse(self):
        return self.new > self.old          # every metric is a cost

    @property
    def significant(self):
        """icount: past the threshold of stats.exact_change; real time:
        every change point already passed the minimum effect."""
        return not self.exact or stats.exact_change(self.old, self.new) != 0


def boot_values(rf, metric):
    """Per-op values of one metric in a ResultFile, one list per boot that
    has it."""
    out = []
    for b in rf.boots:
        xs = [r.value for r in b.rows if r.metric == metric]
        if xs:
            out.append(xs)
    return out


def commit_order(repo, head="HEAD"):
    out = results.git(repo, "rev-list", "--topo-order", "--reverse", head)
    return out.split() if out else []


def grouped_files(root):
    """[((series, machine, config), sha, path)] of every result file under
    root, with each machine id replaced by the one that stands for its
    series (results.SeriesKeys: icount files of compatible machines are
    one series); where two such files hold the same commit, the first (in
    sorted order) is kept."""
    keys = results.SeriesKeys(root)
    out, seen = [], set()
    for series, machine, config, sha, path in results.find_files(root):
        key = (series, keys.canonical(series, machine, config), config)
        if (key, sha) in seen:
            continue
        seen.add((key, sha))
        out.append((key, sha, path))
    return out


def metric_series(repo, root, order=None):
    """{(series, machine, config): {metric: [Point]}} (machine: the id
    standing for its series, grouped_files) with commits in history order
    (git rev-list --topo-order --reverse HEAD); results of
    commits outside HEAD's history are left out.  Also returns those, as
    {group: [sha]}."""
    order = order if order is not None else commit_order(repo)
    index = {sha: i for i, sha in enumerate(order)}
    groups, outside = {}, {}
    for key, sha, path in grouped_files(root):
        if sha not in index:
            outside.setdefault(key, []).append(sha)
            continue
        groups.setdefault(key, []).append((index[sha], sha, path))
    out = {}
    for key, files in sorted(groups.items()):
        metrics = {}
        for _, sha, path in sorted(files):
            rf = results.read(path)
            for m in rf.metrics():
                est = stats.estimate(key[0], boot_values(rf, m))
                if est is not None:
                    metrics.setdefault(m, []).append(Point(sha, est))
        out[key] = metrics
    return out, outside


def changes(group, metric, points):
    """Change points of one metric's per-commit series."""
    exact = stats.is_exact(group[0])
    xs = [p.est.value for p in points]
    cps = stats.step_fit(xs, exact=exact)
    segs = stats.segment_levels(xs, cps)
    out = []
    for i, cp in enumerate(cps):
        old, new = segs[i][2], segs[i + 1][2]
        if exact:
            old, new = xs[cp - 1], xs[cp]
        out.append(Change(group, metric, cp, points[cp].sha, old, new, exact,
                          points[cp - 1].sha))
    return out


def all_changes(series_map):
    out = []
    for group, metrics in series_map.items():
        for metric, points in metrics.items():
            out += changes(group, metric, points)
    return out


def levels(group, points):
    """The fitted level of every point (the median of its segment), for
    plots; icount: the values themselves."""
    xs = [p.est.value for p in points]
    if stats.is_exact(group[0]):
        return xs
    out = []
    for a, b, lvl in stats.segment_levels(xs, stats.step_fit(xs)):
        out += [lvl] * (b - a)
    return out


# ------------------------------------------------------------------ bisect

@dataclass
class Bisection:
    culprit: str = None          # first commit whose value moved
    good_value: float = None
    culprit_value: float = None
    tested: dict = None          # sha -> value (None: could not measure)
    candidates: list = None      # when skipped commits leave several
    message: str = ""


def bisect(repo, good, bad, value_of, log=print):
    """Finds the first commit of `git rev-list --ancestry-path --reverse
    good..bad` whose value moved from good's (stats.exact_change: at
    least 1 instruction and 0.5%), by binary search.  value_of(sha)
    returns the metric's value there, measuring it if needed, or None
    when it cannot (the commit is then skipped, like `git bisect skip`).
    Assumes one move; with several, it finds one of them."""
    path = (results.git(repo, "rev-list", "--ancestry-path", "--reverse",
                        "%s..%s" % (good, bad)) or "").split()
    res = Bisection(tested={})
    if not path or path[-1] != bad:
        res.message = "%s is not a descendant of %s" % (bad[:12], good[:12])
        return res

    def value(sha):
        if sha not in res.tested:
            res.tested[sha] = value_of(sha)
        return res.tested[sha]

    g = value(good)
    if g is None:
        res.message = "no value for GOOD %s" % good[:12]
        return res
    res.good_value = g
    b = value(bad)
    if b is None:
        res.message = "no value for BAD %s" % bad[:12]
        return res
    if stats.exact_change(g, b) == 0:
        res.message = ("the metric did not move between GOOD (%.3f) and BAD "
                       "(%.3f)" % (g, b))
        return res
    lo, hi = -1, len(path) - 1          # path[lo] same as good, path[hi] moved
    skipped = set()
    while True:
        inside = [i for i in range(lo + 1, hi) if i not in skipped]
        if not inside:
            break
        mid = inside[len(inside) // 2]
        steps = max(1, (hi - lo - 1).bit_length())
        left = hi - lo - 1
        log("bisect: %d commit%s left to test (about %d step%s): testing "
            "%s %s" % (left, "" if left == 1 else "s", steps,
                       "" if steps == 1 else "s", path[mid][:12],
                       subject(repo, path[mid])))
        v = value(path[mid])
        if v is None:
            log("bisect: %s could not be measured, skipped" % path[mid][:12])
            skipped.add(mid)
            continue
        if stats.exact_change(g, v) != 0:
            hi = mid
        else:
            lo = mid
    between = [path[i] for i in range(lo + 1, hi) if i in skipped]
    if between:
        res.candidates = between + [path[hi]]
        res.message = ("could not tell which of %d commits moved it (some "
                       "could not be measured)" % len(res.candidates))
        return res
    res.culprit = path[hi]
    res.culprit_value = value(path[hi])
    return res
