"""collect: a bare-metal serial log (or a LAVA job log) stored as
results of the metal series."""

import hashlib
import os
import re

from .. import fingerprint, lava, records, results
from ..console import say

SERIES = "metal"
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,47}$")


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
        return None, ["cairnlab collect: machine name %r: use 1-48 "
                      "letters, digits, '.', '_' or '-'" % machine]
    try:
        log, notes = read_log(log_path, is_lava)
    except OSError as e:
        return None, ["cairnlab collect: cannot read %s: %s"
                      % (log_path, e.strerror or e)]
    except lava.LavaLogError as e:
        return None, ["cairnlab collect: %s is not a LAVA job log: %s"
                      % (log_path, e)]
    msgs += notes
    problems, metrics = check_log(log)
    if problems:
        return None, msgs + ["cairnlab collect: %s not stored:"
                             % log_path] + \
            ["    " + p for p in problems]
    src = results.source(repo)
    if commit:
        full = results.git(repo, "rev-parse", "--verify", "-q",
                           commit + "^{commit}")
        if full is None and not re.match(r"^[0-9a-f]{40}$", commit):
            return None, msgs + ["cairnlab collect: --commit %s is not a "
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


def register(sub):
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
