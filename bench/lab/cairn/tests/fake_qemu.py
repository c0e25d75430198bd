#!/usr/bin/env python3
"""Stands in for qemu-system-i386 in the lab's own tests: understands the
options the lab passes, writes a fake serial log with fakelog.py and exits
like the kernel would through isa-debug-exit.  FAKE_QEMU_NOISE=1 makes
bench numbers vary from run to run (like plain TCG).

More behaviour for the bench method's tests (tests/test_bench_method.py),
all off unless set:

    FAKE_QEMU_BREAK=<kind>[:<n>|:all][:<accel>]
        break the first n bench boots (default 1; "all": every one) of
        this run, counted in FAKE_QEMU_COUNTER; with an accel (icount,
        tcg, kvm), the first n boots of that one.  kind: garble (a bench
        record with a bad checksum), no-benchend (a metric cut short),
        no-done (no done record), exit (QEMU exits 5 after a panic
        record), hang (sleeps until killed: a timeout)
    FAKE_QEMU_CANARY=<v>[,<v>...]
        bench boots also send the canary metric canary.loop with a per-op
        value of v: under icount always the first, exactly; otherwise the
        k-th boot of its accel the k-th value (the last one after that),
        with 0.2% of noise
    FAKE_QEMU_COUNTER=<file>
        where bench boots are counted (default fake_qemu.count beside the
        serial log)
    FAKE_QEMU_KVM=1
        -accel kvm works: the probe boot passes, bench boots run
    FAKE_QEMU_THREADS=1
        with -name ...,debug-threads=on, start threads named like QEMU's
        vCPU threads ('CPU <n>/TCG' or 'CPU <n>/KVM') and live a second
        longer, so that they can be pinned
"""

import os
import random
import sys
import threading
import time

from cairn.records import make_record
from cairn.tests import fakelog


def opt(args, name, default=None):
    return args[args.index(name) + 1] if name in args else default


def bench_count(log, accel):
    """This bench boot's number (0 first) in the run, and its number among
    the boots of its accel, from the counter files."""
    path = os.environ.get("FAKE_QEMU_COUNTER") or os.path.join(
        os.path.dirname(os.path.abspath(log)), "fake_qemu.count")
    out = []
    for p in (path, path + "." + accel):
        try:
            with open(p) as f:
                n = int(f.read() or 0)
        except OSError:
            n = 0
        with open(p, "w") as f:
            f.write(str(n + 1))
        out.append(n)
    return out


def broken(n, n_accel, accel):
    """The kind of breakage of bench boot n, or None."""
    spec = os.environ.get("FAKE_QEMU_BREAK")
    if not spec:
        return None
    kind, count, only = (spec.split(":") + ["", ""])[:3]
    if only:
        if only != accel:
            return None
        n = n_accel
    if count == "all" or n < int(count or 1):
        return kind
    return None


def canary_lines(n, noise, rng):
    values = [float(v) for v in os.environ["FAKE_QEMU_CANARY"].split(",")]
    base = values[min(n, len(values) - 1) if noise else 0]
    lines = [make_record("benchinfo", name="canary.loop", unit="tsc",
                         batch=1, desc="fixed%20loop")]
    raws = [int(round(base * (1 + (rng.uniform(-0.002, 0.002)
                                   if noise else 0)))) + 40
            for _ in range(8)]
    lines.append(make_record("bench", name="canary.loop", seq=0, overhead=40,
                             raw=",".join(map(str, raws))))
    lines.append(make_record("benchend", name="canary.loop", samples=8,
                             records=1, warmup=4))
    return lines


def start_vcpu_threads(cpus, accel):
    """Threads named like QEMU's vCPU threads (a thread may rename itself
    through /proc/self/task/<tid>/comm)."""
    ready = []

    def vcpu(i):
        tid = threading.get_native_id()
        with open("/proc/self/task/%d/comm" % tid, "w") as f:
            f.write("CPU %d/%s" % (i, accel))
        ready.append(i)
        time.sleep(30)

    for i in range(cpus):
        threading.Thread(target=vcpu, args=(i,), daemon=True).start()
    while len(ready) < cpus:
        time.sleep(0.01)


def bench(args, log, append, accel):
    samples = 20
    for w in append.split():
        if w.startswith("samples="):
            samples = int(w[8:])
    noise = os.environ.get("FAKE_QEMU_NOISE") == "1"
    extra = os.environ.get("FAKE_QEMU_CANARY") or \
        os.environ.get("FAKE_QEMU_BREAK")
    if not extra:
        fakelog.write(log, fakelog.bench_lines(
            samples, noise, seed=time.time_ns() if noise else 1))
        return 1
    n, n_accel = bench_count(log, accel)
    lines = fakelog.bench_lines(samples, noise,
                                seed=time.time_ns() if noise else 1)
    done = lines.pop()
    if os.environ.get("FAKE_QEMU_CANARY"):
        lines += canary_lines(n_accel, accel != "icount",
                              random.Random(time.time_ns()))
    lines.append(done)
    kind = broken(n, n_accel, accel)
    status = 1
    if kind == "garble":
        i = next(i for i, l in enumerate(lines)
                 if l.startswith("CAIRN bench "))
        lines[i] = lines[i].replace("raw=", "raw=9", 1)
    elif kind == "no-benchend":
        lines.remove(next(l for l in lines
                          if l.startswith("CAIRN benchend ")))
    elif kind == "no-done":
        lines.pop()
    elif kind == "exit":
        lines = lines[:6] + [make_record("panic", cpu=0, msg="fake%20panic")]
        status = 5
    elif kind == "hang":
        fakelog.write(log, lines[:4])
        time.sleep(3600)
    fakelog.write(log, lines)
    return status


def main():
    args = sys.argv[1:]
    if "--version" in args:
        print("QEMU emulator version 7.2.99 (fake)")
        return 0
    if opt(args, "-machine") == "none":
        time.sleep(30)              # option check: "still running" = accepted
        return 0
    accel = opt(args, "-accel", "tcg").split(",")[0]
    if accel == "kvm" and os.environ.get("FAKE_QEMU_KVM") != "1":
        print("KVM internal error. Suberror: 1\nemulation failure",
              file=sys.stderr)
        return 1
    if "-icount" in args:
        accel = "icount"
    serial = opt(args, "-serial", "")
    log = serial[len("file:"):]
    append = opt(args, "-append", "")
    mode = dict(w.split("=", 1) for w in append.split() if "=" in w).get("mode")
    cpus = int(opt(args, "-smp", "1"))
    threads = os.environ.get("FAKE_QEMU_THREADS") == "1" and \
        "debug-threads=on" in opt(args, "-name", "")
    if threads:
        start_vcpu_threads(cpus, "KVM" if accel == "kvm" else "TCG")
    status = 5
    if mode == "probe" and accel == "kvm":
        fakelog.write(log, fakelog.preamble("probe", cpus) +
                      [make_record("probe", result="ok")])
        status = 1
    elif mode == "bench":
        status = bench(args, log, append, accel)
    elif mode == "test":
        fakelog.write(log, fakelog.test_lines(cpus))
        status = 1
    elif mode == "fault":
        fakelog.write(log, fakelog.fault_lines(cpus))
        status = 5
    if threads:
        time.sleep(1.0)             # long enough to be found and pinned
    return status


if __name__ == "__main__":
    sys.exit(main())
