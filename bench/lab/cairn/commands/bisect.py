"""bisect: the first commit where an icount metric moved."""

from .. import compare, fingerprint, history, results, stats
from ..console import say
from .common import (add_bench_options, expected_keys, has_results_fn,
                     history_steps, resolve, results_root)


def cmd_bisect(args):
    repo = args.repo
    root = results_root(args)
    good, bad = resolve(repo, args.good), resolve(repo, args.bad)
    for rev, sha in ((args.good, good), (args.bad, bad)):
        if sha is None:
            say("cairnlab bisect: unknown revision %r" % rev)
            return 2
    args.series = "icount"
    args.no_kvm = True
    key = expected_keys(args)[0]
    build, bench = history_steps(args, root)
    has = has_results_fn(root, [key])

    def value_of(sha):
        if not has(sha):
            history.measure(repo, [sha], has, build, bench, log=say)
            if not has(sha):
                return None
        rf = results.read(results.find_result(root, *key, sha))
        est = stats.estimate("icount", history.boot_values(rf, args.metric))
        if est is None:
            say("bisect: %s has no metric %s" % (sha[:12], args.metric))
            return None
        say("bisect: %s %s = %.3f" % (sha[:12], args.metric, est.value))
        return est.value

    say("bisect: %s between %s (good) and %s (bad), icount %s/%s"
        % (args.metric, good[:12], bad[:12], fingerprint.machine_id(key[1]),
           key[2]))
    res = history.bisect(repo, good, bad, value_of, log=say)
    say("")
    if res.culprit:
        rel = (res.culprit_value - res.good_value) / abs(res.good_value) \
            if res.good_value else None
        say("first commit where %s moved: %s %s" % (
            args.metric, res.culprit, history.subject(repo, res.culprit)))
        say("    %.3f -> %.3f instructions per op (%s), %d commit%s measured"
            % (res.good_value, res.culprit_value, compare.pct(rel),
               len(res.tested), "" if len(res.tested) == 1 else "s"))
        return 0
    say("bisect: " + res.message)
    for sha in res.candidates or []:
        say("    %s %s" % (sha[:12], history.subject(repo, sha)))
    return 1


def register(sub):
    bi = sub.add_parser("bisect", help="first commit where an icount "
                        "metric moved")
    bi.add_argument("metric")
    bi.add_argument("good", metavar="GOOD")
    bi.add_argument("bad", metavar="BAD")
    add_bench_options(bi)
    bi.set_defaults(func=cmd_bisect)
