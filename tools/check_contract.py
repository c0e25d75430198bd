#!/usr/bin/env python3
"""The kernel-VM contract is written once: fails if a name defined in one
of the contract headers is defined again anywhere else in the tree.

The contract headers hold what the kernel and VM must agree on (the
address-space split, VM's direct map, page-table entry bits, the page-fault
error code). A second `#define PTE_W` in vm/ or a `KERNEL_BASE = ...` in a
linker script or a Python tool would be a copy nothing keeps in step;
include the header (C, assembly) or read the value from the linked kernel
(the linker script's absolute KERNEL_BASE) instead.

    tools/check_contract.py [--repo DIR]

Prints `ok: N names, M files` or one line per copy, and exits 1 on any.
"""
import argparse
import os
import re
import subprocess
import sys

HEADERS = ("include/cairn/layout.h", "include/cairn/arch/i386/mmu.h")
# What a definition looks like, by file kind.
DEFINE_C = r"^\s*#\s*define\s+(%s)\b"
ASSIGN = r"^\s*(%s)\s*=[^=]"            # linker scripts, Python
KINDS = {".c": DEFINE_C, ".h": DEFINE_C, ".S": DEFINE_C, ".ld": ASSIGN,
         ".lds": ASSIGN, ".py": ASSIGN}


def contract_names(repo):
    names = set()
    for h in HEADERS:
        with open(os.path.join(repo, h)) as f:
            for m in re.finditer(r"^\s*#\s*define\s+(\w+)", f.read(), re.M):
                if not m.group(1).endswith("_H"):     # the include guard
                    names.add(m.group(1))
    return names


def tree_files(repo):
    """Tracked files and new ones not ignored (build directories are)."""
    out = subprocess.run(["git", "-C", repo, "ls-files", "--cached",
                          "--others", "--exclude-standard"], check=True,
                         capture_output=True, text=True).stdout
    return sorted(set(out.split()))


def copies(repo, names, files):
    alt = "|".join(sorted(names))
    found = []
    for rel in files:
        kind = KINDS.get(os.path.splitext(rel)[1])
        if kind is None or rel in HEADERS:
            continue
        path = os.path.join(repo, rel)
        if not os.path.isfile(path):
            continue                     # deleted in the work tree
        pat = re.compile(kind % alt, re.M)
        with open(path, errors="replace") as f:
            text = f.read()
        for m in pat.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            found.append("%s:%d: %s defined again (its one definition is in "
                         "%s)" % (rel, line, m.group(1), " or ".join(HEADERS)))
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", default=os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    a = ap.parse_args()
    names = contract_names(a.repo)
    files = tree_files(a.repo)
    found = copies(a.repo, names, files)
    for line in found:
        print("check_contract: " + line, file=sys.stderr)
    if found:
        return 1
    print("check_contract: ok: %d names, %d files" % (len(names), len(files)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
