"""A static dashboard of the stored results: plain HTML and gnuplot SVG.

    <out>/index.html        every metric of every series/machine/config:
                            its newest figure, the change against the
                            previous measured commit, Cairn/Linux where the
                            Linux peer measured the same operation, and a
                            small history plot
    <out>/metric/<m>.html   a metric's full history per series/machine/
                            config: the plot (x: every commit of HEAD's
                            history, unmeasured ones as grey ticks and gaps,
                            change points as dashed lines, red = worse) and
                            a table of the measured commits with subjects
    <out>/commits.html      the commits of the history, with links from the
                            metric pages
    <out>/machines.html     every machine record (results/machines/)
    <out>/svg/              the plots

No server, no JavaScript: it opens from file://.  `make dashboard` writes
it to build/dashboard/.  How the figures and change points are made:
BENCHMARKS.md.
"""

import html
import os
import re
import shutil

from . import gnuplot, history, peer, plot, results

CSS = """
body { font: 14px/1.4 sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { padding: 2px 8px; border-bottom: 1px solid #ddd; text-align: right;
         vertical-align: middle; }
th { background: #f3f3f3; } td.l, th.l { text-align: left; }
.worse { color: #c62828; font-weight: bold; } .better { color: #2e7d32; }
.muted { color: #777; } img.spark { display: block; }
nav a { margin-right: 1.2em; } code { font-size: 0.95em; }
"""
SPARK = (220, 48)
FULL = (1100, 520)


def _e(text):
    return html.escape(str(text), quote=True)


def _page(title, body, depth=0):
    up = "../" * depth
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>%s</title><style>%s</style></head><body>\n<nav><a href="
            "\"%sindex.html\">metrics</a><a href=\"%scommits.html\">commits"
            "</a><a href=\"%smachines.html\">machines</a></nav>\n<h1>%s</h1>\n"
            "%s\n</body></html>\n" % (_e(title), CSS, up, up, up, _e(title),
                                      body))


def page_name(metric):
    return plot.safe_name(metric) + ".html"


def _fmt(x):
    return "%.3f" % x if x is not None else "n/a"


def _pct_cell(rel, worse=None):
    if rel is None:
        return "<td class=\"muted\">n/a</td>"
    cls = "" if worse is None else (" class=\"worse\"" if worse
                                    else " class=\"better\"")
    return "<td%s>%+.2f%%</td>" % (cls, 100 * rel)


class Data:
    """The results read once: series per group, the history order, the
    subjects of the commits, and the Linux peer's figures."""

    def __init__(self, repo, root):
        self.repo, self.root = repo, root
        self.order = history.commit_order(repo)
        self.series, self.outside = history.metric_series(repo, root,
                                                          self.order)
        self._subjects = {}
        # {cairn group: {cairn metric: (linux metric, newest figure)}}:
        # a peer group stands beside the Cairn group of the same series
        # and config whose machine is its own without the peer kernel (or,
        # under icount, one compatible with it).
        self.linux = {}
        keys = results.SeriesKeys(root)
        cairn_groups = [g for g in self.series
                        if not g[2].endswith(peer.CONFIG_SUFFIX)]
        for group, metrics in self.series.items():
            s, m, c = group
            if not c.endswith(peer.CONFIG_SUFFIX):
                continue
            own, cfg = peer.cairn_machine(root, m), peer.cairn_config(c)
            for cg in cairn_groups:
                if cg[0] != s or cg[2] != cfg or \
                        not keys.same(s, cg[1], own):
                    continue
                for name, points in metrics.items():
                    cairn = peer.CAIRN_OF.get(name)
                    if cairn and points:
                        self.linux.setdefault(cg, {})[cairn] = \
                            (name, points[-1].est.value)

    def subject(self, sha):
        if sha not in self._subjects:
            self._subjects[sha] = history.subject(self.repo, sha)
        return self._subjects[sha]

    def cairn_groups(self):
        return [(g, ms) for g, ms in sorted(self.series.items())
                if not g[2].endswith(peer.CONFIG_SUFFIX)]


def group_label(group):
    return " / ".join(group)


def group_slug(group):
    return plot.safe_name("%s-%s-%s" % group)


def _svg_script(dat, svg, size, panel):
    """gnuplot lines for one SVG (panel: plot._panel's lines)."""
    return ["set terminal svg size %d,%d noenhanced font \"sans,%d\""
            % (size[0], size[1], 9 if size[1] < 100 else 11),
            "set output %s" % gnuplot.gp_string(svg)] + panel + \
        ["unset output"]


def _spark_lines(dat, xs):
    return ["set datafile missing NaN",     # a line over unmeasured ones
            "unset arrow", "unset label", "unset object", "unset title",
            "unset xlabel", "unset ylabel", "unset key", "unset xtics",
            "unset ytics", "unset border", "unset grid", "unset offsets",
            "set margins 1,1,1,1",
            "set xrange [-0.5:%f]" % ((xs[-1] if xs else 0) + 0.5),
            "plot %s using 1:3 with lines lc rgb \"%s\" lw 1.5 notitle, "
            "'' using 1:3 with points pt 7 ps 0.3 lc rgb \"%s\" notitle"
            % (gnuplot.gp_string(dat), plot.BLUE, plot.BLUE)]


def write_plots(data, out, log):
    """Every group's .dat files and one gnuplot run per group writing its
    SVGs (full and small).  Returns {(group, metric): (changes, xs)}."""
    info = {}
    svgdir = os.path.join(out, "svg")
    for group, metrics in data.series.items():
        slug = group_slug(group)
        gdir = os.path.join(svgdir, slug)
        os.makedirs(gdir, exist_ok=True)
        script = []
        for metric, points in sorted(metrics.items()):
            xs, gaps = plot.positions(data.order, [p.sha for p in points])
            changes = [c for c in history.changes(group, metric, points)
                       if c.significant]
            info[(group, metric)] = (changes, xs)
            name = plot.safe_name(metric)
            marks = {c.index: "R" if c.worse else "I" for c in changes}
            rows = [(p.sha, _summary(p), p.est) for p in points]
            plot.write_dat(os.path.join(gdir, name + ".dat"), rows,
                           history.levels(group, points), marks, xs, gaps)
            ylabel = plot.y_label(group[0], "tsc")
            script += ["reset", "set datafile missing \"?\""] + \
                plot._STYLE + ["set xlabel %s" % gnuplot.gp_string(plot.XLABEL),
                "set key tmargin center horizontal"]
            script += _svg_script(name + ".dat", name + ".svg", FULL,
                                  plot._panel(name + ".dat", xs, ylabel,
                                              "%s  |  %s" % (
                                                  metric, group_label(group)),
                                              changes, group[0], gaps))
            script += ["reset"] + _svg_script(
                name + ".dat", name + ".spark.svg", SPARK,
                _spark_lines(name + ".dat", xs))
        gp = os.path.join(gdir, "plots.gp")
        with open(gp, "w", encoding="utf-8") as f:
            f.write("\n".join(script) + "\n")
        gnuplot.run_gnuplot(gp)
    log("dashboard: plots of %d series/machine/config group%s" % (
        len(data.series), "" if len(data.series) == 1 else "s"))
    return info


def _summary(point):
    """A Summary for plot.write_dat from an estimate alone (the dashboard
    plots medians and their intervals, not the sample extremes)."""
    v = point.est.value
    return results.Summary(point.est.boots, v, v, v, v, v)


def index_page(data, info):
    parts = ["<p>Newest figure of every metric (for icount, instructions "
             "per operation; for real-time series, ticks per operation, the "
             "median of the boot medians), its change against the previous "
             "measured commit, and Cairn/Linux where the Linux peer measured "
             "the same operation (below 1: Cairn is cheaper). "
             "Red: the metric got worse (a change point at that commit). "
             "Written from <code>%s</code> at HEAD <code>%s</code>.</p>"
             % (_e(os.path.basename(os.path.normpath(data.root))),
                _e((results.head_commit(data.repo) or "")[:12]))]
    for group, metrics in data.cairn_groups():
        linux = data.linux.get(group, {})
        parts.append("<h2>%s</h2>" % _e(group_label(group)))
        parts.append("<table><tr><th class=\"l\">metric</th><th>newest</th>"
                     "<th class=\"l\">commit</th><th>vs previous</th>"
                     "<th>Cairn/Linux</th><th class=\"l\">history</th></tr>")
        for metric, points in sorted(metrics.items()):
            last = points[-1]
            changes, _ = info[(group, metric)]
            rel, worse = None, None
            if len(points) > 1:
                prev = points[-2].est.value
                rel = (last.est.value - prev) / abs(prev) if prev else None
                step = [c for c in changes if c.index == len(points) - 1]
                worse = step[0].worse if step else None
            ratio = "<td class=\"muted\">-</td>"
            if metric in linux and linux[metric][1]:
                ratio = "<td title=\"%s\">%.2f</td>" % (
                    _e(linux[metric][0]), last.est.value / linux[metric][1])
            spark = "svg/%s/%s.spark.svg" % (group_slug(group),
                                             plot.safe_name(metric))
            parts.append(
                "<tr><td class=\"l\"><a href=\"metric/%s#%s\">%s</a></td>"
                "<td>%s</td><td class=\"l\"><a href=\"commits.html#%s\">"
                "<code>%s</code></a></td>%s%s<td class=\"l\"><a href="
                "\"metric/%s#%s\"><img class=\"spark\" src=\"%s\" "
                "width=\"%d\" "
                "height=\"%d\" alt=\"history of %s\"></a></td></tr>" % (
                    page_name(metric), group_slug(group), _e(metric),
                    _fmt(last.est.value), last.sha, last.sha[:8],
                    _pct_cell(rel, worse), ratio, page_name(metric),
                    group_slug(group), spark, SPARK[0], SPARK[1], _e(metric)))
        parts.append("</table>")
    if not data.series:
        parts.append("<p>No results under <code>%s</code>.</p>"
                     % _e(data.root))
    return _page("Cairn benchmarks", "\n".join(parts))


def metric_pages(data, info):
    """{metric: html} with a section per group that has the metric."""
    by_metric = {}
    for group, metrics in sorted(data.series.items()):
        for metric in metrics:
            by_metric.setdefault(metric, []).append(group)
    pages = {}
    for metric, groups in sorted(by_metric.items()):
        parts = []
        for group in groups:
            points = data.series[group][metric]
            changes, xs = info[(group, metric)]
            order = data.order
            parts.append("<h2 id=\"%s\">%s</h2>" % (group_slug(group),
                                                    _e(group_label(group))))
            parts.append("<img src=\"../svg/%s/%s.svg\" width=\"%d\" "
                         "height=\"%d\" alt=\"%s history\">" % (
                             group_slug(group), plot.safe_name(metric),
                             FULL[0], FULL[1], _e(metric)))
            if changes:
                parts.append("<table><tr><th class=\"l\">change point</th>"
                             "<th>old → new</th><th>change</th>"
                             "<th class=\"l\">"
                             "unmeasured between</th></tr>")
                for c in changes:
                    gap = c.gap(order)
                    parts.append(
                        "<tr><td class=\"l\"><a href=\"../commits.html#%s\">"
                        "<code>%s</code></a> … "
                        "<a href=\"../commits.html#%s\">"
                        "<code>%s</code></a></td><td>%s → %s</td>%s"
                        "<td class=\"l\">%s</td></tr>" % (
                            c.prev_sha, c.prev_sha[:8], c.sha, c.sha[:8],
                            _fmt(c.old), _fmt(c.new), _pct_cell(c.rel,
                                                                c.worse),
                            ("%d: <code>%s</code>" % (len(gap), _e(
                                c.bisect_hint(order)))) if gap else "none"))
                parts.append("</table>")
            parts.append("<table><tr><th class=\"l\">commit</th>"
                         "<th>figure</th><th>95% CI</th><th>boots</th>"
                         "<th class=\"l\">subject</th></tr>")
            for p in reversed(points):
                ci = p.est.ci
                parts.append(
                    "<tr><td class=\"l\"><a href=\"../commits.html#%s\"><code>"
                    "%s</code></a></td><td>%s</td><td>%s</td><td>%d</td>"
                    "<td class=\"l\">%s</td></tr>" % (
                        p.sha, p.sha[:8], _fmt(p.est.value),
                        "%s … %s" % (_fmt(ci.lo), _fmt(ci.hi)) if ci
                        else "n/a", p.est.boots, _e(data.subject(p.sha))))
            parts.append("</table>")
        pages[metric] = _page(metric, "\n".join(parts), depth=1)
    return pages


def commits_page(data):
    measured = {p.sha for ms in data.series.values() for ps in ms.values()
                for p in ps}
    first = min((i for i, s in enumerate(data.order) if s in measured),
                default=len(data.order))
    fmt = "%H%x00%cI%x00%s"
    log = results.git(data.repo, "log", "--topo-order", "--format=" + fmt,
                      "HEAD") or ""
    info = {}
    for line in log.splitlines():
        sha, date, subject = (line.split("\x00") + ["", ""])[:3]
        info[sha] = (date, subject)
    rows = []
    for sha in reversed(data.order[first:]):
        date, subject = info.get(sha, ("", ""))
        rows.append("<tr id=\"%s\"><td class=\"l\"><code>%s</code></td>"
                    "<td class=\"l\">%s</td><td class=\"l\">%s</td><td>%s"
                    "</td></tr>" % (sha, sha[:12], _e(date), _e(subject),
                                    "measured" if sha in measured else
                                    "<span class=\"muted\">not measured"
                                    "</span>"))
    return _page("Commits", "<p>HEAD's history from the first measured "
                 "commit, newest first.</p><table><tr><th class=\"l\">commit"
                 "</th><th class=\"l\">date</th><th class=\"l\">subject</th>"
                 "<th></th></tr>\n%s\n</table>" % "\n".join(rows))


def machines_page(data):
    mdir = os.path.join(data.root, "machines")
    parts = []
    for name in sorted(os.listdir(mdir)) if os.path.isdir(mdir) else ():
        if not name.endswith(".txt"):
            continue
        with open(os.path.join(mdir, name), encoding="utf-8") as f:
            text = f.read()
        rows = [l.partition(":") for l in text.splitlines() if ":" in l]
        parts.append("<h2 id=\"%s\">%s</h2><table>%s</table>" % (
            _e(name[:-4]), _e(name[:-4]), "".join(
                "<tr><th class=\"l\">%s</th><td class=\"l\">%s</td></tr>"
                % (_e(k.strip()), _e(v.strip())) for k, _, v in rows)))
    return _page("Machines", "<p>What each machine id stands for (icount "
                 "ids leave the host out: its counts do not depend on it; "
                 "BENCHMARKS.md).</p>\n" + ("\n".join(parts) or
                                             "<p>None.</p>"))


def write(repo, root, out, log=print):
    """Writes the dashboard to out (emptied first); returns index.html's
    path.  Raises RuntimeError when gnuplot is missing or fails."""
    if shutil.which("gnuplot") is None:
        raise RuntimeError("gnuplot not found (apt-get install gnuplot-nox)")
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "metric"))
    data = Data(repo, root)
    info = write_plots(data, out, log)
    files = {"index.html": index_page(data, info),
             "commits.html": commits_page(data),
             "machines.html": machines_page(data)}
    for metric, text in metric_pages(data, info).items():
        files[os.path.join("metric", page_name(metric))] = text
    for rel, text in files.items():
        with open(os.path.join(out, rel), "w", encoding="utf-8") as f:
            f.write(text)
    return os.path.join(out, "index.html")


def local_links(path):
    """The href and src targets of an HTML file that are local files."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    out = []
    for m in re.finditer(r'(?:href|src)="([^"#]+)(?:#[^"]*)?"', text):
        target = m.group(1)
        if "://" not in target:
            out.append(target)
    return out
