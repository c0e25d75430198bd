"""The boot modules of a user-space boot, shared by tests/run.py and the
lab: module 0 is VM, module 1 the process manager (PM), module 2 the
system image (RS, the services and their policy in one archive: VM starts
RS from it), then one module per role of a test or benchmark program, in
the order the programs rely on (boot program i has endpoint
make_endpoint(1, i); tests/user/utest.h, bench/user/ubench.c).  That is
3 + roles modules: iPXE passes at most 8."""

import os

# utest's roles in module order (tests/user/utest.h: UT_MAIN = 3, ...);
# its crasher is spawned, not booted.
UTEST_ROLES = ("main", "server", "restricted", "fuzzer", "spinner")
# ubench's roles in module order (bench/user/ubench.c: UB_MAIN = 3, ...).
UBENCH_ROLES = ("main", "server", "xserver")
# vmtest's roles in module order: the peer right after main
# (tests/user/vmtest.c finds each from the other's endpoint).
VMTEST_ROLES = ("main", "peer")
# The vmtest boots' guest memory in MiB: small, so that running out of
# memory is quick (tests/user/vmtest.c's vm.oom.* and its warm-up).
VMTEST_MEMORY = 64
# The big-memory boot (vmtest role=bigmem): more RAM than VM's direct map
# reaches, all of it below 4 GiB, so that VM must use its frame window.
BIGMEM_MEMORY = 3072
# The low-memory boot (vmtest role=main suite=lowmem): exec while memory
# runs out (tests/user/vmtest_exec.c), in the smallest guest of the tests.
LOWMEM_MEMORY = 16
# A module that is not a program: vmtest execs it by name and must get
# ENOEXEC (VM skips it at boot, saying so). The Makefile writes it.
NOTELF = "notelf.bin"

# The hostile suite's driver (tests/user/hostile.c): it spawns each
# attacker itself, as an ordinary process with no privilege row.
HOSTILE_ROLES = ("main",)

FUZZ_SEED = 20261122          # fixed: a failure replays exactly
FUZZ_COUNT = 2000


MAX_MODULES = 8               # what iPXE passes (kernel/kinfo.h)


def system_image(build):
    """The system image a build makes (Makefile: SYSTEM_IMAGE)."""
    return os.path.join(build, "user", "system.tar")


def _modules(build, program, roles, extra, vm=None, system=None):
    """system: another system image than the build's (a test's)."""
    user = os.path.join(build, "user")
    mods = [(vm or os.path.join(user, "vm.elf")) + " vm",
            os.path.join(user, "pm.elf") + " pm",
            (system or system_image(build)) + " system"]
    for role in roles:
        words = ["role=%s" % role] + list(extra.get(role, []))
        mods.append("%s %s %s" % (os.path.join(user, program + ".elf"),
                                  program, " ".join(words)))
    assert len(mods) <= MAX_MODULES, "%d modules: iPXE passes %d" % (
        len(mods), MAX_MODULES)
    return mods


def test_modules(build, vm=None):
    """vm: another VM image than <build>/user/vm.elf (VM's sanity
    build)."""
    return _modules(build, "utest", UTEST_ROLES, {
        "fuzzer": ["seed=%d" % FUZZ_SEED, "count=%d" % FUZZ_COUNT]}, vm)


def vmtest_modules(build):
    return _modules(build, "vmtest", VMTEST_ROLES, {}) + [
        os.path.join(build, "user", NOTELF) + " notelf"]


def vmtest_lowmem_modules(build):
    """vmtest's driver alone, running exec out of memory
    (tests/user/vmtest_exec.c), for a guest of LOWMEM_MEMORY MiB."""
    return _modules(build, "vmtest", ("main",), {"main": ["suite=lowmem"]})


def vmtest_bigmem_modules(build):
    """vmtest's driver alone, running its big-memory tests
    (tests/user/vmtest_bigmem.c), for a guest of BIGMEM_MEMORY MiB."""
    return _modules(build, "vmtest", ("main",), {"main": ["suite=bigmem"]})


def rstest_modules(build, system=None):
    """The recovery tests' driver (tests/user/rstest.c) beside RS and its
    services; system: a system image of the test's own."""
    return _modules(build, "rstest", ("main",), {}, system=system)


def hostile_modules(build):
    return _modules(build, "hostile", HOSTILE_ROLES, {})


def fuzz_modules(build, seed, calls, procs=3, extra=()):
    """The fuzzer's driver (tests/user/fuzz.c): it spawns procs workers,
    ordinary processes, that make calls random calls in all."""
    return _modules(build, "fuzz", ("main",), {"main": [
        "seed=%d" % seed, "calls=%d" % calls, "procs=%d" % procs] +
        list(extra)})


def bench_modules(build, samples=None, warmup=None, only=None):
    """only: ubench measures only the metrics whose name starts with it
    (as the kernel's word bench= does for its own)."""
    words = []
    if samples is not None:
        words.append("samples=%d" % samples)
    if warmup is not None:
        words.append("warmup=%d" % warmup)
    if only:
        words.append("only=%s" % only)
    return _modules(build, "ubench", UBENCH_ROLES, {"main": words})


def missing(mods):
    """Module files that do not exist (not built yet)."""
    return [m.split()[0] for m in mods if not os.path.exists(m.split()[0])]
