"""show: the stored results of a commit."""

import os

from .. import results
from ..console import say
from .common import fmt_num, print_table


def cmd_show(args):
    repo = args.repo
    commit = args.commit
    if commit in (None, "HEAD"):
        commit = results.head_commit(repo) or results.NO_COMMIT
    else:
        full = results.git(repo, "rev-parse", "--verify", "-q",
                           commit + "^{commit}")
        commit = full or commit
    found = 0
    for label, root in (("results", os.path.join(repo, "results")),
                        ("build/results-dirty",
                         os.path.join(repo, "build", "results-dirty"))):
        for series, machine, config, sha, path in results.find_files(root,
                                                                     commit):
            found += 1
            rf = results.read(path)
            say("")
            say("%s: %s/%s/%s/%s.tsv" % (label, series, machine, config, sha))
            say("  commit %s %s" % (sha[:12], rf.header.get("subject", "")))
            say("  %d boot%s: %s" % (len(rf.boots),
                                    "" if len(rf.boots) == 1 else "s",
                                    ", ".join("%d (%s, exit=%s)" % (
                                        b.number, b.date, b.exit)
                                        for b in rf.boots)))
            if series == "icount" and len(rf.boots) > 1:
                diffs = [(a.number, b.number, results.compare_boots(a, b))
                         for a, b in zip(rf.boots, rf.boots[1:])]
                bad = [d for d in diffs if d[2] is not None]
                if bad:
                    for a, b, d in bad:
                        say("  !! icount boot %d differs from boot %d: %s"
                            % (b, a, d))
                else:
                    say("  icount boots all identical")
            rows = []
            for m in rf.metrics():
                st = results.summarize(rf.values(m))
                rows.append([m, "instructions" if series == "icount"
                             else rf.unit(m), st.n, fmt_num(st.median),
                             fmt_num(st.min), fmt_num(st.max),
                             fmt_num(st.p5), fmt_num(st.p95)])
            print_table("  per-op values, all boots pooled", rows,
                        ["metric", "unit", "n", "median", "min", "max",
                         "p5", "p95"])
    if not found:
        say("no stored results for commit %s" % commit)
        return 1
    return 0


def register(sub):
    s = sub.add_parser("show", help="print stored results of a commit")
    s.add_argument("commit", nargs="?", help="commit (default HEAD)")
    s.set_defaults(func=cmd_show)
