"""Plots of stored results over the commit history, with gnuplot.

For every (series, machine, config) and every metric: commits are put in
history order (git rev-list --topo-order --reverse HEAD; commits with no
results are left out, and so are results of commits not in HEAD's history),
and each commit shows the median per-op value of all its samples (all
boots pooled) with 5th..95th percentile bars and min/max dots.  The numbers
go to a .dat file beside the pictures:

    results/plots/<series>-<machine>-<config>/<metric>.{dat,png,svg}
"""

import math
import os
import re
import shutil
import subprocess

from . import results

Y_LABEL = {
    "icount": "instructions (icount) per operation",
    "kvm": "%s per operation (KVM, real time)",
    "tcg": "%s per operation (TCG, real time, noisy)",
}
MAX_LABELS = 40      # more commits than this: label every k-th one


def commit_order(repo):
    out = results.git(repo, "rev-list", "--topo-order", "--reverse", "HEAD")
    return out.split() if out else []


_terminal_cache = {}


def png_terminal():
    """pngcairo when this gnuplot has it (gnuplot-nox may not), else png."""
    if "png" not in _terminal_cache:
        try:
            p = subprocess.run(["gnuplot", "-e", "set terminal"],
                               capture_output=True, text=True, timeout=30)
            listing = p.stdout + p.stderr
        except (OSError, subprocess.TimeoutExpired):
            listing = ""
        _terminal_cache["png"] = "pngcairo" if re.search(
            r"^\s*pngcairo\s", listing, re.M) else "png"
    return _terminal_cache["png"]


def y_label(series, unit):
    if unit.lower() in ("tsc", "ticks", "tsc_ticks"):
        unit = "TSC ticks"
    label = Y_LABEL.get(series)
    if label is None:
        return "%s per operation (%s)" % (unit, series)
    return label % unit if "%s" in label else label


def _safe(name):
    return re.sub(r"[^A-Za-z0-9_.+-]", "_", name)


def _gp_string(text):
    return '"%s"' % (text.replace("\\", "\\\\").replace('"', '\\"')
                     .replace("\n", "\\n"))


def write_dat(path, points):
    """points: list of (sha, Summary).  Columns: index, label, median, p5,
    p95, min, max, n, sha."""
    step = max(1, math.ceil(len(points) / MAX_LABELS))
    with open(path, "w", encoding="utf-8") as f:
        f.write("# index\tlabel\tmedian\tp5\tp95\tmin\tmax\tn\tcommit\n")
        for i, (sha, s) in enumerate(points):
            label = sha[:8] if (i % step == 0 or i == len(points) - 1) else ""
            f.write('%d\t"%s"\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%d\t%s\n' % (
                i, label, s.median, s.p5, s.p95, s.min, s.max, s.n, sha))


def gnuplot_script(dat, out_base, title, ylabel, npoints):
    png = png_terminal()
    font = 'font "sans,11"' if png == "pngcairo" else "font \"DejaVuSans,10\""
    lines = []
    for term, ext in (("%s size 1100,640 %s noenhanced" % (png, font), "png"),
                      ("svg size 1100,640 dynamic noenhanced "
                       "font \"sans,12\"", "svg")):
        lines += [
            "set terminal %s" % term,
            "set output %s" % _gp_string("%s.%s" % (out_base, ext)),
            "set title %s" % _gp_string(title),
            "set ylabel %s" % _gp_string(ylabel),
            "set xlabel \"commit (oldest left; history order)\"",
            "set xrange [-0.5:%f]" % (npoints - 0.5),
            "set offsets 0, 0, graph 0.08, graph 0.08",
            "set xtics rotate by 45 right nomirror",
            "set ytics nomirror",
            "set format y \"%.6g\"",
            "set grid ytics lc rgb \"#dddddd\"",
            "set key tmargin center horizontal",
            "set style line 1 lc rgb \"#1f5fbf\" lw 2 pt 7 ps 0.9",
            "set style line 2 lc rgb \"#999999\" pt 1 ps 1.3",
            "plot %s using 1:3:4:5:xtic(2) with yerrorlines ls 1 "
            "title \"median, bars 5th..95th percentile\", \\" % _gp_string(dat),
            "     '' using 1:6 with points ls 2 title \"min / max\", \\",
            "     '' using 1:7 with points ls 2 notitle",
            "unset output",
        ]
    return "\n".join(lines) + "\n"


def plot_all(repo, root, out_dir=None, log=print):
    """Plots everything under root (results/).  Returns the list of image
    paths written.  Raises RuntimeError if gnuplot is missing or fails."""
    if shutil.which("gnuplot") is None:
        raise RuntimeError("gnuplot not found (apt-get install gnuplot-nox)")
    out_dir = out_dir or os.path.join(root, "plots")
    order = commit_order(repo)
    index = {sha: i for i, sha in enumerate(order)}
    groups = {}
    for series, machine, config, sha, path in results.find_files(root):
        groups.setdefault((series, machine, config), []).append((sha, path))
    written = []
    for (series, machine, config), files in sorted(groups.items()):
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
                vals = rf.values(metric)
                if vals:
                    points.append((sha, results.summarize(vals)))
                    unit = rf.unit(metric)
                    desc = rf.desc(metric) or desc
            base = os.path.join(gdir, _safe(metric))
            write_dat(base + ".dat", points)
            title = "%s%s\n%s  |  series %s  |  machine %s  |  config %s" \
                % (metric, ": " + desc if desc else "",
                   y_label(series, unit), series, machine, config)
            script = gnuplot_script(base + ".dat", base, title,
                                    y_label(series, unit), len(points))
            with open(base + ".gp", "w", encoding="utf-8") as f:
                f.write(script)
            p = subprocess.run(["gnuplot", base + ".gp"], capture_output=True,
                               text=True, timeout=120)
            errors = [l for l in p.stderr.splitlines()
                      if l.strip() and "empty y range" not in l
                      and "warning" not in l.lower()]
            if p.returncode != 0 or errors:
                raise RuntimeError("gnuplot failed on %s.gp: %s"
                                   % (base, p.stderr.strip()))
            written += [base + ".png", base + ".svg"]
            log("plot: %s.png (%d commit%s)" % (base, len(points),
                                               "" if len(points) == 1 else "s"))
    return written
