"""Loading a page in headless Chromium (Debian's chromium package): a
screenshot and the messages the page wrote to its console.

    find()                  the chromium binary, or None
    load(url, png, size)    -> Load(returncode, (width, height) of the
                               screenshot or None, console lines, stderr)

Chromium logs each console message (console.log, console.error, a
script error) on stderr as `...:CONSOLE:<line>] "text", source: <url>`
when started with --enable-logging=stderr; those lines are the console.
Used by the dashboard's check in `make test`.
"""

import os
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass, field

NAMES = ("chromium", "chromium-browser")


def find():
    for name in NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def png_size(path):
    """(width, height) from a PNG's IHDR chunk, or None."""
    try:
        with open(path, "rb") as f:
            head = f.read(24)
    except OSError:
        return None
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or \
            head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


@dataclass
class Load:
    returncode: int
    size: tuple
    console: list = field(default_factory=list)
    stderr: str = ""


def load(url, png, size=(1024, 768), binary=None, timeout=120):
    """Loads url in headless Chromium, writes a screenshot of size to
    png; its own temporary profile, no sandbox (root has none)."""
    binary = binary or find()
    profile = tempfile.mkdtemp(prefix="cairn-chromium-")
    cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu",
           "--hide-scrollbars", "--no-first-run", "--disable-extensions",
           "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
           "--window-size=%d,%d" % size, "--screenshot=" + png, url]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True,
                           errors="replace", timeout=timeout,
                           stdin=subprocess.DEVNULL,
                           env=dict(os.environ, HOME=profile))
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    console = [l for l in p.stderr.splitlines() if ":CONSOLE" in l]
    return Load(p.returncode, png_size(png), console, p.stderr)
