"""results/report.md: regressions by size, latest figures, the plots.

The regressions are the change points (history.changes) at which a metric
got worse, past the same thresholds as `cairnlab.py compare` (icount: 1
instruction and 0.5%; real time: 2%), largest relative change first, each
with the commit that starts the new level.  The targets of BENCHMARKS.md
(targets.py) are checked against the newest icount figures.  The latest
figures are each metric's figure at the newest measured commit of HEAD's
history, per series/machine/config.  The curves of metric families over a
size (curves.py) and the overviews (plot.py) are linked, one per family
and per metric.
"""

import os

from . import curves, history, plot, results, stats, targets


def _pct(x):
    return "n/a" if x is None else "%+.1f%%" % (100 * x)


def _md(text):
    return str(text).replace("|", "\\|")


def _ci(est):
    if est.ci is None:
        return "n/a"
    star = "" if est.ci.coverage >= stats.CONFIDENCE - 1e-9 and \
        not est.ci_kind.startswith("one boot") else " *"
    return "%.3f .. %.3f%s" % (est.ci.lo, est.ci.hi, star)


def build(repo, root, plots_dir=None):
    """The report as Markdown text (links relative to root)."""
    plots_dir = plots_dir or os.path.join(root, "plots")
    order = history.commit_order(repo)
    series_map, outside = history.metric_series(repo, root, order)
    changes = history.all_changes(series_map)
    head = results.head_commit(repo) or results.NO_COMMIT
    subjects = {}

    def subj(sha):
        if sha not in subjects:
            subjects[sha] = history.subject(repo, sha)
        return subjects[sha]

    # Dated by HEAD's commit, not the clock: the same results give the
    # same file, so a re-run shows no change in git.
    when = results.git(repo, "log", "-1", "--format=%cI", head) or "?"
    out = ["# Cairn performance report", "",
           "Written by `make report` (`bench/lab/cairnlab.py report`) at "
           "HEAD `%s` (%s, %s) from the results under `%s/`. How the "
           "figures, intervals and change points are made: "
           "[BENCHMARKS.md](../BENCHMARKS.md)." % (
               head[:12], _md(subj(head)), when,
               os.path.basename(os.path.normpath(root))),
           ""]

    def change_table(title, rows, empty):
        out.append("## " + title)
        out.append("")
        if not rows:
            out.append(empty)
            out.append("")
            return
        out.append("| | metric | change | old → new | commit | subject | "
                   "series / machine / config |")
        out.append("|---|---|---|---|---|---|---|")
        for i, c in enumerate(rows, 1):
            unit = "instr." if c.exact else "ticks"
            gap = c.gap(order)
            where = "`%s`" % c.sha[:8] if not gap else \
                "`%s`..`%s` (%d unmeasured between: `%s`)" % (
                    c.prev_sha[:8], c.sha[:8], len(gap), c.bisect_hint(order))
            out.append("| %d | `%s` | **%s** | %.3f → %.3f %s | %s | %s | "
                       "%s |" % (i, c.metric, _pct(c.rel), c.old, c.new,
                                 unit, where, _md(subj(c.sha)),
                                 " / ".join(c.group)))
        out.append("")

    def size(c):
        return abs(c.rel) if c.rel is not None else float("inf")

    worse = sorted((c for c in changes if c.worse and c.significant),
                   key=size, reverse=True)
    better = sorted((c for c in changes if not c.worse and c.significant),
                    key=size, reverse=True)
    small = [c for c in changes if not c.significant]
    change_table("Regressions, largest first", worse,
                 "None: no change point made a metric worse.")
    out.append("A regression is a change point at which a cost went up: "
               "under icount any exact step of at least 1 instruction and "
               "0.5%, in real-time series a step of the penalised fit of at "
               "least 2% (BENCHMARKS.md, \"Change points\"). The commit is "
               "the first measured one at the new level; where commits before "
               "it were not measured, the range is given with the `make "
               "bisect` that finds the commit.")
    if small:
        out.append("%d smaller icount step%s (under the threshold) are left "
                   "out; `cairnlab.py changepoints` lists them."
                   % (len(small), "" if len(small) == 1 else "s"))
    out.append("")
    change_table("Improvements, largest first", better,
                 "None.")

    out.append("## Targets (icount)")
    out.append("")
    checks = targets.check(series_map)
    if not checks:
        out.append("No icount figures of the metrics BENCHMARKS.md sets "
                   "targets for.")
    else:
        out.append("BENCHMARKS.md's targets, in instructions per operation "
                   "under icount (not cycles), against the newest measured "
                   "commit; a ratio compares two metrics of one commit.")
        out.append("")
        out.append("| metric | newest | target | | commit | machine / "
                   "config |")
        out.append("|---|---|---|---|---|---|")
        for c in checks:
            if c.ratio:
                fig, lim = "%.2fx" % c.value, "<= %.2fx" % c.target
                verdict = "met" if c.met else "**missed**"
            else:
                fig, lim = "%.1f" % c.value, "<= %.0f" % c.target
                verdict = "met" if c.met else \
                    "**missed by %.1f**" % (c.value - c.target)
            out.append("| `%s` | %s | %s | %s | `%s` | %s / %s |" % (
                c.what, fig, lim, verdict, c.sha[:8], c.group[1],
                c.group[2]))
    out.append("")

    out.append("## Latest figures")
    out.append("")
    out.append("Per series, machine and config: each metric at the newest "
               "commit of HEAD's history that has it. icount in instructions "
               "per operation (exact); real-time series in ticks per "
               "operation, the median of the boot medians. `*`: not a full "
               "95% interval (fewer than 6 boots: the range of the boot "
               "medians).")
    out.append("")
    for group, metrics in series_map.items():
        out.append("### %s / %s / %s" % group)
        out.append("")
        out.append("| metric | median | 95% CI | commit | boots | since "
                   "first measured |")
        out.append("|---|---|---|---|---|---|")
        for metric, points in metrics.items():
            last, first = points[-1], points[0]
            rel = None if first.est.value == 0 else \
                (last.est.value - first.est.value) / abs(first.est.value)
            out.append("| `%s` | %.3f | %s | `%s` | %d | %s |" % (
                metric, last.est.value, _ci(last.est), last.sha[:8],
                last.est.boots, _pct(rel) if len(points) > 1 else ""))
        out.append("")
        if group in outside:
            n = len(outside[group])
            out.append("(%d result file%s of commits outside HEAD's history "
                       "left out.)" % (n, "" if n == 1 else "s"))
            out.append("")

    fams = []
    for group, ms in series_map.items():
        for base in sorted(curves.families(ms)):
            png = curves.curve_path(plots_dir, group, base) + ".png"
            if os.path.exists(png):
                fams.append((group, base, png))
    if fams:
        out.append("## Curves")
        out.append("")
        out.append("Metrics over a size (`<base>.n<N>`): each size's figure "
                   "at the newest measured commit against N on a log axis, "
                   "the first measured commit dashed beside it.")
        out.append("")
        for group, base, png in fams:
            rel = os.path.relpath(png, root).replace(os.sep, "/")
            out.append("### `%s.n<N>`, %s / %s / %s" % ((base,) + group))
            out.append("")
            out.append("![%s against N](%s)" % (base, rel))
            out.append("")

    out.append("## Plots")
    out.append("")
    out.append("One picture per metric, a panel per series/machine/config: "
               "the median per commit with its 95% confidence interval, "
               "change points as dashed lines (red: worse, green: better). "
               "Each panel also exists alone under "
               "`plots/<series>-<machine>-<config>/`.")
    out.append("")
    metrics = []
    for group, ms in series_map.items():
        for m in ms:
            if m not in metrics:
                metrics.append(m)
    for m in sorted(metrics):
        png = plot.overview_path(plots_dir, m)
        rel = os.path.relpath(png, root)
        if os.path.exists(png):
            out.append("### `%s`" % m)
            out.append("")
            out.append("![%s](%s)" % (m, rel.replace(os.sep, "/")))
            out.append("")
        else:
            out.append("- `%s`: no picture yet (`make plot`)" % m)
    return "\n".join(out).rstrip() + "\n"


def write(repo, root, path=None, plots_dir=None):
    path = path or os.path.join(root, "report.md")
    text = build(repo, root, plots_dir)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path
