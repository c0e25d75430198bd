#!/usr/bin/env python3
"""Captures the ACPI tables QEMU gives the kernel, as host-test fixtures.

Boots the kernel with mode=acpidump at -smp 1, 2, 4 and 8 and keeps the
`CAIRN acpi` records of each boot in tests/fixtures/qemu-smpN.acpi, exactly
as the kernel sent them (checksums included). tests/host/test_acpi.c parses
them with the same code the kernel runs.

Then the same with -no-acpi, where SeaBIOS's MP table is all there is:
-smp 4 (one package of 4 cores: the table lists its first CPU only) in
qemu-noacpi-smp4.acpi and -smp 4,sockets=4 (four packages, all listed) in
qemu-noacpi-smp4-sockets4.acpi, for the MP table tests in test_acpi.c.
"""
import argparse
import os
import subprocess
import sys
import tempfile


def capture(kernel, smp, qemu, extra=()):
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "serial.log")
        cmd = [qemu, "-kernel", kernel, "-append", "mode=acpidump quiet",
               "-smp", str(smp), "-m", "128", "-accel", "tcg,thread=single",
               "-display", "none", "-no-reboot", "-nodefaults",
               "-serial", "file:" + log,
               "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"] + \
            list(extra)
        status = subprocess.run(cmd, timeout=60).returncode
        with open(log, errors="replace") as f:
            lines = [l.rstrip("\r\n") for l in f if l.startswith("CAIRN acpi ")]
    if status != 1 or not lines:
        sys.exit(f"capture at -smp {smp} failed: exit {status}, "
                 f"{len(lines)} acpi records")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", default="build/kernel.elf")
    ap.add_argument("--out", default="tests/fixtures")
    ap.add_argument("--qemu", default="qemu-system-i386")
    args = ap.parse_args()
    version = subprocess.run([args.qemu, "--version"], capture_output=True,
                             text=True).stdout.splitlines()[0]
    os.makedirs(args.out, exist_ok=True)
    for smp in (1, 2, 4, 8):
        lines = capture(args.kernel, smp, args.qemu)
        path = os.path.join(args.out, f"qemu-smp{smp}.acpi")
        with open(path, "w") as f:
            f.write(f"# ACPI tables from {version}, -smp {smp} -m 128, "
                    "captured by tools/capture_fixtures.py\n")
            f.write("\n".join(lines) + "\n")
        print(f"{path}: {len(lines)} records")
    for name, smp in (("qemu-noacpi-smp4", "4"),
                      ("qemu-noacpi-smp4-sockets4", "4,sockets=4")):
        lines = capture(args.kernel, smp, args.qemu, ["-no-acpi"])
        path = os.path.join(args.out, name + ".acpi")
        with open(path, "w") as f:
            f.write(f"# MP table from {version}, -smp {smp} -m 128 -no-acpi, "
                    "captured by tools/capture_fixtures.py\n")
            f.write("\n".join(lines) + "\n")
        print(f"{path}: {len(lines)} records")


if __name__ == "__main__":
    main()
