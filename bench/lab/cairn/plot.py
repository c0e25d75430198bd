"""Plots of stored results over the commit history, with gnuplot.

For every (series, machine, config) and every metric: commits are put in
history order (git rev-list --topo-order --reverse HEAD; commits with no
results are left out, and so are results of commits not in HEAD's history),
and each commit shows its figure (stats.estimate: the median; for real-time
series the median of the boot medians) with the 95% confidence interval of
that median as error bars, and min/max of all samples as grey marks.
Change points (history.changes) are vertical lines between two commits:
red where the metric got worse (a regression), green where it got better,
labelled with the change in percent; the commit that starts a regression
is a red disc.  Real-time series also show the fitted levels as a dashed
step line.  The numbers go to a .dat file beside the pictures:

    results/plots/<series>-<machine>-<config>/<metric>.{dat,gp,png,svg}

and, per metric, one overview with a panel per series/machine/config that
has the metric, side by side (what the report shows):

    results/plots/<metric>.{gp,png}

Metrics named <base>.n<N> also get a curve of the figure against N
(curves.py): results/plots/<series>-<machine>-<config>/<base>.curve.png.
"""

import math
import os
import shutil

from . import curves, history, results, stats
from .gnuplot import (BLUE, GREEN, RED, gp_string, png_terminal, rel_to,
                      safe_name, write_script, y_label)

MAX_LABELS = 40      # more commits than this: label every k-th one
XLABEL = "commit (oldest left, history order; grey ticks: not measured)"
OVERVIEW_LEGEND = ("dots: median per commit, bars: its 95% CI\ndashed lines: "
                   "change points, red = worse (red disc: first commit of a "
                   "regression), green = better")


def commit_order(repo):
    return history.commit_order(repo)


def _f(x):
    return "NaN" if x is None else "%.3f" % x


def positions(order, shas):
    """x of each measured commit (shas, in history order) and the
    unmeasured commits between the first and the last: ([x], [(x, sha)]).
    x counts every commit of HEAD's history from the first measured one,
    so commits that were never measured leave a visible gap."""
    index = {sha: i for i, sha in enumerate(order)}
    if not shas or any(s not in index for s in shas):
        return list(range(len(shas))), []
    first = index[shas[0]]
    xs = [index[s] - first for s in shas]
    measured = set(shas)
    gaps = [(i - first, order[i]) for i in range(first, index[shas[-1]] + 1)
            if order[i] not in measured]
    return xs, gaps


def write_dat(path, points, levels=None, marks=None, xs=None, gaps=()):
    """points: list of (sha, Summary of all samples, stats.Estimate or
    None); xs: their x (positions(); default 0, 1, ...), gaps: the
    unmeasured commits as (x, sha), written as rows of NaN marked U (a
    line through the points breaks there).  Columns: x, label, median,
    p5, p95, min, max, n, commit, ci_lo, ci_hi (95% CI of the median; NaN
    when there is none), level (fitted), mark (R: a regression starts
    here, I: an improvement, U: not measured, -)."""
    xs = xs if xs is not None else list(range(len(points)))
    span = (xs[-1] - xs[0] + 1) if xs else 1
    step = max(1, math.ceil(span / MAX_LABELS))
    rows = []
    last_label = None
    for i, point in enumerate(points):
        sha, s = point[0], point[1]
        est = point[2] if len(point) > 2 else None
        x = xs[i]
        labelled = last_label is None or x - last_label >= step or \
            (i == len(points) - 1 and x - last_label >= step / 2)
        if labelled:
            last_label = x
        med = est.value if est is not None else s.median
        ci = est.ci if est is not None else None
        lvl = levels[i] if levels else med
        mark = marks.get(i, "-") if marks else "-"
        rows.append((x, '%d\t"%s"\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%d\t%s\t%s'
                     '\t%s\t%s\t%s\n' % (
                         x, sha[:8] if labelled else "", med, s.p5, s.p95,
                         s.min, s.max, s.n, sha, _f(ci.lo if ci else None),
                         _f(ci.hi if ci else None), _f(lvl), mark)))
    for x, sha in gaps:
        rows.append((x, '%d\t""\tNaN\tNaN\tNaN\tNaN\tNaN\t0\t%s\tNaN\tNaN'
                     '\tNaN\tU\n' % (x, sha)))
    with open(path, "w", encoding="utf-8") as f:
        f.write("# x\tlabel\tmedian\tp5\tp95\tmin\tmax\tn\tcommit"
                "\tci_lo\tci_hi\tlevel\tmark\n")
        for _, text in sorted(rows):
            f.write(text)


def label_rows(xs, span, rows=3):
    """Heights (graph fraction) for change-point labels at xs so that
    labels closer than about a sixth of the span take the next row down
    instead of covering each other."""
    out = []
    near = max(1.0, span / 6.0)
    for i, x in enumerate(xs):
        k = 0
        if i and x - xs[i - 1] < near:
            k = (out[-1][1] + 1) % rows
        out.append((0.97 - 0.07 * k, k))
    return [h for h, _ in out]


def _panel(dat, xs, ylabel, title, changes, series, gaps=()):
    """gnuplot commands for one panel: points at xs (positions()), the
    unmeasured commits gaps as short grey ticks on the x axis."""
    xmax = (xs[-1] if xs else 0) + 0.5
    lines = [
        "unset arrow", "unset label", "unset object",
        "set title %s" % gp_string(title),
        "set ylabel %s" % gp_string(ylabel),
        "set xrange [-0.5:%f]" % xmax,
    ]
    for x, _ in gaps:
        lines.append("set arrow from %d, graph 0 to %d, graph 0.035 nohead "
                     "lc rgb \"#aaaaaa\" lw 1" % (x, x))
    cxs = [(xs[c.index - 1] + xs[c.index]) / 2.0 for c in changes]
    heights = label_rows(cxs, xmax + 0.5)
    for c, x, h in zip(changes, cxs, heights):
        colour = RED if c.worse else GREEN
        lo, hi = xs[c.index - 1], xs[c.index]
        if hi - lo > 1:         # unmeasured commits: the step is in there
            lines.append("set object rect from %f, graph 0 to %f, graph 1 "
                         "fc rgb \"%s\" fs transparent solid 0.08 noborder "
                         "behind" % (lo + 0.5, hi - 0.5, colour))
        lines.append("set arrow from %f, graph 0 to %f, graph 1 nohead "
                     "lc rgb \"%s\" dt 2 lw 1.5" % (x, x, colour))
        if c.rel is not None:
            text = gp_string("%+.1f%%" % (100 * c.rel))
            # Left of the line, but right of it near the y axis.
            side = "left offset 0.3,0" if x < 0.12 * (xmax + 0.5) else \
                "right offset -0.3,0"
            lines.append("set label %s at %f, graph %.2f %s tc rgb \"%s\""
                         % (text, x, h, side, colour))
    ci_title = "median, bars: 95% CI of the median"
    if not stats.is_exact(series):
        ci_title = "median of boot medians, bars: 95% CI (range if < 6 boots)"
    plot = ("plot %s using 1:3:10:11:xtic(2) with yerrorbars ls 1 title %s, "
            "\\\n     '' using 1:3 with lines ls 1 notitle, \\\n"
            "     '' using 1:6 with points ls 2 title \"min / max sample\", "
            "\\\n     '' using 1:7 with points ls 2 notitle"
            % (gp_string(dat), gp_string(ci_title)))
    if any(c.worse for c in changes):
        plot += (", \\\n     '' using 1:(strcol(13) eq \"R\" ? $3 : NaN) "
                 "with points ls 3 title \"regression starts (red line)\"")
    if any(not c.worse for c in changes):
        plot += (", \\\n     '' using 1:(strcol(13) eq \"I\" ? $3 : NaN) "
                 "with points ls 4 title \"improvement starts (green line)\"")
    if not stats.is_exact(series):
        plot += (", \\\n     '' using 1:12 with histeps ls 5 "
                 "title \"level (change-point fit)\"")
    lines.append(plot)
    return lines


_STYLE = [
    "set xtics rotate by 45 right nomirror",
    "set ytics nomirror",
    "set format y \"%.6g\"",
    "set offsets 0, 0, graph 0.12, graph 0.08",
    "set grid ytics lc rgb \"#dddddd\"",
    "set style line 1 lc rgb \"%s\" lw 2 pt 7 ps 0.8" % BLUE,
    "set style line 2 lc rgb \"#999999\" pt 1 ps 1.1",
    "set style line 3 lc rgb \"%s\" pt 7 ps 2.0" % RED,
    "set style line 4 lc rgb \"%s\" pt 7 ps 2.0" % GREEN,
    "set style line 5 lc rgb \"#777777\" dt 2 lw 1",
    "set bars 1.5",
]


def gnuplot_script(dat, out_base, title, ylabel, xs, changes=(),
                   series="icount", gaps=()):
    png = png_terminal()
    font = 'font "sans,11"' if png == "pngcairo" else "font \"DejaVuSans,10\""
    lines = []
    for term, ext in (("%s size 1100,640 %s noenhanced" % (png, font), "png"),
                      ("svg size 1100,640 dynamic noenhanced "
                       "font \"sans,12\"", "svg")):
        lines += ["set terminal %s" % term,
                  "set output %s" % gp_string("%s.%s" % (out_base, ext)),
                  "set xlabel %s" % gp_string(XLABEL),
                  "set key tmargin center horizontal"] + _STYLE
        lines += _panel(dat, xs, ylabel, title, changes, series, gaps)
        lines.append("unset output")
    return "\n".join(lines) + "\n"


def overview_script(out_base, metric, desc, panels):
    """One picture, a panel per (series, machine, config): panels is a
    list of (dat, xs, ylabel, title, changes, series, gaps)."""
    png = png_terminal()
    font = 'font "sans,10"' if png == "pngcairo" else "font \"DejaVuSans,9\""
    n = len(panels)
    cols = 1 if n == 1 else 2
    rows = math.ceil(n / cols)
    lines = ["set terminal %s size %d,%d %s noenhanced"
             % (png, 820 * cols if cols > 1 else 1000, 430 * rows + 70, font),
             "set output %s" % gp_string(out_base + ".png"),
             "unset key",
             "set xlabel %s" % gp_string(XLABEL)] + _STYLE
    lines.append("set multiplot layout %d,%d title %s" % (
        rows, cols, gp_string(metric + (": " + desc if desc else "") +
                               "\n" + OVERVIEW_LEGEND)))
    for p in panels:
        lines += _panel(*p)
    lines += ["unset multiplot", "unset output"]
    return "\n".join(lines) + "\n"


def plot_all(repo, root, out_dir=None, log=print, overview=True):
    """Plots everything under root (results/).  Returns the list of the
    per-series/machine/config image paths written (the per-metric
    overviews, when overview is true, are written too and logged).
    Raises RuntimeError if gnuplot is missing or fails."""
    if shutil.which("gnuplot") is None:
        raise RuntimeError("gnuplot not found (apt-get install gnuplot-nox)")
    out_dir = out_dir or os.path.join(root, "plots")
    order = commit_order(repo)
    index = {sha: i for i, sha in enumerate(order)}
    groups = {}
    for key, sha, path in history.grouped_files(root):
        groups.setdefault(key, []).append((sha, path))
    written = []
    panels = {}              # metric -> [panel args]
    descs = {}
    for (series, machine, config), files in sorted(groups.items()):
        group = (series, machine, config)
        outside = [sha for sha, _ in files if sha not in index]
        if outside:
            log("plot: %s/%s/%s: %d commit(s) not in HEAD's history left out"
                " (%s)" % (series, machine, config, len(outside),
                          ", ".join(s[:8] for s in outside)))
        files = sorted((f for f in files if f[0] in index),
                       key=lambda f: index[f[0]])
        if not files:
            continue
        loaded = [(sha, results.read(path)) for sha, path in files]
        metrics = []
        for _, rf in loaded:
            for m in rf.metrics():
                if m not in metrics:
                    metrics.append(m)
        gdir = os.path.join(out_dir, "%s-%s-%s" % (series, machine, config))
        os.makedirs(gdir, exist_ok=True)
        for metric in metrics:
            points, unit, desc = [], "?", ""
            for sha, rf in loaded:
                boots = history.boot_values(rf, metric)
                if boots:
                    points.append((sha, results.summarize(
                        x for b in boots for x in b),
                        stats.estimate(series, boots)))
                    unit = rf.unit(metric)
                    desc = rf.desc(metric) or desc
            hpoints = [history.Point(sha, est) for sha, _, est in points]
            xs, gaps = positions(order, [p.sha for p in hpoints])
            changes = history.changes(group, metric, hpoints)
            marks = {c.index: "R" if c.worse else "I" for c in changes
                     if c.significant}
            changes = [c for c in changes if c.significant]
            base = os.path.join(gdir, safe_name(metric))
            write_dat(base + ".dat", points, history.levels(group, hpoints),
                      marks, xs, gaps)
            title = "%s%s\n%s  |  series %s  |  machine %s  |  config %s" \
                % (metric, ": " + desc if desc else "",
                   y_label(series, unit), series, machine, config)
            gp = base + ".gp"
            write_script(gp, gnuplot_script(
                rel_to(base + ".dat", gp), rel_to(base, gp), title,
                y_label(series, unit), xs, changes, series, gaps))
            written += [base + ".png", base + ".svg"]
            descs[metric] = descs.get(metric) or desc
            panels.setdefault(metric, []).append(
                (rel_to(base + ".dat", os.path.join(out_dir, "x.gp")),
                 xs, y_label(series, unit),
                 "%s  |  %s  |  %s" % (series, machine, config), changes,
                 series, gaps))
    # Families of metrics over a size (<base>.n<N>): figure against N.
    written += curves.plot_curves(repo, root, out_dir, log)
    if overview:
        for metric, ps in sorted(panels.items()):
            base = os.path.join(out_dir, safe_name(metric))
            write_script(base + ".gp", overview_script(
                rel_to(base, base + ".gp"), metric, descs.get(metric, ""),
                ps))
            written.append(base + ".png")
    return written


def overview_path(out_dir, metric):
    return os.path.join(out_dir, safe_name(metric) + ".png")
