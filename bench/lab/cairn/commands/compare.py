"""compare: two commits metric by metric; continuous: bench BASE and
HEAD and print what changed (both exit 1 on a regression)."""

import argparse

from .. import compare, history
from ..console import say
from .common import (EXIT_ERROR, EXIT_OK, EXIT_REGRESSION, add_bench_options,
                     expected_keys, has_results_fn, history_steps, resolve,
                     results_root)


def cmd_compare(args):
    repo = args.repo
    root = results_root(args)
    shas = []
    for rev in (args.a, args.b):
        sha = resolve(repo, rev)
        if sha is None:
            say("cairnlab compare: unknown revision %r" % rev)
            return 2
        shas.append(sha)
    try:
        cmp = compare.compare(root, shas[0], shas[1])
    except compare.NoResults as e:
        sha = e.args[0]
        rev = args.a if sha == shas[0] else args.b
        say("cairnlab compare: no results for %s (%s %s) under %s: measure it "
            "with `cairnlab.py history %s^..%s`" % (
                rev, sha[:12], history.subject(repo, sha),
                compare.relpath(root, repo), sha[:12], sha[:12]))
        return 2
    if not cmp.groups:
        say("cairnlab compare: %s and %s have no series/machine/config in "
            "common" % (args.a, args.b))
        for keys, who in ((cmp.only_a, args.a), (cmp.only_b, args.b)):
            for k in keys:
                say("    %s has %s" % (who, "/".join(k)))
        return 2
    for line in compare.render(cmp, compare.short_label(repo, shas[0], args.a),
                               compare.short_label(repo, shas[1], args.b),
                               only_changed=args.only_changed):
        say(line)
    return EXIT_REGRESSION if cmp.regressions() else EXIT_OK


def cmd_continuous(args):
    """Benchmarks BASE and HEAD (each in its own worktree, skipping one
    already measured) and prints the metrics that changed, with B/A."""
    repo = args.repo
    root = results_root(args)
    head, base = resolve(repo, args.head), resolve(repo, args.base)
    for rev, sha in ((args.head, head), (args.base, base)):
        if sha is None:
            say("cairnlab continuous: unknown revision %r" % rev)
            return EXIT_ERROR
    if head == base:
        say("cairnlab continuous: BASE %s is HEAD" % args.base)
        return EXIT_ERROR
    keys = expected_keys(args)
    say("continuous: %s (base) against %s (head)" % (
        compare.short_label(repo, base, args.base),
        compare.short_label(repo, head, args.head)))
    build, bench = history_steps(args, root)
    outcomes = history.measure(repo, [base, head], has_results_fn(root, keys),
                               build, bench, log=say)
    failed = [o for o in outcomes if o.status.endswith("failed")]
    if failed:
        for o in failed:
            say("cairnlab continuous: %s %s: %s" % (o.sha[:12], o.subject,
                                                    o.status))
        return EXIT_ERROR
    try:
        cmp = compare.compare(root, base, head)
    except compare.NoResults as e:
        say("cairnlab continuous: no results for %s" % e.args[0][:12])
        return EXIT_ERROR
    say("")
    for line in compare.render(cmp, compare.short_label(repo, base,
                                                        args.base),
                               compare.short_label(repo, head, args.head),
                               only_changed=True):
        say(line)
    return EXIT_REGRESSION if cmp.regressions() else EXIT_OK


def register(sub):
    c = sub.add_parser("compare", help="compare the results of two commits")
    c.add_argument("a", metavar="A", help="the base revision")
    c.add_argument("b", metavar="B", help="the revision compared with it")
    c.add_argument("--results", metavar="DIR")
    c.add_argument("--only-changed", action="store_true",
                   help="only the metrics with a regression or an "
                   "improvement")
    c.set_defaults(func=cmd_compare)
    co = sub.add_parser("continuous", help="bench BASE and HEAD, print what "
                        "changed; exit 1 on a regression")
    co.add_argument("--base", default="HEAD~1",
                    help="the base revision (default HEAD~1)")
    co.add_argument("--head", default="HEAD", help=argparse.SUPPRESS)
    add_bench_options(co)
    co.set_defaults(func=cmd_continuous)
