"""lava-job and lava-check: a LAVA job that chains the staged iPXE
script, and its check against lava_common's schema."""

import os
import sys

from .. import lava, netboot
from ..console import say
from .netboot import _commit_text


def cmd_lava_job(args):
    script = netboot.KINDS[args.kind][0]
    if args.staged:
        spath = os.path.join(args.staged, script)
        if not os.path.isfile(spath):
            say("cairnlab lava-job: no %s in %s (stage it with netboot "
                "--kind %s)" % (script, args.staged, args.kind))
            return 1
        try:
            p = netboot.parse_script(open(spath).read(), args.kind, script)
            base = args.dest_url.replace("{SERVER_IP}", "255.255.255.255")
            netboot.check_limits(p, base)
        except netboot.NetbootError as e:
            say("cairnlab lava-job: %s: %s" % (spath, e))
            return 1
    meta = {}
    commit = _commit_text(args.repo)
    if commit:
        meta["cairn.commit"] = commit
    job = lava.job_definition(args.dest_url, script, args.kind,
                              args.device_type, args.job_name,
                              metadata=meta)
    text = lava.job_yaml(job)
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        try:
            with open(args.output, "w") as f:
                f.write(text)
        except OSError as e:
            say("cairnlab lava-job: %s" % e)
            return 1
        say("wrote %s (device type %s, chains %s)"
            % (args.output, args.device_type,
               lava.script_url(args.dest_url, script)))
    return 0


def cmd_lava_check(args):
    try:
        with open(args.job) as f:
            text = f.read()
        job = lava.load_yaml(text)
        err = lava.validate_job(job)
    except OSError as e:
        say("cairnlab lava-check: cannot read %s: %s" % (args.job, e))
        return 2
    except lava.LavaMissing as e:
        say("cairnlab lava-check: %s" % e)
        return 2
    except Exception as e:       # YAML syntax errors and the like
        say("cairnlab lava-check: %s does not parse: %s" % (args.job, e))
        return 1
    if err:
        say("cairnlab lava-check: %s is not a valid LAVA job: %s"
            % (args.job, err))
        return 1
    say("%s: valid LAVA job" % args.job)
    return 0


def register(sub):
    j = sub.add_parser("lava-job", help="write a LAVA job that chains the "
                       "staged script")
    j.add_argument("--dest-url", required=True,
                   help="where the staged directory is served "
                   "({SERVER_IP}: the LAVA dispatcher)")
    j.add_argument("--device-type", default=lava.DEVICE_TYPE)
    j.add_argument("--kind", choices=sorted(netboot.KINDS), default="bench")
    j.add_argument("--job-name")
    j.add_argument("--staged", metavar="DIR", help="the staged directory: "
                   "check its script against iPXE's limits with this URL")
    j.add_argument("-o", "--output", help="job file (default stdout)")
    j.set_defaults(func=cmd_lava_job)
    k = sub.add_parser("lava-check", help="validate a LAVA job with "
                       "lava_common's schema")
    k.add_argument("job")
    k.set_defaults(func=cmd_lava_check)
