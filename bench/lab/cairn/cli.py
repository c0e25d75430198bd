"""The lab's command line: `bench/lab/cairnlab.py COMMAND ...`, one
subcommand per module of cairn.commands."""

import argparse
import os
import sys
import traceback

from . import commands
from .commands.common import EXIT_ERROR
from .console import REPO


def parser():
    ap = argparse.ArgumentParser(
        prog="cairnlab.py", description="Cairn's performance lab.")
    ap.add_argument("--repo", default=REPO, help="repository root")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for module in commands.MODULES:
        module.register(sub)
    return ap


def main(argv=None):
    args = parser().parse_args(argv)
    args.repo = os.path.abspath(args.repo)
    try:
        return args.func(args)
    except BrokenPipeError:          # e.g. `cairnlab.py show | head`
        sys.stdout = open(os.devnull, "w")
        return 0
    except KeyboardInterrupt:
        print("\ncairnlab: interrupted", file=sys.stderr)
        return 130
    except Exception:               # an error, never a "regression" (1)
        traceback.print_exc()
        print("cairnlab %s: internal error (exit status 2)" % args.cmd,
              file=sys.stderr)
        return EXIT_ERROR
