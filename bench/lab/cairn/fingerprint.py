"""The machine fingerprint that results are keyed by.

A fingerprint records what can change a measurement apart from the commit
and the guest config, and a little more for the reader:

    host_cpu, host_kernel     the host (uname -r)
    qemu_version              qemu-system-i386 --version
    accelerator, vcpus        tcg-icount, tcg or kvm; the guest's vCPUs
    compiler, binutils        gcc --version and ld --version, first lines
    build_config              how the image was built beyond the commit
                              (VM's extra CFLAGS, build/vm-cflags)
    ram, os                   host memory and distribution (not keyed)

A series is keyed by the fields that can change its numbers.  Real time
(tcg, kvm): the host, QEMU, the toolchain, the accelerator and the vCPUs.
icount counts guest instructions, which no host property changes: its key
leaves the host CPU and host kernel out, so icount results measured on any
host with the same QEMU, toolchain and build config are one series.

The machine id is a readable slug (the CPU model; for icount, the QEMU
version) plus the first 8 hex digits of a SHA-256 over the keyed fields,
so the same key always gets the same id and any change of a keyed field
gives a new one.  It is written to results/machines/<id>.txt as `key:
value` lines.  Records written before the toolchain was recorded (no
compiler field) keep their ids, hashed over the five fields of that time;
compatible() lets them match newer records that agree on every field
both have.
"""

import hashlib
import os
import platform
import re
import subprocess

FIELDS = ("host_cpu", "host_kernel", "qemu_version", "accelerator", "vcpus")
TOOLCHAIN = ("compiler", "binutils", "build_config")
INFO = ("ram", "os")
ALL_FIELDS = FIELDS + TOOLCHAIN + INFO
HOST_FIELDS = ("host_cpu", "host_kernel")   # not keyed under icount

ACCELERATOR_OF_SERIES = {"icount": "tcg-icount", "tcg": "tcg", "kvm": "kvm"}


def host_cpu():
    """The host CPU model name, from /proc/cpuinfo."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() in ("model name", "Processor", "cpu model"):
                    return " ".join(value.split())
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def host_kernel():
    return platform.release() or "unknown"


_version_cache = {}


def qemu_version(binary="qemu-system-i386"):
    """QEMU's version as it prints it, e.g. '7.2.22 (Debian 1:7.2+dfsg-7)'."""
    if binary not in _version_cache:
        try:
            out = subprocess.run([binary, "--version"], capture_output=True,
                                 text=True, timeout=30).stdout
        except (OSError, subprocess.TimeoutExpired):
            out = ""
        m = re.search(r"version\s+(\S.*)", out.splitlines()[0] if out else "")
        _version_cache[binary] = m.group(1).strip() if m else "unknown"
    return _version_cache[binary]


def _first_line(cmd):
    if cmd not in _version_cache:
        try:
            out = subprocess.run(cmd, capture_output=True, text=True,
                                 timeout=30).stdout
        except (OSError, subprocess.TimeoutExpired):
            out = ""
        lines = out.splitlines()
        _version_cache[cmd] = " ".join(lines[0].split()) if lines else \
            "unknown"
    return _version_cache[cmd]


def compiler_version():
    """The first line of `$CC --version` (the Makefile's CC, default gcc)."""
    return _first_line((os.environ.get("CC") or "gcc", "--version"))


def binutils_version():
    return _first_line((os.environ.get("LD") or "ld", "--version"))


def build_config(build_dir=None):
    """How the image was built beyond its commit: VM's extra CFLAGS
    (build/vm-cflags, -DVM_SANITY under make SANITY=1), or "default"."""
    text = ""
    if build_dir:
        try:
            with open(os.path.join(build_dir, "vm-cflags")) as f:
                text = " ".join(f.read().split())
        except OSError:
            pass
    return "vm_cflags=" + text if text else "default"


def ram():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return "%d MiB" % (int(line.split()[1]) // 1024)
    except (OSError, ValueError, IndexError):
        pass
    return "unknown"


def os_name():
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return platform.system() or "unknown"


def make(series, vcpus, binary="qemu-system-i386", cpu=None, kernel=None,
         qemu=None, build_dir=None, compiler=None, binutils=None):
    """The fingerprint of this host for a series and vCPU count, as an
    ordered dict.  cpu/kernel/qemu/compiler/binutils override what is
    measured (tests, and results from other machines); build_dir is the
    build directory of the image (for build_config)."""
    return {
        "host_cpu": cpu if cpu is not None else host_cpu(),
        "host_kernel": kernel if kernel is not None else host_kernel(),
        "qemu_version": qemu if qemu is not None else qemu_version(binary),
        "accelerator": ACCELERATOR_OF_SERIES.get(series, series),
        "vcpus": str(vcpus),
        "compiler": compiler if compiler is not None else
        compiler_version(),
        "binutils": binutils if binutils is not None else
        binutils_version(),
        "build_config": build_config(build_dir),
        "ram": ram(),
        "os": os_name(),
    }


def is_icount(fp):
    return fp.get("accelerator") == "tcg-icount"


PEER_FIELD = "peer_kernel"  # the Linux peer's kernel (cairnlab.py peer)


def key_fields(fp):
    """The fields of fp that key its series (see the module's text), in
    order; a record older than the toolchain fields has only FIELDS.  The
    Linux peer's results also key the Linux kernel they measured."""
    if "compiler" not in fp:
        keyed = FIELDS
    else:
        keyed = FIELDS + TOOLCHAIN
        if is_icount(fp):
            keyed = tuple(k for k in keyed if k not in HOST_FIELDS)
    if PEER_FIELD in fp:
        keyed += (PEER_FIELD,)
    return keyed


def without_peer(fp):
    """The fingerprint of Cairn's results beside a Linux peer's."""
    return {k: v for k, v in fp.items() if k != PEER_FIELD}


def identity(fp):
    """{field: value} of the keyed fields, whitespace normalised."""
    return {k: " ".join(str(fp[k]).split()) for k in key_fields(fp)
            if k in fp}


def compatible(a, b):
    """Whether results under fingerprints a and b belong to one series:
    same accelerator, vCPUs and QEMU, and equal on every other field both
    key (a record without toolchain fields matches any toolchain; under
    icount the host is not compared)."""
    ia, ib = identity(a), identity(b)
    for k in ("accelerator", "vcpus", "qemu_version"):
        if ia.get(k) is None or ia.get(k) != ib.get(k):
            return False
    icount = is_icount(a)
    for k in set(ia) & set(ib):
        if icount and k in HOST_FIELDS:
            continue
        if ia[k] != ib[k]:
            return False
    return True


def _slug(text, limit=24):
    s = re.sub(r"\(r\)|\(tm\)|\bcpu\b|\bprocessor\b|@.*$", "", text.lower())
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return (s[:limit].rstrip("-")) or "host"


def machine_id(fp):
    """Short, stable id: <slug>-<8 hex of SHA-256 over the keyed fields>;
    the slug is the CPU model's, or for icount "qemu-<version>"."""
    keyed = key_fields(fp)
    canon = "\n".join("%s=%s" % (k, " ".join(str(fp[k]).split()))
                      for k in keyed)
    digest = hashlib.sha256(canon.encode("utf-8")).hexdigest()[:8]
    if "host_cpu" not in keyed:
        words = str(fp["qemu_version"]).split()
        slug = "qemu-" + _slug(words[0] if words else "unknown", 12)
    else:
        slug = _slug(fp["host_cpu"])
    return "%s-%s" % (slug, digest)


def to_text(fp):
    """`key: value` lines, machine id first."""
    lines = ["machine_id: %s" % machine_id(fp)]
    lines += ["%s: %s" % (k, fp[k]) for k in ALL_FIELDS + (PEER_FIELD,)
              if k in fp]
    return "\n".join(lines) + "\n"


def from_text(text):
    fp = {}
    for line in text.splitlines():
        if ":" in line and not line.startswith("#"):
            k, _, v = line.partition(":")
            fp[k.strip()] = v.strip()
    fp.pop("machine_id", None)
    return fp
