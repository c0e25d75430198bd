#!/usr/bin/env python3
"""cairnlab: run Cairn's benchmarks under QEMU, store, show and plot them.

    cairnlab.py bench [--kernel build/kernel.elf] [--boots N] [--samples N]
                      [--warmup N] [--smp N] [--only PREFIX]
                      [--series icount,tcg,kvm] [--no-kvm]
    cairnlab.py probe [--kernel build/kernel.elf]
    cairnlab.py show  [COMMIT]
    cairnlab.py plot  [--out results/plots]
    cairnlab.py import --log SERIAL.LOG --host-cpu TEXT [--series metal]

Formats and layout: BENCHMARKS.md.  Python 3 standard library only.
"""

import argparse
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True   # no __pycache__ in the work tree

from cairn import bootimage, fingerprint, plot, qemu, records, results  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def say(*args):
    print(*args, flush=True)


def loud(text):
    bar = "!" * 72
    say(bar)
    for line in text.splitlines():
        say("!! " + line)
    say(bar)


class Progress:
    """A status line that rewrites itself on a terminal and stays quiet
    (one line at the end) when output goes to a file."""

    def __init__(self, label, log_path):
        self.label = label
        self.log_path = log_path
        self.tty = sys.stdout.isatty()
        self.last = 0

    def __call__(self, elapsed):
        if self.tty:
            done = 0
            try:
                with open(self.log_path, "rb") as f:
                    done = f.read().count(b"CAIRN benchend ")
            except OSError:
                pass
            sys.stdout.write("\r%s  %5.0f s, %d metric(s) done " %
                             (self.label, elapsed, done))
            sys.stdout.flush()
        elif elapsed - self.last >= 30:
            self.last = elapsed
            say("%s  still running, %.0f s" % (self.label, elapsed))

    def clear(self):
        if self.tty:
            sys.stdout.write("\r" + " " * 78 + "\r")
            sys.stdout.flush()


# ------------------------------------------------------------------ probe

def run_probe(kernel, workdir, binary, timeout):
    p = qemu.probe_kvm(kernel, workdir, binary=binary, timeout=timeout)
    if p.ok:
        say("accelerator: KVM (%s)" % p.reason)
    else:
        say("accelerator: TCG, no KVM (%s)" % p.reason)
    return p


def cmd_probe(args):
    workdir = os.path.join(args.repo, "build", "lab")
    os.makedirs(workdir, exist_ok=True)
    p = run_probe(args.kernel, workdir, args.qemu or qemu.QEMU_I386,
                  args.timeout)
    say("KVM works here" if p.ok else "KVM does not work here")
    return 0    # a failed probe is an answer, not an error


# ------------------------------------------------------------------ bench

def check_bench_boot(res, log):
    """Why a bench boot cannot be stored (list of problems; empty = good)."""
    problems = []
    if res.timed_out:
        problems.append("timed out after %.0f s" % res.seconds)
    elif res.status != qemu.EXIT_SUCCESS:
        problems.append("QEMU exit status %s" % qemu.describe_exit(res.status))
        if res.stderr_summary():
            problems.append("QEMU said: %s" % res.stderr_summary())
    for g in log.garbled:
        problems.append("garbled record, %s" % g)
    hello = log.first("hello")
    if hello is None:
        problems.append("no hello record")
    elif hello.get("mode") != "bench":
        problems.append("hello says mode=%s" % hello.get("mode"))
    done = log.last("done")
    if done is None:
        problems.append("no done record")
    panic = log.first("panic")
    if panic is not None:
        problems.append("kernel panic: %s" % panic.text("msg"))
    return problems


def config_name(spec, args):
    name = spec.config()
    if args.samples is not None:
        name += "-s%d" % args.samples
    if args.warmup is not None:
        name += "-w%d" % args.warmup
    if args.only:
        name += "-only_" + "".join(c if c.isalnum() or c in "._" else "_"
                                   for c in args.only)
    if getattr(args, "no_user", False):
        name += "-kernelonly"
    return name


def fmt_num(x):
    return "%.3f" % x if isinstance(x, float) else str(x)


def print_table(title, rows, headers):
    say("")
    say(title)
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows))
              if rows else len(h) for i, h in enumerate(headers)]
    say("  ".join(str(h).ljust(w) if i == 0 else str(h).rjust(w)
                  for i, (h, w) in enumerate(zip(headers, widths))))
    say("  ".join("-" * w for w in widths))
    for r in rows:
        say("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                      for i, (c, w) in enumerate(zip(r, widths))))


def cmd_bench(args):
    repo = args.repo
    kernel = os.path.abspath(args.kernel)
    if not os.path.exists(kernel):
        say("cairnlab: no kernel at %s (build it with make first)" % kernel)
        return 2
    binary = args.qemu or qemu.QEMU_I386
    workdir = os.path.join(repo, "build", "lab")
    logdir = os.path.join(workdir, "logs")
    os.makedirs(logdir, exist_ok=True)

    src = results.source(repo)
    root = results.store_root(repo, src)
    if src.clean:
        say("commit %s %s" % (src.commit[:12], src.subject))
        say("results go to %s" % os.path.relpath(root, repo))
    else:
        loud("work tree is dirty (%d change%s, e.g. %s):\n"
             "results go to build/results-dirty/, NOT to results/ "
             "(results/ is the history of commits)"
             % (len(src.dirty), "" if len(src.dirty) == 1 else "s",
                src.dirty[0].strip()))

    series = [s.strip() for s in args.series.split(",") if s.strip()]
    for s in series:
        if s not in qemu.SERIES:
            say("cairnlab: unknown series %r (know %s)"
                % (s, ", ".join(qemu.SERIES)))
            return 2
    if "icount" not in series:
        series.insert(0, "icount")
    if args.no_kvm:
        say("accelerator: KVM not tried (--no-kvm)")
        series = [s for s in series if s != "kvm"]
    else:
        probe = run_probe(kernel, workdir, binary, args.probe_timeout)
        if probe.ok and "kvm" not in series:
            series.append("kvm")
        if not probe.ok and "kvm" in series:
            series.remove("kvm")
            say("series kvm skipped: the probe failed")
    say("series: %s; %d boot%s each; -smp %d"
        % (", ".join(series), args.boots, "" if args.boots == 1 else "s",
           args.smp))

    append = "mode=bench"
    if args.samples is not None:
        append += " samples=%d" % args.samples
    if args.warmup is not None:
        append += " warmup=%d" % args.warmup
    if args.only:
        append += " bench=%s" % args.only

    # User-space benchmarks: VM and bench/user/ubench.c's roles.
    mods = []
    if not args.no_user:
        mods = bootimage.bench_modules(os.path.dirname(os.path.abspath(
            kernel)), args.samples, args.warmup)
        absent = bootimage.missing(mods)
        if absent:
            say("cairnlab bench: user programs not built (%s): run 'make "
                "user', or --no-user for the kernel's benchmarks only"
                % ", ".join(absent))
            return 2

    failures = 0
    summaries = []
    for s in series:
        spec = qemu.Boot(append=append, kernel=kernel, series=s,
                         smp=args.smp, binary=binary, cpu=args.cpu,
                         modules=mods)
        notes = []
        fp = fingerprint.make(s, args.smp, binary)
        machine = fingerprint.machine_id(fp)
        config = config_name(spec, args)
        path = results.result_path(root, s, machine, config, src.commit)
        mfile = results.write_machine(root, fp)
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        say("")
        say("[%s] machine %s (%s), config %s" % (s, machine,
                                                 os.path.relpath(mfile, repo),
                                                 config))
        run_boots = []
        for k in range(1, args.boots + 1):
            log_path = os.path.join(logdir, "%s-%s-%s-%d.log"
                                    % (s, config, stamp, k))
            cmd = qemu.build_command(spec, log_path, notes)
            for n in notes:
                say("[%s] note: %s" % (s, n))
            notes.clear()
            label = "[%s %d/%d]" % (s, k, args.boots)
            say("%s booting: %s" % (label, qemu.format_command(cmd)))
            prog = Progress(label, log_path)
            res = qemu.run(cmd, log_path, args.timeout, progress=prog)
            prog.clear()
            log = res.log()
            problems = check_bench_boot(res, log)
            metrics, bench_problems = records.collect_bench(log)
            problems += bench_problems
            if not metrics and not problems:
                problems.append("no benchmark records")
            if problems:
                failures += 1
                say("%s FAILED after %.1f s, not stored:" % (label, res.seconds))
                for p in problems:
                    say("    " + p)
                say("    serial log: %s" % log_path)
                continue
            prev = results.last_boot(path)
            header = results.header_lines(
                src, s, config, fp,
                qemu.format_command(cmd).replace(log_path, "<log>")
                .replace(repo + os.sep, ""))
            boot = results.append_boot(path, header, list(metrics.values()),
                                       res.status,
                                       clock=results.clock_line(log))
            verdict = ""
            if s == "icount":
                if prev is None:
                    verdict = "first icount boot stored for this " \
                        "commit/machine/config"
                else:
                    diff = results.compare_boots(prev, boot)
                    if diff is None:
                        verdict = "identical to boot %d, as expected" \
                            % prev.number
                    else:
                        verdict = "DIFFERENT from boot %d" % prev.number
                        loud("icount boot %d differs from boot %d of the same "
                             "commit, machine and config!\n%s\nicount runs "
                             "should repeat exactly; something is not "
                             "deterministic (log: %s)"
                             % (boot.number, prev.number, diff, log_path))
            say("%s ok in %.1f s: %d metric%s, %d samples, stored as boot %d "
                "in %s%s" % (label, res.seconds, len(metrics),
                             "" if len(metrics) == 1 else "s", len(boot.rows),
                             boot.number, os.path.relpath(path, repo),
                             "; " + verdict if verdict else ""))
            run_boots.append((boot, verdict))
        if run_boots:
            summaries.append((s, machine, config, path, run_boots))

    for s, machine, config, path, run_boots in summaries:
        rows = []
        metrics = []
        for b, _ in run_boots:
            for r in b.rows:
                if r.metric not in metrics:
                    metrics.append(r.metric)
        for m in metrics:
            vals = [r.value for b, _ in run_boots for r in b.rows
                    if r.metric == m]
            unit = next(r.unit for b, _ in run_boots for r in b.rows
                        if r.metric == m)
            st = results.summarize(vals)
            row = [m, "instructions" if s == "icount" else unit, st.n,
                   fmt_num(st.median), fmt_num(st.min), fmt_num(st.max)]
            if s == "icount":
                same = all(v.startswith(("identical", "first"))
                           for _, v in run_boots)
                row.append("yes" if same else "NO")
            rows.append(row)
        headers = ["metric", "unit", "n", "median", "min", "max"]
        if s == "icount":
            headers.append("repeats")
        print_table("%s, machine %s, config %s: per-op %s over this run's "
                    "boot%s" % (s, machine, config,
                                "instructions (icount)" if s == "icount"
                                else "ticks",
                                "" if len(run_boots) == 1 else "s"),
                    rows, headers)
    say("")
    if failures:
        say("cairnlab: %d boot%s failed (see above)"
            % (failures, "" if failures == 1 else "s"))
        return 1
    return 0


# ------------------------------------------------------------------ show

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


# ------------------------------------------------------------------ plot

def cmd_plot(args):
    root = args.results or os.path.join(args.repo, "results")
    try:
        written = plot.plot_all(args.repo, root, args.out, log=say)
    except RuntimeError as e:
        say("cairnlab plot: %s" % e)
        return 1
    if not written:
        say("nothing to plot under %s" % root)
    else:
        say("%d picture%s written" % (len(written),
                                      "" if len(written) == 1 else "s"))
    return 0


# ------------------------------------------------------------------ import

def cmd_import(args):
    """Stores the bench records of a serial log collected elsewhere (a
    bare-metal machine booted over the network) as its own series."""
    repo = args.repo
    log = records.parse_file(args.log)
    metrics, problems = records.collect_bench(log)
    for g in log.garbled:
        problems.append("garbled record, %s" % g)
    hello = log.first("hello")
    if hello is None:
        problems.append("no hello record")
    if problems or not metrics:
        say("cairnlab import: %s not stored:" % args.log)
        for p in problems or ["no benchmark records"]:
            say("    " + p)
        return 1
    cpus = hello.int("cpus")
    src = results.source(repo)
    if args.commit:
        src = results.Source(args.commit, args.subject or "", "", [])
    root = results.store_root(repo, src)
    fp = fingerprint.make(args.series, cpus, cpu=args.host_cpu,
                          kernel="-", qemu="-")
    fp["accelerator"] = args.series
    machine = fingerprint.machine_id(fp)
    config = "smp%d-metal" % cpus
    path = results.result_path(root, args.series, machine, config, src.commit)
    results.write_machine(root, fp)
    header = results.header_lines(src, args.series, config, fp,
                                  "(bare metal, serial log %s)"
                                  % os.path.basename(args.log))
    boot = results.append_boot(path, header, list(metrics.values()),
                               "metal", clock=results.clock_line(log))
    say("stored boot %d (%d samples) in %s" % (boot.number, len(boot.rows),
                                              os.path.relpath(path, repo)))
    return 0


# ------------------------------------------------------------------ main

def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="cairnlab.py", description="Cairn's performance lab.")
    ap.add_argument("--repo", default=REPO, help="repository root")
    sub = ap.add_subparsers(dest="cmd", required=True)
    kernel_default = os.path.join(REPO, "build", "kernel.elf")

    b = sub.add_parser("bench", help="boot mode=bench, store and summarize")
    b.add_argument("--kernel", default=kernel_default)
    b.add_argument("--boots", type=int, default=1,
                   help="boots per series (default 1)")
    b.add_argument("--samples", type=int, help="samples per metric")
    b.add_argument("--warmup", type=int, help="warm-up samples dropped")
    b.add_argument("--only", metavar="PREFIX",
                   help="only metrics whose name starts with PREFIX "
                   "(kernel word bench=PREFIX; stored under its own config)")
    b.add_argument("--smp", type=int, default=2,
                   help="vCPUs (default 2: cross-CPU IPC needs two; an "
                   "idle CPU adds no instructions under icount)")
    b.add_argument("--no-user", action="store_true",
                   help="the kernel's benchmarks only (no VM, no ubench)")
    b.add_argument("--cpu", help="QEMU -cpu model for TCG series")
    b.add_argument("--series", default="icount",
                   help="comma list from icount,tcg,kvm; icount always "
                   "runs, kvm is added when the probe passes")
    b.add_argument("--no-kvm", action="store_true", help="skip the probe")
    b.add_argument("--timeout", type=float, default=900.0,
                   help="seconds per boot (default 900)")
    b.add_argument("--probe-timeout", type=float, default=20.0)
    b.add_argument("--qemu", help="qemu-system-i386 to use")
    b.set_defaults(func=cmd_bench)

    p = sub.add_parser("probe", help="say whether KVM works here")
    p.add_argument("--kernel", default=kernel_default)
    p.add_argument("--timeout", type=float, default=20.0)
    p.add_argument("--qemu", help="qemu-system-i386 to use")
    p.set_defaults(func=cmd_probe)

    s = sub.add_parser("show", help="print stored results of a commit")
    s.add_argument("commit", nargs="?", help="commit (default HEAD)")
    s.set_defaults(func=cmd_show)

    pl = sub.add_parser("plot", help="plot stored results with gnuplot")
    pl.add_argument("--results", help="results directory (default results/)")
    pl.add_argument("--out", help="output (default <results>/plots)")
    pl.set_defaults(func=cmd_plot)

    im = sub.add_parser("import", help="store a bare-metal serial log")
    im.add_argument("--log", required=True)
    im.add_argument("--host-cpu", required=True,
                    help="CPU model of the machine that produced the log")
    im.add_argument("--series", default="metal")
    im.add_argument("--commit", help="commit the image was built from "
                    "(default HEAD; the tree must be clean to go to results/)")
    im.add_argument("--subject", help="its subject line")
    im.set_defaults(func=cmd_import)

    args = ap.parse_args(argv)
    args.repo = os.path.abspath(args.repo)
    try:
        return args.func(args)
    except BrokenPipeError:          # e.g. `cairnlab.py show | head`
        sys.stdout = open(os.devnull, "w")
        return 0
    except KeyboardInterrupt:
        print("\ncairnlab: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
