"""dashboard: a static HTML site of the results (build/dashboard/)."""

import os

from .. import dashboard
from ..console import say
from .common import EXIT_ERROR, EXIT_OK, results_root


def cmd_dashboard(args):
    root = results_root(args)
    out = os.path.abspath(args.out or os.path.join(args.repo, "build",
                                                   "dashboard"))
    try:
        index = dashboard.write(args.repo, root, out, log=say)
    except RuntimeError as e:
        say("cairnlab dashboard: %s" % e)
        return EXIT_ERROR
    say("dashboard: file://%s" % index)
    return EXIT_OK


def register(sub):
    da = sub.add_parser("dashboard", help="a static HTML dashboard of the "
                        "results (build/dashboard/index.html)")
    da.add_argument("--results", metavar="DIR")
    da.add_argument("--out", help="default <repo>/build/dashboard")
    da.set_defaults(func=cmd_dashboard)
