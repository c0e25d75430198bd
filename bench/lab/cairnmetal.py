#!/usr/bin/env python3
"""cairnmetal: Cairn on real machines -- netboot staging, serial logs into
results/, LAVA jobs.

    cairnmetal.py netboot --dest DIR [--kind bench|test] [--build build]
                          [--samples N] [--warmup N] [--base-url URL]
    cairnmetal.py collect --log FILE --machine NAME [--lava]
                          [--host-cpu TEXT] [--commit SHA] [--results DIR]
    cairnmetal.py lava-job --dest-url URL [--device-type x86] [-o job.yaml]
                          [--kind bench|test] [--staged DIR]
    cairnmetal.py lava-check job.yaml

How to boot a machine and where its numbers go: BENCHMARKS.md, 'Bare
metal and farms'.  Python 3 standard library; lava-job's check and
lava-check need Debian's lava-common.
"""

import argparse
import hashlib
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True   # no __pycache__ in the work tree

from cairn import fingerprint, lava, netboot, records, results  # noqa: E402
from cairn.cli import REPO, say  # noqa: E402

SERIES = "metal"
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,47}$")


def _commit_text(repo):
    src = results.source(repo)
    if src.commit == results.NO_COMMIT:
        return None
    return src.commit[:12] + ("" if src.clean else " (work tree dirty)")


# ------------------------------------------------------------------ netboot

def cmd_netboot(args):
    build = os.path.abspath(args.build)
    try:
        p = netboot.plan(build, args.kind, args.samples, args.warmup)
        written = netboot.stage(p, args.dest, args.base_url,
                                _commit_text(args.repo))
    except netboot.NetbootError as e:
        say("cairnmetal netboot: %s" % e)
        return 1
    except OSError as e:
        say("cairnmetal netboot: %s" % e)
        return 1
    say("staged a %s boot in %s:" % (args.kind, args.dest))
    for path in written:
        say("    %s" % os.path.basename(path))
    say("serve it by TFTP or HTTP and chain %s from iPXE; README.txt there "
        "says how" % p.script)
    return 0


# ------------------------------------------------------------------ collect

def machine_id(fp, name):
    """<name>-<8 hex of SHA-256 over the fingerprint fields and the name>:
    a metal machine is known by the name its owner gives it, and any change
    of what the fingerprint records still gives a new id."""
    canon = "\n".join("%s=%s" % (k, " ".join(str(fp[k]).split()))
                      for k in fingerprint.FIELDS) + "\nname=" + name
    return "%s-%s" % (name, hashlib.sha256(canon.encode()).hexdigest()[:8])


def check_log(log):
    """Why a bare-metal bench log cannot be stored (empty: it can), and its
    metrics."""
    problems = ["garbled record, %s" % g for g in log.garbled]
    hello = log.first("hello")
    if hello is None:
        problems.append("no hello record (is this the kernel's serial log, "
                        "from the start?)")
    elif hello.get("mode") != "bench":
        problems.append("hello says mode=%s, not bench" % hello.get("mode"))
    elif not (hello.get("cpus") or "").isdigit():
        problems.append("hello has no CPU count")
    panic = log.first("panic")
    if panic is not None:
        problems.append("kernel panic: %s" % panic.text("msg"))
    if log.last("done") is None:
        problems.append("no done record (log cut short?)")
    metrics, bench_problems = records.collect_bench(log)
    problems += bench_problems
    if not metrics and not problems:
        problems.append("no benchmark records")
    return problems, metrics


def config_of(log):
    """smp<cpus>-metal, with -s<samples>, -w<warmup>, -only_<prefix> as the
    kernel's command line asked (the same suffixes as cairnlab.py bench)."""
    cpus = log.first("hello").int("cpus")
    words = {}
    cmd = log.first("cmdline")
    if cmd is not None:
        for w in cmd.text("str").split():
            k, eq, v = w.partition("=")
            if eq:
                words[k] = v
    name = "smp%d-metal" % cpus
    if "samples" in words:
        name += "-s%s" % words["samples"]
    if "warmup" in words:
        name += "-w%s" % words["warmup"]
    if "bench" in words:
        name += "-only_" + "".join(c if c.isalnum() or c in "._" else "_"
                                   for c in words["bench"])
    return name


def read_log(path, is_lava):
    """records.Log of a serial log or a LAVA job log, and notes."""
    with open(path, "rb") as f:
        data = f.read()
    if not is_lava:
        return records.parse_bytes(data), []
    log, joined = lava.serial_log(data.decode("utf-8", errors="replace"))
    notes = ["LAVA job log: %d serial line%s, %d record%s split over "
             "entries joined" % (len(log.lines), "" if len(log.lines) == 1
                                 else "s", joined, "" if joined == 1 else "s")]
    return log, notes


def guest_cpu(log):
    """The CPU's brand string (else its vendor) from the bench driver's
    `cpu` record (CPUID, bench/kern/bench.c), or None in an older log."""
    rec = log.first("cpu")
    if rec is None:
        return None
    for key in ("brand", "vendor"):
        if rec.has(key) and rec.raw(key) not in ("", "-"):
            return " ".join(rec.text(key).split())
    return None


def collect(repo, log_path, machine, is_lava=False, host_cpu=None,
            commit=None, subject=None, results_dir=None):
    """Stores the bench records of a bare-metal serial log as a boot of the
    metal series.  Returns (path stored to or None, messages)."""
    msgs = []
    if not _NAME_RE.match(machine or ""):
        return None, ["cairnmetal collect: machine name %r: use 1-48 "
                      "letters, digits, '.', '_' or '-'" % machine]
    try:
        log, notes = read_log(log_path, is_lava)
    except OSError as e:
        return None, ["cairnmetal collect: cannot read %s: %s"
                      % (log_path, e.strerror or e)]
    except lava.LavaLogError as e:
        return None, ["cairnmetal collect: %s is not a LAVA job log: %s"
                      % (log_path, e)]
    msgs += notes
    problems, metrics = check_log(log)
    if problems:
        return None, msgs + ["cairnmetal collect: %s not stored:"
                             % log_path] + \
            ["    " + p for p in problems]
    src = results.source(repo)
    if commit:
        full = results.git(repo, "rev-parse", "--verify", "-q",
                           commit + "^{commit}")
        if full is None and not re.match(r"^[0-9a-f]{40}$", commit):
            return None, msgs + ["cairnmetal collect: --commit %s is not a "
                                 "commit of %s; give its full sha" % (
                                     commit, repo)]
        info = results.git(repo, "log", "-1", "--format=%s%x00%cI",
                           full) if full else None
        subj, _, date = (info or "\x00").partition("\x00")
        src = results.Source(full or commit, subject or subj, date, [])
    if results_dir:
        root = results_dir
    else:
        root = results.store_root(repo, src)
        if not src.clean:
            msgs.append("work tree is dirty: results go to %s, not results/ "
                        "(or pass --commit, the commit the image was built "
                        "from)" % os.path.relpath(root, repo))
    cpus = log.first("hello").int("cpus")
    fp = fingerprint.make(SERIES, cpus, cpu=host_cpu or guest_cpu(log) or
                          "unknown", kernel="-", qemu="-")
    fp["accelerator"] = SERIES
    mid = machine_id(fp, machine)
    config = config_of(log)
    path = results.result_path(root, SERIES, mid, config, src.commit)
    mfile = os.path.join(root, "machines", mid + ".txt")
    if not os.path.exists(mfile):
        os.makedirs(os.path.dirname(mfile), exist_ok=True)
        with open(mfile, "w", encoding="utf-8") as f:
            f.write("machine_id: %s\nmachine_name: %s\n" % (mid, machine))
            f.write("".join("%s: %s\n" % (k, fp[k])
                            for k in fingerprint.ALL_FIELDS if k in fp))
    header = []
    for line in results.header_lines(
            src, SERIES, config, fp,
            "(bare metal %s, serial log %s%s)"
            % (machine, os.path.basename(log_path),
               ", from a LAVA job log" if is_lava else "")):
        if line.startswith("# machine: "):
            line = "# machine: %s" % mid
            header.append(line)
            header.append("# machine_name: %s" % machine)
            continue
        header.append(line)
    boot = results.append_boot(path, header, list(metrics.values()), SERIES,
                               clock=results.clock_line(log))
    msgs.append("stored boot %d of %s (%d metrics, %d samples) in %s"
                % (boot.number, machine, len(metrics), len(boot.rows), path))
    return path, msgs


def cmd_collect(args):
    path, msgs = collect(args.repo, args.log, args.machine, args.lava,
                         args.host_cpu, args.commit, args.subject,
                         args.results)
    for m in msgs:
        say(m)
    return 0 if path else 1


# ------------------------------------------------------------------ LAVA

def cmd_lava_job(args):
    script = netboot.KINDS[args.kind][0]
    if args.staged:
        spath = os.path.join(args.staged, script)
        if not os.path.isfile(spath):
            say("cairnmetal lava-job: no %s in %s (stage it with netboot "
                "--kind %s)" % (script, args.staged, args.kind))
            return 1
        try:
            p = netboot.parse_script(open(spath).read(), args.kind, script)
            base = args.dest_url.replace("{SERVER_IP}", "255.255.255.255")
            netboot.check_limits(p, base)
        except netboot.NetbootError as e:
            say("cairnmetal lava-job: %s: %s" % (spath, e))
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
            say("cairnmetal lava-job: %s" % e)
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
        say("cairnmetal lava-check: cannot read %s: %s" % (args.job, e))
        return 2
    except lava.LavaMissing as e:
        say("cairnmetal lava-check: %s" % e)
        return 2
    except Exception as e:       # YAML syntax errors and the like
        say("cairnmetal lava-check: %s does not parse: %s" % (args.job, e))
        return 1
    if err:
        say("cairnmetal lava-check: %s is not a valid LAVA job: %s"
            % (args.job, err))
        return 1
    say("%s: valid LAVA job" % args.job)
    return 0


# ------------------------------------------------------------------ main

def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="cairnmetal.py",
        description="Cairn on real machines: netboot, collect, LAVA.")
    ap.add_argument("--repo", default=REPO, help="repository root")
    sub = ap.add_subparsers(dest="cmd", required=True)

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

    c = sub.add_parser("collect", help="store a bare-metal serial log as "
                       "results of the metal series")
    c.add_argument("--log", required=True)
    c.add_argument("--machine", required=True,
                   help="the machine's name; its id is NAME-<hash>")
    c.add_argument("--lava", action="store_true",
                   help="the log is a LAVA job log (YAML)")
    c.add_argument("--host-cpu", help="CPU model, for the fingerprint "
                   "(default: the brand string the guest read with CPUID)")
    c.add_argument("--commit", help="commit the image was built from "
                   "(default HEAD, which must be clean to go to results/)")
    c.add_argument("--subject", help="its subject line")
    c.add_argument("--results", help="results directory (default results/, "
                   "or build/results-dirty/ for a dirty tree)")
    c.set_defaults(func=cmd_collect)

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

    args = ap.parse_args(argv)
    args.repo = os.path.abspath(args.repo)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("\ncairnmetal: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
