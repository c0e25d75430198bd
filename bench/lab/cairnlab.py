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

    cairnlab.py netboot --dest DIR [--kind bench|test] [--build build]
    cairnlab.py collect --log FILE --machine NAME [--lava] [--host-cpu TEXT]
    cairnlab.py lava-job --dest-url URL [--kind bench|test] [-o job.yaml]
    cairnlab.py lava-check job.yaml
    cairnlab.py peer bench|ratios|fetch [options]
    cairnlab.py fuzz --build build --seed N --calls N [options]

The one entry point of the lab: every command is a module of
bench/lab/cairn/commands/ (`cairnlab.py COMMAND --help`).  Formats and
layout: BENCHMARKS.md.  Python 3 standard library only.
"""

import sys

sys.dont_write_bytecode = True   # no __pycache__ in the work tree

from cairn.cli import main  # noqa: E402  (bench/lab is this script's path)

if __name__ == "__main__":
    sys.exit(main())
