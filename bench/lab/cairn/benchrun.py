"""The boots of one `bench` run: attempts and retries, the noise gate
and the canary gate of real-time series, the icount canary and repeat
checks, and storing each boot (BENCHMARKS.md, "How a bench run works")."""

import os
import sys
from dataclasses import dataclass, field

from . import compare, hostenv, qemu, records, results, stats
from .console import loud, say

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
