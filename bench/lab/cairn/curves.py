"""Metric families over a size: the figure against N on a log axis.

A family is the metrics named <base>.n<N> (vm.region_lookup.n1 ...
vm.region_lookup.n100000: the same operation with N regions).  For each
(series, machine, config) and each family with at least two members, the
curve is the newest commit of HEAD's history that has two or more of them:
each member's figure (stats.estimate: the median, with the 95% interval
of the median as error bars) against N, with x on a log scale; the first
commit that had the family is drawn beside it, grey and dashed, when it
is another commit, so a change in the shape shows at a glance.

    results/plots/<series>-<machine>-<config>/<base>.curve.{dat,gp,png,svg}

The .dat file has one block per commit (newest first): n, median, ci_lo,
ci_hi, metric, commit.  How a point per commit is made, and what an icount
"instruction" is: BENCHMARKS.md.
"""

import os
import re

from . import gnuplot, history

FAMILY = re.compile(r"^(?P<base>.+)\.n(?P<n>[0-9]+)$")


def families(metrics):
    """{base: [(N, metric)] sorted by N} for the families with at least
    two members among metrics."""
    found = {}
    for m in metrics:
        mt = FAMILY.match(m)
        if mt:
            found.setdefault(mt.group("base"), []).append(
                (int(mt.group("n")), m))
    return {b: sorted(v) for b, v in found.items() if len(v) >= 2}


def curve(metrics, members, sha):
    """[(N, metric, Estimate)] of the members measured at commit sha."""
    out = []
    for n, m in members:
        for p in metrics.get(m, ()):
            if p.sha == sha:
                out.append((n, m, p.est))
    return out


def commits(metrics, members, order):
    """The commits, in history order, at which two or more members were
    measured."""
    index = {sha: i for i, sha in enumerate(order)}
    seen = {}
    for _, m in members:
        for p in metrics.get(m, ()):
            seen[p.sha] = seen.get(p.sha, 0) + 1
    return sorted((s for s, k in seen.items() if k >= 2 and s in index),
                  key=lambda s: index[s])


def _f(x):
    return "NaN" if x is None else "%.3f" % x


def write_dat(path, blocks):
    """blocks: [(sha, [(N, metric, Estimate)])], newest first."""
    with open(path, "w", encoding="utf-8") as f:
        for k, (sha, points) in enumerate(blocks):
            if k:
                f.write("\n\n")
            f.write("# commit %s\n# n\tmedian\tci_lo\tci_hi\tmetric\tcommit\n"
                    % sha)
            for n, m, est in points:
                ci = est.ci
                f.write("%d\t%.3f\t%s\t%s\t%s\t%s\n" % (
                    n, est.value, _f(ci.lo if ci else None),
                    _f(ci.hi if ci else None), m, sha))


def gnuplot_script(dat, out_base, title, ylabel, blocks):
    png = gnuplot.png_terminal()
    font = 'font "sans,11"' if png == "pngcairo" else "font \"DejaVuSans,10\""
    styles = ["lc rgb \"%s\" lw 2 pt 7 ps 0.9" % gnuplot.BLUE,
              "lc rgb \"#999999\" lw 1.5 dt 2 pt 6 ps 0.9"]
    lines = []
    for term, ext in (("%s size 1000,600 %s noenhanced" % (png, font), "png"),
                      ("svg size 1000,600 dynamic noenhanced "
                       "font \"sans,12\"", "svg")):
        lines += ["set terminal %s" % term,
                  "set output %s" % gnuplot.gp_string("%s.%s" % (out_base,
                                                                  ext)),
                  "set title %s" % gnuplot.gp_string(title),
                  "set xlabel \"N (log scale)\"",
                  "set ylabel %s" % gnuplot.gp_string(ylabel),
                  "set logscale x 10",
                  "set format y \"%.6g\"",
                  "set grid xtics ytics lc rgb \"#dddddd\"",
                  "set offsets graph 0.05, graph 0.05, graph 0.1, graph 0.1",
                  "set key top left",
                  "set bars 1.5"]
        parts = []
        for k, (sha, _) in enumerate(blocks):
            label = ("newest measured commit " if k == 0 else
                     "first measured commit ") + sha[:8]
            parts.append("%s index %d using 1:2:3:4 with yerrorlines %s "
                         "title %s" % (gnuplot.gp_string(dat) if k == 0 else
                                       "''", k, styles[min(k, 1)],
                                       gnuplot.gp_string(label)))
        lines.append("plot " + ", \\\n     ".join(parts))
        lines.append("unset output")
    return "\n".join(lines) + "\n"


def curve_path(out_dir, group, base):
    return os.path.join(out_dir, "%s-%s-%s" % group,
                        gnuplot.safe_name(base) + ".curve")


def plot_curves(repo, root, out_dir=None, log=print, series_map=None):
    """Draws every family's curve (see the module's text); returns the
    images written.  series_map: history.metric_series's, if at hand."""
    out_dir = out_dir or os.path.join(root, "plots")
    order = history.commit_order(repo)
    if series_map is None:
        series_map, _ = history.metric_series(repo, root, order)
    written = []
    for group, metrics in sorted(series_map.items()):
        for base, members in sorted(families(metrics).items()):
            shas = commits(metrics, members, order)
            if not shas:
                continue
            blocks = [(shas[-1], curve(metrics, members, shas[-1]))]
            if shas[0] != shas[-1]:
                blocks.append((shas[0], curve(metrics, members, shas[0])))
            out_base = curve_path(out_dir, group, base)
            os.makedirs(os.path.dirname(out_base), exist_ok=True)
            write_dat(out_base + ".dat", blocks)
            title = "%s.n<N>: per-operation figure against N\nseries %s  |  " \
                "machine %s  |  config %s" % ((base,) + group)
            ylabel = gnuplot.y_label(group[0], "tsc")
            gp = out_base + ".gp"
            gnuplot.write_script(gp, gnuplot_script(
                gnuplot.rel_to(out_base + ".dat", gp),
                gnuplot.rel_to(out_base, gp),
                title, ylabel, blocks))
            written += [out_base + ".png", out_base + ".svg"]
    return written
