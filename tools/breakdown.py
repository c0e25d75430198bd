#!/usr/bin/env python3
"""Where the instructions of one benchmark operation go.

Boots the benchmark image under QEMU's icount mode with gdb attached,
stops at one sample of a user-space benchmark (after warm-up), single-steps
through the whole sample and charges every instruction to the function it
belongs to (kernel, VM or the benchmark program). Under icount the TSC
counts these same instructions, so the table adds up to the benchmark's
own figure (plus the timer reads around the batch). Output: instructions
per operation by function, largest first, and by part of the system; for
the page faults (fault: vm.pagefault.anon, cow: vm.pagefault.cow,
nopool: vm.pagefault.anon.nopool) also by phase of the fault path (bench/lab/cairn/breakdown.py says which
function goes where; --sequence prints the path function by function).

    tools/breakdown.py sendrec|null|fault|cow|nopool|refill|mmap|notify|
        deliver|cowcopy|cowcopy_to [--build build]
        [--sequence]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "bench", "lab"))
from cairn import bootimage  # noqa: E402
from cairn import breakdown as phases  # noqa: E402

# benchmark -> (sample function in ubench, operations per sample)
OPS = {
    "null": ("null_call", 64),
    "sendrec": ("sendrec", 16),
    "replyrecv": ("sendrec_rr", 16),
    "notify": ("notify_latency", 1),
    "deliver": ("deliver_unloaded", 1),
    "fault": ("anon_fault", 1),
    "cow": ("cow_fault", 1),
    "nopool": ("nopool_touch", 1),
    "refill": ("pool_fill_timed", 16),
    "mmap": ("mmap_munmap", 16),
    "fork": ("fork_exit_wait", 1),
    # grant.safecopy.cow.64k: the library call the sample times (the
    # sample function also writes the destination, outside its timing).
    "cowcopy": ("vm_cowcopy", 1, "grant.safecopy.cow.64k"),
    "cowcopy_to": ("vm_cowcopy_to", 1, "grant.safecopy.cow_to.64k"),
}
# The operations whose path is a page fault served by VM: tables by phase.
FAULT_OPS = ("fault", "cow", "nopool")


def kernel_base(kernel):
    """The kernel's KERNEL_BASE: the linker script's absolute symbol
    (include/cairn/layout.h through layout.ld), not a copy here."""
    out = subprocess.run(["nm", kernel], check=True, capture_output=True,
                         text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "KERNEL_BASE":
            return int(parts[0], 16)
    sys.exit("breakdown: %s has no KERNEL_BASE symbol" % kernel)


GDB_SCRIPT = r'''
import gdb
gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("target remote localhost:%(port)d")
gdb.execute("break *%(bp)#x if $_streq(cpulocal_vars[0].proc_ptr->p_name, \"ubench\")")
gdb.execute("ignore 1 %(skip)d")
gdb.execute("continue")
gdb.execute("delete")
ret = int(gdb.parse_and_eval("*(unsigned int *)$esp")) & 0xffffffff
sp = int(gdb.parse_and_eval("$esp")) & 0xffffffff
out = open("%(trace)s", "w")
who = "ubench"
was_user = True
for i in range(%(limit)d):
    pc = int(gdb.parse_and_eval("$pc")) & 0xffffffff
    user = pc < %(kbase)#x
    if user and not was_user:
        who = gdb.parse_and_eval("cpulocal_vars[0].proc_ptr->p_name").string()
    was_user = user
    out.write("%%x %%s\n" %% (pc, who if user else "kernel"))
    if pc == ret and who == "ubench" and \
            (int(gdb.parse_and_eval("$esp")) & 0xffffffff) == sp + 4:
        break
    gdb.execute("stepi", to_string=True)
out.close()
gdb.execute("kill")
'''


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("op", choices=sorted(OPS))
    ap.add_argument("--build", default="build")
    ap.add_argument("--port", type=int, default=1237)
    ap.add_argument("--limit", type=int, default=200000,
                    help="most instructions to step")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--sequence", action="store_true",
                    help="also print the path: each run of instructions "
                    "in one function, in order")
    a = ap.parse_args()

    fn, batch = OPS[a.op][:2]
    only = OPS[a.op][2] if len(OPS[a.op]) > 2 else None
    kernel = os.path.join(a.build, "kernel.elf")
    user = os.path.join(a.build, "user")
    syms = {"kernel": phases.Resolver(kernel, REPO),
            "ubench": phases.Resolver(os.path.join(user, "ubench.elf"),
                                      REPO),
            "vm": phases.Resolver(os.path.join(user, "vm.elf"), REPO)}
    if fn not in syms["ubench"].names:
        sys.exit("breakdown: ubench has no %s (rebuild: make user)" % fn)
    bp = syms["ubench"].addrs[syms["ubench"].names.index(fn)]

    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "trace")
        script = os.path.join(tmp, "gdb.py")
        with open(script, "w") as f:
            f.write(GDB_SCRIPT % {"port": a.port, "bp": bp, "skip": 1,
                                  "trace": trace, "limit": a.limit,
                                  "kbase": kernel_base(kernel)})
        # The benchmark image as make bench boots it (bootimage.py).
        mods = ",".join(m.replace(",", ",,") for m in
                        bootimage.bench_modules(a.build, samples=2, warmup=1,
                                                only=only))
        qemu = subprocess.Popen(
            ["qemu-system-i386", "-accel", "tcg", "-icount",
             "shift=0,sleep=off", "-smp", "1", "-m", "128", "-display",
             "none", "-nodefaults", "-no-reboot", "-serial",
             "file:" + os.path.join(tmp, "serial.log"), "-device",
             "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", kernel,
             "-append", "mode=bench bench=none", "-initrd", mods,
             "-gdb", "tcp::%d" % a.port, "-S"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        try:
            time.sleep(0.5)
            subprocess.run(["gdb", "-q", "-batch", "-ex",
                            "set architecture i386", "-ex", "file " + kernel,
                            "-x", script], check=True, capture_output=True,
                           timeout=1800)
        finally:
            qemu.kill()
            qemu.wait()
        steps = [line.split() for line in open(trace)]

    def symbols(who):
        if who not in syms:
            elf = os.path.join(user, who + ".elf")
            syms[who] = (phases.Resolver(elf, REPO)
                         if os.path.exists(elf) else None)
        return syms[who] or syms["ubench"]

    total = {}
    parts = {}
    runs = []
    for pc, who in steps:
        pc = int(pc, 16)
        name = symbols(who).symbol(pc)
        if runs and runs[-1][0] == (who, name):
            runs[-1][1] += 1
        else:
            runs.append([(who, name), 1])
        key = "%s:%s" % (who, name)
        total[key] = total.get(key, 0) + 1
        parts[who] = parts.get(who, 0) + 1
    n = len(steps)
    print("%s: %d instructions per sample of %d operations = %.1f per "
          "operation" % (a.op, n, batch, n / batch))
    print("\n%-44s %10s %6s" % ("function", "per op", "share"))
    for key, c in sorted(total.items(), key=lambda kv: -kv[1])[:a.top]:
        print("%-44s %10.1f %5.1f%%" % (key, c / batch, 100.0 * c / n))
    print("\n%-44s %10s %6s" % ("part", "per op", "share"))
    for who, c in sorted(parts.items(), key=lambda kv: -kv[1]):
        print("%-44s %10.1f %5.1f%%" % (who, c / batch, 100.0 * c / n))
    if a.op in FAULT_OPS:
        resolvers = {}

        def resolve(who, pc):
            if who not in resolvers:
                elf = kernel if who == "kernel" else \
                    os.path.join(user, who + ".elf")
                resolvers[who] = phases.Resolver(elf, REPO) \
                    if os.path.exists(elf) else None
            r = resolvers[who]
            return r(pc) if r else ("?", "??")
        pcs = [(int(pc, 16), who) for pc, who in steps]
        for who in set(w for _, w in pcs):
            resolve(who, 0)
            if resolvers[who]:
                resolvers[who].prime([pc for pc, w in pcs if w == who])
        counts, other = phases.phases(pcs, resolve)
        print()
        for line in phases.format_phases(counts, other, batch, n):
            print(line)
    if a.sequence:
        print("\n%-8s %-36s %s" % ("who", "function", "instructions"))
        for (who, name), c in runs:
            print("%-8s %-36s %d" % (who, name, c))


if __name__ == "__main__":
    sys.exit(main())
