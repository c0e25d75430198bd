"""The Linux peer's initramfs: a newc cpio archive (the format the kernel
unpacks at boot) holding linuxbench as /init, written byte by byte with
no cpio tool, so that the same /init gives the same archive."""

import os
from dataclasses import dataclass

@dataclass
class CpioEntry:
    name: str           # path inside the archive, no leading '/'
    mode: int           # file type and permissions, as st_mode
    data: bytes = b""
    rdev: tuple = (0, 0)   # (major, minor) of a device node

S_IFDIR, S_IFREG, S_IFCHR = 0o040000, 0o100000, 0o020000
NEWC_MAGIC = b"070701"
NEWC_TRAILER = "TRAILER!!!"


def _pad4(n):
    return (4 - n % 4) % 4


def newc_bytes(entries):
    """A cpio archive in the "newc" format (the one the kernel unpacks as
    initramfs): per entry a 110-byte header of "070701" and 13 fields in
    8 hex digits, the NUL-terminated name padded to 4 bytes, the data
    padded to 4 bytes; then the TRAILER!!! entry.  Owner root, mtime 0,
    inodes numbered from 1: the same entries give the same bytes."""
    out = bytearray()

    def put(ino, mode, data, name, rdev, nlink):
        raw = name.encode("utf-8") + b"\0"
        fields = (ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rdev[0],
                  rdev[1], len(raw), 0)
        out.extend(NEWC_MAGIC + b"".join(b"%08x" % f for f in fields))
        out.extend(raw + b"\0" * _pad4(110 + len(raw)))
        out.extend(data + b"\0" * _pad4(len(data)))

    for ino, e in enumerate(entries, 1):
        name = e.name.lstrip("/")
        if not name or name == NEWC_TRAILER:
            raise ValueError("bad cpio entry name %r" % e.name)
        data = e.data if (e.mode & 0o170000) == S_IFREG else b""
        put(ino, e.mode, data, name, e.rdev,
            2 if (e.mode & 0o170000) == S_IFDIR else 1)
    put(0, 0, b"", NEWC_TRAILER, (0, 0), 1)
    return bytes(out)


def initramfs_entries(init_bytes):
    """What the peer's root holds: /init, /dev/console (the kernel opens
    it as init's stdin, stdout and stderr), and mount points for /proc
    and /sys."""
    return [CpioEntry("dev", S_IFDIR | 0o755),
            CpioEntry("dev/console", S_IFCHR | 0o600, rdev=(5, 1)),
            CpioEntry("proc", S_IFDIR | 0o755),
            CpioEntry("sys", S_IFDIR | 0o755),
            CpioEntry("init", S_IFREG | 0o755, init_bytes)]


def write_initramfs(init_path, out):
    with open(init_path, "rb") as f:
        data = newc_bytes(initramfs_entries(f.read()))
    with open(out + ".tmp", "wb") as f:
        f.write(data)
    os.replace(out + ".tmp", out)
    return out
