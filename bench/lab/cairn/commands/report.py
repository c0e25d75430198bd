"""report: results/report.md (and the plots)."""

import os

from .. import compare, plot, report
from ..console import say
from .common import results_root


def cmd_report(args):
    root = results_root(args)
    if not args.no_plot:
        try:
            plot.plot_all(args.repo, root, log=lambda s: None)
            say("plots written under %s" % compare.relpath(
                os.path.join(root, "plots"), args.repo))
        except RuntimeError as e:
            say("cairnlab report: no plots (%s)" % e)
    path = report.write(args.repo, root, args.out)
    say("report: %s" % compare.relpath(path, args.repo))
    return 0


def register(sub):
    rp = sub.add_parser("report", help="write results/report.md (and plots)")
    rp.add_argument("--results", metavar="DIR")
    rp.add_argument("--out", help="default <results>/report.md")
    rp.add_argument("--no-plot", action="store_true")
    rp.set_defaults(func=cmd_report)
