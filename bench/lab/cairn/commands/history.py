"""history: build and bench each commit of a range in a worktree."""

from .. import compare, fingerprint, history
from ..console import say
from .common import (add_bench_options, expected_keys, has_results_fn,
                     history_steps, results_root)


def cmd_history(args):
    repo = args.repo
    root = results_root(args)
    try:
        shas = history.commit_range(repo, args.range)
    except history.RangeError as e:
        say("cairnlab history: %s" % e)
        return 2
    if not shas:
        say("cairnlab history: %s has no commits (A..B leaves A out: "
            "write A^..B to include it)" % args.range)
        return 2
    keys = expected_keys(args)
    say("history: %d commit%s of %s; results to %s, keyed %s"
        % (len(shas), "" if len(shas) == 1 else "s", args.range,
           compare.relpath(root, repo),
           "; ".join("%s/%s/%s" % (s, fingerprint.machine_id(fp), c)
                     for s, fp, c in keys)))
    build, bench = history_steps(args, root)
    outcomes = history.measure(repo, shas, has_results_fn(root, keys), build,
                               bench, log=say)
    counts = {}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    say("")
    say("history: " + ", ".join("%d %s" % (n, s) for s, n in
                                sorted(counts.items())))
    failed = [o for o in outcomes if o.status.endswith("failed")]
    for o in failed:
        say("    %s %s: %s" % (o.sha[:12], o.subject, o.status))
    return 1 if failed else 0


def register(sub):
    h = sub.add_parser("history", help="build and bench each commit of A..B")
    h.add_argument("range", metavar="A..B",
                   help="git range (A excluded; A^..B includes it) or one rev")
    add_bench_options(h)
    h.set_defaults(func=cmd_history)
