#!/usr/bin/env python3
"""Fake serial logs with correctly checksummed records, for testing the lab
without a kernel.

    fakelog.py bench OUT [--samples N] [--noise]   a mode=bench boot
    fakelog.py test OUT [--cpus N]                 a mode=test boot
    fakelog.py fault OUT                           a mode=fault quiet boot

fake_qemu.py uses the same functions to stand in for QEMU.
"""

import argparse
import random

from cairn.records import make_record, pct_encode

METRICS = (("ipc.sendrec", "ticks", 1, 2100, "SENDREC round trip"),
           ("trap.int", "ticks", 16, 950, "int $0x30 null kernel call"),
           ("cpulocal.read", "ticks", 1000, 1400, "cpu-local load, x1000"))


def preamble(mode, cpus=1):
    return ["SeaBIOS (fake)",
            "cairn: booting",
            make_record("hello", v=1, mode=mode, cpus=cpus),
            make_record("clock", tsc_khz=1000000, lapic_khz=1000000,
                        source="pit")]


def bench_lines(samples=20, noise=False, per_record=8, seed=1,
                metrics=METRICS):
    """metrics: (name, unit, batch, per-op figure, desc) tuples."""
    rng = random.Random(seed)
    lines = preamble("bench")
    for name, unit, batch, base, desc in metrics:
        lines.append(make_record("benchinfo", name=name, unit=unit,
                                 batch=batch, desc=pct_encode(desc)))
        overhead = 40
        raws = []
        for i in range(samples):
            jitter = rng.randint(0, base // 10) if noise else (i % 3)
            raws.append(base * batch + overhead + jitter)
        nrec = 0
        for k in range(0, samples, per_record):
            lines.append(make_record(
                "bench", name=name, seq=nrec, overhead=overhead,
                raw=",".join(str(r) for r in raws[k:k + per_record])))
            nrec += 1
        lines.append(make_record("benchend", name=name, samples=samples,
                                 records=nrec, warmup=4))
    lines.append(make_record("done", mode="bench", tests=0, failed=0))
    return lines


def test_lines(cpus=1, cmdline="mode=test", modules=()):
    """modules: (size, crc hex, str) tuples."""
    lines = preamble("test", cpus)
    lines.append(make_record("cmdline", str=pct_encode(cmdline)))
    for i, (size, crc, s) in enumerate(modules):
        lines.append(make_record("module", idx=i, size=size, crc=crc,
                                 str=pct_encode(s)))
    names = ["crc32.known", "format.basic", "smp.online"] + \
        ["cpulocal.cpu%d" % i for i in range(cpus)]
    for n in names:
        lines.append(make_record("test", name=n, result="pass",
                                 detail=pct_encode("ok")))
    lines.append(make_record("done", mode="test", tests=len(names), failed=0))
    return lines


def fault_lines(cpus=2):
    lines = preamble("fault", cpus)
    lines.remove("cairn: booting")        # quiet: only panic flushes it
    lines += ["cairn: booting",
              "cpu0: page fault at eip=0xf0101234 cr2=0xdead0000 err=0x2",
              "stack trace: 0xf0101234 0xf0100abc",
              make_record("panic", cpu=0, msg=pct_encode("page fault in kernel"))]
    return lines


def write(path, lines):
    with open(path, "w", encoding="latin-1", newline="") as f:
        f.write("".join(l + "\r\n" for l in lines))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=("bench", "test", "fault"))
    ap.add_argument("out")
    ap.add_argument("--samples", type=int, default=20)
    ap.add_argument("--noise", action="store_true")
    ap.add_argument("--cpus", type=int, default=1)
    a = ap.parse_args()
    if a.kind == "bench":
        write(a.out, bench_lines(a.samples, a.noise))
    elif a.kind == "test":
        write(a.out, test_lines(a.cpus))
    else:
        write(a.out, fault_lines(a.cpus))


if __name__ == "__main__":
    main()
