"""The machine fingerprint that results are keyed by.

A fingerprint is what can change a measurement apart from the commit and
the guest config: the host CPU model, the host kernel (uname -r), the QEMU
version, the accelerator (tcg-icount, tcg or kvm) and the guest's vCPU
count.  The machine id is a readable slug of the CPU model plus the first
8 hex digits of a SHA-256 over the fields, so the same machine always gets
the same id and any change of a field gives a new one.  It is written to
results/machines/<id>.txt as `key: value` lines.
"""

import hashlib
import platform
import re
import subprocess

FIELDS = ("host_cpu", "host_kernel", "qemu_version", "accelerator", "vcpus")

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


def make(series, vcpus, binary="qemu-system-i386", cpu=None, kernel=None,
         qemu=None):
    """The fingerprint of this host for a series and vCPU count, as an
    ordered dict.  cpu/kernel/qemu override what is measured (tests, and
    results from other machines)."""
    return {
        "host_cpu": cpu if cpu is not None else host_cpu(),
        "host_kernel": kernel if kernel is not None else host_kernel(),
        "qemu_version": qemu if qemu is not None else qemu_version(binary),
        "accelerator": ACCELERATOR_OF_SERIES.get(series, series),
        "vcpus": str(vcpus),
    }


def _slug(text, limit=24):
    s = re.sub(r"\(r\)|\(tm\)|\bcpu\b|\bprocessor\b|@.*$", "", text.lower())
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return (s[:limit].rstrip("-")) or "host"


def machine_id(fp):
    """Short, stable id: <cpu slug>-<8 hex of SHA-256 over all fields>."""
    canon = "\n".join("%s=%s" % (k, " ".join(str(fp[k]).split()))
                      for k in FIELDS)
    digest = hashlib.sha256(canon.encode("utf-8")).hexdigest()[:8]
    return "%s-%s" % (_slug(fp["host_cpu"]), digest)


def to_text(fp):
    """`key: value` lines, machine id first."""
    lines = ["machine_id: %s" % machine_id(fp)]
    lines += ["%s: %s" % (k, fp[k]) for k in FIELDS]
    return "\n".join(lines) + "\n"


def from_text(text):
    fp = {}
    for line in text.splitlines():
        if ":" in line and not line.startswith("#"):
            k, _, v = line.partition(":")
            fp[k.strip()] = v.strip()
    fp.pop("machine_id", None)
    return fp
