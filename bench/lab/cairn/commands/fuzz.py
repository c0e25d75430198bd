"""`make fuzz`: random calls by ordinary processes until something breaks.

    python3 bench/lab/cairnlab.py fuzz --build build --seed 1 --calls 1000000 \\
        [--smp 2] [--procs 3] [--chunk 2000000] [--series icount|tcg] \\
        [--silence 60] [--record results/fuzz/runs.tsv]

Boots the fuzzer (tests/user/fuzz.c) with VM and PM: its driver spawns
--procs workers, ordinary processes that make random calls (every entry
style, random EFLAGS, FPU and SSE contents, messages, targets, addresses),
fork children that fuzz too (some of them "wild": anything goes, only the
kernel's and the servers' survival is checked) and spawn more workers.
At the end the driver checks that VM's free page count is back where it
was.

The calls are split into boots of at most --chunk calls; boot i uses the
seed SEED + 16*i (the driver's workers take the seeds seed, seed+1, ...).
A boot fails on a kernel panic, a worker that saw a wrong answer or died,
lost pages, a wrong exit, or a hang: no new console output for --silence
seconds (the watchdog), or the whole boot over its time limit.  A failure
stops the run and prints the command that replays that boot: under the
icount series (the default) a boot is deterministic, so the replay takes
the same path; the console line of a failed worker names its seed and
call number.  A replay with --trace N (TRACE=N) prints every call from
call N on; the printing itself changes the timing, so with more than one
CPU or worker the traced run may take another path than the failed one.

--record appends one line per run to a TSV file (results/fuzz/runs.tsv):
date, commit, machine, seed, calls, smp, procs, series, seconds, outcome;
the machine's description goes to results/machines/<machine>.txt.
The exit status is 0 when every boot passed.
"""

import os
import re
import time

from .. import bootimage, fingerprint, qemu, results
from ..console import REPO

SEED_STRIDE = 16            # a boot's workers use seeds seed..seed+procs-1
MAX_PROCS = 16
RUNS_COLUMNS = ("date", "commit", "machine", "seed", "calls", "smp", "procs",
                "series", "seconds", "outcome")
# A worker's console lines (other processes' output may carry a prefix).
PROGRESS_RE = re.compile(r"fuzz: seed (\d+): (\d+) calls")
FAILED_RE = re.compile(r"fuzz: seed \d+.* failed at call \d+:")


class Silent(Exception):
    """The guest printed nothing for too long: the watchdog fired."""


def say(line):
    print(line, flush=True)


class Watch:
    """The progress callback of one boot: fires the watchdog on silence,
    and says every 15 s how many calls the workers have reported."""

    def __init__(self, log_path, silence, label, tell=say):
        self.log_path, self.silence, self.label = log_path, silence, label
        self.tell = tell
        self.size, self.quiet_since, self.told = -1, 0.0, 0.0
        self.done_calls = 0

    def calls_so_far(self):
        per_seed = {}
        try:
            with open(self.log_path, "rb") as f:
                for raw in f:
                    m = PROGRESS_RE.search(raw.decode("latin-1"))
                    if m:
                        per_seed[m.group(1)] = int(m.group(2))
        except OSError:
            pass
        return sum(per_seed.values())

    def __call__(self, elapsed):
        try:
            size = os.path.getsize(self.log_path)
        except OSError:
            size = 0
        if size != self.size:
            self.size, self.quiet_since = size, elapsed
        elif elapsed - self.quiet_since >= self.silence:
            raise Silent("no console output for %.0f s" % self.silence)
        if elapsed - self.told >= 15:
            self.told = elapsed
            self.tell("%s: %.0f s, about %d calls so far" % (
                self.label, elapsed, self.calls_so_far()))


def boot_once(a, seed, calls, timeout, logdir, label):
    """One boot; returns (ok, outcome, details, seconds)."""
    mods = bootimage.fuzz_modules(a.build, seed, calls, a.procs,
                                  ("trace=%d" % a.trace,) if a.trace >= 0
                                  else ())
    missing = bootimage.missing(mods)
    if missing:
        return False, "error", ["not built: %s (run make)" %
                                ", ".join(missing)], 0.0
    spec = qemu.Boot(append="mode=test", kernel=a.kernel, series=a.series,
                     smp=a.smp, memory=a.memory, binary=a.qemu,
                     tcg_threads="single" if a.series == "tcg" else None,
                     modules=mods)
    log_path = os.path.join(logdir, "fuzz-seed%d-smp%d.log" % (seed, a.smp))
    cmd = qemu.build_command(spec, log_path)
    with open(log_path + ".cmd", "w") as f:
        f.write(qemu.format_command(cmd) + "\n")
    watch = Watch(log_path, a.silence, label)
    start = time.monotonic()
    try:
        res = qemu.run(cmd, log_path, timeout, progress=watch)
    except Silent as e:
        return False, "hang", [str(e), "log: %s" % log_path] + \
            tail(log_path), time.monotonic() - start
    log = res.log()
    problems = []
    panic = log.first("panic")
    if panic is not None:
        problems.append("kernel panic: %s" % panic.text("msg"))
    if res.timed_out:
        problems.append("timed out after %.0f s" % timeout)
    elif panic is None and res.status != qemu.EXIT_SUCCESS:
        problems.append("QEMU exit %s" % qemu.describe_exit(res.status))
    tests = log.of_type("test")
    for t in tests:
        if t.get("result") != "pass":
            problems.append("%s: %s" % (t.text("name"), t.text("detail")
                                        if t.has("detail") else "failed"))
    names = [t.text("name") for t in tests]
    if "fuzz.free_pages" not in names and not problems:
        problems.append("the driver never reported (no fuzz.free_pages)")
    done = log.last("done")
    if done is None and not problems:
        problems.append("no done record")
    failures = [l.strip() for l in log.lines if FAILED_RE.search(l)]
    if problems:
        outcome = "panic" if panic is not None else \
            "timeout" if res.timed_out else "fail"
        return False, outcome, problems + failures[:5] + \
            ["log: %s" % log_path], res.seconds
    return True, "pass", [], res.seconds


def tail(path, n=5):
    try:
        with open(path, "rb") as f:
            f.seek(max(0, os.path.getsize(path) - 2000))
            lines = f.read().decode("latin-1").splitlines()
    except OSError:
        return []
    return ["  | " + l for l in lines[-n:]]


def replay_command(a, seed, calls):
    cmd = "make fuzz SEED=%d CALLS=%d SMP=%d PROCS=%d" % (
        seed, calls, a.smp, a.procs)
    if a.series != "icount":
        cmd += " SERIES=%s" % a.series
    if a.memory != 128:
        cmd += " MEM=%d" % a.memory
    return cmd


def record(a, outcome, seconds):
    path = a.record
    src_commit = results.head_commit(REPO) or "unknown"
    if results.dirty_paths(REPO):
        src_commit += "+dirty"
    fp = fingerprint.make(a.series, a.smp, a.qemu)
    row = (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), src_commit,
           fingerprint.machine_id(fp), str(a.seed), str(a.calls), str(a.smp),
           str(a.procs), a.series, "%.0f" % seconds, outcome)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    # The machine's description beside the benchmarks' (results/machines).
    machines = os.path.join(os.path.dirname(os.path.dirname(
        os.path.abspath(path))), "machines")
    desc = os.path.join(machines, fingerprint.machine_id(fp) + ".txt")
    if not os.path.exists(desc):
        os.makedirs(machines, exist_ok=True)
        with open(desc, "w") as f:
            f.write(fingerprint.to_text(fp))
    new = not os.path.exists(path)
    with open(path, "a") as f:
        if new:
            f.write("\t".join(RUNS_COLUMNS) + "\n")
        f.write("\t".join(row) + "\n")


def usage(text):
    say("cairnlab fuzz: " + text)
    return 2


def cmd_fuzz(a):
    if not 1 <= a.procs <= MAX_PROCS:
        return usage("--procs must be 1..%d" % MAX_PROCS)
    if a.calls < 1 or a.chunk < 1 or a.smp < 1 or a.seed < 0:
        return usage("--calls, --chunk and --smp must be positive, --seed "
                     ">= 0")
    a.build = os.path.abspath(a.build)
    a.kernel = os.path.abspath(a.kernel or os.path.join(a.build,
                                                        "kernel.elf"))
    if not os.path.exists(a.kernel):
        return usage("no kernel at %s (run make)" % a.kernel)
    logdir = os.path.join(a.build, "fuzz")
    os.makedirs(logdir, exist_ok=True)

    boots = (a.calls + a.chunk - 1) // a.chunk
    say("fuzz: seed %d, %d calls at -smp %d, %d workers, %s series, "
        "%d boot%s of at most %d calls; watchdog %.0f s of silence" % (
            a.seed, a.calls, a.smp, a.procs, a.series, boots,
            "" if boots == 1 else "s", a.chunk, a.silence))
    started = time.monotonic()
    left, made, outcome = a.calls, 0, "pass"
    for i in range(boots):
        seed = a.seed + SEED_STRIDE * i
        calls = min(a.chunk, left)
        left -= calls
        timeout = a.timeout if a.timeout is not None else \
            60.0 + calls / 2000.0
        label = "fuzz boot %d/%d (seed %d, %d calls)" % (i + 1, boots, seed,
                                                           calls)
        say("%s: booting" % label)
        ok, outcome, details, secs = boot_once(a, seed, calls, timeout,
                                               logdir, label)
        if not ok:
            say("FAIL %s: %s after %.0f s" % (label, outcome, secs))
            for d in details:
                say("  " + d)
            say("replay: %s" % replay_command(a, seed, calls))
            outcome = "%s at seed %d" % (outcome, seed)
            break
        made += calls
        say("PASS %s in %.0f s (%.0f calls/s)" % (label, secs,
                                                   calls / max(secs, 0.001)))
    total = time.monotonic() - started
    say("fuzz: %s; %d of %d calls in boots that passed, %.0f s" % (
        outcome, made, a.calls, total))
    if a.record:
        record(a, outcome, total)
        say("recorded in %s" % a.record)
    return 0 if outcome == "pass" else 1


def register(sub):
    ap = sub.add_parser("fuzz", help="random calls by ordinary processes "
                        "until something breaks (make fuzz)")
    ap.add_argument("--build", default="build")
    ap.add_argument("--kernel", help="default <build>/kernel.elf")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--calls", type=int, default=1000000)
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--procs", type=int, default=3,
                    help="workers the driver spawns (1..%d)" % MAX_PROCS)
    ap.add_argument("--chunk", type=int, default=2000000,
                    help="at most this many calls per boot")
    ap.add_argument("--memory", type=int, default=128, help="MiB")
    ap.add_argument("--series", choices=("icount", "tcg"), default="icount",
                    help="icount (deterministic, replayable; default) or tcg")
    ap.add_argument("--silence", type=float, default=60.0,
                    help="watchdog: seconds without console output")
    ap.add_argument("--timeout", type=float, default=None,
                    help="seconds per boot (default: 60 + 1 s per 2000 "
                    "calls)")
    ap.add_argument("--trace", type=int, default=-1,
                    help="workers print every call from this call number on")
    ap.add_argument("--record", help="append the run's outcome to this TSV")
    ap.add_argument("--qemu", default=qemu.QEMU_I386)
    ap.set_defaults(func=cmd_fuzz)
