#!/usr/bin/env python3
"""Prints the QEMU -initrd argument for a user-space boot (test, bench,
vmtest), as the lab builds it (bench/lab/cairn/bootimage.py), for
`make run/debug`."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "bench", "lab"))
from cairn import bootimage  # noqa: E402

kind, build = sys.argv[1], sys.argv[2]
mods = {"test": bootimage.test_modules, "bench": bootimage.bench_modules,
        "vmtest": bootimage.vmtest_modules,
        "bigmem": bootimage.vmtest_bigmem_modules,
        "lowmem": bootimage.vmtest_lowmem_modules,
        "hostile": bootimage.hostile_modules,
        "rs": bootimage.rstest_modules}[kind](build)
print(",".join(m.replace(",", ",,") for m in mods))
