"""changepoints: the steps in each metric's history, as ranges."""

from .. import compare, history, stats
from ..console import say
from .common import fmt_num, results_root


def cmd_changepoints(args):
    root = results_root(args)
    order = history.commit_order(args.repo)
    series_map, _ = history.metric_series(args.repo, root, order)
    found = 0
    for group, metrics in series_map.items():
        rows, hints = [], []
        for metric, points in metrics.items():
            if args.metric and not metric.startswith(args.metric):
                continue
            for c in history.changes(group, metric, points):
                if not c.significant and not args.all:
                    continue
                kind = ("regression" if c.worse else "improvement") \
                    if c.significant else "small step"
                gap = c.gap(order)
                rows.append([metric, c.prev_sha[:12], c.sha[:12],
                             str(len(gap)),
                             "%s -> %s" % (fmt_num(c.old), fmt_num(c.new)),
                             compare.pct(c.rel), kind,
                             history.subject(args.repo, c.sha)])
                hint = c.bisect_hint(order)
                if hint:
                    hints.append("  %s: the step is in %s..%s (%d commit%s "
                                 "not measured): %s" % (
                                     metric, c.prev_sha[:12], c.sha[:12],
                                     len(gap), "" if len(gap) == 1 else "s",
                                     hint))
        if rows:
            found += len(rows)
            say("")
            say("%s, machine %s, config %s (%s)" % (
                group + ("exact steps, instructions per op"
                         if stats.is_exact(group[0]) else
                         "penalised step fit over boot medians",)))
            for line in compare.table(rows, ["metric", "last unchanged",
                                             "first changed", "unmeasured",
                                             "old -> new", "change", "",
                                             "subject of first changed"]):
                say(line)
            for line in hints:
                say(line)
    say("")
    say("%d change point%s" % (found, "" if found == 1 else "s") +
        ("" if args.all else " (icount steps under 1 instruction or 0.5% "
         "left out: --all shows them)"))
    return 0


def register(sub):
    cp = sub.add_parser("changepoints", help="list change points per metric")
    cp.add_argument("--results", metavar="DIR")
    cp.add_argument("--metric", metavar="PREFIX")
    cp.add_argument("--all", action="store_true",
                    help="also icount steps under the threshold")
    cp.set_defaults(func=cmd_changepoints)
