"""Staging a boot image for iPXE: the kernel, its modules under short names,
and an iPXE script that loads them with paths relative to the script, so
one directory works served by TFTP or by HTTP.

The module lists and their strings are bootimage.py's, the ones QEMU boots
with -initrd: only the first word differs (QEMU puts the file's path there,
iPXE the image's URI, GRUB nothing), and the kernel and VM take a first
word without '=' as the image's name (kernel/lib/cmdwords.h).

iPXE's multiboot loader (src/arch/x86/image/multiboot.c) passes at most
MAX_MODULES = 8 modules and keeps every command line -- the kernel's and
each module's, each its image URI, a space, the arguments and a NUL -- in
one MB_MAX_CMDLINE = 512 byte buffer.  Past either limit it silently drops
modules or cuts strings, so staging checks both and refuses.
"""

import hashlib
import os
import shutil
from dataclasses import dataclass, field

from . import bootimage

MAX_MODULES = 8
MAX_CMDLINE = 512
# The URIs iPXE writes are absolute: the directory's URL, then the file.
# Staging does not know that URL; unless told (--base-url) the check
# assumes one this long, e.g. "http://255.255.255.255/cairn/".
ASSUMED_BASE = "http://255.255.255.255/cairn/"

KINDS = {
    # kind: (script name, kernel mode, program)
    "bench": ("cairn-bench.ipxe", "bench", "ubench"),
    "test": ("cairn-test-full.ipxe", "test", "utest"),
}
KERNEL_NAME = "kernel.elf"


class NetbootError(Exception):
    """The image cannot be staged (missing file, an iPXE limit)."""


@dataclass
class Image:
    """One image the script loads: its file name in the staged directory,
    iPXE's --name for it (None for the kernel) and its arguments."""
    file: str
    name: str
    args: str


@dataclass
class Plan:
    kind: str
    script: str                  # script file name
    kernel: Image
    modules: list                # Image, in module order
    sources: dict                # staged file name -> source path
    sources_sha: dict = field(default_factory=dict)   # filled by stage()


def kernel_args(kind, samples=None, warmup=None):
    words = ["mode=" + KINDS[kind][1]]
    if samples is not None:
        words.append("samples=%d" % samples)
    if warmup is not None:
        words.append("warmup=%d" % warmup)
    return " ".join(words)


def plan(build, kind="bench", samples=None, warmup=None):
    """What to stage for a kind of boot, from bootimage.py's module lists
    (each entry "path args..."); raises NetbootError on a bad request."""
    if kind not in KINDS:
        raise NetbootError("unknown kind %r (know %s)"
                           % (kind, ", ".join(sorted(KINDS))))
    if kind == "test" and (samples is not None or warmup is not None):
        raise NetbootError("samples= and warmup= are for --kind bench")
    if kind == "bench":
        mods = bootimage.bench_modules(build, samples, warmup)
    else:
        mods = bootimage.test_modules(build)
    sources = {KERNEL_NAME: os.path.join(build, KERNEL_NAME)}
    modules = []
    for entry in mods:
        path, _, args = entry.partition(" ")
        short = os.path.basename(path)
        if sources.setdefault(short, path) != path:
            raise NetbootError("two module files are both named %s" % short)
        modules.append(Image(short, module_name(short, args), args))
    names = [m.name for m in modules]
    for n in names:
        if names.count(n) > 1:
            raise NetbootError("two modules would both be named %r" % n)
    return Plan(kind, KINDS[kind][0],
                Image(KERNEL_NAME, None, kernel_args(kind, samples, warmup)),
                modules, sources)


def module_name(short, args):
    """iPXE's image name for a module: its role, or the file's stem.  Every
    image needs its own: the roles load the same file, and a name must say
    which copy is which in iPXE's `imgstat`."""
    for w in args.split():
        if w.startswith("role="):
            return w[5:]
    return os.path.splitext(short)[0]


def cmdline_bytes(p, base):
    """Bytes of iPXE's multiboot command-line buffer the image needs when
    the script is fetched from directory URL base (ending in '/')."""
    total = 0
    for img in [p.kernel] + p.modules:
        total += len((base + img.file).encode()) + 1            # URI, NUL
        if img.args:
            total += 1 + len(img.args.encode())                 # " args"
    return total


def longest_base(p):
    """The longest base URL with which the image still fits in 512 bytes."""
    fixed = cmdline_bytes(p, "")
    return (MAX_CMDLINE - fixed) // (1 + len(p.modules))


def check_limits(p, base=None):
    """Raises NetbootError naming the limit when the image does not fit
    iPXE's; returns the bytes used."""
    if len(p.modules) > MAX_MODULES:
        raise NetbootError(
            "%d modules, but iPXE passes at most %d (MAX_MODULES in its "
            "src/arch/x86/image/multiboot.c); the rest would be dropped "
            "silently" % (len(p.modules), MAX_MODULES))
    base = ASSUMED_BASE if base is None else base
    if not base.endswith("/"):
        base += "/"
    used = cmdline_bytes(p, base)
    if used > MAX_CMDLINE:
        room = longest_base(p)
        raise NetbootError(
            "the command lines need %d bytes with base URL %r, but iPXE "
            "keeps at most %d for the kernel's and all modules' together "
            "(MB_MAX_CMDLINE in its src/arch/x86/image/multiboot.c) and cuts "
            "the rest silently; %s"
            % (used, base, MAX_CMDLINE,
               "with these arguments the base URL may be at most %d "
               "characters" % room if room > 0 else
               "the arguments alone are too long"))
    return used


def script_text(p):
    """The iPXE script of a plan."""
    mode = p.kernel.args.split()[0]
    lines = [
        "#!ipxe",
        "# Cairn, %s boot (%s), as bench/lab/cairnlab.py netboot stages it"
        % (p.kind, mode),
        "# with the files it names (BENCHMARKS.md, 'Bare metal and farms').",
        "# Paths are relative to this script: serve its directory by TFTP or "
        "HTTP",
        "# and chain this file.",
        "# iPXE puts each image's URI first on its command line; the kernel "
        "and VM",
        "# take a first word without '=' as the image's name "
        "(kernel/README.md).",
        "# Each module has its own --name: several load the same file.",
        "# Results are CAIRN records on COM1, 115200 8N1.",
        "kernel %s %s" % (p.kernel.file, p.kernel.args),
    ]
    for m in p.modules:
        lines.append("module --name %s %s %s" % (m.name, m.file, m.args))
    lines.append("boot")
    return "\n".join(lines) + "\n"


def parse_script(text, kind, script):
    """A Plan from a staged script's kernel and module lines (to check it
    against iPXE's limits for a given URL); sources stay empty."""
    kernel = None
    modules = []
    for lineno, line in enumerate(text.splitlines(), 1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0] == "kernel" and len(words) >= 2:
            kernel = Image(words[1], None, " ".join(words[2:]))
        elif words[0] == "module":
            rest = words[1:]
            name = None
            if rest[:1] == ["--name"] and len(rest) >= 2:
                name, rest = rest[1], rest[2:]
            elif rest and rest[0].startswith("--name="):
                name, rest = rest[0][7:], rest[1:]
            if not rest:
                raise NetbootError("line %d: module without a file" % lineno)
            modules.append(Image(rest[0], name, " ".join(rest[1:])))
    if kernel is None:
        raise NetbootError("no kernel line")
    return Plan(kind, script, kernel, modules, {})


EMBED_NAME = "cairn-embed.ipxe"


def embed_text(p, base):
    """A script to build into iPXE (EMBED=): it has no URL of its own, so
    it gets an address and chains the staged script by its full URL."""
    url = base.rstrip("/") + "/" + p.script
    return "\n".join([
        "#!ipxe",
        "# Built into iPXE: in iPXE's src/, make bin/undionly.kpxe "
        "EMBED=%s" % EMBED_NAME,
        "# (BENCHMARKS.md, 'Bare metal and farms').  It boots %s" % p.script,
        "# from where cairnlab.py netboot --base-url said it is served.",
        "dhcp",
        "chain %s" % url,
    ]) + "\n"


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def readme_text(p, base, used, commit=None):
    script = p.script
    lines = [
        "Cairn netboot directory (%s boot), staged by" % p.kind,
        "bench/lab/cairnlab.py netboot%s." % (
            " from commit %s" % commit if commit else ""),
        "",
        "Serve this directory and chain %s from iPXE; its paths are" % script,
        "relative, so TFTP and HTTP both work:",
        "",
        "  HTTP:  python3 -m http.server 8080 --directory THIS_DIR",
        "         iPXE> dhcp",
        "         iPXE> chain http://SERVER:8080/%s" % script,
        "  TFTP:  dnsmasq --port=0 --enable-tftp --tftp-root=THIS_DIR",
        "         (or copy it under tftpd-hpa's /srv/tftp)",
        "         iPXE> chain tftp://SERVER/%s" % script,
        "",
        "From a PXE-only machine, or to build an iPXE that runs this script",
        "by itself (%s, written when --base-url is given), see" % EMBED_NAME,
        "BENCHMARKS.md, 'Bare metal and farms'.",
        "",
        "The kernel writes its results to COM1 (115200 8N1).  Capture the",
        "whole serial log (console cable or IPMI SOL), then store it:",
        "",
        "  python3 bench/lab/cairnlab.py collect --log serial.log "
        "--machine NAME",
        "",
        "iPXE limits: %d module%s (at most %d); the command lines take %d"
        % (len(p.modules), "" if len(p.modules) == 1 else "s", MAX_MODULES,
           used),
        "of its %d bytes with a %d-character base URL (%s)."
        % (MAX_CMDLINE, len(base), base),
        "A base URL longer than %d characters would not fit: check yours with"
        % longest_base(p),
        "cairnlab.py netboot --base-url URL.",
        "",
        "Files:",
    ]
    for name in sorted(p.sources):
        lines.append("  %-12s sha256 %s" % (name, p.sources_sha[name]))
    return "\n".join(lines) + "\n"


def stage(p, dest, base=None, commit=None):
    """Copies the files, writes the script and README.txt into dest (made
    if missing; other files there are left alone).  Returns the paths
    written."""
    used = check_limits(p, base)
    missing = [s for s in p.sources.values() if not os.path.isfile(s)]
    if missing:
        raise NetbootError("not built: %s (run make)" % ", ".join(missing))
    os.makedirs(dest, exist_ok=True)
    written = []
    for name, src in sorted(p.sources.items()):
        dst = os.path.join(dest, name)
        shutil.copyfile(src, dst)
        p.sources_sha[name] = _sha256(dst)
        written.append(dst)
    spath = os.path.join(dest, p.script)
    with open(spath, "w") as f:
        f.write(script_text(p))
    written.append(spath)
    if base is not None:
        epath = os.path.join(dest, EMBED_NAME)
        with open(epath, "w") as f:
            f.write(embed_text(p, base))
        written.append(epath)
    base = ASSUMED_BASE if base is None else base
    rpath = os.path.join(dest, "README.txt")
    with open(rpath, "w") as f:
        f.write(readme_text(p, base if base.endswith("/") else base + "/",
                            used, commit))
    written.append(rpath)
    return written
