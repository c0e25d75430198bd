"""The Linux peer: Debian's i386 Linux kernel, booted in Cairn's QEMU
configuration, measuring the nearest equivalents of Cairn's benchmarks.

The kernel is the newest linux-image-<abi>-686-pae of Debian's i386
archive (the one the meta package linux-image-686-pae depends on), taken
with `apt-get download` and unpacked into build/peer/, never installed.
Its only user program is bench/peer/linuxbench.c, a static 32-bit program
run as /init from an initramfs (initramfs.py).  It sends Cairn's own records (kernel/record.h) on the serial
console with metric names that start "linux.", and ends QEMU through
isa-debug-exit like Cairn (exit status 1 is success).

Results are stored beside Cairn's (same TSV format) in the config
<config>-linux; METRICS says which Cairn metric each Linux metric stands
beside, ratio_rows() builds the Cairn/Linux table; `cairnlab.py peer`.
"""

import os
import re
import subprocess
import tarfile
from dataclasses import dataclass

from . import fingerprint, qemu, records, results
from .initramfs import write_initramfs

ARCH = "i386"
META_PACKAGE = "linux-image-686-pae"
FLAVOUR = "686-pae"

# Each Linux metric and the Cairn metric it stands beside (those not
# measured by Cairn yet are shown as '-' in the table until they are).
METRICS = (
    ("linux.syscall.int80", "kentry.null.int"),
    ("linux.syscall.libc", "kentry.null.sysenter"),
    ("linux.pipe.same_cpu", "ipc.sendrec.same_cpu"),
    ("linux.pipe.cross_cpu", "ipc.sendrec.cross_cpu"),
    ("linux.fault.anon", "vm.pagefault.anon"),
    ("linux.fault.cow", "vm.pagefault.cow"),
    ("linux.mmap_munmap", "vm.mmap_munmap"),
    ("linux.fork_exit_wait", "proc.fork_exit_wait"),
    ("linux.exec", "proc.exec"),
)
CAIRN_OF = dict(METRICS)
CONFIG_SUFFIX = "-linux"

# The program run as /init: its sources, all from the tree (no copies).
INIT_SOURCES = ("bench/peer/linuxbench.c", "bench/peer/lrecord.c",
                "bench/user/urunner.c", "kernel/lib/crc32.c",
                "kernel/lib/record_text.c")
INIT_CFLAGS = ("-m32", "-march=i686", "-static", "-O2", "-std=gnu11",
               "-Wall", "-Wextra", "-Werror", "-Wstrict-prototypes",
               "-Wmissing-prototypes", "-iquote", ".", "-iquote",
               "lib/include")
LIBC32 = "/usr/lib32/libc.a"

# The kernel command line: the serial console, and no kernel messages but
# errors (the program also turns the console down to emergencies before
# its first record).  maxcpus=1: /init brings the other CPUs up itself,
# because under QEMU 7.2's icount Linux 6.1's boot CPU waits for them in
# a loop that starves them (bench/peer/linuxbench.c, online_all_cpus).
# Mitigations are Debian's defaults: they are part of every kernel entry
# measured here.
KERNEL_APPEND = "console=ttyS0 quiet loglevel=3 panic=-1 maxcpus=1"


class PeerError(RuntimeError):
    """The peer cannot be prepared (kernel not fetched, init not built)."""


def expected_metrics(smp):
    """The metrics a boot with smp vCPUs must send (cross-CPU needs 2)."""
    return [m for m, _ in METRICS if smp > 1 or m != "linux.pipe.cross_cpu"]


# ------------------------------------------------------------------ kernel

@dataclass
class Kernel:
    abi: str            # e.g. 6.1.0-50-686-pae (what `uname -r` says)
    package: str        # linux-image-6.1.0-50-686-pae
    version: str        # the package's version, e.g. 6.1.176-1
    vmlinuz: str

    def describe(self):
        return "Linux %s (Debian package %s %s, %s)" % (
            self.abi, self.package, self.version, ARCH)


def _run(cmd, cwd=None):
    """Runs a command; (exit status, stdout + stderr)."""
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                           errors="replace", stdin=subprocess.DEVNULL)
    except OSError as e:
        return 127, str(e)
    return p.returncode, (p.stdout + p.stderr).strip()


def _as_root(cmd):
    """cmd, prefixed with `sudo -n` when not root."""
    return cmd if os.geteuid() == 0 else ["sudo", "-n"] + cmd


def _apt_opts():
    # apt-get download into a directory of root's: no sandbox user.
    return ["-o", "APT::Sandbox::User=root"] if os.geteuid() == 0 else []


def ensure_i386(say):
    """Makes dpkg know architecture i386 (`dpkg --add-architecture i386`).
    Returns True when it had to be added (the package lists then need an
    `apt-get update`)."""
    code, native = _run(["dpkg", "--print-architecture"])
    if code != 0:
        raise PeerError("dpkg is not usable here (%s): the Linux peer needs "
                        "Debian's package tools" % native)
    _, foreign = _run(["dpkg", "--print-foreign-architectures"])
    if ARCH in native.split() + foreign.split():
        return False
    say("peer: dpkg does not know architecture %s yet: running "
        "'dpkg --add-architecture %s' (packages of it can then be "
        "downloaded; nothing is installed)" % (ARCH, ARCH))
    code, text = _run(_as_root(["dpkg", "--add-architecture", ARCH]))
    if code != 0:
        raise PeerError("dpkg --add-architecture %s failed (%s); run it as "
                        "root" % (ARCH, text))
    return True


def apt_update(say):
    """apt-get update; index errors (a mirror in mid-sync) are reported
    but not fatal: what matters is whether the download works."""
    say("peer: running 'apt-get update' (package lists for %s)" % ARCH)
    code, text = _run(_as_root(["apt-get", "update", "-qq"]))
    if code != 0:
        tail = " / ".join(text.splitlines()[-2:])
        say("peer: apt-get update reported errors (going on: the download "
            "decides): %s" % tail)


def newest_kernel_package():
    """linux-image-<abi>-686-pae the meta package depends on (the newest
    the archive has), or None when the package lists do not know it."""
    code, text = _run(["apt-cache", "depends", "%s:%s" % (META_PACKAGE, ARCH)])
    pat = re.compile(r"Depends:\s+(linux-image-(\S+)-%s)(?::%s)?\s*$"
                     % (re.escape(FLAVOUR), ARCH))
    found = []
    for line in text.splitlines() if code == 0 else []:
        m = pat.search(line.strip())
        if m:
            found.append(m.group(1))
    if not found:
        return None
    # Several would be alternatives; the highest ABI is the newest.
    return max(found, key=lambda p: [int(x) if x.isdigit() else x
                                     for x in re.split(r"[.-]", p)])


def _deb_field(deb, name):
    code, text = _run(["dpkg-deb", "-f", deb, name])
    return text.strip() if code == 0 else "?"


def _unpack_kernel(deb, dest):
    """Unpacks boot/vmlinuz-* and boot/config-* of a kernel .deb into dest
    with dpkg-deb (the modules, most of the package, are not needed: the
    peer's kernel loads none).  Returns the vmlinuz path."""
    os.makedirs(dest, exist_ok=True)
    p = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    vmlinuz = None
    try:
        with tarfile.open(fileobj=p.stdout, mode="r|") as tar:
            for member in tar:
                name = os.path.basename(member.name)
                if not member.isfile() or not re.match(
                        r"^\./boot/(vmlinuz|config)-", member.name):
                    continue
                data = tar.extractfile(member).read()
                path = os.path.join(dest, name)
                with open(path + ".tmp", "wb") as f:
                    f.write(data)
                os.replace(path + ".tmp", path)
                if name.startswith("vmlinuz-"):
                    vmlinuz = path
    finally:
        p.stdout.close()
        err = p.stderr.read().decode(errors="replace").strip()
        p.stderr.close()
        p.wait()
    if p.returncode != 0 or vmlinuz is None:
        raise PeerError("could not unpack %s: %s" % (
            deb, err or "no boot/vmlinuz-* in it"))
    return vmlinuz


def cached_kernels(peer_dir):
    """Kernels fetched before, newest ABI first."""
    kdir = os.path.join(peer_dir, "kernel")
    out = []
    if not os.path.isdir(kdir):
        return out
    for name in os.listdir(kdir):
        m = re.match(r"^vmlinuz-(.+-%s)$" % re.escape(FLAVOUR), name)
        info = os.path.join(kdir, "package-" + (m.group(1) if m else "")
                            + ".txt")
        if m and os.path.exists(info):
            with open(info) as f:
                version = f.read().strip()
            out.append(Kernel(m.group(1), "linux-image-" + m.group(1),
                              version, os.path.join(kdir, name)))
    out.sort(key=lambda k: [int(x) if x.isdigit() else x
                            for x in re.split(r"[.-]", k.abi)], reverse=True)
    return out


def fetch_kernel(peer_dir, say, refresh=False):
    """The kernel to boot: the one cached in build/peer/kernel/ or, when
    there is none (or refresh), the newest of the archive, downloaded as a
    .deb (kept in build/peer/deb/) and unpacked.  Raises PeerError, with
    what went wrong, when it cannot be had."""
    cached = cached_kernels(peer_dir)
    if cached and not refresh:
        return cached[0]
    updated = ensure_i386(say)
    if updated:
        apt_update(say)
    package = newest_kernel_package()
    if package is None and not updated:
        apt_update(say)
        updated = True
        package = newest_kernel_package()
    if package is None:
        raise PeerError("the package lists know no %s:%s (after 'apt-get "
                        "update'): is there a network and a Debian mirror?"
                        % (META_PACKAGE, ARCH))
    abi = package[len("linux-image-"):]
    for k in cached:
        if k.abi == abi:
            return k
    debdir = os.path.join(peer_dir, "deb")
    os.makedirs(debdir, exist_ok=True)
    say("peer: downloading %s:%s with apt-get download (into %s; not "
        "installed)" % (package, ARCH, debdir))
    cmd = ["apt-get"] + _apt_opts() + ["download", "%s:%s" % (package, ARCH)]
    code, text = _run(cmd, cwd=debdir)
    if code != 0 and not updated:
        apt_update(say)
        code, text = _run(cmd, cwd=debdir)
    debs = [os.path.join(debdir, n) for n in os.listdir(debdir)
            if n.startswith(package + "_") and n.endswith("_%s.deb" % ARCH)]
    if code != 0 or not debs:
        raise PeerError("apt-get download %s:%s failed: %s" % (
            package, ARCH, " / ".join(text.splitlines()[-3:])))
    deb = max(debs, key=os.path.getmtime)
    version = _deb_field(deb, "Version")
    kdir = os.path.join(peer_dir, "kernel")
    vmlinuz = _unpack_kernel(deb, kdir)
    with open(os.path.join(kdir, "package-%s.txt" % abi), "w") as f:
        f.write(version + "\n")
    say("peer: kernel %s (%s %s) in %s" % (abi, package, version, vmlinuz))
    return Kernel(abi, package, version, vmlinuz)


# ------------------------------------------------------------------ init

def build_init(repo, out, cc="gcc"):
    """Compiles bench/peer/linuxbench.c and what it shares with Cairn into
    a static i386 program at out (a second or so, so always: no stale
    program is ever booted).  Returns True when the program changed."""
    if not os.path.exists(LIBC32):
        raise PeerError("no %s: the static 32-bit C library comes with "
                        "gcc-multilib (apt-get install gcc-multilib)"
                        % LIBC32)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    tmp = out + ".new"
    cmd = [cc] + list(INIT_CFLAGS) + ["-o", tmp] + list(INIT_SOURCES)
    code, output = _run(cmd, cwd=repo)
    if code != 0:
        raise PeerError("building %s failed:\n%s" % (out, output))
    with open(tmp, "rb") as f:
        new = f.read()
    old = None
    if os.path.exists(out):
        with open(out, "rb") as f:
            old = f.read()
    if old == new:
        os.unlink(tmp)
        return False
    os.replace(tmp, out)
    return True


@dataclass
class Prepared:
    kernel: Kernel
    init: str
    initramfs: str


def prepare(repo, say, refresh=False, peer_dir=None):
    """Kernel, /init and initramfs, all under build/peer/."""
    peer_dir = peer_dir or os.path.join(repo, "build", "peer")
    kernel = fetch_kernel(peer_dir, say, refresh)
    init = os.path.join(peer_dir, "linuxbench")
    if build_init(repo, init):
        say("peer: built %s" % os.path.relpath(init, repo))
    initramfs = write_initramfs(init, os.path.join(peer_dir,
                                                   "initramfs.cpio"))
    return Prepared(kernel, init, initramfs)


# ------------------------------------------------------------------ boots

def boot_spec(prep, series, smp=2, memory=128, samples=None, warmup=None,
              only=None, tcg_threads=None, binary=qemu.QEMU_I386):
    """The QEMU boot: Cairn's (qemu.Boot) with Linux and the initramfs.
    samples=, warmup= and bench= reach /init from the command line."""
    append = KERNEL_APPEND
    if samples is not None:
        append += " samples=%d" % samples
    if warmup is not None:
        append += " warmup=%d" % warmup
    if only:
        append += " bench=%s" % only
    return qemu.Boot(append=append, kernel=prep.kernel.vmlinuz, series=series,
                     smp=smp, memory=memory, binary=binary,
                     modules=[prep.initramfs], tcg_threads=tcg_threads)


def config_name(spec, samples=None, warmup=None, only=None):
    """Cairn's config name for the same options, then "-linux"."""
    name = spec.config()
    if samples is not None:
        name += "-s%d" % samples
    if warmup is not None:
        name += "-w%d" % warmup
    if only:
        name += "-only_" + "".join(c if c.isalnum() or c in "._" else "_"
                                   for c in only)
    return name + CONFIG_SUFFIX


def cairn_config(config):
    """The config of Cairn's results a peer config stands beside: the same
    name without "-linux", at Cairn's 128 MiB."""
    base = config[:-len(CONFIG_SUFFIX)] if config.endswith(CONFIG_SUFFIX) \
        else config
    return re.sub(r"-m\d+-", "-m128-", base, count=1)


def check_boot(res, log, smp, only=None):
    """(metrics, problems) of a peer boot; problems empty = good."""
    problems = qemu.boot_problems(res, log)
    hello = log.first("hello")
    if hello is None:
        problems.append("no hello record (did Linux start /init?)")
    elif hello.get("os") != "linux" or hello.get("cpus") != str(smp):
        problems.append("hello says os=%s cpus=%s, expected linux and %d"
                        % (hello.get("os"), hello.get("cpus"), smp))
    if log.last("done") is None:
        problems.append("no done record")
    metrics, more = records.collect_bench(log)
    problems += more
    want = [m for m in expected_metrics(smp)
            if not only or m.startswith(only)]
    missing = [m for m in want if m not in metrics]
    if missing:
        problems.append("metrics missing: %s" % ", ".join(missing))
    return metrics, problems


def facts(log):
    """The guest's `peer key=... str=...` records as {key: text}."""
    out = {}
    for r in log.of_type("peer"):
        try:
            out[r.text("key")] = r.text("str")
        except Exception:
            pass
    return out


def boot_notes(kernel, log):
    """Comment lines for the boot block of a result file: which Linux,
    which mitigations (readers skip comment lines they do not know)."""
    f = facts(log)
    notes = ["peer linux %s, package %s %s, uname -v %s" % (
        f.get("release", kernel.abi), kernel.package, kernel.version,
        f.get("version", "?"))]
    vulns = ["%s=%s" % (k[5:], v) for k, v in sorted(f.items())
             if k.startswith("vuln.")]
    if vulns:
        notes.append("peer mitigations " + "; ".join(vulns))
    if f.get("syscall_path"):
        notes.append("peer syscall() path: " + f["syscall_path"])
    return notes


# ------------------------------------------------------------------ ratios

def commit_figure(rf, metric, series):
    """A metric's figure in one result file: under icount the median of
    the first boot's samples (all boots are identical); otherwise the
    median of the boot medians.  None when the file lacks the metric."""
    boots = [[r.value for r in b.rows if r.metric == metric]
             for b in rf.boots]
    boots = [b for b in boots if b]
    if not boots:
        return None
    if series == "icount":
        return results.median(boots[0])
    return results.median([results.median(b) for b in boots])


@dataclass
class RatioRow:
    linux: str
    cairn: str
    cairn_value: float = None
    linux_value: float = None

    @property
    def ratio(self):
        if self.cairn_value is None or not self.linux_value:
            return None
        return self.cairn_value / self.linux_value


def ratio_rows(linux_rf, cairn_rf, series="icount"):
    """One row per METRICS entry: the two figures and Cairn/Linux."""
    rows = []
    for lm, cm in METRICS:
        rows.append(RatioRow(
            lm, cm,
            commit_figure(cairn_rf, cm, series) if cairn_rf else None,
            commit_figure(linux_rf, lm, series) if linux_rf else None))
    return rows


DASH = "\u2014"


def _fmt(x):
    if x is None:
        return DASH
    return "%.1f" % x if abs(x - round(x)) > 1e-9 else "%d" % round(x)


def ratio_table(rows):
    """[header, ...] rows of text for print_table: Cairn/Linux < 1 means
    Cairn's path is the cheaper one."""
    out = []
    for r in rows:
        out.append([r.cairn, r.linux, _fmt(r.cairn_value),
                    _fmt(r.linux_value),
                    DASH if r.ratio is None else "%.2f" % r.ratio])
    return ["Cairn metric", "Linux metric", "Cairn", "Linux",
            "Cairn/Linux"], out


def find_result(roots, series, machine, config, commit):
    """The first existing <root>/<series>/<machine>/<config>/<commit>.tsv."""
    for root in roots:
        path = results.result_path(root, series, machine, config, commit)
        if os.path.exists(path):
            return path
    return None


def cairn_machine(root, machine):
    """The machine id Cairn's own results have beside a Linux peer's
    stored as machine (whose record names the peer's kernel too)."""
    fp = results.read_machine(root, machine)
    if fp is None or fingerprint.PEER_FIELD not in fp:
        return machine
    return fingerprint.machine_id(fingerprint.without_peer(fp))


def find_cairn(repo, roots, series, machine, config, commit, depth=200):
    """Cairn's results to set beside the Linux ones: at commit if they
    exist, else at the nearest ancestor that has them, on this machine,
    else on any machine of the series (icount counts do not depend on the
    host).  Returns (path, commit, machine) or None."""
    revs = [commit]
    more = results.git(repo, "rev-list", "--max-count=%d" % depth, commit)
    if more:
        revs += [r for r in more.split() if r != commit]
    for rev in revs:
        path = find_result(roots, series, machine, config, rev)
        if path:
            return path, rev, machine
    if series != "icount":
        return None
    for rev in revs:
        for root in roots:
            for s, m, c, sha, path in results.find_files(root, rev):
                if s == series and c == config and sha == rev:
                    return path, rev, m
    return None
