#!/usr/bin/env python3
"""Stands in for qemu-system-i386 in the lab's own tests: understands the
options the lab passes, writes a fake serial log with fakelog.py and exits
like the kernel would through isa-debug-exit.  FAKE_QEMU_NOISE=1 makes
bench numbers vary from run to run (like plain TCG)."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fakelog  # noqa: E402


def opt(args, name, default=None):
    return args[args.index(name) + 1] if name in args else default


def main():
    args = sys.argv[1:]
    if "--version" in args:
        print("QEMU emulator version 7.2.99 (fake)")
        return 0
    if opt(args, "-machine") == "none":
        time.sleep(30)              # option check: "still running" = accepted
        return 0
    if opt(args, "-accel") == "kvm":
        print("KVM internal error. Suberror: 1\nemulation failure",
              file=sys.stderr)
        return 1
    serial = opt(args, "-serial", "")
    log = serial[len("file:"):]
    append = opt(args, "-append", "")
    mode = dict(w.split("=", 1) for w in append.split() if "=" in w).get("mode")
    cpus = int(opt(args, "-smp", "1"))
    if mode == "bench":
        samples = 20
        for w in append.split():
            if w.startswith("samples="):
                samples = int(w[8:])
        noise = os.environ.get("FAKE_QEMU_NOISE") == "1"
        fakelog.write(log, fakelog.bench_lines(
            samples, noise, seed=time.time_ns() if noise else 1))
        return 1
    if mode == "test":
        fakelog.write(log, fakelog.test_lines(cpus))
        return 1
    if mode == "fault":
        fakelog.write(log, fakelog.fault_lines(cpus))
        return 5
    return 5


if __name__ == "__main__":
    sys.exit(main())
