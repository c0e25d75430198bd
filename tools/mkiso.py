#!/usr/bin/env python3
"""`make iso`: a bootable CD image with GRUB (grub-mkrescue, BIOS) that
holds the kernel, every user program and a menu with one entry per boot
kind.  The module lists are bootimage.py's, the ones QEMU boots with
-initrd, with the files under /boot/ instead of the build directory.

    python3 tools/mkiso.py --build build -o build/cairn.iso [--timeout 1]

GRUB's `multiboot FILE ARGS` and `module FILE ARGS` pass only ARGS as the
command line (QEMU and iPXE put the file's name first); the kernel and VM
take a first word without `=` as the image's name either way
(kernel/cmdline.c, include/cairn/cmdline_words.h).

The default entry (0) is the test boot: `make test` boots this image with
-cdrom and checks the whole run (tests/run.py, unit grub.smp2).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "bench", "lab"))
from cairn import bootimage  # noqa: E402

INSTALL = ("apt-get install grub-pc-bin grub-common xorriso mtools")

# (title, kernel arguments, module list function) in menu order: the
# first is the default.
ENTRIES = (
    ("Cairn test boot (mode=test: kernel self-tests, then utest)",
     "mode=test", bootimage.test_modules),
    ("Cairn benchmarks (mode=bench, ubench)", "mode=bench",
     bootimage.bench_modules),
    ("Cairn VM and PM tests (mode=test, vmtest; 64 MiB is enough)",
     "mode=test", bootimage.vmtest_modules),
    ("Cairn hostile suite (mode=test, hostile)", "mode=test",
     bootimage.hostile_modules),
)


class IsoError(Exception):
    pass


def grub_cfg(build, timeout):
    """grub.cfg text, and the files it names: {name on the CD: source}."""
    files = {"kernel.elf": os.path.join(build, "kernel.elf")}
    lines = ["# Cairn boot menu, written by tools/mkiso.py.",
             "set timeout=%d" % timeout, "set default=0", ""]
    for title, args, mods in ENTRIES:
        lines.append("menuentry '%s' {" % title)
        lines.append("\tmultiboot /boot/kernel.elf %s" % args)
        for m in mods(build):
            path, _, words = m.partition(" ")
            name = os.path.basename(path)
            if files.setdefault(name, path) != path:
                raise IsoError("two modules called %s" % name)
            lines.append("\tmodule /boot/%s %s" % (name, words))
        lines.append("\tboot")
        lines.append("}")
    return "\n".join(lines) + "\n", files


def build_iso(build, out, timeout=1):
    tool = shutil.which("grub-mkrescue")
    if tool is None:
        raise IsoError("grub-mkrescue not found: %s" % INSTALL)
    if not os.path.isdir("/usr/lib/grub/i386-pc"):
        raise IsoError("GRUB's BIOS modules (/usr/lib/grub/i386-pc) are "
                       "missing: %s" % INSTALL)
    cfg, files = grub_cfg(build, timeout)
    missing = [p for p in files.values() if not os.path.exists(p)]
    if missing:
        raise IsoError("not built: %s (make)" % ", ".join(missing))
    tmp = tempfile.mkdtemp(prefix="cairn-iso-")
    try:
        boot = os.path.join(tmp, "boot")
        os.makedirs(os.path.join(boot, "grub"))
        for name, src in files.items():
            shutil.copyfile(src, os.path.join(boot, name))
        with open(os.path.join(boot, "grub", "grub.cfg"), "w") as f:
            f.write(cfg)
        p = subprocess.run([tool, "-o", out + ".tmp", tmp],
                           capture_output=True, text=True, errors="replace")
        if p.returncode != 0:
            tail = " / ".join((p.stderr or p.stdout).strip()
                              .splitlines()[-3:])
            if "xorriso" in tail or "mformat" in tail:
                tail += " (%s)" % INSTALL
            raise IsoError("grub-mkrescue exit %d: %s" % (p.returncode, tail))
        os.replace(out + ".tmp", out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("-o", "--output", default=None)
    ap.add_argument("--timeout", type=int, default=1,
                    help="GRUB menu timeout in seconds (default 1)")
    a = ap.parse_args()
    out = a.output or os.path.join(a.build, "cairn.iso")
    try:
        build_iso(a.build, out, a.timeout)
    except IsoError as e:
        print("mkiso: %s" % e, file=sys.stderr)
        return 1
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
