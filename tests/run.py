#!/usr/bin/env python3
"""`make test`: host unit tests, in-guest tests under QEMU, the fault dump,
an iPXE netboot, and the lab's own unit tests.

    python3 tests/run.py --build build [--only PATTERN] [--jobs 2]

Steps:
  host     every executable build/host/test_*; each prints `PASS s.c` or
           `FAIL s.c: detail` lines and exits non-zero on failure (a crash
           or non-zero exit without a FAIL line counts as one failure)
  layout   the kernel-VM contract defined once (tools/check_contract.py),
           and the include and call circles of kernel/ and smp/
           (tools/circles.py, printed): none beyond tools/circles.allow
  probe    the KVM probe: says which accelerator the guest boots use
  guest    mode=test at -smp 1, 2, 4, 8, and at -smp 2 on qemu-system-x86_64
           -cpu EPYC (syscall/sysret available); each test record is a test,
           and each boot's own checks are one more; kernel only at -smp 128
           and 255, and at -smp 66 with maxcpus=64 (64 online, the rest
           left off and said so); guest.noacpi-smp4: -no-acpi, the CPUs
           from the MP table
  sanity   the same test image at -smp 2 with VM's sanity build (--sanity-vm,
           `make SANITY=1`): guest.vm-sanity-smp2, plus the check that VM
           said it ran in sanity mode, passed its self-test and checked all
           memory; and fault.vm-write-outside-use, where that VM writes to
           a slab object outside USE() on purpose and the kernel's panic
           must say so
  vmtest   mode=test with VM, PM and tests/user/vmtest.c's two roles at
           -smp 2 and -smp 1, 64 MiB (vmtest.smp2, vmtest.smp1; alone:
           --only vmtest, `make test-vm`); and vmtest.m3g-smp2: its role
           bigmem alone at 3 GiB, where VM reaches most frames through its
           frame window, with the check that VM manages every page of the
           loader's map but what the kernel and the modules hold;
           guest.m5g-smp1, the kernel's tests alone at 5 GiB, whose log
           must name the 2 GiB above 4 GiB as ignored (no PAE)
  hostile  mode=test with VM, PM and tests/user/hostile.c's driver, which
           spawns an ordinary process per attack and checks the system's
           health after each (hostile.smp2, hostile.smp1, and
           hostile.fpu-lazy-smp2 with the boot word fpu=lazy; 64 MiB;
           alone: `make test-hostile`); hostile.x86_64-epyc-smp2 again
           under qemu-system-x86_64 -cpu EPYC, where 32-bit code has
           syscall, and hostile.cpu-pentium-smp1 under -cpu pentium (int
           entry only, FSAVE); each must end with hostile.finished, and the
           attacker's forged records must be in the log as its tagged
           text, never as records
  rs       mode=test with VM, PM, the system image (RS, DS and the demo
           service) and tests/user/rstest.c's driver at -smp 2 and 1
           (rs.smp2, rs.smp1): the demo service crashed under load by a
           fault, an invalid opcode, panic() and a missed heartbeat comes
           back under its label with its state, the client sees one error
           a crash, nothing is lost, and a crash loop stops at the limit;
           rs.bad-policy: a system image whose policy has a mistake must
           stop the boot with a line naming the file, line and reason
  fuzz     the fuzzer (tests/user/fuzz*.c, bench/lab/cairnlab.py fuzz) at -smp 1,
           2 and 4, FUZZ_CALLS random calls each by ordinary processes under
           the icount series (deterministic: a failure replays with the
           `make fuzz` command it prints); the driver's test records check
           every worker's end and that no page was lost
  fault    mode=fault quiet: the exception dump reaches the serial log;
           mode=doublefault at -smp 1 and 2 (fault.doublefault-smp1/2): the
           kernel stack runs into an unmapped page, and the double-fault
           task, on its own stack, prints the decoded dump and panics;
           mode=ntiret at -smp 1 and 2 (fault.ntiret-smp1/2): a kernel
           iret with NT set faults (#TS) with its stack in the process
           table, and the dump and panic, moved to the kernel stack, end
           in a clean halt
  cpu      older CPU models (boot/cpucheck.c): guest.cpu-pentium-smp1 and
           -smp2 run the usual test image under -cpu pentium (no cmov, PGE,
           SEP, FXSR); guest.cpu-486 and guest.cpu-isapc (-machine isapc,
           whose CPU is a 486: no TSC, no local APIC) must be refused: the
           pre-init's two lines on serial naming what is missing, isa-debug-
           exit code 3 (QEMU status 7), no kernel record; guest.cpu-isapc
           also reads the VGA text screen through QEMU's monitor (no exit
           device there, the guest halts) for the same words
  netboot  iPXE over TFTP loads the kernel and a module (boot/ipxe/cairn.ipxe)
  grub     grub.smp2: the CD image `make iso` writes (tools/mkiso.py,
           grub-mkrescue; a missing GRUB is a failure that names the
           apt-get install command) boots with -cdrom into its default
           entry, the test boot; the whole run must pass and the records
           show GRUB's strings (no image name first)
  cmdline  cmdline.mode-bogus, .unknown-key, .malformed-word, .too-long:
           the kernel refuses each line (kernel/README.md, "Command
           lines"): exit "tests failed", one failed boot.cmdline test
           whose detail names the word, or the length and the limit
  metal    QEMU's iPXE plays a bare-metal machine: `cairnlab.py netboot`
           stages the benchmark image, iPXE boots it over TFTP, `collect`
           stores its serial log in a temporary results directory, and a
           LAVA job for it passes LAVA's schema (needs lava-common)
  peer     the Linux peer (`cairnlab.py peer`): Debian's i386 kernel (fetched
           into build/peer/ the first time; no network is a failure) boots
           bench/peer/linuxbench.c as /init once, plain TCG at -smp 2
  lab      bench/lab/cairn/tests/test_*.py (unittest), one test per case;
           among them the lab's trust check (test_trust.py): on a synthetic
           history compare, changepoints and bisect find exactly the planted 2%
           icount and 10% kvm steps, and a no-change rerun raises no alert

Every boot's records must start with hello and end with done; records
count only at a line start (bench/lab/cairn/records.py), where only the
kernel and the boot's driver can put them.

PATTERN selects units (host.<binary>, guest.smp1, guest.x86_64-epyc-smp2,
guest.vm-sanity-smp2, fault.vm-write-outside-use, vmtest.smp2,
fault.smp2, netboot, metal, grub.smp2, cmdline.too-long, peer, lab, ...) or single test names; a shell-style
glob (`guest.smp*`) or a plain substring.  Boots run in parallel (--jobs),
output stays in order: one `PASS name` / `FAIL name: why` line per test,
and the last line is `N passed, M failed`.  Serial logs: <build>/test/logs/.
"""

import argparse
import concurrent.futures
import errno
import fnmatch
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import zlib

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True   # no __pycache__ in the work tree
sys.path.insert(0, os.path.join(REPO, "bench", "lab"))

from cairn import bootimage, qemu, results  # noqa: E402

SMP_COUNTS = (1, 2, 4, 8)
# Beyond the usual counts, kernel only (its self-tests): 128 CPUs, 255
# (CONFIG_MAX_CPUS: all an xAPIC addresses, and where QEMU's pc machine
# stops), and more CPUs than the kernel may start: since QEMU cannot go
# past 255, the boot word maxcpus=64 lowers the limit (-smp 66 boots with
# 64 online and says how many it left off). (smp, online, boot words)
WIDE_SMP = ((128, 128, ""), (255, 255, ""), (66, 64, " maxcpus=64"))
# Their boots take longer under TCG (128 vCPUs in one host thread).
WIDE_TIMEOUT_FACTOR = 3
# Without ACPI (-no-acpi) the CPUs come from the MP table; at -smp 4 (one
# package of 4 cores) SeaBIOS lists the first only, and the kernel finds
# the other three through CPUID. The usual test image.
NOACPI_SMP = 4
IPXE_SCRIPT = os.path.join(REPO, "boot", "ipxe", "cairn.ipxe")
NETMOD_NAME = "netmod.bin"
NETMOD_SIZE = 5000            # a few KiB, deliberately not page-aligned
NETMOD_STR = "role=check"     # module string after the image word
CAIRNLAB = os.path.join(REPO, "bench", "lab", "cairnlab.py")
METAL_MACHINE = "qemu-ipxe"   # the name the metal unit collects under
METAL_SAMPLES, METAL_WARMUP = 5, 1
# What a benchmark boot measures under qemu-system-i386 -smp 2 (no
# syscall: TCG hides it from qemu32).
METAL_METRICS = (
    ["canary.loop", "tlb.invlpg", "tlb.cr3_reload"] +
    ["tlb.%s.%d" % (k, n) for k in ("refill_invlpg", "refill_cr3")
     for n in (8, 64, 512)] +
    ["tlb.warm.%d" % n for n in (1, 8, 64, 512)] +
    ["kentry.null.int", "kentry.null.sysenter", "ipc.sendrec.same_cpu",
     "ipc.replyrecv.same_cpu", "ipc.sendrec.same_cpu.fpu",
     "ipc.sendrec.cross_cpu",
     "ipc.notify.latency", "ipc.deliver.unloaded", "vm.pagefault.anon"])
# What bench/user/ubench_vm.c adds once VM serves VM_STATS and PM answers
# getpid (before that ubench leaves them out and says so).
METAL_VM_METRICS = (
    ["proc.fork_exit_wait", "proc.exec", "vm.mmap_munmap", "vm.cache.yield",
     "vm.cache.get", "vm.pagefault.cow", "vm.pagefault.cow_sole",
     "vm.pagefault.anon.hog", "vm.pagefault.anon.nopool",
     "vm.zeropool.refill"] +
    ["vm.region_lookup.n%d" % n for n in (1, 10, 100, 1000, 10000, 100000)] +
    ["vm.pagefault.anon.n100000"] +
    # bench/user/ubench_grant.c and ubench_ds.c (they fork and spawn).
    ["grant.safecopy.%s.%s" % (k, s) for k in ("bytes", "cow")
     for s in ("64", "4k", "64k", "1m") if (k, s) != ("cow", "64")] +
    ["grant.safecopy.cow_to.64k", "grant.safemap.1", "grant.safemap.64"] +
    ["ds.%s.%s" % (op, t) for t in ("u32", "mem4k")
     for op in ("publish", "retrieve")] +
    # bench/user/ubench_rs.c: the demo service RS watches.
    ["rs.demo.roundtrip", "rs.recovery.crash_to_served", "rs.update.swap"])

# The in-guest tests of the VM server and the process manager
# (tests/user/vmtest.c) run at these CPU counts.
VMTEST_SMP = (2, 1)
# The hostile suite (tests/user/hostile*.c) runs at these CPU counts,
# and once more at -smp 2 with lazy FPU switching (the boot word
# fpu=lazy; eager is the default: kernel/README.md).
HOSTILE_SMP = (2, 1)
RS_SMP = (2, 1)
# rs.bad-policy: the build's system image with this policy instead; RS
# must name its mistake and stop the boot.
BAD_POLICY = ("service ds program=ds ipc=all\n"
              "# the next line has a key RS does not know\n"
              "service demo program=demo ipc=all colour=blue\n")
BAD_POLICY_LINES = ("rs: system.conf:3: unknown key 'colour'",
                    "rs: the boot stops here")
# The fuzz units: 1,000,002 calls in all, seed FUZZ_SEED + CPU count.
FUZZ_SMP = (1, 2, 4)
FUZZ_SEED = 1000
FUZZ_CALLS = 333334
FUZZ_PROCS = 3
# mode=doublefault (a double fault on purpose) and mode=ntiret (a kernel
# iret with NT set) run at these CPU counts.
DOUBLEFAULT_SMP = (1, 2)
# What its dump must say (kernel/arch/i386/taskgate.c, exception.c), and
# what its panic record's message must hold.
DOUBLEFAULT_LINES = ("doublefault: running the stack into",
                     "*** double fault on cpu 0", "#DF double fault on cpu 0 in "
                     "kernel mode", "(task gate: own stack)",
                     "esp 0x00400000 is outside it")
DOUBLEFAULT_PANIC = "#DF double fault at eip="
# mode=ntiret: what its dump and panic record must say.
NTIRET_LINES = ("ntiret: an iret with NT set", "*** #TS invalid TSS on cpu 0 "
                "in kernel mode")
NTIRET_PANIC = "#TS invalid TSS at eip="
HOSTILE_LAZY = "hostile.fpu-lazy-smp2"
HOSTILE_EAGER = "hostile.fpu-eager-smp2"
# What the attacker of hostile.priv.forged_records prints, each a whole
# line with a good checksum: the log must show them tagged with its
# endpoint, never as records.
HOSTILE_FORGED = ("CAIRN panic cpu=0 msg=forged", "CAIRN test "
                  "name=hostile.forged result=pass")

# The big-memory boot and the bounds its check allows (KiB): the map's RAM
# may fall short of -m by the hole below 1 MiB and a little at the top;
# the kernel keeps its image, the first MiB, the modules and its boot
# frames; VM, PM and the test hold little when the test starts.
BIGMEM_UNIT = "vmtest.m3g-smp2"
BIGMEM_MAP_SLACK_KIB = 2048
BIGMEM_KERNEL_MAX_KIB = 16384
BIGMEM_USED_MAX_KIB = 16384
# RAM above 4 GiB: a kernel-only test boot at -m 5 GiB, whose log must
# name the 2 GiB QEMU puts above 4 GiB (its map keeps 3 GiB below, the
# PCI hole above that) as ignored.
ABOVE4G_UNIT = "guest.m5g-smp1"
ABOVE4G_MEMORY = 5120
ABOVE4G_LINE = "boot: 2048 MiB of RAM above 4 GiB ignored"


# What VM's sanity build prints (vm/main.c, vm/sanity.c): that it is the
# sanity build, that its start-up self-test passed, that its first check
# of all memory after a request passed.
SANITY_LINES = ("vm: sanity build (VM_SANITY)",
                "vm: sanity: self-test passed",
                "vm: sanity: first check passed")
# The module word that makes it write outside USE() on purpose, and what
# the kernel's panic must say then (kernel/arch/i386/usertrap.c).
WRITE_OUTSIDE_USE = "sanity-test=write-outside-use"
VM_FAULT_WORDS = ("VM page fault", "write to a read-only page",
                  "outside USE()")

# Command lines the kernel refuses (kernel/cmdline.c, kernel/main.c):
# each boot must end red (QEMU exit "tests failed") with one failed
# boot.cmdline test whose detail names the problem.  QEMU puts the
# kernel's path first, which the too-long line's length counts.
CMDLINE_LIMIT = 1023
CMDLINE_TOO_LONG = "mode=test" + " quiet" * 200
CMDLINE_BAD = (
    ("cmdline.mode-bogus", "mode=bogus", "unknown mode 'bogus'"),
    ("cmdline.unknown-key", "mode=test bogus=1", "unknown key 'bogus'"),
    ("cmdline.malformed-word", "mode=test =oops", "malformed word '=oops'"),
    ("cmdline.too-long", CMDLINE_TOO_LONG, None),   # length and limit
)
# The GRUB boot (tools/mkiso.py, `make iso`): the CD's default entry, the
# test boot, at -smp 2.
GRUB_UNIT = "grub.smp2"
# CPU models below what the kernel needs (boot/cpucheck.c): what the
# pre-init must say, on serial and on the VGA text screen, before it
# halts with isa-debug-exit code 3.  A 486 (QEMU's, and isapc's default
# CPU) has CPUID and PSE, but no TSC and no local APIC.
REFUSE_486_LINES = (
    "cairn: unsupported CPU, it lacks: TSC (time-stamp counter), local APIC",
    "cairn: needs CPUID, PSE, TSC and a local APIC (a Pentium with an "
    "APIC, or later); halted")
# Pentium boots at these CPU counts (the test image).
PENTIUM_SMP = (1, 2)

_print_lock = threading.Lock()


def out(line):
    with _print_lock:
        print(line, flush=True)


def progress(line):
    out(".. " + line)


class Result:
    def __init__(self, name, ok, why=""):
        self.name, self.ok, self.why = name, ok, why

    def line(self):
        return "PASS %s" % self.name if self.ok else \
            "FAIL %s: %s" % (self.name, self.why)


# ------------------------------------------------------------------ selection

class Selector:
    def __init__(self, pattern):
        self.pattern = pattern
        self.glob = pattern is not None and any(c in pattern for c in "*?[")
        self.fallback = False     # no unit matched: run all, filter names

    def _match(self, name):
        if self.pattern is None:
            return True
        if self.glob:
            return fnmatch.fnmatchcase(name, self.pattern)
        return self.pattern in name

    def unit(self, name):
        """Whether a unit runs."""
        if self.pattern is None or self.fallback:
            return True
        return self._match(name) or self.pattern.startswith(name + ".")

    def named(self, unit):
        """Whether the pattern names this unit itself (not a fallback):
        how units that are off by default are chosen."""
        if self.pattern is None or self.fallback:
            return False
        return self._match(unit) or self.pattern.startswith(unit + ".")

    def whole(self, unit):
        """Whether every result of this unit is reported."""
        return self.pattern is None or self._match(unit)

    def result(self, unit, name):
        return self.whole(unit) or self._match(name)


# ------------------------------------------------------------------ host tests

USER_QEMU_I386 = "qemu-i386"   # Debian's qemu-user: i386 Linux programs


def run_program(path, timeout):
    """Run one host test binary. An i386 program (test_libcairn) on a host
    whose 64-bit kernel cannot execute it (no IA-32 emulation: ENOEXEC)
    runs under user-mode QEMU instead, and the note says so."""
    try:
        return subprocess.run([path], capture_output=True, text=True,
                              timeout=timeout, errors="replace"), None
    except OSError as e:
        if e.errno != errno.ENOEXEC:
            raise
    emu = shutil.which(USER_QEMU_I386)
    if emu is None:
        raise OSError(errno.ENOEXEC, "this host cannot execute it and has "
                      "no %s: apt-get install qemu-user" % USER_QEMU_I386)
    return subprocess.run([emu, path], capture_output=True, text=True,
                          timeout=timeout, errors="replace"), \
        "run under %s: this host cannot execute i386 programs" % USER_QEMU_I386


def host_unit(path):
    """A host test binary's unit name."""
    return "host." + os.path.basename(path)


def run_host_test(path, timeout):
    name = host_unit(path)
    try:
        p, note = run_program(path, timeout)
        if note:
            progress("%s: %s" % (name, note))
    except subprocess.TimeoutExpired:
        return [Result(name, False, "timed out after %.0f s" % timeout)]
    except OSError as e:
        return [Result(name, False, "could not run: %s" % e)]
    res = []
    for line in p.stdout.splitlines():
        if line.startswith("PASS "):
            res.append(Result("host." + line[5:].strip(), True))
        elif line.startswith("FAIL "):
            body = line[5:]
            case, _, detail = body.partition(":")
            res.append(Result("host." + case.strip(), False,
                              detail.strip() or "failed"))
    failed = any(not r.ok for r in res)
    if p.returncode != 0 and not failed:
        how = ("killed by signal %d" % -p.returncode if p.returncode < 0
               else "exit status %d" % p.returncode)
        tail = (p.stderr.strip().splitlines() or [""])[-1]
        res.append(Result(name, False, "%s with no FAIL line%s" % (
            how, "; stderr: " + tail if tail else "")))
    elif p.returncode == 0 and not res:
        res.append(Result(name, False, "printed no PASS/FAIL lines"))
    return res


# ------------------------------------------------------------------ guest boots

class Boot:
    """One QEMU boot and the checks on its serial log."""

    def __init__(self, name, spec, kind, smp, timeout, logdir, online=None):
        self.name, self.spec, self.kind, self.smp = name, spec, kind, smp
        self.online = smp if online is None else online   # CPUs expected up
        self.timeout = timeout
        self.log_path = os.path.join(logdir, name + ".log")
        self.netmod = None        # (size, crc) for the netboot
        self.cmdline_want = None  # kind "cmdline": what its error says

    def run(self):
        if self.spec.kernel and not os.path.exists(self.spec.kernel):
            return [Result(self.name + ".boot", False,
                           "no kernel at %s" % self.spec.kernel)]
        try:
            cmd = qemu.build_command(self.spec, self.log_path)
        except RuntimeError as e:
            return [Result(self.name + ".boot", False, str(e))]
        if self.kind == "refuse-vga":
            return [self.run_refused_vga(cmd)]
        progress("%s: booting (%s -smp %d, %s, timeout %.0f s)" % (
            self.name, os.path.basename(self.spec.binary), self.smp,
            self.spec.series, self.timeout))
        with open(self.log_path + ".cmd", "w") as f:
            f.write(qemu.format_command(cmd) + "\n")
        res = qemu.run(cmd, self.log_path, self.timeout,
                       progress=self.still_running)
        progress("%s: finished in %.1f s, exit %s" % (
            self.name, res.seconds, qemu.describe_exit(res.status)))
        log = res.log()
        if self.kind == "fault":
            return [self.check_fault(res, log)]
        if self.kind == "vmfault":
            return [self.check_vm_fault(res, log)]
        if self.kind == "doublefault":
            return [self.check_panic_dump(res, log, DOUBLEFAULT_LINES,
                                          DOUBLEFAULT_PANIC)]
        if self.kind == "ntiret":
            return [self.check_panic_dump(res, log, NTIRET_LINES,
                                          NTIRET_PANIC)]
        if self.kind == "cmdline":
            return [self.check_cmdline_refused(res, log)]
        if self.kind == "badpolicy":
            return [self.check_bad_policy(res, log)]
        if self.kind in ("refuse", "refuse-vga"):
            return [self.check_refused(res, log)]
        out_ = self.check_test(res, log)
        if self.kind == "sanity":
            out_.append(self.check_sanity(log))
        if self.kind == "bigmem":
            out_.append(self.check_bigmem(log))
        if self.kind == "above4g":
            name = self.name + ".above_4gib_named"
            out_.append(Result(name, True) if log.contains(ABOVE4G_LINE)
                        else self.fail(name, ["no line %r" % ABOVE4G_LINE]))
        return out_

    def still_running(self, elapsed):
        """Every 30 s of a boot: say so, with the last line of its log."""
        if int(elapsed) // 30 == getattr(self, "_told", 0):
            return
        self._told = int(elapsed) // 30
        last = ""
        try:
            with open(self.log_path, "rb") as f:
                f.seek(max(0, os.path.getsize(self.log_path) - 300))
                lines = f.read().decode("latin-1").splitlines()
                last = lines[-1].strip()[:100] if lines else ""
        except OSError:
            pass
        progress("%s: still running after %.0f s; last line: %r"
                 % (self.name, elapsed, last))

    replay = None             # the command that replays a failed boot

    def fail(self, name, problems):
        return Result(name, False, "; ".join(problems) +
                      " (log: %s)" % self.log_path +
                      (" (replay: %s)" % self.replay if self.replay else ""))

    def common(self, res, log, want_status):
        problems = []
        if res.timed_out:
            problems.append("timed out after %.0f s" % self.timeout)
            if res.stderr_summary():
                problems.append("QEMU said: %s" % res.stderr_summary())
        elif res.status != want_status:
            problems.append("QEMU exit status %s, expected %s" % (
                qemu.describe_exit(res.status), qemu.describe_exit(want_status)))
            if res.stderr_summary():
                problems.append("QEMU said: %s" % res.stderr_summary())
        for g in log.garbled[:3]:
            problems.append("garbled record %s" % g)
        if len(log.garbled) > 3:
            problems.append("%d more garbled records" % (len(log.garbled) - 3))
        return problems

    def check_test(self, res, log):
        out_ = []
        tests = log.of_type("test")
        for t in tests:
            try:
                tname = t.text("name")
                ok = t.get("result") == "pass"
                detail = t.text("detail") if t.has("detail") else ""
            except Exception as e:        # a damaged but checksummed record
                out_.append(Result("%s.?" % self.name, False, str(e)))
                continue
            out_.append(Result("%s.%s" % (self.name, tname), ok,
                               "result=%s%s (log: %s)%s" % (
                                   t.get("result"),
                                   ", " + detail if detail else "",
                                   self.log_path,
                                   " (replay: %s)" % self.replay
                                   if self.replay and not ok else "")))
        problems = self.common(res, log, qemu.EXIT_SUCCESS)
        panic = log.first("panic")
        if panic is not None:
            problems.append("kernel panic: %s" % panic.text("msg"))
        hello = log.first("hello")
        if hello is None:
            problems.append("no hello record")
        else:
            if hello.get("mode") != "test":
                problems.append("hello mode=%s" % hello.get("mode"))
            if hello.get("cpus") != str(self.online):
                problems.append("hello cpus=%s, expected %d" % (
                    hello.get("cpus"), self.online))
        done = log.last("done")
        # Records come only from the kernel and the boot's driver, at line
        # starts (bench/lab/cairn/records.py): the boot's first is hello,
        # its last done, and nothing after done counts.
        if log.records and log.records[0].type != "hello":
            problems.append("first record is %s (line %d), not hello" % (
                log.records[0].type, log.records[0].lineno))
        if log.records and log.records[-1].type != "done":
            problems.append("last record is %s (line %d), not done" % (
                log.records[-1].type, log.records[-1].lineno))
        if done is None:
            problems.append("no done record")
        else:
            if done.get("failed") != "0":
                problems.append("done failed=%s" % done.get("failed"))
            if done.get("tests") != str(len(tests)):
                problems.append("done tests=%s but %d test records" % (
                    done.get("tests"), len(tests)))
        names = set()
        for t in tests:
            try:
                names.add(t.text("name"))
            except Exception:
                pass
        want = ["smp.online"] + ["cpulocal.cpu%d" % i
                                 for i in range(self.online)]
        missing = [n for n in want if n not in names]
        if missing:
            problems.append("missing test records: %s" % ", ".join(missing))
        if self.smp > self.online:
            # More CPUs than the limit: the kernel says how many it left off.
            said = [t.text("detail") for t in tests
                    if t.has("detail") and t.text("name") == "smp.limit"]
            left = "%d CPUs beyond the limit of %d left off" % (
                self.smp - self.online, self.online)
            if not any(d.startswith(left) for d in said):
                problems.append("smp.limit does not say %r: %r" % (
                    left, said))
        if self.kind == "netboot":
            problems += self.check_netboot(log)
        if self.kind == "hostile":
            problems += self.check_hostile(log, names)
        if self.kind == "grub":
            problems += self.check_grub(log)
        name = self.name + ".boot"
        out_.append(self.fail(name, problems) if problems else Result(name, True))
        return out_

    def check_cmdline_refused(self, res, log):
        """A bad command line: hello, cmdline, one failed boot.cmdline
        test naming the problem, done with failed=1, exit tests-failed."""
        problems = self.common(res, log, qemu.EXIT_TESTS_FAILED)
        if log.first("panic") is not None:
            problems.append("kernel panic: %s" % log.first("panic").text("msg"))
        if not log.records or log.records[0].type != "hello":
            problems.append("the first record is not hello")
        done = log.last("done")
        if done is None or log.records[-1].type != "done":
            problems.append("no done record at the end")
        elif done.get("failed") != "1" or done.get("tests") != "1":
            problems.append("done tests=%s failed=%s, expected 1 and 1"
                            % (done.get("tests"), done.get("failed")))
        tests = log.of_type("test")
        if len(tests) != 1 or tests[0].text("name") != "boot.cmdline" or \
                tests[0].get("result") != "fail":
            problems.append("test records %r, expected one failed "
                            "boot.cmdline" % [(t.text("name"), t.get("result"))
                                              for t in tests])
        else:
            detail = tests[0].text("detail") if tests[0].has("detail") else ""
            if self.cmdline_want not in detail:
                problems.append("detail %r lacks %r" % (detail,
                                                        self.cmdline_want))
        name = self.name + ".refused"
        return self.fail(name, problems) if problems else Result(name, True)

    def check_hostile(self, log, names):
        """The driver ran every case (its last test is hostile.finished),
        and the attacker's forged records (hostile_priv.c) are in the log
        as its console text, tagged, never as records."""
        problems = []
        if "hostile.finished" not in names:
            problems.append("no hostile.finished test record (the driver "
                            "did not get through its cases)")
        for frag in HOSTILE_FORGED:
            tagged = [l for _, l in log.misplaced
                      if frag in l and re.match(r"\[\d+\] ", l)]
            if not tagged:
                problems.append("the forged line %r is not in the log as "
                                "a tagged line" % frag)
        for r in log.records:
            if any(f in r.line for f in HOSTILE_FORGED + ("forged=1",)):
                problems.append("a forged line was taken as a record "
                                "(line %d)" % r.lineno)
        return problems

    def check_netboot(self, log):
        problems = []
        cmdline = log.first("cmdline")
        if cmdline is None:
            problems.append("no cmdline record")
        elif "mode=test netboot=1" not in cmdline.text("str"):
            problems.append("cmdline str=%r lacks 'mode=test netboot=1'"
                            % cmdline.text("str"))
        mods = log.of_type("module")
        if len(mods) != 1:
            problems.append("%d module records, expected 1" % len(mods))
        if mods:
            m = mods[0]
            size, crc = self.netmod
            if m.get("size") != str(size):
                problems.append("module size=%s, expected %d" % (m.get("size"),
                                                                 size))
            if m.get("crc") != "%08x" % crc:
                problems.append("module crc=%s, expected %08x" % (m.get("crc"),
                                                                  crc))
            if m.text("str") != NETMOD_STR:
                problems.append("module str=%r, expected %r" % (m.text("str"),
                                                               NETMOD_STR))
        return problems

    def check_sanity(self, log):
        """VM really ran its sanity build: its lines are in the log."""
        missing = [l for l in SANITY_LINES if not log.contains(l)]
        name = self.name + ".vm_sanity_mode"
        if missing:
            return self.fail(name, ["VM did not run in sanity mode: no "
                                    "line with %s" % ", ".join(
                                        repr(l) for l in missing)])
        return Result(name, True)

    def check_bigmem(self, log):
        """VM manages every page the kernel handed over, and that is the
        loader's map of the guest's RAM bar what the kernel and the boot
        modules hold: the kernel's `mem` record against VM_STATS as
        the test vm.bigmem.stats reports it (tests/user/vmtest_bigmem.c)."""
        name = self.name + ".vm_has_all_ram"
        mem = log.first("mem")
        stats = [t for t in log.of_type("test") if t.has("name") and
                 t.text("name") == "vm.bigmem.stats" and t.has("detail")]
        if mem is None or not stats:
            return self.fail(name, ["no %s record" % (
                "mem" if mem is None else "vm.bigmem.stats test")])
        counts = re.search(r"(\d+) of (\d+) pages free",
                           stats[0].text("detail"))
        try:
            ram, vm = int(mem.get("ram_kib")), int(mem.get("vm_kib"))
            above = int(mem.get("above4g_kib"))
            free, total = int(counts.group(1)) * 4, int(counts.group(2)) * 4
        except (AttributeError, TypeError, ValueError) as e:
            return self.fail(name, ["bad mem record or vm.bigmem.stats "
                                    "detail: %s" % e])
        guest = self.spec.memory * 1024
        problems = []
        # QEMU's map: all of -m below 4 GiB here, bar the hole under
        # 1 MiB and a few pages at the top.
        if not guest - BIGMEM_MAP_SLACK_KIB <= ram <= guest or above != 0:
            problems.append("the map lists %d KiB below 4 GiB and %d KiB "
                            "above, for -m %d MiB" % (ram, above,
                                                      self.spec.memory))
        if not 0 < ram - vm <= BIGMEM_KERNEL_MAX_KIB:
            problems.append("the kernel handed VM %d of %d KiB (at most "
                            "%d KiB for the kernel, the first MiB and the "
                            "modules)" % (vm, ram, BIGMEM_KERNEL_MAX_KIB))
        if total != vm:
            problems.append("VM manages %d KiB, the kernel handed it %d "
                            "KiB" % (total, vm))
        if not 0 <= total - free <= BIGMEM_USED_MAX_KIB:
            problems.append("VM has %d of %d KiB free at the start (at "
                            "most %d KiB for VM, PM and the test)" % (
                                free, total, BIGMEM_USED_MAX_KIB))
        return self.fail(name, problems) if problems else Result(name, True)

    def check_vm_fault(self, res, log):
        """VM's write outside USE() faulted, and the panic says so."""
        problems = self.common(res, log, qemu.EXIT_PANIC)
        if not log.contains("vm: sanity: writing to slab object"):
            problems.append("VM never made its write outside USE()")
        panic = log.first("panic")
        if panic is None:
            problems.append("no panic record")
        else:
            msg = panic.text("msg")
            for w in VM_FAULT_WORDS:
                if w not in msg:
                    problems.append("panic %r lacks %r" % (msg, w))
        name = self.name + ".panic"
        return self.fail(name, problems) if problems else Result(name, True)

    def check_fault(self, res, log):
        problems = self.common(res, log, qemu.EXIT_PANIC)
        for frag in ("page fault", "cr2=0xdead0000"):
            if not log.contains(frag):
                problems.append("no line with %r" % frag)
        if not log.any_line_startswith("stack trace:"):
            problems.append("no line starting 'stack trace:'")
        if not log.contains("cairn: booting"):
            problems.append("no 'cairn: booting' (panic did not flush the "
                            "diagnostics buffer)")
        if log.first("panic") is None:
            problems.append("no panic record")
        name = self.name + ".dump"
        return self.fail(name, problems) if problems else Result(name, True)


    def check_bad_policy(self, res, log):
        """RS refused its policy: the file, line and reason on the console,
        then the boot's end as a failure (no test ran)."""
        problems = self.common(res, log, qemu.EXIT_TESTS_FAILED)
        for line in BAD_POLICY_LINES:
            if not log.contains(line):
                problems.append("no serial line %r" % line)
        if log.of_type("test"):
            problems.append("%d test records, expected none" %
                            len(log.of_type("test")))
        name = self.name + ".stopped"
        return self.fail(name, problems) if problems else Result(name, True)

    def check_refused(self, res, log):
        """The pre-init refused the CPU: isa-debug-exit code 3, its lines
        naming the missing features on serial, and no kernel record (the
        high kernel never ran)."""
        problems = self.common(res, log, qemu.EXIT_UNSUPPORTED_CPU)
        problems += self._refusal_problems(log)
        name = self.name + ".refused"
        return self.fail(name, problems) if problems else Result(name, True)

    @staticmethod
    def _refusal_problems(log):
        problems = []
        for line in REFUSE_486_LINES:
            if not log.contains(line):
                problems.append("no serial line %r" % line)
        if log.records:
            problems.append("%d kernel records (first: %s), expected none"
                            % (len(log.records), log.records[0].type))
        return problems

    def run_refused_vga(self, cmd):
        """Boots without the exit device, with a VGA card and a monitor:
        once the serial log says halted, reads the text screen (0xB8000)
        through the monitor's xp and looks for the same lines there."""
        name = self.name + ".refused_vga"
        i = cmd.index("isa-debug-exit,iobase=0xf4,iosize=0x04")
        cmd = cmd[:i - 1] + cmd[i + 1:]
        sock_dir = tempfile.mkdtemp(prefix="cairn-mon-")
        sock = os.path.join(sock_dir, "mon")
        cmd += ["-vga", "std", "-monitor", "unix:%s,server=on,wait=off"
                % sock]
        progress("%s: booting (%s, no exit device, timeout %.0f s)" % (
            self.name, " ".join(self.spec.extra) or self.spec.cpu,
            self.timeout))
        with open(self.log_path + ".cmd", "w") as f:
            f.write(qemu.format_command(cmd) + "\n")
        if os.path.exists(self.log_path):
            os.unlink(self.log_path)
        problems, screen = [], ""
        with open(self.log_path + ".stderr", "wb") as err:
            p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=err,
                                 stderr=err, start_new_session=True)
        try:
            start = time.monotonic()
            halted = False
            while time.monotonic() - start < self.timeout:
                if p.poll() is not None:
                    problems.append("QEMU exited %d before the screen was "
                                    "read" % p.returncode)
                    break
                try:
                    with open(self.log_path, "rb") as f:
                        halted = b"; halted" in f.read()
                except OSError:
                    pass
                if halted:
                    break
                time.sleep(0.2)
            if halted:
                screen = read_vga_text(sock)
            elif not problems:
                problems.append("no 'halted' on serial after %.0f s"
                                % self.timeout)
        except OSError as e:
            problems.append("monitor: %s" % e)
        finally:
            qemu._kill(p)
            shutil.rmtree(sock_dir, ignore_errors=True)
        from cairn import records as _records
        try:
            log = _records.parse_file(self.log_path)
        except FileNotFoundError:
            log = _records.Log()
        problems += self._refusal_problems(log)
        if screen:
            flat = screen.replace("\n", "")
            for line in REFUSE_486_LINES:
                if line not in flat:
                    problems.append("VGA text screen lacks %r" % line)
        elif halted:
            problems.append("could not read the VGA text screen")
        with open(self.log_path + ".screen", "w") as f:
            f.write(screen)
        return self.fail(name, problems) if problems else Result(name, True)

    def check_panic_dump(self, res, log, lines, panic_words):
        """A deliberate kernel fault (mode=doublefault, mode=ntiret): the
        decoded dump with its lines and a stack trace, then the panic
        record with panic_words: every CPU halted cleanly (QEMU's panic
        exit, not a hang or a triple-fault reset)."""
        problems = self.common(res, log, qemu.EXIT_PANIC)
        for frag in lines:
            if not log.contains(frag):
                problems.append("no line with %r" % frag)
        if not log.any_line_startswith("stack trace:"):
            problems.append("no line starting 'stack trace:'")
        panic = log.first("panic")
        if panic is None:
            problems.append("no panic record")
        elif panic_words not in panic.text("msg"):
            problems.append("panic %r lacks %r" % (panic.text("msg"),
                                                   panic_words))
        name = self.name + ".dump"
        return self.fail(name, problems) if problems else Result(name, True)


class GrubBoot(Boot):
    """The test boot from a CD with GRUB (tools/mkiso.py, `make iso`):
    GRUB's `multiboot`/`module` lines pass no image name, so this is where
    the kernel and VM must read the words alike (kernel/lib/cmdwords.h).
    The whole test run must pass, and the records must show GRUB's
    strings: the command line and each module's words as the menu has
    them."""

    def __init__(self, build, binary, timeout, logdir, testdir):
        self.build = build
        self.iso = os.path.join(testdir, "cairn.iso")
        spec = qemu.Boot(append="", kernel=None, series="tcg", smp=2,
                         binary=binary, tcg_threads="single", cdrom=self.iso)
        super().__init__(GRUB_UNIT, spec, "grub", 2, timeout, logdir)

    def run(self):
        sys.path.insert(0, os.path.join(REPO, "tools"))
        import mkiso
        try:
            progress("%s: building %s (grub-mkrescue)" % (self.name,
                                                          self.iso))
            mkiso.build_iso(self.build, self.iso, timeout=1)
        except (mkiso.IsoError, OSError) as e:
            return [Result(self.name + ".boot", False, "no CD image: %s" % e)]
        return super().run()

    def check_grub(self, log):
        problems = []
        cmdline = log.first("cmdline")
        if cmdline is None or cmdline.text("str") != "mode=test":
            problems.append("cmdline str=%r, expected 'mode=test'" % (
                cmdline.text("str") if cmdline else None))
        # The record shows the words after the image; GRUB's first word
        # (the program's name, or VM's and PM's only word) is the image's.
        want = [m.split(None, 2)[2] if len(m.split()) > 2 else ""
                for m in bootimage.test_modules(self.build)]
        got = [m.text("str") for m in log.of_type("module")]
        if got != want:
            problems.append("module strings %r, expected %r" % (got, want))
        for role in bootimage.UTEST_ROLES:
            if not log.contains("vm: started utest as ") or \
                    not log.contains("role %s" % role):
                problems.append("VM did not start utest role %s" % role)
        return problems


def read_vga_text(sock_path, timeout=10.0):
    """The VGA text screen (80x25 at 0xB8000) read through a QEMU human
    monitor on a Unix socket: its characters, a line per row, with
    trailing blanks dropped; rows are joined with newlines."""
    import socket
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(sock_path)
    data = b""

    def until(marker):
        nonlocal data
        while marker not in data:
            chunk = s.recv(65536)
            if not chunk:
                raise OSError("monitor closed")
            data += chunk

    until(b"(qemu) ")
    data = b""
    s.sendall(b"xp /2000hx 0xb8000\n")
    until(b"b8f90:")              # the last row of 8 cells
    until(b"(qemu) ")
    s.close()
    cells = []
    for line in data.decode("latin-1").splitlines():
        m = re.match(r"\s*(?:0x)?0*b8[0-9a-f]{3}:\s+(.*)", line)
        if m:
            cells += [int(w, 16) for w in m.group(1).split()]
    chars = "".join(chr(c & 0xff) if 32 <= (c & 0xff) < 127 else " "
                    for c in cells[:2000])
    return "\n".join(chars[i:i + 80].rstrip()
                     for i in range(0, len(chars), 80))


def check_image(kernel):
    """tools/check_kernel_symbols.py on the linked kernel: high kernel at
    0xF0000000 and up, pre-init symbols renamed __k_unpaged_*, and
    get_cpulocal_var() a single %fs-relative load."""
    if not os.path.exists(kernel):
        return [Result("image.layout", False, "no kernel at %s" % kernel)]
    p = subprocess.run([sys.executable, os.path.join(REPO, "tools",
                        "check_kernel_symbols.py"), kernel, "-v"],
                       capture_output=True, text=True)
    why = (p.stderr.strip() or p.stdout.strip()).replace("\n", "; ")
    return [Result("image.layout_and_cpulocal_load", p.returncode == 0,
                   why)]


def check_layout(build):
    """The tree's shape: the kernel-VM contract defined once
    (tools/check_contract.py), and no include or call circle in kernel/
    and smp/ beyond those tools/circles.allow still lists
    (tools/circles.py, whose report is printed)."""
    res = []
    for name, cmd in (("layout.contract", ["check_contract.py"]),
                      ("layout.circles", ["circles.py", "--build", build])):
        p = subprocess.run([sys.executable, os.path.join(REPO, "tools",
                            cmd[0])] + cmd[1:], capture_output=True,
                           text=True)
        if name == "layout.circles":
            for line in p.stdout.splitlines():
                progress(line)
        lines = (p.stderr.strip() or p.stdout.strip()).splitlines()
        res.append(Result(name, p.returncode == 0,
                          "; ".join(lines[-3:]) if lines else
                          "exit %d" % p.returncode))
    return res


def netmod_bytes():
    """Known, random-looking module contents: a SHA-256 counter stream."""
    data = bytearray()
    i = 0
    while len(data) < NETMOD_SIZE:
        data += hashlib.sha256(b"cairn netmod %d" % i).digest()
        i += 1
    return bytes(data[:NETMOD_SIZE])


def stage_netboot(kernel, tftp_dir):
    """The TFTP directory: kernel.elf, netmod.bin and cairn.ipxe."""
    if os.path.isdir(tftp_dir):
        shutil.rmtree(tftp_dir)
    os.makedirs(tftp_dir)
    if os.path.exists(kernel):
        shutil.copyfile(kernel, os.path.join(tftp_dir, "kernel.elf"))
    shutil.copyfile(IPXE_SCRIPT, os.path.join(tftp_dir, "cairn.ipxe"))
    data = netmod_bytes()
    with open(os.path.join(tftp_dir, NETMOD_NAME), "wb") as f:
        f.write(data)
    return len(data), zlib.crc32(data) & 0xFFFFFFFF


# ------------------------------------------------------------------ metal

def _lab_cmd(*args):
    """Runs bench/lab/cairnlab.py (netboot, collect, lava-job,
    lava-check); (exit status, output)."""
    p = subprocess.run([sys.executable, CAIRNLAB] + list(args),
                       capture_output=True, text=True, errors="replace")
    return p.returncode, (p.stdout + p.stderr).strip()


def _brief(text):
    return " / ".join(l.strip() for l in text.splitlines() if l.strip())[:400]


class MetalBoot(Boot):
    """QEMU's iPXE option ROM stands in for a bare-metal machine: the
    benchmark image is staged with `cairnlab.py netboot`, booted over
    TFTP, and its serial log is stored with `cairnlab.py collect` into a
    temporary results directory (never results/)."""

    def __init__(self, build, binary, timeout, logdir, stage_dir):
        self.build, self.stage_dir = build, stage_dir
        self.metrics = METAL_METRICS + METAL_VM_METRICS
        spec = qemu.Boot(append="", kernel=None, series="tcg", smp=2,
                         binary=binary, tcg_threads="single",
                         tftp=stage_dir, bootfile="cairn-bench.ipxe")
        super().__init__("metal", spec, "metal", 2, timeout, logdir)

    def run(self):
        out_ = [self.stage()]
        if not out_[0].ok:
            return out_ + [Result("metal.boot", False, "nothing staged")]
        try:
            cmd = qemu.build_command(self.spec, self.log_path)
        except RuntimeError as e:
            return out_ + [Result("metal.boot", False, str(e))]
        progress("metal: booting the staged image through iPXE (%s -smp 2, "
                 "TCG single thread, timeout %.0f s)"
                 % (os.path.basename(self.spec.binary), self.timeout))
        with open(self.log_path + ".cmd", "w") as f:
            f.write(qemu.format_command(cmd) + "\n")
        res = qemu.run(cmd, self.log_path, self.timeout,
                       progress=self.still_running)
        progress("metal: finished in %.1f s, exit %s"
                 % (res.seconds, qemu.describe_exit(res.status)))
        booted = self.check_boot(res, res.log())
        out_.append(booted)
        if booted.ok:
            out_ += self.collect()
        else:
            out_.append(Result("metal.collect", False, "no good boot to "
                               "collect"))
        out_.append(self.lava_job())
        return out_

    def stage(self):
        if os.path.isdir(self.stage_dir):
            shutil.rmtree(self.stage_dir)
        code, text = _lab_cmd(
            "netboot", "--kind", "bench", "--dest", self.stage_dir,
            "--build", self.build, "--samples", str(METAL_SAMPLES),
            "--warmup", str(METAL_WARMUP))
        if code != 0:
            return Result("metal.stage", False, "cairnlab.py netboot exit "
                          "%d: %s" % (code, _brief(text)))
        want = ["kernel.elf", "vm.elf", "pm.elf", "ubench.elf",
                "cairn-bench.ipxe", "README.txt"]
        missing = [n for n in want
                   if not os.path.isfile(os.path.join(self.stage_dir, n))]
        if missing:
            return Result("metal.stage", False, "not staged: %s"
                          % ", ".join(missing))
        return Result("metal.stage", True)

    def check_boot(self, res, log):
        """The boot itself: iPXE loaded the kernel with the command line and
        modules bootimage.py gives QEMU, and the benchmarks ran to the end."""
        problems = self.common(res, log, qemu.EXIT_SUCCESS)
        hello = log.first("hello")
        if hello is None:
            problems.append("no hello record (did iPXE boot the kernel?)")
        elif hello.get("mode") != "bench" or hello.get("cpus") != "2":
            problems.append("hello mode=%s cpus=%s, expected bench and 2"
                            % (hello.get("mode"), hello.get("cpus")))
        want = "mode=bench samples=%d warmup=%d" % (METAL_SAMPLES,
                                                   METAL_WARMUP)
        cmdline = log.first("cmdline")
        if cmdline is None or want not in cmdline.text("str"):
            problems.append("cmdline %r lacks %r" % (
                cmdline.text("str") if cmdline else None, want))
        strs = [m.text("str") for m in log.of_type("module")]
        expect = [m.partition(" ")[2] for m in bootimage.bench_modules(
            self.build, METAL_SAMPLES, METAL_WARMUP)]
        if strs != expect:
            problems.append("module strings %r, expected %r (bootimage.py)"
                            % (strs, expect))
        if log.first("panic") is not None:
            problems.append("kernel panic: %s"
                            % log.first("panic").text("msg"))
        if log.last("done") is None:
            problems.append("no done record")
        return self.fail("metal.boot", problems) if problems else \
            Result("metal.boot", True)

    def collect(self):
        """`collect` into a temporary results directory; the stored file
        must name the machine and hold every metric with its samples."""
        tmp = tempfile.mkdtemp(prefix="cairn-metal-results-")
        try:
            code, text = _lab_cmd("collect", "--log", self.log_path,
                                     "--machine", METAL_MACHINE,
                                     "--results", tmp)
            if code != 0:
                return [Result("metal.collect", False, "cairnlab.py collect "
                               "exit %d: %s" % (code, _brief(text)))]
            files = glob.glob(os.path.join(tmp, "metal", "*", "*", "*.tsv"))
            if len(files) != 1:
                return [Result("metal.collect", False, "%d result files "
                               "under %s/metal, expected 1: %s"
                               % (len(files), tmp, _brief(text)))]
            path = files[0]
            machine = os.path.basename(os.path.dirname(os.path.dirname(path)))
            out_ = []
            if re.match(r"^%s-[0-9a-f]{8}$" % re.escape(METAL_MACHINE),
                        machine) and os.path.isfile(os.path.join(
                            tmp, "machines", machine + ".txt")):
                out_.append(Result("metal.collect", True))
            else:
                out_.append(Result("metal.collect", False, "machine id %r "
                                   "(or its machines/ file) does not carry "
                                   "the name %r" % (machine, METAL_MACHINE)))
            rf = results.read(path)
            got = rf.metrics()
            missing = [m for m in self.metrics if m not in got]
            extra = [m for m in got if m not in self.metrics]
            out_.append(Result("metal.metrics", not missing and not extra,
                               "missing %s; unexpected %s (%s)" % (
                                   missing or "none", extra or "none", path)))
            short = ["%s=%d" % (m, len(rf.values(m))) for m in got
                     if len(rf.values(m)) != METAL_SAMPLES]
            out_.append(Result("metal.samples", bool(got) and not short,
                               "expected %d samples per metric, got %s"
                               % (METAL_SAMPLES, ", ".join(short) or
                                  "no metrics")))
            return out_
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def lava_job(self):
        """A LAVA job that chains the staged script validates against the
        schema of Debian's lava-common (2023.01)."""
        job = os.path.join(self.stage_dir, "lava-job.yaml")
        code, text = _lab_cmd("lava-job", "--dest-url",
                                 "http://{SERVER_IP}/cairn", "--staged",
                                 self.stage_dir, "-o", job)
        if code != 0:
            return Result("metal.lava_job", False, "cairnlab.py lava-job "
                          "exit %d: %s" % (code, _brief(text)))
        code, text = _lab_cmd("lava-check", job)
        if code != 0:      # says "apt-get install lava-common" if missing
            return Result("metal.lava_job", False, _brief(text))
        return Result("metal.lava_job", True)


# ------------------------------------------------------------------ peer

PEER_SAMPLES, PEER_WARMUP = 3, 1


def run_peer(logdir, binary, timeout):
    """The Linux peer: its kernel (build/peer/, or apt-get download), /init
    built from bench/peer/linuxbench.c, one boot at -smp 2 under plain TCG
    in one thread; exit status 1, no garbled record, every metric with
    its samples."""
    from cairn import peer
    said = []
    try:
        prep = peer.prepare(REPO, said.append)
    except (peer.PeerError, OSError) as e:
        return [Result("peer.prepare", False, "the Linux peer cannot be "
                       "prepared: %s%s" % (" ".join(str(e).split())[:600],
                                           "; " + said[-1] if said else ""))]
    out_ = [Result("peer.prepare", True)]
    spec = peer.boot_spec(prep, "tcg", smp=2, samples=PEER_SAMPLES,
                          warmup=PEER_WARMUP, tcg_threads="single",
                          binary=binary)
    log_path = os.path.join(logdir, "peer.log")
    try:
        cmd = qemu.build_command(spec, log_path)
    except RuntimeError as e:
        return out_ + [Result("peer.boot", False, str(e))]
    progress("peer: booting Linux %s with linuxbench as /init (%s -smp 2, "
             "TCG single thread, timeout %.0f s)" % (
                 prep.kernel.abi, os.path.basename(binary), timeout))
    with open(log_path + ".cmd", "w") as f:
        f.write(qemu.format_command(cmd) + "\n")
    res = qemu.run(cmd, log_path, timeout)
    progress("peer: finished in %.1f s, exit %s"
             % (res.seconds, qemu.describe_exit(res.status)))
    metrics, problems = peer.check_boot(res, res.log(), 2)
    out_.append(Result("peer.boot", not problems, "; ".join(problems) +
                       " (log: %s)" % log_path))
    short = ["%s=%d" % (m.name, len(m.samples)) for m in metrics.values()
             if len(m.samples) != PEER_SAMPLES]
    out_.append(Result("peer.samples", bool(metrics) and not short,
                       "expected %d samples per metric, got %s"
                       % (PEER_SAMPLES, ", ".join(short) or "no metrics")))
    return out_


# ------------------------------------------------------------------ lab tests

class _Collect(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.results = []

    def addSuccess(self, test):
        self.results.append(Result(lab_name(test), True))

    def addFailure(self, test, err):
        self.results.append(Result(lab_name(test), False,
                                   self._why(err)))

    def addError(self, test, err):
        self.results.append(Result(lab_name(test), False,
                                   "error: " + self._why(err)))

    def addSkip(self, test, reason):
        # Neither passed nor failed: said, so that a check that did not
        # run is never mistaken for one that passed.
        progress("%s SKIPPED: %s" % (lab_name(test), reason))

    def addExpectedFailure(self, test, err):
        self.results.append(Result(lab_name(test), True))

    def addUnexpectedSuccess(self, test):
        self.results.append(Result(lab_name(test), False,
                                   "unexpected success"))

    @staticmethod
    def _why(err):
        etype, value, _ = err
        text = "%s: %s" % (etype.__name__, value)
        return " ".join(text.split())[:300]


LAB_TESTS = os.path.join(REPO, "bench", "lab", "cairn", "tests")
LAB_PREFIX = "cairn.tests."     # test ids are cairn.tests.test_x.Class.test


def lab_name(test):
    tid = test.id()
    return "lab." + (tid[len(LAB_PREFIX):] if tid.startswith(LAB_PREFIX)
                     else tid)


def run_lab_tests(selector):
    start = LAB_TESTS
    suite = unittest.defaultTestLoader.discover(
        start, pattern="test_*.py",
        top_level_dir=os.path.join(REPO, "bench", "lab"))
    collected = _Collect()

    def flatten(s):
        for t in s:
            if isinstance(t, unittest.TestSuite):
                yield from flatten(t)
            else:
                yield t
    chosen = unittest.TestSuite(t for t in flatten(suite)
                                if selector.result("lab", lab_name(t)))
    chosen.run(collected)
    if not collected.results and not chosen.countTestCases():
        return [Result("lab", False, "no lab tests found in %s"
                       % os.path.relpath(LAB_TESTS, REPO))]
    return collected.results


# ------------------------------------------------------------------ main

# The probe decides the accelerator of the boots whose series is PROBED,
# and with it their TCG threading (resolve_probed).
PROBED = "probed"


def make_boots(a, build, kernel, sanity_vm, testdir, logdir):
    """Every guest boot, each unit named here and nowhere else; returns
    them in output order and the netboot among them."""
    # The usual boots run the kernel's self-tests and then user space: VM
    # and the test program's roles (tests/user/utest.c).
    mods = bootimage.test_modules(build)
    boots = []
    for n in SMP_COUNTS:
        boots.append(Boot("guest.smp%d" % n, qemu.Boot(
            append="mode=test", kernel=kernel, series=PROBED, smp=n,
            binary=a.qemu_i386, tcg_threads=PROBED, modules=mods), "test",
            n, a.timeout, logdir))
    for n, online, words in WIDE_SMP:
        boots.append(Boot("guest.smp%d" % n, qemu.Boot(
            append="mode=test quiet" + words, kernel=kernel, series=PROBED,
            smp=n, binary=a.qemu_i386, tcg_threads=PROBED), "test", n,
            a.timeout * WIDE_TIMEOUT_FACTOR, logdir, online=online))
    boots.append(Boot("guest.noacpi-smp%d" % NOACPI_SMP, qemu.Boot(
        append="mode=test", kernel=kernel, series=PROBED, smp=NOACPI_SMP,
        binary=a.qemu_i386, tcg_threads=PROBED, modules=mods,
        extra=["-no-acpi"]), "test", NOACPI_SMP, a.timeout, logdir))
    boots.append(Boot(ABOVE4G_UNIT, qemu.Boot(
        append="mode=test", kernel=kernel, series=PROBED, smp=1,
        memory=ABOVE4G_MEMORY, binary=a.qemu_i386, tcg_threads=PROBED),
        "above4g", 1, a.timeout, logdir))
    boots.append(Boot("guest.mttcg-smp2", qemu.Boot(
        append="mode=test", kernel=kernel, series="tcg", smp=2,
        binary=a.qemu_i386, tcg_threads="multi", modules=mods), "test", 2,
        a.timeout, logdir))
    boots.append(Boot("guest.x86_64-epyc-smp2", qemu.Boot(
        append="mode=test", kernel=kernel, series="tcg", smp=2, cpu="EPYC",
        binary=a.qemu_x86_64, tcg_threads="single", modules=mods), "test", 2,
        a.timeout, logdir))
    # Older CPUs (boot/cpucheck.c): a Pentium runs the test image (always
    # TCG: the CPU model is the point); a 486 is refused with its reasons.
    for n in PENTIUM_SMP:
        boots.append(Boot("guest.cpu-pentium-smp%d" % n, qemu.Boot(
            append="mode=test", kernel=kernel, series="tcg", smp=n,
            cpu="pentium", binary=a.qemu_i386, tcg_threads="single",
            modules=mods), "test", n, a.timeout, logdir))
    boots.append(Boot("guest.cpu-486", qemu.Boot(
        append="mode=test", kernel=kernel, series="tcg", smp=1, cpu="486",
        binary=a.qemu_i386, modules=mods), "refuse", 1, a.timeout, logdir))
    boots.append(Boot("guest.cpu-isapc", qemu.Boot(
        append="mode=test", kernel=kernel, series="tcg", smp=1,
        binary=a.qemu_i386, extra=["-machine", "isapc"], modules=mods),
        "refuse-vga", 1, a.timeout, logdir))
    # VM's sanity build under the usual test image: every request is
    # followed by a check of all memory.
    boots.append(Boot("guest.vm-sanity-smp2", qemu.Boot(
        append="mode=test", kernel=kernel, series=PROBED, smp=2,
        binary=a.qemu_i386, tcg_threads=PROBED,
        modules=bootimage.test_modules(build, vm=sanity_vm)), "sanity", 2,
        a.timeout, logdir))
    boots.append(Boot("fault.vm-write-outside-use", qemu.Boot(
        append="", kernel=kernel, series=PROBED, smp=2, binary=a.qemu_i386,
        tcg_threads=PROBED, modules=["%s vm %s" % (sanity_vm,
                                                     WRITE_OUTSIDE_USE)]),
        "vmfault", 2, a.timeout, logdir))
    # The VM server's and PM's tests: their own image, 64 MiB.
    vmmods = bootimage.vmtest_modules(build)
    for n in VMTEST_SMP:
        boots.append(Boot("vmtest.smp%d" % n, qemu.Boot(
            append="mode=test", kernel=kernel, series=PROBED, smp=n,
            memory=bootimage.VMTEST_MEMORY, binary=a.qemu_i386,
            tcg_threads=PROBED, modules=vmmods), "test", n, a.timeout,
            logdir))
    # Little RAM: exec while memory runs out (vmtest suite=lowmem).
    for n in VMTEST_SMP:
        boots.append(Boot("vmtest.lowmem-smp%d" % n, qemu.Boot(
            append="mode=test", kernel=kernel, series=PROBED, smp=n,
            memory=bootimage.LOWMEM_MEMORY, binary=a.qemu_i386,
            tcg_threads=PROBED,
            modules=bootimage.vmtest_lowmem_modules(build)), "test", n,
            a.timeout, logdir))
    # All the RAM: a guest bigger than VM's direct map (vmtest
    # role=bigmem): VM reaches most frames through its frame window.
    boots.append(Boot(BIGMEM_UNIT, qemu.Boot(
        append="mode=test", kernel=kernel, series=PROBED, smp=2,
        memory=bootimage.BIGMEM_MEMORY, binary=a.qemu_i386,
        tcg_threads=PROBED, modules=bootimage.vmtest_bigmem_modules(build)),
        "bigmem", 2, a.timeout, logdir))
    # Recovery: RS, its services and the driver that crashes them.
    rsmods = bootimage.rstest_modules(build)
    for n in RS_SMP:
        boots.append(Boot("rs.smp%d" % n, qemu.Boot(
            append="mode=test", kernel=kernel, series=PROBED, smp=n,
            memory=bootimage.VMTEST_MEMORY, binary=a.qemu_i386,
            tcg_threads=PROBED, modules=rsmods), "test", n, a.timeout,
            logdir))
    boots.append(Boot("rs.bad-policy", qemu.Boot(
        append="", kernel=kernel, series=PROBED, smp=1,
        memory=bootimage.VMTEST_MEMORY, binary=a.qemu_i386,
        tcg_threads=PROBED, modules=bootimage.rstest_modules(
            build, system=bad_policy_image(build, logdir))), "badpolicy", 1,
        a.timeout, logdir))
    # The hostile suite: an ordinary process's attacks, each followed by
    # a health check; the VM tests' memory size.
    hostmods = bootimage.hostile_modules(build)
    for name, n, words in [("hostile.smp%d" % n, n, "") for n in
                           HOSTILE_SMP] + [(HOSTILE_LAZY, 2, " fpu=lazy"),
                                            (HOSTILE_EAGER, 2, " fpu=eager")]:
        boots.append(Boot(name, qemu.Boot(
            append="mode=test" + words, kernel=kernel, series=PROBED,
            smp=n, memory=bootimage.VMTEST_MEMORY, binary=a.qemu_i386,
            tcg_threads=PROBED, modules=hostmods), "hostile", n, a.timeout,
            logdir))
    # The same attacks where 32-bit code has syscall (AMD): its entry
    # and return paths get the odd flags too.
    boots.append(Boot("hostile.x86_64-epyc-smp2", qemu.Boot(
        append="mode=test", kernel=kernel, series="tcg", smp=2, cpu="EPYC",
        memory=bootimage.VMTEST_MEMORY, binary=a.qemu_x86_64,
        tcg_threads="single", modules=hostmods), "hostile", 2, a.timeout,
        logdir))
    # And on a Pentium: int entry only, FSAVE, no PGE.
    boots.append(Boot("hostile.cpu-pentium-smp1", qemu.Boot(
        append="mode=test", kernel=kernel, series="tcg", smp=1,
        cpu="pentium", memory=bootimage.VMTEST_MEMORY, binary=a.qemu_i386,
        tcg_threads="single", modules=hostmods), "hostile", 1, a.timeout,
        logdir))
    for n in DOUBLEFAULT_SMP:
        boots.append(Boot("fault.doublefault-smp%d" % n, qemu.Boot(
            append="mode=doublefault", kernel=kernel, series=PROBED,
            smp=n, binary=a.qemu_i386, tcg_threads=PROBED), "doublefault",
            n, a.timeout, logdir))
        boots.append(Boot("fault.ntiret-smp%d" % n, qemu.Boot(
            append="mode=ntiret", kernel=kernel, series=PROBED, smp=n,
            binary=a.qemu_i386, tcg_threads=PROBED), "ntiret", n,
            a.timeout, logdir))
    # The fuzzer: random calls by ordinary processes, always under icount
    # so that a failure replays exactly (`make fuzz`, with the seed, calls
    # and CPU count below).
    for n in FUZZ_SMP:
        seed = FUZZ_SEED + n
        boots.append(Boot("fuzz.smp%d" % n, qemu.Boot(
            append="mode=test", kernel=kernel, series="icount", smp=n,
            binary=a.qemu_i386, modules=bootimage.fuzz_modules(
                build, seed, FUZZ_CALLS, FUZZ_PROCS)), "test", n,
            max(a.timeout, 60 + FUZZ_CALLS / 2000.0), logdir))
        boots[-1].replay = "make fuzz SEED=%d CALLS=%d SMP=%d PROCS=%d" % (
            seed, FUZZ_CALLS, n, FUZZ_PROCS)
    boots.append(Boot("fault.smp2", qemu.Boot(
        append="mode=fault quiet", kernel=kernel, series=PROBED, smp=2,
        binary=a.qemu_i386), "fault", 2, a.timeout, logdir))
    tftp = os.path.join(testdir, "tftp")
    net = Boot("netboot", qemu.Boot(
        append="", kernel=None, series=PROBED, smp=1, binary=a.qemu_i386,
        tftp=tftp, bootfile="cairn.ipxe"), "netboot", 1, a.timeout, logdir)
    boots.append(net)
    boots.append(MetalBoot(build, a.qemu_i386, a.timeout, logdir,
                           os.path.join(testdir, "metal")))
    boots.append(GrubBoot(build, a.qemu_i386, a.timeout, logdir, testdir))
    # Bad command lines: refused at once, red, the problem named.
    for name, line, want in CMDLINE_BAD:
        b = Boot(name, qemu.Boot(append=line, kernel=kernel, series=PROBED,
                                 smp=1, binary=a.qemu_i386), "cmdline", 1,
                 a.timeout, logdir)
        b.cmdline_want = want or (
            "command line is %d bytes, longer than the limit of %d bytes"
            % (len(kernel) + 1 + len(line), CMDLINE_LIMIT))
        boots.append(b)
    return boots, net


def resolve_probed(boots, series):
    """Gives the boots that follow the KVM probe its series. Under TCG
    the smp boots run all vCPUs in one host thread, where a spinning vCPU
    hands over at `pause` (8 vCPUs on 2 host cores in parallel mode turn
    every ticket-lock handover into a host time slice); the boots that
    name their threading (guest.mttcg-smp2: QEMU's parallel mode, for real
    concurrency) keep it."""
    threads = "single" if series == "tcg" else None
    for b in boots:
        if b.spec.series == PROBED:
            b.spec.series = series
        if b.spec.tcg_threads == PROBED:
            b.spec.tcg_threads = threads


def bad_policy_image(build, logdir):
    """A copy of the build's system image whose system.conf is BAD_POLICY
    (made with Python's tarfile: the same ustar format)."""
    import io
    import tarfile
    path = os.path.join(logdir, "system-bad-policy.tar")
    src = bootimage.system_image(build)
    if not os.path.exists(src):
        return src                # the boot reports the missing module
    with tarfile.open(src) as old, tarfile.open(
            path, "w", format=tarfile.USTAR_FORMAT) as new:
        for info in old.getmembers():
            if info.name == "system.conf":
                data = BAD_POLICY.encode()
                info.size = len(data)
                new.addfile(info, io.BytesIO(data))
            else:
                new.addfile(info, old.extractfile(info))
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--only", metavar="PATTERN")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="seconds per boot (default 120)")
    ap.add_argument("--kernel", help="default <build>/kernel.elf")
    ap.add_argument("--sanity-vm", help="VM's sanity build (make SANITY=1) "
                    "for the sanity boots; default <build>-sanity/user/vm.elf")
    ap.add_argument("--no-kvm", action="store_true",
                    help="skip the KVM probe, boot under TCG")
    ap.add_argument("--qemu-i386", default=qemu.QEMU_I386)
    ap.add_argument("--qemu-x86_64", default=qemu.QEMU_X86_64)
    a = ap.parse_args()

    build = os.path.abspath(a.build)
    kernel = os.path.abspath(a.kernel or os.path.join(build, "kernel.elf"))
    sanity_vm = os.path.abspath(a.sanity_vm or os.path.join(
        build + "-sanity", "user", "vm.elf"))
    testdir = os.path.join(build, "test")
    logdir = os.path.join(testdir, "logs")
    if os.path.isdir(logdir):
        shutil.rmtree(logdir)
    os.makedirs(logdir)
    sel = Selector(a.only)
    started = time.monotonic()

    host_bins = sorted(p for p in glob.glob(os.path.join(build, "host",
                                                         "test_*"))
                       if os.path.isfile(p) and os.access(p, os.X_OK)
                       and not p.endswith((".o", ".d", ".c")))
    boots, net = make_boots(a, build, kernel, sanity_vm, testdir, logdir)
    guest_units = [b.name for b in boots]
    # The units that are neither host binaries nor guest boots, each named
    # here once: checks of the tree before the boots, the rest after.
    checks = [("image", lambda: check_image(kernel)),
              ("layout", lambda: check_layout(build))]
    last = [("peer", lambda: run_peer(logdir, a.qemu_i386, a.timeout)),
            ("lab", lambda: run_lab_tests(sel))]
    all_units = [host_unit(p) for p in host_bins] + \
        ["host"] + [u for u, _ in checks] + guest_units + \
        [u for u, _ in last]
    if a.only and not any(sel.unit(u) for u in all_units):
        sel.fallback = True
        out("(--only %r names no unit: running everything, reporting "
            "matching tests)" % a.only)

    passed = failed = 0
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs))
    jobs = []        # (unit, future), in output order

    # (a) host unit tests
    if sel.unit("host") or any(sel.unit(host_unit(p))
                               for p in host_bins):
        if not host_bins:
            jobs.append(("host", pool.submit(lambda: [Result(
                "host", False, "no executables %s/host/test_*" % build)])))
        for p in host_bins:
            u = host_unit(p)
            if sel.unit(u) or sel.unit("host"):
                jobs.append((u, pool.submit(run_host_test, p, a.timeout)))

    # (a') the linked image (layout, symbol prefixes, CPU-local code) and
    # the tree's (the kernel-VM contract, circles)
    for unit, fn in checks:
        if sel.unit(unit):
            jobs.append((unit, pool.submit(fn)))

    # (b) the KVM probe decides the accelerator of the guest boots
    chosen = [u for u in guest_units if sel.unit(u)]
    series = "tcg"
    if chosen:
        if a.no_kvm:
            out("accelerator for guest boots: TCG (--no-kvm)")
        elif os.path.exists(kernel):
            progress("KVM probe (mode=probe under -accel kvm)")
            p = qemu.probe_kvm(kernel, testdir, binary=a.qemu_i386)
            if p.ok:
                series = "kvm"
                out("accelerator for guest boots: KVM (%s)" % p.reason)
            else:
                out("accelerator for guest boots: TCG (KVM unusable: %s)"
                    % p.reason)
        else:
            out("accelerator for guest boots: none (no kernel at %s)" % kernel)

    # (c)-(f) guest boots
    resolve_probed(boots, series)
    for b in boots:
        if b.name not in chosen:
            continue
        if b.kind in ("sanity", "vmfault") and not os.path.exists(sanity_vm):
            jobs.append((b.name, pool.submit(lambda n=b.name: [Result(
                n + ".boot", False, "no sanity VM at %s (make sanity-user)"
                % sanity_vm)])))
            continue
        if b is net:
            if not os.path.exists(kernel):
                jobs.append((b.name, pool.submit(lambda: [Result(
                    "netboot.boot", False, "no kernel at %s" % kernel)])))
                continue
            b.netmod = stage_netboot(kernel, b.spec.tftp)
        jobs.append((b.name, pool.submit(b.run)))

    # (f') Linux beside Cairn: the peer's own boot; (g) the lab's own
    # unit tests
    for unit, fn in last:
        if sel.unit(unit):
            jobs.append((unit, pool.submit(fn)))

    for unit, fut in jobs:
        try:
            results = fut.result()
        except Exception as e:           # a bug in this script: still count
            results = [Result(unit, False, "runner error: %r" % e)]
        for r in results:
            # A failed boot-level check is shown even when --only filters
            # by test name: it may be why the wanted tests are missing.
            boot_level = r.name.endswith((".boot", ".dump")) or r.name == unit
            if not sel.result(unit, r.name) and (r.ok or not boot_level):
                continue
            out(r.line())
            if r.ok:
                passed += 1
            else:
                failed += 1
    pool.shutdown()
    progress("took %.0f s" % (time.monotonic() - started))
    if passed + failed == 0:
        out("no test selected")
        failed = 1
        out("%d passed, %d failed" % (passed, failed))
        return 1
    out("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
