"""Booting the kernel under QEMU: command lines, timeouts, the KVM probe.

Every boot sends the serial port to a file (a pipe was seen to change
icount counts), has no display, no default devices, no reboot, 128 MiB, and
the isa-debug-exit device through which the kernel ends QEMU:

    kernel writes   QEMU exits with   meaning
    0               1                 success
    1               3                 tests failed
    2               5                 panic
    3               7                 unsupported CPU: the pre-init
                                      (boot/cpucheck.c) named the missing
                                      features on serial and VGA, halted

The series (how time is measured) decide the accelerator options:

    icount  TCG with -icount shift=0,sleep=off: the TSC advances one tick per
            executed instruction, so the same binary gives the same counts
            on every run; plus a fixed RTC and random seed for bit-exact runs
    tcg     plain TCG: real time, noisy (up to 2x between runs)
    kvm     -accel kvm -cpu host,-arch-capabilities, used only after a probe
            boot passed (the -arch-capabilities keeps hosts that refuse MSR
            0x10a working)

Benchmark boots of the real-time series (tcg, kvm) also get
-name cairn,debug-threads=on (vCPU threads named 'CPU <n>/KVM', so the
lab can pin them) and -mem-prealloc (guest memory allocated before the
guest runs, not on first touch during a benchmark); see Boot.thread_names
and Boot.prealloc.
"""

import os
import shlex
import signal
import subprocess
import time
from dataclasses import dataclass, field

from . import records

QEMU_I386 = "qemu-system-i386"
QEMU_X86_64 = "qemu-system-x86_64"

EXIT_SUCCESS = 1
EXIT_TESTS_FAILED = 3
EXIT_PANIC = 5
EXIT_UNSUPPORTED_CPU = 7
_EXIT_MEANING = {EXIT_SUCCESS: "success", EXIT_TESTS_FAILED: "tests failed",
                 EXIT_PANIC: "panic",
                 EXIT_UNSUPPORTED_CPU: "unsupported CPU"}

COMMON = ["-no-reboot", "-display", "none", "-nodefaults", "-m", "128",
          "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]

# Option groups per series, in the order they go on the command line.  Each
# group is checked against the QEMU at hand (check_options) and dropped,
# with a note, if it rejects it.  QEMU 7.2 accepts all of them.
SERIES_OPTIONS = {
    "icount": [["-accel", "tcg"],
               ["-icount", "shift=0,sleep=off"],
               ["-rtc", "clock=vm,base=2020-01-01T00:00:00"],
               ["-seed", "1"]],
    "tcg": [["-accel", "tcg"]],
    "kvm": [["-accel", "kvm"], ["-cpu", "host,-arch-capabilities"]],
}
SERIES = tuple(SERIES_OPTIONS)

# Which option groups are essential: without them the series means nothing.
_ESSENTIAL = {("-accel", "tcg"), ("-icount", "shift=0,sleep=off"),
              ("-accel", "kvm")}


def describe_exit(status):
    if status is None:
        return "timed out"
    return "%d (%s)" % (status, _EXIT_MEANING.get(status, "unexpected"))


def format_command(cmd):
    return shlex.join(str(c) for c in cmd)


# ------------------------------------------------------- option acceptance

_accepted_cache = {}


def _qemu_accepts(binary, opts, wait=2.0):
    """Starts QEMU with the options on an empty machine, paused.  If it is
    still running after `wait` seconds it accepted them (QEMU rejects bad
    options at once).  Returns (ok, error text)."""
    cmd = [binary, "-machine", "none", "-S", "-display", "none",
           "-nodefaults", "-monitor", "none", "-serial", "none"] + list(opts)
    if "-accel" not in opts:
        cmd += ["-accel", "tcg"]
    try:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, start_new_session=True)
    except OSError as e:
        return False, str(e)
    try:
        _, err = p.communicate(timeout=wait)
        return False, err.decode(errors="replace").strip() or \
            "exited with %d" % p.returncode
    except subprocess.TimeoutExpired:
        _kill(p)
        return True, ""


def check_options(binary, series):
    """The option groups of a series that this QEMU accepts, and notes on
    the ones it rejected.  Cached per (binary, series)."""
    key = (binary, series)
    if key in _accepted_cache:
        return _accepted_cache[key]
    groups = SERIES_OPTIONS[series]
    if series == "kvm":
        # Checking needs /dev/kvm; the probe boot does the real check.
        result = ([list(g) for g in groups], [])
        _accepted_cache[key] = result
        return result
    flat = [o for g in groups for o in g]
    ok, _ = _qemu_accepts(binary, flat)
    if ok:
        result = ([list(g) for g in groups], [])
    else:
        kept, notes = [], []
        for g in groups:
            ok, err = _qemu_accepts(binary, g)
            if ok:
                kept.append(list(g))
            elif tuple(g) in _ESSENTIAL:
                raise RuntimeError("%s rejects %s, which series %s needs: %s"
                                   % (binary, " ".join(g), series, err))
            else:
                notes.append("%s rejects %s (%s): dropped, so runs may not "
                             "be bit-exact" % (binary, " ".join(g), err))
        result = (kept, notes)
    _accepted_cache[key] = result
    return result


# -------------------------------------------------------------- boot specs

@dataclass
class Boot:
    """What to boot and how.  kernel=None with tftp set means netboot,
    with cdrom set a boot from that CD image (its GRUB menu's default)."""
    append: str
    kernel: str = None
    series: str = "tcg"
    smp: int = 1
    memory: int = 128
    cpu: str = None               # None: QEMU's default (qemu32 / qemu64)
    binary: str = QEMU_I386
    modules: list = field(default_factory=list)   # "path args" strings
    tftp: str = None              # netboot: directory served by TFTP
    cdrom: str = None             # a bootable CD image (make iso): no -kernel
    bootfile: str = None          # netboot: file iPXE fetches first
    extra: list = field(default_factory=list)
    # TCG threading: None (QEMU's default, one host thread per vCPU),
    # "single" (all vCPUs round robin in one thread: a vCPU's turn ends
    # at pause or hlt, so spin-waits hand over at once even with more
    # vCPUs than host cores) or "multi". icount is always single.
    tcg_threads: str = None
    # Noise control for real-time series (BENCHMARKS.md, "Noise control
    # and perf"): name the vCPU threads 'CPU <n>/KVM|TCG' so they can be
    # pinned, and allocate the guest's memory before it starts.
    thread_names: bool = False
    prealloc: bool = False

    def cpu_name(self):
        """The CPU model the guest sees, for config names."""
        if self.series == "kvm":
            return "host"
        if self.cpu:
            return self.cpu.split(",")[0]
        return "qemu64" if self.binary.endswith("x86_64") else "qemu32"

    def config(self):
        """Short config string for results paths, e.g. smp1-m128-cpuqemu32."""
        name = "smp%d-m%d-cpu%s" % (self.smp, self.memory,
                                    self.cpu_name().lower())
        if self.binary.endswith("x86_64"):
            name = "x86_64-" + name
        return name


NOISE_OPTIONS = {"thread_names": ["-name", "cairn,debug-threads=on"],
                 "prealloc": ["-mem-prealloc"]}


def check_noise_options(binary, wanted):
    """The noise-control option groups (NOISE_OPTIONS keys) this QEMU
    accepts, and notes on those it rejects.  Cached per binary and group."""
    key = (binary, "noise:" + ",".join(wanted))
    if key not in _accepted_cache:
        _accepted_cache[key] = _qemu_accepts(
            binary, [o for n in wanted for o in NOISE_OPTIONS[n]])
    if _accepted_cache[key][0]:
        return [list(NOISE_OPTIONS[n]) for n in wanted], []
    kept, notes = [], []
    for name in wanted:
        g = NOISE_OPTIONS[name]
        key = (binary, "noise:" + name)
        if key not in _accepted_cache:
            _accepted_cache[key] = _qemu_accepts(binary, g)
        ok, err = _accepted_cache[key]
        if ok:
            kept.append(list(g))
        else:
            notes.append("%s rejects %s (%s): dropped" % (
                binary, " ".join(g), err))
    return kept, notes


def build_command(boot, log_path, notes=None):
    """The QEMU command line (a list) for a boot; notes (a list) collects
    remarks about dropped options."""
    groups, dropped = check_options(boot.binary, boot.series)
    if notes is not None:
        notes.extend(dropped)
    cmd = [boot.binary]
    for g in groups:
        if g[0] == "-cpu" and boot.cpu and boot.series != "kvm":
            continue
        if g == ["-accel", "tcg"] and boot.tcg_threads and \
                boot.series == "tcg":
            g = ["-accel", "tcg,thread=%s" % boot.tcg_threads]
        cmd += g
    cmd += COMMON
    if boot.memory != 128:
        i = cmd.index("-m")
        cmd[i + 1] = str(boot.memory)
    if boot.cpu and boot.series != "kvm":
        cmd += ["-cpu", boot.cpu]
    cmd += ["-smp", str(boot.smp)]
    wanted = [n for n in NOISE_OPTIONS if getattr(boot, n)]
    if wanted:
        kept, dropped = check_noise_options(boot.binary, wanted)
        if notes is not None:
            notes.extend(dropped)
        for g in kept:
            cmd += g
    cmd += ["-serial", "file:%s" % log_path]
    if boot.tftp:
        netdev = "user,id=n0,tftp=%s" % boot.tftp
        if boot.bootfile:
            netdev += ",bootfile=%s" % boot.bootfile
        cmd += ["-netdev", netdev, "-device", "e1000,netdev=n0", "-boot", "n"]
    elif boot.cdrom:
        cmd += ["-cdrom", boot.cdrom, "-boot", "d"]
    else:
        cmd += ["-kernel", boot.kernel, "-append", boot.append]
        if boot.modules:
            # -initrd takes comma-separated "file args" entries; a comma
            # inside one is written ",,".
            cmd += ["-initrd", ",".join(m.replace(",", ",,")
                                        for m in boot.modules)]
    cmd += list(boot.extra)
    return cmd


# -------------------------------------------------------------- running

@dataclass
class Result:
    status: int                   # QEMU's exit status; None on timeout
    log_path: str
    stderr: str
    seconds: float
    cmd: list
    timed_out: bool = False

    def log(self):
        """The parsed serial log (records.Log); an empty one if missing."""
        try:
            return records.parse_file(self.log_path)
        except FileNotFoundError:
            return records.Log()

    def stderr_summary(self):
        lines = [l.strip() for l in self.stderr.splitlines() if l.strip()]
        keys = ("error", "failure", "fail", "abort", "fatal")
        hits = [l for l in lines if any(k in l.lower() for k in keys)]
        return " / ".join(hits[:2]) if hits else (lines[0] if lines else "")


def _kill(p):
    """Kills the QEMU we started (its own process group) and reaps it."""
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        try:
            p.kill()
        except ProcessLookupError:
            pass
    try:
        p.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def run(cmd, log_path, timeout=120.0, progress=None, on_start=None):
    """Runs QEMU with a timeout; on timeout kills it.  The serial log goes
    to log_path (named in cmd), QEMU's stderr to log_path + '.stderr'.
    progress, if given, is called with the seconds elapsed about once a
    second while QEMU runs; on_start, if given, with QEMU's pid and a
    function that says whether it still runs, once it has been started
    (to pin its threads or attach perf to it)."""
    os.makedirs(os.path.dirname(os.path.abspath(log_path)), exist_ok=True)
    if os.path.exists(log_path):
        os.unlink(log_path)
    err_path = log_path + ".stderr"
    start = time.monotonic()
    timed_out = False
    with open(err_path, "wb") as err:
        p = subprocess.Popen([str(c) for c in cmd], stdin=subprocess.DEVNULL,
                             stdout=err, stderr=err, start_new_session=True)
        try:
            if on_start is not None:
                on_start(p.pid, lambda: p.poll() is None)
            status = None
            while status is None:
                left = timeout - (time.monotonic() - start)
                if left <= 0:
                    raise subprocess.TimeoutExpired(cmd, timeout)
                try:
                    status = p.wait(timeout=min(1.0, left))
                except subprocess.TimeoutExpired:
                    if progress is not None:
                        progress(time.monotonic() - start)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill(p)
            status = None
        except BaseException:
            _kill(p)
            raise
    seconds = time.monotonic() - start
    with open(err_path, "rb") as f:
        stderr = f.read().decode(errors="replace")
    return Result(status, log_path, stderr, seconds, cmd, timed_out)


def boot(spec, log_path, timeout=120.0, notes=None, progress=None):
    """Builds the command for a Boot spec and runs it."""
    return run(build_command(spec, log_path, notes), log_path, timeout,
               progress)


# -------------------------------------------------------------- KVM probe

@dataclass
class Probe:
    ok: bool
    reason: str
    log_path: str = None


def probe_kvm(kernel, workdir, binary=QEMU_I386, timeout=20.0):
    """Boots the kernel in mode=probe under KVM: it takes an interrupt and
    returns with iret, which a broken or software KVM cannot do.  KVM is
    usable only if QEMU exits with success and the probe record arrived."""
    dev = "/dev/kvm"
    if not os.path.exists(dev):
        return Probe(False, "no /dev/kvm")
    if not os.access(dev, os.R_OK | os.W_OK):
        return Probe(False, "/dev/kvm is not readable and writable by this user")
    if not kernel or not os.path.exists(kernel):
        return Probe(False, "no kernel to probe with (%s)" % kernel)
    log_path = os.path.join(workdir, "kvm-probe.log")
    spec = Boot(append="mode=probe", kernel=kernel, series="kvm", binary=binary)
    res = boot(spec, log_path, timeout)
    log = res.log()
    if res.timed_out:
        return Probe(False, "probe boot timed out after %.0f s" % timeout,
                     log_path)
    rec = log.first("probe")
    if res.status == EXIT_SUCCESS and rec is not None \
            and rec.get("result") == "ok" and not log.garbled:
        return Probe(True, "probe boot under KVM passed (%.1f s)" % res.seconds,
                     log_path)
    why = res.stderr_summary()
    if not why:
        if res.status == 0:
            # -no-reboot turns a guest reset into a plain QEMU exit.
            why = "QEMU exited 0: the guest reset (triple fault?)"
        else:
            why = "exit status %s" % describe_exit(res.status)
    if rec is None:
        why += "; no probe record" + ("" if log.records else
                                      " (no record at all)")
    return Probe(False, "probe boot under KVM failed: %s" % why, log_path)


def boot_problems(res, log, want=EXIT_SUCCESS):
    """What is wrong with a finished boot whatever it was for: a timeout,
    an unexpected exit status (with what QEMU said), garbled records."""
    problems = []
    if res.timed_out:
        problems.append("timed out after %.0f s" % res.seconds)
    elif res.status != want:
        problems.append("QEMU exit status %s" % describe_exit(res.status))
        if res.stderr_summary():
            problems.append("QEMU said: %s" % res.stderr_summary())
    for g in log.garbled:
        problems.append("garbled record, %s" % g)
    return problems
