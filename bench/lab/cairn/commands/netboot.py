"""netboot: stage a kernel, its modules and an iPXE script for a TFTP or
HTTP server (BENCHMARKS.md, "Bare metal and farms")."""

import os

from .. import netboot, results
from ..console import REPO, say


def _commit_text(repo):
    src = results.source(repo)
    if src.commit == results.NO_COMMIT:
        return None
    return src.commit[:12] + ("" if src.clean else " (work tree dirty)")


def cmd_netboot(args):
    build = os.path.abspath(args.build)
    try:
        p = netboot.plan(build, args.kind, args.samples, args.warmup)
        written = netboot.stage(p, args.dest, args.base_url,
                                _commit_text(args.repo))
    except netboot.NetbootError as e:
        say("cairnlab netboot: %s" % e)
        return 1
    except OSError as e:
        say("cairnlab netboot: %s" % e)
        return 1
    say("staged a %s boot in %s:" % (args.kind, args.dest))
    for path in written:
        say("    %s" % os.path.basename(path))
    say("serve it by TFTP or HTTP and chain %s from iPXE; README.txt there "
        "says how" % p.script)
    return 0


def register(sub):
    n = sub.add_parser("netboot", help="stage kernel, modules and an iPXE "
                       "script for a TFTP or HTTP server")
    n.add_argument("--dest", required=True, help="directory to fill")
    n.add_argument("--kind", choices=sorted(netboot.KINDS), default="bench")
    n.add_argument("--build", default=os.path.join(REPO, "build"))
    n.add_argument("--samples", type=int, help="samples per metric (bench)")
    n.add_argument("--warmup", type=int, help="warm-up samples (bench)")
    n.add_argument("--base-url", help="URL the directory will be served "
                   "from, to check iPXE's 512-byte command-line limit "
                   "exactly (default: assume %d characters)"
                   % len(netboot.ASSUMED_BASE))
    n.set_defaults(func=cmd_netboot)
