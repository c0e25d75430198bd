"""The host around a benchmark boot: what it was doing, and keeping it quiet.

For real-time series (tcg, kvm) a boot's numbers depend on the host as
much as on the guest, so bench records, per boot:

    load     /proc/loadavg (1-minute average) before and after the boot
    freq     scaling_cur_freq of the host CPUs the vCPUs were pinned to,
             sampled about once a second while QEMU ran ('unavailable'
             where /sys does not expose it, e.g. in most VMs)
    pin      which host CPU each vCPU thread was pinned to: the threads
             named 'CPU <n>/KVM' or 'CPU <n>/TCG' (QEMU names them with
             -name ...,debug-threads=on) get one CPU each with
             sched_setaffinity; where they cannot be found, every thread
             of QEMU gets the chosen CPU set (what `taskset -a -p` does)
    perf     VM exits counted with perf on the QEMU process (kvm only):
             `perf stat -e kvm:kvm_exit` for the exact total and `perf kvm
             stat record/report` for the exit reasons

Every probe of the host takes its effects as arguments (the /proc and
/sys roots, the perf runner) so that tests can play any host.
"""

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field

VCPU_RE = re.compile(r"^CPU (\d+)/(KVM|TCG)$")
PERF_EVENT = "kvm:kvm_exit"


# ------------------------------------------------------------ load, freq

def loadavg(proc="/proc"):
    """The 1-minute load average as text ('0.39'), or '?'."""
    try:
        with open(os.path.join(proc, "loadavg")) as f:
            return f.read().split()[0]
    except (OSError, IndexError):
        return "?"


def cpu_freq_khz(cpu, sys_root="/sys"):
    """scaling_cur_freq of a host CPU in kHz, or None where /sys has none."""
    path = os.path.join(sys_root, "devices", "system", "cpu", "cpu%d" % cpu,
                        "cpufreq", "scaling_cur_freq")
    try:
        with open(path) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


# ------------------------------------------------------------ pinning

def vcpu_threads(pid, proc="/proc"):
    """{vcpu index: (tid, name)} of QEMU's vCPU threads ('CPU 0/KVM'...)."""
    out = {}
    try:
        tids = os.listdir(os.path.join(proc, str(pid), "task"))
    except OSError:
        return out
    for tid in tids:
        try:
            with open(os.path.join(proc, str(pid), "task", tid, "comm")) as f:
                name = f.read().strip()
        except OSError:
            continue
        m = VCPU_RE.match(name)
        if m:
            out[int(m.group(1))] = (int(tid), name)
    return out


def all_threads(pid, proc="/proc"):
    try:
        return sorted(int(t) for t in os.listdir(os.path.join(
            proc, str(pid), "task")))
    except OSError:
        return []


def choose_cpus(vcpus, allowed):
    """The host CPU for each vCPU.  With more host CPUs than vCPUs the
    lowest ones are left to QEMU's other threads, the lab and the host's
    interrupts (CPU 0 usually takes most); otherwise vCPUs share round
    robin."""
    allowed = sorted(allowed)
    if not allowed:
        return []
    if len(allowed) > vcpus:
        return allowed[len(allowed) - vcpus:]
    return [allowed[i % len(allowed)] for i in range(vcpus)]


def cpu_list(cpus):
    """'0-3,6' for [0, 1, 2, 3, 6]."""
    cpus = sorted(set(cpus))
    parts = []
    i = 0
    while i < len(cpus):
        j = i
        while j + 1 < len(cpus) and cpus[j + 1] == cpus[j] + 1:
            j += 1
        parts.append(str(cpus[i]) if i == j else "%d-%d" % (cpus[i], cpus[j]))
        i = j + 1
    return ",".join(parts)


@dataclass
class Pinning:
    method: str                 # "threads", "process" or "none"
    cpus: list                  # host CPUs used, in vCPU order
    detail: str                 # what was done, for the pin line

    def line(self):
        return "pin method=%s %s" % (self.method, self.detail)


def pin_vcpus(pid, vcpus, allowed=None, proc="/proc", wait=3.0,
              setaffinity=os.sched_setaffinity, alive=None):
    """Pins QEMU's vCPU threads, each to one host CPU; falls back to the
    whole process on the chosen set.  Waits up to `wait` seconds for QEMU
    to create its vCPU threads (after -mem-prealloc has touched the guest
    memory)."""
    if allowed is None:
        allowed = os.sched_getaffinity(0)
    cpus = choose_cpus(vcpus, allowed)
    if not cpus:
        return Pinning("none", [], "reason=no host CPU allowed")
    found = {}
    deadline = time.monotonic() + wait
    while True:
        found = vcpu_threads(pid, proc)
        if len(found) >= vcpus:
            break
        if time.monotonic() >= deadline or (alive and not alive()):
            break
        time.sleep(0.02)
    why = None
    if len(found) >= vcpus:
        try:
            for i in range(vcpus):
                setaffinity(found[i][0], {cpus[i]})
            return Pinning("threads", cpus, " ".join(
                "vcpu%d=cpu%d" % (i, cpus[i]) for i in range(vcpus)))
        except KeyError:
            why = "vCPU thread numbering has gaps"
        except OSError as e:
            why = "sched_setaffinity on a vCPU thread: %s" % e.strerror
    elif found:
        why = "found %d of %d vCPU threads" % (len(found), vcpus)
    else:
        why = "no 'CPU <n>/KVM|TCG' threads in /proc/%d/task" % pid
    tids = all_threads(pid, proc)
    if not tids:
        return Pinning("none", [], "reason=QEMU gone before pinning (%s)"
                       % why)
    try:
        for tid in tids:
            setaffinity(tid, set(cpus))
    except OSError as e:
        return Pinning("none", [], "reason=%s; whole process: %s"
                       % (why, e.strerror))
    return Pinning("process", cpus, "cpus=%s threads=%d reason=%s"
                   % (cpu_list(cpus), len(tids), why))


# ------------------------------------------------------------ perf

@dataclass
class PerfSupport:
    ok: bool
    reason: str                 # why not, when not ok
    perf: str = "perf"          # the perf binary
    reasons: bool = True        # per exit reason too (perf kvm stat)


def _run(cmd, timeout=60):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True,
                           timeout=timeout, stdin=subprocess.DEVNULL)
    except OSError as e:
        return 127, "", str(e)
    except subprocess.TimeoutExpired:
        return 124, "", "timed out after %d s" % timeout
    return p.returncode, p.stdout, p.stderr


def _first_line(*texts):
    for t in texts:
        for line in (t or "").splitlines():
            if line.strip():
                return line.strip()
    return ""


def probe_perf(perf=None, run=_run, which=shutil.which):
    """Whether VM exits can be counted on this host: perf installed,
    the kvm:kvm_exit tracepoint listed, and counting it permitted (a
    trial `perf stat` on `true`).  `run(cmd) -> (status, stdout, stderr)`
    and `which` are injected by tests."""
    perf = perf or os.environ.get("CAIRNLAB_PERF") or "perf"
    path = which(perf)
    if not path:
        return PerfSupport(False, "perf is not installed (Debian: "
                           "linux-perf)", perf)
    rc, out, err = run([path, "list", "tracepoint"])
    if rc != 0:
        # Debian's /usr/bin/perf is a wrapper that says when no perf
        # matches the running kernel.
        return PerfSupport(False, "perf list failed: %s"
                           % (_first_line(err, out) or "status %d" % rc),
                           path)
    if PERF_EVENT not in out:
        return PerfSupport(False, "no %s tracepoint (kvm module not loaded, "
                           "or tracefs not readable)" % PERF_EVENT, path)
    rc, out, err = run([path, "stat", "-x,", "-e", PERF_EVENT, "--", "true"])
    text = out + err
    if rc != 0 or "<not supported>" in text or "<not counted>" in text:
        return PerfSupport(False, "counting %s not permitted: %s (see "
                           "/proc/sys/kernel/perf_event_paranoid)"
                           % (PERF_EVENT, _first_line(err, out)
                              or "status %d" % rc), path)
    rc, out, err = run([path, "kvm", "stat", "record", "-h"])
    reasons = "record" in (out + err) and "Usage" in (out + err)
    return PerfSupport(True, "", path, reasons)


def parse_stat(text):
    """The count of kvm:kvm_exit from `perf stat -x,` output, or None."""
    for line in text.splitlines():
        cols = line.split(",")
        if len(cols) >= 3 and cols[2] == PERF_EVENT:
            try:
                return int(cols[0])
            except ValueError:
                return None
    return None


_REPORT_ROW = re.compile(r"^\s*(\S+)\s+(\d+)\s+[\d.]+%\s")


def parse_kvm_report(text):
    """{exit reason: count} from `perf kvm stat report --event=vmexit`."""
    out = {}
    table = False
    for line in text.splitlines():
        if "VM-EXIT" in line and "Samples" in line:
            table = True
            continue
        if not table:
            continue
        if line.strip().startswith("Total Samples"):
            break
        m = _REPORT_ROW.match(line)
        if m:
            out[m.group(1)] = out.get(m.group(1), 0) + int(m.group(2))
    return out


@dataclass
class ExitCounter:
    """perf attached to one QEMU process for the length of a boot."""
    support: PerfSupport
    prefix: str                               # output files: prefix + ...
    popen: object = subprocess.Popen
    run: object = _run
    procs: list = field(default_factory=list)
    problem: str = None

    def start(self, pid):
        perf = self.support.perf
        for ext in (".perf-stat", ".perf-kvm.data"):
            if os.path.exists(self.prefix + ext):
                os.unlink(self.prefix + ext)
        cmds = [[perf, "stat", "-x,", "-e", PERF_EVENT, "-o",
                 self.prefix + ".perf-stat", "-p", str(pid)]]
        if self.support.reasons:
            cmds.append([perf, "kvm", "stat", "record", "-q", "-o",
                         self.prefix + ".perf-kvm.data", "-p", str(pid)])
        with open(self.prefix + ".perf-err", "wb") as err:
            for cmd in cmds:
                try:
                    self.procs.append(self.popen(
                        cmd, stdin=subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL, stderr=err))
                except OSError as e:
                    self.problem = "cannot start perf: %s" % e

    def finish(self, timeout=30.0):
        """(the `perf kvm_exit ...` line or None, problem or None).  perf
        ends by itself when the process it is attached to has ended."""
        for p in self.procs:
            try:
                p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
                self.problem = self.problem or "perf did not end with QEMU"
        try:
            with open(self.prefix + ".perf-stat") as f:
                total = parse_stat(f.read())
        except OSError:
            total = None
        if total is None:
            try:
                with open(self.prefix + ".perf-err") as f:
                    err = _first_line(f.read())
            except OSError:
                err = ""
            return None, self.problem or "perf stat counted nothing%s" % (
                ": " + err if err else "")
        line = "perf kvm_exit total=%d" % total
        if self.support.reasons:
            rc, out, err = self.run([self.support.perf, "kvm", "-i",
                                     self.prefix + ".perf-kvm.data", "stat",
                                     "report", "--event=vmexit"])
            by_reason = parse_kvm_report(out) if rc == 0 else {}
            if by_reason:
                line += " " + " ".join("%s=%d" % kv for kv in sorted(
                    by_reason.items(), key=lambda kv: (-kv[1], kv[0])))
            else:
                line += " reasons=unavailable"
        return line, self.problem


# ------------------------------------------------------------ one boot

@dataclass
class BootWatch:
    """What happens on the host around one boot of a real-time series (or,
    with realtime=False, only the load): started when QEMU is, ticked
    about once a second, finished when QEMU has exited."""
    realtime: bool
    vcpus: int = 1
    perf: PerfSupport = None
    prefix: str = ""
    proc: str = "/proc"
    sys_root: str = "/sys"
    allowed: set = None
    setaffinity: object = os.sched_setaffinity
    pin_wait: float = 3.0
    load_before: str = "?"
    pinning: Pinning = None
    counter: ExitCounter = None
    freqs: dict = field(default_factory=dict)   # cpu: [kHz, ...]
    perf_problem: str = None

    def before(self):
        self.load_before = loadavg(self.proc)

    def started(self, pid, alive=None):
        if self.perf is not None and self.perf.ok:
            self.counter = ExitCounter(self.perf, self.prefix)
            self.counter.start(pid)
        if self.realtime:
            self.pinning = pin_vcpus(pid, self.vcpus, self.allowed, self.proc,
                                     self.pin_wait, self.setaffinity, alive)
            self.tick()

    def tick(self):
        if not self.realtime or not self.pinning:
            return
        for cpu in sorted(set(self.pinning.cpus)):
            khz = cpu_freq_khz(cpu, self.sys_root)
            if khz is not None:
                self.freqs.setdefault(cpu, []).append(khz)

    def freq_text(self):
        if not self.freqs:
            return "unavailable"
        parts = []
        for cpu, ks in sorted(self.freqs.items()):
            lo, hi = min(ks) // 1000, max(ks) // 1000
            parts.append("cpu%d:%s" % (cpu, "%dMHz" % lo if lo == hi
                                       else "%d-%dMHz" % (lo, hi)))
        return ",".join(parts)

    def after(self):
        """The comment lines for the boot block (without '# ')."""
        load = "load=%s->%s" % (self.load_before, loadavg(self.proc))
        lines = ["host %s freq=%s" % (load, self.freq_text())
                 if self.realtime else "host %s" % load]
        if self.pinning is not None:
            lines.append(self.pinning.line())
        if self.counter is not None:
            line, problem = self.counter.finish()
            if line:
                lines.append(line)
            self.perf_problem = problem
        return lines
