#!/usr/bin/env python3
"""cairnlab: run Cairn's benchmarks under QEMU, store, show and plot them.

    cairnlab.py bench [--kernel build/kernel.elf] [--boots N] [--samples N]
                      [--warmup N] [--smp N] [--only PREFIX]
                      [--series icount,tcg,kvm] [--no-kvm]
                      [--noise-gate PCT] [--noise-reruns N]
                      [--canary-gate PCT]
                      [--commit SHA] [--results DIR]
    cairnlab.py probe [--kernel build/kernel.elf]
    cairnlab.py show  [COMMIT]
    cairnlab.py plot  [--out results/plots]
    cairnlab.py import --log SERIAL.LOG --host-cpu TEXT [--series metal]
    cairnlab.py compare A B [--only-changed]  exit 1 on a regression
    cairnlab.py continuous [--base REV] [bench options]

Exit status: 0 success (compare: no regression), 1 a regression (compare)
or a failed boot/commit (bench, history), 2 a usage error or an error.
    cairnlab.py history A..B [bench options]
    cairnlab.py changepoints [--all] [--metric PREFIX]
    cairnlab.py bisect METRIC GOOD BAD [bench options]
    cairnlab.py report [--no-plot]
    cairnlab.py dashboard [--out build/dashboard]

Formats and layout: BENCHMARKS.md.  Python 3 standard library only.
"""

import argparse
import datetime
import os
import subprocess
import sys
import traceback
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True   # no __pycache__ in the work tree

from cairn import bootimage, compare, dashboard, fingerprint  # noqa: E402
from cairn import history  # noqa: E402
from cairn import hostenv, plot, qemu, records, report, results  # noqa: E402
from cairn import stats  # noqa: E402
from cairn.cli import loud, say  # noqa: E402

# Exit status of every command (BENCHMARKS.md): compare and continuous
# say 1 only for a regression; usage errors and failures are 2 (argparse
# exits 2 too).  `make` itself exits 2 whenever a command fails, whatever
# its status; the status is in make's "Error N" line.
EXIT_OK, EXIT_REGRESSION, EXIT_ERROR = 0, 1, 2

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


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
                    # Records only at a line start (records.py).
                    data = b"\n" + f.read()
                    done = data.count(b"\nCAIRN benchend ")
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
    problems = qemu.boot_problems(res, log)
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


REALTIME_BOOTS = 5  # default boots of a real-time series (icount: 1)
MAX_TRIES = 3       # attempts of a boot with broken records or a failed QEMU


@dataclass
class Attempt:
    """One QEMU boot made for a boot slot."""
    number: int
    label: str
    log_path: str
    cmd: list
    res: object
    log: object
    metrics: dict
    problems: list
    host: list          # `# host`, `# pin`, `# perf` lines (without "# ")

    def reason(self):
        """The first problem, short, for a `# retry` line."""
        if self.log.garbled:
            g = self.log.garbled[0]
            text = "garbled record at line %d (%s)" % (g.lineno, g.reason)
        else:
            text = self.problems[0]
        if len(text) > 120:
            text = text[:117] + "..."
        more = len(self.problems) - 1
        return text + (" (+%d more problem%s)" % (more, "" if more == 1
                                                  else "s") if more else "")


@dataclass
class Slot:
    """Boot k of a series: every attempt made for it, the one to store
    and the lines saying what happened, in the order it happened."""
    k: int
    attempts: list = field(default_factory=list)
    kept: Attempt = None
    lines: list = field(default_factory=list)
    failed: int = 0
    noise_reruns: int = 0       # extra boots for the noise gate
    canary_reruns: int = 0      # ... and for the canary gate
    noise_gated: bool = False
    canary_gated: bool = False


@dataclass
class SeriesRun:
    """What every boot of one series in one `bench` run shares."""
    args: object
    series: str
    spec: object
    config: str
    logdir: str
    stamp: str
    boots: int
    perf: object = None         # hostenv.PerfSupport when counting exits
    canary_source: str = None
    notes: list = field(default_factory=list)
    said: set = field(default_factory=set)

    @property
    def exact(self):
        return stats.is_exact(self.series)

    def once(self, text):
        """Says text the first time only (per run of `bench`)."""
        if text not in self.said:
            self.said.add(text)
            say(text)


def boot_attempt(run, slot):
    """Boots once more for a slot (said on the console) and checks the
    records; the attempt is appended to slot.attempts."""
    n = len(slot.attempts) + 1
    s = run.series
    label = "[%s %d/%d%s]" % (s, slot.k, run.boots,
                              "" if n == 1 else ", try %d" % n)
    log_path = os.path.join(run.logdir, "%s-%s-%s-%d%s.log" % (
        s, run.config, run.stamp, slot.k, "" if n == 1 else "-try%d" % n))
    cmd = qemu.build_command(run.spec, log_path, run.notes)
    for note in run.notes:
        say("[%s] note: %s" % (s, note))
    run.notes.clear()
    say("%s booting: %s" % (label, qemu.format_command(cmd)))
    watch = hostenv.BootWatch(realtime=not run.exact, vcpus=run.spec.smp,
                              perf=run.perf if s == "kvm" else None,
                              prefix=log_path)
    prog = Progress(label, log_path)

    def tick(elapsed):
        prog(elapsed)
        watch.tick()

    watch.before()
    res = qemu.run(cmd, log_path, run.args.timeout, progress=tick,
                   on_start=watch.started)
    prog.clear()
    host = watch.after()
    if watch.perf_problem:
        run.once("perf: VM exits not counted in some boots: %s"
                 % watch.perf_problem)
    log = res.log()
    problems = check_bench_boot(res, log)
    metrics, bench_problems = records.collect_bench(log)
    problems += bench_problems
    if not metrics and not problems:
        problems.append("no benchmark records")
    a = Attempt(n, label, log_path, cmd, res, log, metrics, problems, host)
    slot.attempts.append(a)
    return a


def boot_slot(run, slot):
    """Boots a slot until an attempt has good records (at most MAX_TRIES
    failed attempts in all) and, for real time, passes the noise gate (at
    most --noise-reruns re-runs per slot).  True when slot.kept is a new
    attempt; a failed slot keeps what it had."""
    gate = run.args.noise_gate if not run.exact else 0
    while slot.failed < MAX_TRIES:
        a = boot_attempt(run, slot)
        if a.problems:
            slot.failed += 1
            say("%s attempt %d failed after %.1f s:" % (a.label, a.number,
                                                         a.res.seconds))
            for p in a.problems:
                say("    " + p)
            say("    serial log: %s" % a.log_path)
            if slot.failed >= MAX_TRIES:
                return False
            slot.lines.append("retry attempt=%d reason=%s"
                              % (a.number + 1, a.reason()))
            say("%s booting again: attempt %d (at most %d failed attempts "
                "per boot)" % (a.label, a.number + 1, MAX_TRIES))
            continue
        slot.kept = a
        if not gate:
            return True
        more = slot.noise_reruns < run.args.noise_reruns
        note = noise_gate(a.label, a.metrics, gate, a.number, more,
                          slot.noise_gated)
        if note:
            slot.lines.append(note)
            slot.noise_gated = True
        if not (note or "").startswith("noise-gate rerun"):
            return True
        slot.noise_reruns += 1
    return False


def canary_dev(value, ref):
    return (value - ref) / abs(ref) if ref else 0.0


def canary_gate(run, slots):
    """Real time: a boot whose canary median is more than --canary-gate
    percent off the median over the run's boots is booted again, at most
    --noise-reruns times (a budget of its own: a boot the noise gate has
    re-run can still be re-run for its canary); then every boot gets its
    `# canary` line."""
    limit = run.args.canary_gate / 100.0
    exhausted = set()
    while limit:
        meds = {s.k: results.canary_median(s.kept.metrics) for s in slots
                if s.kept}
        meds = {k: m for k, m in meds.items() if m is not None}
        if len(meds) < 2:
            break
        ref = stats.median(list(meds.values()))
        flagged = [s for s in slots if s.k in meds and s.k not in exhausted
                   and abs(canary_dev(meds[s.k], ref)) > limit]
        if not flagged:
            break
        for s in flagged:
            dev = canary_dev(meds[s.k], ref)
            a = s.kept
            if s.canary_reruns >= run.args.noise_reruns:
                exhausted.add(s.k)
                continue
            say("%s canary gate: %s median %.3f is %+.2f%% off the run's "
                "median %.3f (limit %g%%): not stored, booting again"
                % (a.label, results.CANARY_METRIC, meds[s.k], 100 * dev, ref,
                   run.args.canary_gate))
            s.lines.append("canary-gate rerun attempt=%d limit=%g%% "
                           "median=%.3f run_median=%.3f dev=%+.2f%%"
                           % (a.number, run.args.canary_gate, meds[s.k], ref,
                              100 * dev))
            s.canary_gated = True
            s.canary_reruns += 1
            boot_slot(run, s)
    meds = {s.k: results.canary_median(s.kept.metrics) for s in slots
            if s.kept}
    meds = {k: m for k, m in meds.items() if m is not None}
    if not meds:
        if any(s.kept for s in slots):
            run.once("[%s] no %s metric in these boots (a kernel older than "
                     "the canary, or --only): boots not checked against it"
                     % (run.series, results.CANARY_METRIC))
        return
    vals = list(meds.values())
    ref = stats.median(vals)
    spread = (max(vals) - min(vals)) / abs(ref) if ref else 0.0
    rmad = stats.rel_mad(vals)
    say("[%s] canary %s: median of %d boot medians %.3f, range %.2f%%, "
        "relative MAD %.2f%%" % (run.series, results.CANARY_METRIC,
                                 len(vals), ref, 100 * spread, 100 * rmad))
    for s in slots:
        if s.k not in meds:
            continue
        dev = canary_dev(meds[s.k], ref)
        if s.canary_gated:
            if abs(dev) <= limit:
                s.lines.append("canary-gate passed attempt=%d limit=%g%%"
                               % (s.kept.number, run.args.canary_gate))
            else:
                s.lines.append("canary-gate kept attempt=%d limit=%g%% "
                               "dev=%+.2f%%" % (s.kept.number,
                                                run.args.canary_gate,
                                                100 * dev))
        if limit and abs(dev) > limit:
            say("%s canary still %+.2f%% off the run's median after %d "
                "attempts: stored, and marked so in the file"
                % (s.kept.label, 100 * dev, len(s.attempts)))
        s.lines.append("canary %s median=%.3f run_median=%.3f dev=%+.2f%% "
                       "run_range=%.2f%% run_rel_mad=%.2f%% boots=%d "
                       "limit=%g%% source=%s"
                       % (results.CANARY_METRIC, meds[s.k], ref, 100 * dev,
                          100 * spread, 100 * rmad, len(vals),
                          run.args.canary_gate,
                          run.canary_source or "unknown"))


def icount_canary(run, slot, path, roots):
    """icount: the `# canary` line of a boot, checked against the previous
    boot of the same file (sample by sample) and every stored icount boot
    of this config with the same canary source (on any machine: icount
    counts do not depend on the host).  Any difference is loud: it means
    QEMU or the host changed what an instruction count is."""
    metrics = slot.kept.metrics
    med = results.canary_median(metrics)
    if med is None:
        run.once("[icount] no %s metric in this boot (a kernel older than "
                 "the canary, or --only): not checked"
                 % results.CANARY_METRIC)
        return None
    text = "%.3f" % med
    src = run.canary_source
    differs = []
    prev = results.last_boot(path)
    mine = results.canary_rows(results.BootRows(0, "", "", results.rows_for(
        [m for m in metrics.values() if m.name == results.CANARY_METRIC], 0)))
    if prev is not None and results.canary_rows(prev) and \
            results.canary_rows(prev) != mine:
        differs.append("boot%d:samples" % prev.number)
    refs = results.canary_history(roots, "icount", run.config, src) \
        if src else []
    for commit, machine, number, value in refs:
        if value != text:
            differs.append("%s/%s/boot%d:%s" % (commit[:12], machine, number,
                                                value))
    check = "DIFFERENT" if differs else ("same" if refs or (
        prev is not None and results.canary_rows(prev)) else "first")
    line = "canary %s median=%s source=%s check=%s" % (
        results.CANARY_METRIC, text, src or "unknown", check)
    if differs:
        line += " differs=" + ",".join(differs[:3]) + (
            ",+%d" % (len(differs) - 3) if len(differs) > 3 else "")
        loud("icount canary %s = %s differs from stored boots with the same "
             "canary (source %s):\n%s\nthe canary is a fixed loop: under "
             "icount its count can only change when QEMU or the host changed "
             "what an instruction count is (or the benchmark harness "
             "changed); numbers before and after are not comparable"
             % (results.CANARY_METRIC, text, src or "unknown",
                "\n".join(differs[:10])))
    else:
        say("[icount %d/%d] canary %s = %s instructions, %s" % (
            slot.k, run.boots, results.CANARY_METRIC, text,
            "as in %d stored boot%s with the same canary" % (
                len(refs), "" if len(refs) == 1 else "s") if refs
            else "the first with this canary source"))
    return line


def store_slot(run, slot, src, fp, path, repo, roots):
    """Appends a slot's kept attempt to the result file; (BootRows,
    verdict)."""
    a = slot.kept
    s = run.series
    notes = list(slot.lines)
    if run.exact:
        line = icount_canary(run, slot, path, roots)
        if line:
            notes.append(line)
    notes += a.host
    prev = results.last_boot(path)
    header = results.header_lines(
        src, s, run.config, fp,
        qemu.format_command(a.cmd).replace(a.log_path, "<log>")
        .replace(repo + os.sep, ""))
    boot = results.append_boot(path, header, list(a.metrics.values()),
                               a.res.status, clock=results.clock_line(a.log),
                               notes=notes)
    verdict = ""
    if s == "icount":
        verdict, diff = results.icount_repeat(prev, boot)
        if diff is not None:
            loud("icount boot %d differs from boot %d of the same "
                 "commit, machine and config!\n%s\nicount runs "
                 "should repeat exactly; something is not "
                 "deterministic (log: %s)"
                 % (boot.number, prev.number, diff, a.log_path))
    tries = len(slot.attempts)
    say("%s ok in %.1f s: %d metric%s, %d samples, stored as boot %d in %s%s%s"
        % (a.label, a.res.seconds, len(a.metrics),
           "" if len(a.metrics) == 1 else "s", len(boot.rows), boot.number,
           compare.relpath(path, repo),
           " (attempt %d of %d)" % (a.number, tries) if tries > 1 else "",
           "; " + verdict if verdict else ""))
    return boot, verdict


def report_failed(run, slot):
    say("[%s %d/%d] FAILED: %d attempts, none stored:"
        % (run.series, slot.k, run.boots, len(slot.attempts)))
    for a in slot.attempts:
        if a.problems:
            say("    attempt %d: %s (serial log %s)" % (
                a.number, "; ".join(a.problems[:3]) +
                (" ..." if len(a.problems) > 3 else ""), a.log_path))


def perf_support(series, probe):
    """hostenv.PerfSupport for the run, or a reason why VM exits are not
    counted (said once per run)."""
    if "kvm" not in series:
        why = "no kvm series in this run"
        if probe is not None and not probe.ok:
            why += " (%s)" % probe.reason
        elif probe is None:
            why += " (--no-kvm)"
        return hostenv.PerfSupport(False, why)
    return hostenv.probe_perf()


def noise_gate(label, metrics, limit_pct, attempt, may_rerun, gated_before):
    """The noise gate of a real-time boot (BENCHMARKS.md, "The noise gate"):
    the `# noise-gate ...` line for its boot block, or None when it passed at
    the first attempt.  "noise-gate rerun ..." means boot again."""
    noisy = stats.noisy_metrics(
        {m.name: [records.per_op(r, o, m.batch) for r, o in m.samples]
         for m in metrics.values()}, limit_pct / 100.0)
    text = ",".join("%s:%.2f%%" % (n, 100 * r) for n, r in noisy)
    if noisy and may_rerun:
        say("%s noise gate: within-boot spread (relative MAD) over %g%% in "
            "%s: not stored, booting again" % (label, limit_pct, text))
        return "noise-gate rerun attempt=%d limit=%g%% noisy=%s" % (
            attempt, limit_pct, text)
    if noisy:
        say("%s noise gate: still over %g%% after %d attempts (%s): stored, "
            "and marked so in the file" % (label, limit_pct, attempt, text))
        return "noise-gate kept attempt=%d limit=%g%% noisy=%s" % (
            attempt, limit_pct, text)
    if gated_before:
        return "noise-gate passed attempt=%d limit=%g%%" % (attempt, limit_pct)
    return None


def boots_of(args, series):
    """--boots, or by default 1 boot for icount (exact) and 5 for a
    real-time series (the boot is the independent unit)."""
    if args.boots is not None:
        return args.boots
    return 1 if stats.is_exact(series) else REALTIME_BOOTS


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
    if args.commit:
        want = results.git(repo, "rev-parse", "--verify", "-q",
                           args.commit + "^{commit}")
        if want is None:
            say("cairnlab bench: unknown commit %r in %s"
                % (args.commit, repo))
            return 2
        if want != src.commit:
            say("cairnlab bench: %s is at %s, not at --commit %s: results "
                "would be attributed to the wrong commit"
                % (repo, src.commit[:12], want[:12]))
            return 2
    root = results.store_root(repo, src)
    if args.results and src.clean:
        root = os.path.abspath(args.results)
    if src.clean:
        say("commit %s %s" % (src.commit[:12], src.subject))
        say("results go to %s" % compare.relpath(root, repo))
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
    probe = None
    if args.no_kvm:
        say("accelerator: KVM not tried (--no-kvm)")
        series = [s for s in series if s != "kvm"]
    else:
        if args.kvm_known:
            probe = qemu.Probe(args.kvm_known == "yes", "probed once by the "
                               "caller (--kvm-known %s)" % args.kvm_known)
            say("accelerator: %s (%s)" % ("KVM" if probe.ok else "TCG, no KVM",
                                          probe.reason))
        else:
            probe = run_probe(kernel, workdir, binary, args.probe_timeout)
        if probe.ok and "kvm" not in series:
            series.append("kvm")
        if not probe.ok and "kvm" in series:
            series.remove("kvm")
            say("series kvm skipped: the probe failed")
    say("series: %s; -smp %d" % (", ".join(
        "%s (%d boot%s)" % (s, boots_of(args, s),
                            "" if boots_of(args, s) == 1 else "s")
        for s in series), args.smp))

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
    said = set()
    perf = perf_support(series, probe)
    if not perf.ok:
        say("perf: VM exits not counted: %s" % perf.reason)
    elif not perf.reasons:
        say("perf: VM exits counted in total only (no `perf kvm stat` for "
            "the exit reasons)")
    canary_src = results.canary_source(repo)
    roots = [root] + ([os.path.join(repo, "results")]
                      if root != os.path.join(repo, "results") else [])
    for s in series:
        exact = stats.is_exact(s)
        spec = qemu.Boot(append=append, kernel=kernel, series=s,
                         smp=args.smp, binary=binary, cpu=args.cpu,
                         memory=getattr(args, "memory", 128),
                         modules=mods, thread_names=not exact,
                         prealloc=not exact)
        fp = fingerprint.make(s, args.smp, binary,
                              build_dir=os.path.dirname(kernel))
        machine = fingerprint.machine_id(fp)
        config = config_name(spec, args)
        path = results.result_path(root, s, machine, config, src.commit)
        mfile = results.write_machine(root, fp)
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        run = SeriesRun(args, s, spec, config, logdir, stamp,
                        boots_of(args, s), perf if perf.ok else None,
                        canary_src, said=said)
        say("")
        say("[%s] machine %s (%s), config %s" % (s, machine,
                                                 compare.relpath(mfile, repo),
                                                 config))
        run_boots = []
        slots = []
        for k in range(1, run.boots + 1):
            slot = Slot(k)
            slots.append(slot)
            boot_slot(run, slot)
            if slot.kept is None:
                failures += 1
                report_failed(run, slot)
            elif exact:
                run_boots.append(store_slot(run, slot, src, fp, path, repo,
                                            roots))
        if not exact:
            # Real time: the canary of each boot is judged against the
            # whole run's, so the boots are stored once all have run.
            canary_gate(run, slots)
            for slot in slots:
                if slot.kept is not None:
                    run_boots.append(store_slot(run, slot, src, fp, path,
                                                repo, roots))
        if run_boots:
            summaries.append((s, machine, config, path, run_boots))

    for s, machine, config, path, run_boots in summaries:
        if args.brief:
            say("[%s] %d boot%s stored in %s" % (
                s, len(run_boots), "" if len(run_boots) == 1 else "s",
                compare.relpath(path, repo)))
            continue
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
        say("cairnlab: %d boot%s failed after %d attempts each and %s not "
            "stored (see above)" % (failures, "" if failures == 1 else "s",
                                    MAX_TRIES, "was" if failures == 1
                                    else "were"))
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
        say("%d picture%s written under %s" % (
            len(written), "" if len(written) == 1 else "s",
            compare.relpath(args.out or os.path.join(root, "plots"),
                            args.repo)))
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
                                              compare.relpath(path, repo)))
    return 0


# ------------------------------------------------------------------ compare

def resolve(repo, rev):
    return results.git(repo, "rev-parse", "--verify", "-q", rev + "^{commit}")


def results_root(args):
    return os.path.abspath(args.results) if args.results else \
        os.path.join(args.repo, "results")


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


# ------------------------------------------------------------------ continuous

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


# ------------------------------------------------------------------ history

BENCH_PASS = (("boots", "--boots"), ("samples", "--samples"),
              ("warmup", "--warmup"), ("only", "--only"), ("smp", "--smp"),
              ("memory", "--memory"),
              ("cpu", "--cpu"), ("series", "--series"),
              ("timeout", "--timeout"), ("qemu", "--qemu"),
              ("noise_gate", "--noise-gate"),
              ("noise_reruns", "--noise-reruns"),
              ("canary_gate", "--canary-gate"))


def bench_args_of(args):
    """The `cairnlab.py bench` options history and bisect pass on."""
    out = []
    for attr, opt in BENCH_PASS:
        v = getattr(args, attr, None)
        if v is not None:
            out += [opt, str(v)]
    if args.no_kvm:
        out.append("--no-kvm")
    if args.no_user:
        out.append("--no-user")
    # One commit after another: a line per series, not the whole table
    # (`make compare` and `cairnlab.py show` have the numbers).
    out.append("--brief")
    return out


class KvmOnce:
    """The KVM probe of a history or bisect run, made once (with the
    repository's own build/kernel.elf: the probe asks whether this host's
    KVM works, whatever the commit) and passed to every commit's bench as
    --kvm-known; None when it cannot be made here (each bench probes)."""

    def __init__(self, args):
        self.args = args
        self.done = False
        self.value = None

    def answer(self):
        if self.done:
            return self.value
        self.done = True
        if self.args.no_kvm:
            return None
        kernel = os.path.join(self.args.repo, "build", "kernel.elf")
        workdir = os.path.join(self.args.repo, "build", "lab")
        os.makedirs(workdir, exist_ok=True)
        p = run_probe(kernel, workdir, self.args.qemu or qemu.QEMU_I386,
                      20.0)
        if not p.ok and "no kernel to probe with" in p.reason:
            return None
        self.value = "yes" if p.ok else "no"
        return self.value


def bench_command(args, tree, sha, root, kvm=None):
    """The `cairnlab.py bench` command history and bisect run in a
    commit's worktree."""
    cmd = [sys.executable, os.path.abspath(__file__), "--repo", tree,
           "bench", "--kernel", os.path.join(tree, "build", "kernel.elf"),
           "--commit", sha, "--results", root] + bench_args_of(args)
    if kvm and not args.no_kvm:
        cmd += ["--kvm-known", kvm]
    return cmd


def expected_keys(args):
    """(series, fingerprint, config) a bench with these options stores on
    this host: icount and the series asked for (kvm only when asked for,
    since the probe decides it)."""
    binary = args.qemu or qemu.QEMU_I386
    series = ["icount"] + [s.strip() for s in args.series.split(",")
                           if s.strip() and s.strip() != "icount"]
    if args.no_kvm:
        series = [s for s in series if s != "kvm"]
    keys = []
    for s in series:
        spec = qemu.Boot(append="", series=s, smp=args.smp, binary=binary,
                         cpu=args.cpu)
        fp = fingerprint.make(s, args.smp, binary)
        keys.append((s, fp, config_name(spec, args)))
    return keys


def history_steps(args, root):
    """build(tree) and bench(tree, sha) for history and bisect: make and
    this cairnlab.py, or the shell templates in CAIRNLAB_BUILD and
    CAIRNLAB_BENCH ({tree}, {commit}, {results}, {repo}) when set."""
    fields = {"results": root, "repo": args.repo}
    if os.environ.get("CAIRNLAB_BUILD"):
        step = history.shell_step(os.environ["CAIRNLAB_BUILD"], **fields)

        def build(tree):
            rc, text = step(tree)
            return rc == 0, text
    else:
        build = history.make_build(args.jobs, ("kernel",) if args.no_user
                                   else ("kernel", "user"))
    if os.environ.get("CAIRNLAB_BENCH"):
        bstep = history.shell_step(os.environ["CAIRNLAB_BENCH"], **fields)

        def bench(tree, sha):
            rc, text = bstep(tree, sha)
            for line in text.splitlines():
                say("    " + line)
            return rc
    else:
        kvm = KvmOnce(args)

        def bench(tree, sha):
            cmd = bench_command(args, tree, sha, root, kvm.answer())
            sys.stdout.flush()
            return subprocess.run(cmd).returncode
    return build, bench


def has_results_fn(root, keys):
    """has(sha): whether every (series, fingerprint, config) of keys has a
    result file for sha (icount: on any compatible machine)."""
    def has(sha):
        return all(results.find_result(root, s, fp, c, sha) is not None
                   for s, fp, c in keys)
    return has


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


# ------------------------------------------------------------ change points

def cmd_changepoints(args):
    root = results_root(args)
    order = history.commit_order(args.repo)
    series_map, _ = history.metric_series(args.repo, root, order)
    found = 0
    for group, metrics in series_map.items():
        rows, hints = [], []
        for metric, points in metrics.items():
            if args.metric and not metric.startswith(args.metric):
                continue
            for c in history.changes(group, metric, points):
                if not c.significant and not args.all:
                    continue
                kind = ("regression" if c.worse else "improvement") \
                    if c.significant else "small step"
                gap = c.gap(order)
                rows.append([metric, c.prev_sha[:12], c.sha[:12],
                             str(len(gap)),
                             "%s -> %s" % (fmt_num(c.old), fmt_num(c.new)),
                             compare.pct(c.rel), kind,
                             history.subject(args.repo, c.sha)])
                hint = c.bisect_hint(order)
                if hint:
                    hints.append("  %s: the step is in %s..%s (%d commit%s "
                                 "not measured): %s" % (
                                     metric, c.prev_sha[:12], c.sha[:12],
                                     len(gap), "" if len(gap) == 1 else "s",
                                     hint))
        if rows:
            found += len(rows)
            say("")
            say("%s, machine %s, config %s (%s)" % (
                group + ("exact steps, instructions per op"
                         if stats.is_exact(group[0]) else
                         "penalised step fit over boot medians",)))
            for line in compare.table(rows, ["metric", "last unchanged",
                                             "first changed", "unmeasured",
                                             "old -> new", "change", "",
                                             "subject of first changed"]):
                say(line)
            for line in hints:
                say(line)
    say("")
    say("%d change point%s" % (found, "" if found == 1 else "s") +
        ("" if args.all else " (icount steps under 1 instruction or 0.5% "
         "left out: --all shows them)"))
    return 0


# ------------------------------------------------------------------ bisect

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


# ------------------------------------------------------------------ report

def cmd_report(args):
    root = results_root(args)
    if not args.no_plot:
        try:
            plot.plot_all(args.repo, root, log=lambda s: None)
            say("plots written under %s" % compare.relpath(
                os.path.join(root, "plots"), args.repo))
        except RuntimeError as e:
            say("cairnlab report: no plots (%s)" % e)
    path = report.write(args.repo, root, args.out)
    say("report: %s" % compare.relpath(path, args.repo))
    return 0


# ------------------------------------------------------------------ dashboard

def cmd_dashboard(args):
    root = results_root(args)
    out = os.path.abspath(args.out or os.path.join(args.repo, "build",
                                                   "dashboard"))
    try:
        index = dashboard.write(args.repo, root, out, log=say)
    except RuntimeError as e:
        say("cairnlab dashboard: %s" % e)
        return EXIT_ERROR
    say("dashboard: file://%s" % index)
    return EXIT_OK


# ------------------------------------------------------------------ main

def add_gate_options(p):
    p.add_argument("--noise-gate", type=float, default=100 * stats.NOISE_GATE,
                   metavar="PCT",
                   help="real-time series: boot again when a metric's "
                   "within-boot relative MAD is over PCT%% "
                   "(default %(default)g; 0: off)")
    p.add_argument("--noise-reruns", type=int, default=stats.NOISE_RERUNS,
                   metavar="N", help="at most N extra boots (default "
                   "%(default)d)")
    p.add_argument("--canary-gate", type=float,
                   default=100 * results.CANARY_GATE, metavar="PCT",
                   help="real-time series: boot again when a boot's canary "
                   "median is over PCT%% off the run's (default "
                   "%(default)g; 0: off)")


def add_bench_options(p):
    """The bench options history and bisect pass on to each commit."""
    p.add_argument("--boots", type=int, help="boots per series")
    p.add_argument("--samples", type=int)
    p.add_argument("--warmup", type=int)
    p.add_argument("--only", metavar="PREFIX")
    p.add_argument("--smp", type=int, default=2)
    p.add_argument("--no-user", action="store_true")
    p.add_argument("--cpu")
    p.add_argument("--series", default="icount")
    p.add_argument("--no-kvm", action="store_true")
    p.add_argument("--timeout", type=float)
    p.add_argument("--qemu")
    p.add_argument("--jobs", type=int, help="make -j (default: CPUs)")
    p.add_argument("--results", metavar="DIR",
                   help="results directory (default <repo>/results)")
    add_gate_options(p)


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="cairnlab.py", description="Cairn's performance lab.")
    ap.add_argument("--repo", default=REPO, help="repository root")
    sub = ap.add_subparsers(dest="cmd", required=True)
    kernel_default = os.path.join(REPO, "build", "kernel.elf")

    b = sub.add_parser("bench", help="boot mode=bench, store and summarize")
    b.add_argument("--kernel", default=kernel_default)
    b.add_argument("--boots", type=int,
                   help="boots per series (default: 1 for icount, %d for "
                   "real-time series)" % REALTIME_BOOTS)
    b.add_argument("--samples", type=int, help="samples per metric")
    b.add_argument("--warmup", type=int, help="warm-up samples dropped")
    b.add_argument("--only", metavar="PREFIX",
                   help="only metrics whose name starts with PREFIX "
                   "(kernel word bench=PREFIX; stored under its own config)")
    b.add_argument("--smp", type=int, default=2,
                   help="vCPUs (default 2: cross-CPU IPC needs two; an "
                   "idle CPU adds no instructions under icount)")
    b.add_argument("--memory", type=int, default=128, metavar="MIB",
                   help="guest memory (default 128; above 192 VM reaches "
                   "most frames through its frame window, vm/frame.c)")
    b.add_argument("--no-user", action="store_true",
                   help="the kernel's benchmarks only (no VM, no ubench)")
    b.add_argument("--cpu", help="QEMU -cpu model for TCG series")
    b.add_argument("--series", default="icount",
                   help="comma list from icount,tcg,kvm; icount always "
                   "runs, kvm is added when the probe passes")
    b.add_argument("--no-kvm", action="store_true", help="skip the probe")
    b.add_argument("--kvm-known", choices=("yes", "no"),
                   help="skip the probe: its answer is known (history and "
                   "bisect probe once for all commits)")
    b.add_argument("--brief", action="store_true",
                   help="a line per series instead of the summary table")
    b.add_argument("--timeout", type=float, default=900.0,
                   help="seconds per boot (default 900)")
    b.add_argument("--probe-timeout", type=float, default=20.0)
    b.add_argument("--qemu", help="qemu-system-i386 to use")
    b.add_argument("--commit", metavar="SHA",
                   help="the commit the kernel was built from: must be the "
                   "--repo tree's HEAD (cleanliness is judged there too)")
    b.add_argument("--results", metavar="DIR",
                   help="store a clean tree's results here instead of "
                   "<repo>/results (how `history` keeps them in this repo)")
    add_gate_options(b)
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

    h = sub.add_parser("history", help="build and bench each commit of A..B")
    h.add_argument("range", metavar="A..B",
                   help="git range (A excluded; A^..B includes it) or one rev")
    add_bench_options(h)
    h.set_defaults(func=cmd_history)

    cp = sub.add_parser("changepoints", help="list change points per metric")
    cp.add_argument("--results", metavar="DIR")
    cp.add_argument("--metric", metavar="PREFIX")
    cp.add_argument("--all", action="store_true",
                    help="also icount steps under the threshold")
    cp.set_defaults(func=cmd_changepoints)

    bi = sub.add_parser("bisect", help="first commit where an icount "
                        "metric moved")
    bi.add_argument("metric")
    bi.add_argument("good", metavar="GOOD")
    bi.add_argument("bad", metavar="BAD")
    add_bench_options(bi)
    bi.set_defaults(func=cmd_bisect)

    rp = sub.add_parser("report", help="write results/report.md (and plots)")
    rp.add_argument("--results", metavar="DIR")
    rp.add_argument("--out", help="default <results>/report.md")
    rp.add_argument("--no-plot", action="store_true")
    rp.set_defaults(func=cmd_report)

    da = sub.add_parser("dashboard", help="a static HTML dashboard of the "
                        "results (build/dashboard/index.html)")
    da.add_argument("--results", metavar="DIR")
    da.add_argument("--out", help="default <repo>/build/dashboard")
    da.set_defaults(func=cmd_dashboard)

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
    except Exception:               # an error, never a "regression" (1)
        traceback.print_exc()
        print("cairnlab %s: internal error (exit status 2)" % args.cmd,
              file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
