"""plot: every metric across commits with gnuplot (results/plots/)."""

import os

from .. import compare, plot
from ..console import say


def cmd_plot(args):
    root = args.results or os.path.join(args.repo, "results")
    try:
        written = plot.plot_all(args.repo, root, args.out, log=say)
    except RuntimeError as e:
        say("cairnlab plot: %s" % e)
        return 1
    if not written:
        say("nothing to plot under %s" % root)
    else:
        say("%d picture%s written under %s" % (
            len(written), "" if len(written) == 1 else "s",
            compare.relpath(args.out or os.path.join(root, "plots"),
                            args.repo)))
    return 0


def register(sub):
    pl = sub.add_parser("plot", help="plot stored results with gnuplot")
    pl.add_argument("--results", help="results directory (default results/)")
    pl.add_argument("--out", help="output (default <results>/plots)")
    pl.set_defaults(func=cmd_plot)
