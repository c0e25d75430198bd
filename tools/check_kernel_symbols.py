#!/usr/bin/env python3
"""Checks the linked kernel image's shape, run after every link.

- Every symbol of the high kernel lies at KERNEL_BASE or above (the
  linker script's absolute symbol, from include/cairn/layout.h).
- Every pre-init symbol is renamed __k_unpaged_* and lies below KERNEL_BASE,
  except the deliberate bridges the linker script defines.
- get_cpulocal_var() compiles to one %fs-relative load: the body of
  cpulocal_read_cpu_id is `mov %fs:OFF,%eax; ret`.
Exits non-zero with the offending symbols listed.
"""
import re
import subprocess
import sys

BRIDGES = {"__k_unpaged_kernel_high_entry", "__k_unpaged__kern_phys_end"}
ABSOLUTE = {"KERNEL_BASE"}


def symbols(elf):
    out = subprocess.run(["nm", elf], check=True, capture_output=True,
                         text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            yield int(parts[0], 16), parts[1], parts[2]


def check_layout(elf):
    problems = []
    syms = list(symbols(elf))
    base = [addr for addr, _, name in syms if name == "KERNEL_BASE"]
    if len(base) != 1:
        return ["no absolute symbol KERNEL_BASE (kernel.ld, layout.ld)"]
    kbase = base[0]
    for addr, kind, name in syms:
        if name in ABSOLUTE or name in BRIDGES:
            continue
        low = name.startswith("__k_unpaged_")
        if low and addr >= kbase:
            problems.append(f"pre-init symbol {name} at {addr:#010x} is high")
        if not low and addr < kbase:
            problems.append(f"kernel symbol {name} at {addr:#010x} is low "
                            "(not renamed __k_unpaged_?)")
    return problems


def check_cpulocal(elf):
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", "-M", "att",
                          "--disassemble=cpulocal_read_cpu_id", elf],
                         check=True, capture_output=True, text=True).stdout
    body = [l.split(":", 1)[1].strip() for l in out.splitlines()
            if re.match(r"^\s*f[0-9a-f]{7}:", l)]
    if len(body) == 2 and re.fullmatch(r"mov\s+%fs:0x[0-9a-f]+,%eax", body[0]) \
            and body[1].startswith("ret"):
        return [], body
    return ["cpulocal_read_cpu_id is not a single %fs load: " +
            " ; ".join(body)], body


def main():
    elf = sys.argv[1]
    problems = check_layout(elf)
    cl_problems, body = check_cpulocal(elf)
    problems += cl_problems
    if "-v" in sys.argv:
        print("get_cpulocal_var(cpu_id) compiles to: " + " ; ".join(body))
    for p in problems:
        print("check_kernel_symbols: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
