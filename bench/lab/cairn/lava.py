"""LAVA: a job that boots the staged image on a farm's x86 machine, its
schema check, and the serial log recovered from a LAVA job log.

The job has no deploy action: LAVA's tftp deploy has a kernel and a
ramdisk but no list of multiboot modules, so the machine fetches
everything itself from the staged directory (cairnlab.py netboot): the
boot action interrupts the machine's iPXE and types `dhcp` and `chain
<url>/cairn-bench.ipxe`.  A 'monitors' test then reads the serial console
from `CAIRN hello` to `CAIRN done` and turns test and benchend records
into LAVA test cases; the numbers themselves are stored from the job's
log by `cairnlab.py collect --lava`, which checks every record's CRC.

A LAVA job log is a YAML list, one entry a line, written by
lava_dispatcher's log.dump() with every scalar double-quoted:

    - {"dt": "2024-05-01T10:00:00.123456", "lvl": "target", "msg": "..."}

The 'target' entries are the serial console.  lava_dispatcher's
ShellLogger logs one console line per entry with '\\r' and ESC removed
and '"' written as '\\"', but a line still waiting for its end when LAVA
flushes (at the end of an action, or a pattern matched in mid-line) ends
one entry and goes on in a later one, with other levels' entries between
them.  target_lines() joins such pieces back, but only where the joined
text is a record whose checksum holds.
"""

import base64
import json
import os
import re
import sys

from . import records

# Device type, timeouts (minutes) and what a job watches for.
DEVICE_TYPE = "x86"
START = "CAIRN hello"
END = "CAIRN done"
# Records count only at a line start: other processes' lines start with
# their tag (kernel/console.c), so "[7] CAIRN test ..." must not count as
# a result. (A forged "[7] CAIRN done" could end LAVA's own monitor
# early; the results `collect` stores come from the whole serial log.)
# One pattern for test and benchend records (a monitor has one pattern,
# and the monitors of a job wait for their start strings one after the
# other, so two monitors could not both start at `CAIRN hello`).  A
# benchend has no result: its word `samples` becomes "pass" by fixupdict.
PATTERN = (r"(?:^|\n)CAIRN (?:test|benchend) name=(?P<test_case_id>\S+) "
           r"(?:result=)?(?P<result>pass|fail|samples)")
FIXUP = {"samples": "pass"}
TEST_PATTERN = (r"(?:^|\n)CAIRN test name=(?P<test_case_id>\S+) "
                r"result=(?P<result>pass|fail)")
MAX_JOIN = 8             # target entries one record may be split over


class LavaLogError(ValueError):
    """A LAVA job log line that does not parse."""


class LavaMissing(RuntimeError):
    """lava_common (Debian package lava-common) is not installed."""


# ------------------------------------------------------------------ job

def script_url(dest_url, script):
    return dest_url.rstrip("/") + "/" + script


def job_definition(dest_url, script, kind="bench", device_type=DEVICE_TYPE,
                   job_name=None, boot_minutes=5, test_minutes=20,
                   metadata=None):
    """The job as a dict (to_yaml() writes it).  dest_url is where the
    staged directory is served over HTTP or TFTP; LAVA replaces
    {SERVER_IP} in it with the dispatcher's address."""
    url = script_url(dest_url, script)
    meta = {"cairn.kind": kind, "cairn.script": url}
    meta.update(metadata or {})
    return {
        "job_name": job_name or "cairn %s boot" % kind,
        "device_type": device_type,
        "visibility": "public",
        "priority": "medium",
        "timeouts": {
            "job": {"minutes": boot_minutes + test_minutes + 5},
            "action": {"minutes": max(boot_minutes, test_minutes)},
            "connection": {"minutes": 2},
        },
        "metadata": meta,
        "actions": [
            {"boot": {
                "method": "ipxe",
                # Typed at the iPXE> prompt after LAVA's Ctrl-B; a list
                # of commands is used as is instead of the device type's.
                "commands": ["dhcp", "chain %s" % url],
                "timeout": {"minutes": boot_minutes},
            }},
            {"test": {
                "timeout": {"minutes": test_minutes},
                "monitors": [{
                    "name": "cairn-%s" % kind,
                    "start": START,
                    "end": END,
                    "pattern": PATTERN,
                    "fixupdict": dict(FIXUP),
                }],
            }},
        ],
    }


_PLAIN_OK = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def _scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    v = str(v)
    # A JSON string is a YAML double-quoted scalar.
    if _PLAIN_OK.match(v) and v.lower() not in ("true", "false", "yes", "no",
                                                 "on", "off", "null", "y",
                                                 "n"):
        return v
    return json.dumps(v)


def to_yaml(obj, indent=0):
    """Block-style YAML for dicts, lists, strings and ints (the job)."""
    pad = " " * indent
    out = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, (dict, list)) and v:
                out.append("%s%s:" % (pad, _scalar(k)))
                out.append(to_yaml(v, indent + 2))
            else:
                out.append("%s%s: %s" % (pad, _scalar(k), _empty_or(v)))
    elif isinstance(obj, list):
        for v in obj:
            if isinstance(v, (dict, list)) and v:
                inner = to_yaml(v, indent + 2).splitlines()
                out.append("%s- %s" % (pad, inner[0].lstrip()))
                out.extend(inner[1:])
            else:
                out.append("%s- %s" % (pad, _empty_or(v)))
    else:
        out.append(pad + _scalar(obj))
    return "\n".join(out)


def _empty_or(v):
    if isinstance(v, dict):
        return "{}"
    if isinstance(v, list):
        return "[]"
    return _scalar(v)


def job_yaml(job):
    return ("# LAVA job: Cairn netboot through iPXE (bench/lab/cairnlab.py "
            "lava-job).\n" + to_yaml(job) + "\n")


# Where Debian's python3-* packages (lava-common, python3-yaml) live; a
# python3 that is not Debian's (pyenv, a venv) does not look there.
DEBIAN_DIST = "/usr/lib/python3/dist-packages"


def _import(name):
    """Imports a module, looking in Debian's dist-packages last."""
    import importlib
    try:
        return importlib.import_module(name)
    except ImportError:
        if not os.path.isdir(DEBIAN_DIST) or DEBIAN_DIST in sys.path:
            raise
    sys.path.append(DEBIAN_DIST)
    return importlib.import_module(name)


def load_yaml(text):
    try:
        yaml = _import("yaml")
    except ImportError:
        raise LavaMissing("python3-yaml is not installed (apt-get install "
                          "lava-common brings it)") from None
    return yaml.safe_load(text)


def validate_job(job):
    """Checks a job (a dict) with LAVA's own schema (lava_common, Debian
    package lava-common).  Returns None when valid, else the error text;
    raises LavaMissing when lava_common is not installed."""
    try:
        validate = _import("lava_common.schemas").validate
        Invalid = _import("voluptuous").Invalid
    except ImportError:
        raise LavaMissing("lava_common is not installed: apt-get install "
                          "lava-common (Debian) to check LAVA jobs") from None
    if not isinstance(job, dict):
        return "a job is a mapping, got %s" % type(job).__name__
    try:
        validate(job, strict=True)
    except Invalid as e:
        return "%s (at %s)" % (e.msg, "/".join(str(p) for p in e.path) or
                               "top level")
    except (KeyError, TypeError, ValueError, StopIteration) as e:
        return "malformed job: %s: %s" % (type(e).__name__, e)
    try:
        for a in job["actions"]:
            t = a.get("test", {})
            for m in t.get("monitors", []):
                for key in ("start", "end", "pattern"):
                    re.compile(m[key])
    except re.error as e:
        return "monitor %s does not compile: %s" % (key, e)
    return None


# ------------------------------------------------------------------ job log

_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t",
            "n": "\n", "v": "\v", "f": "\f", "r": "\r", "e": "\x1b",
            " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85",
            "_": "\xa0", "L": "\u2028", "P": "\u2029"}
_HEX = {"x": 2, "u": 4, "U": 8}


class _Flow:
    """A parser for one line of a LAVA log: a YAML flow mapping whose
    scalars are double-quoted (lava_dispatcher writes them all that way);
    plain scalars are accepted too, as text."""

    def __init__(self, text, lineno):
        self.s, self.i, self.lineno = text, 0, lineno

    def fail(self, why):
        raise LavaLogError("line %d, column %d: %s" % (self.lineno,
                                                        self.i + 1, why))

    def ws(self):
        while self.i < len(self.s) and self.s[self.i] in " \t":
            self.i += 1

    def value(self):
        self.ws()
        if self.i >= len(self.s):
            self.fail("value expected")
        c = self.s[self.i]
        if self.s.startswith("!!", self.i):     # a tag, e.g. !!binary
            end = self.i
            while end < len(self.s) and self.s[end] not in " \t":
                end += 1
            tag, self.i = self.s[self.i:end], end
            v = self.value()
            if tag == "!!binary" and isinstance(v, str):
                try:
                    raw = base64.b64decode("".join(v.split()), validate=True)
                except ValueError:
                    self.fail("bad !!binary value")
                return raw.decode("utf-8", errors="replace")
            return v
        if c == '"':
            return self.quoted()
        if c == "{":
            return self.mapping()
        if c == "[":
            return self.sequence()
        return self.plain()

    def quoted(self):
        self.i += 1
        out = []
        s = self.s
        while True:
            if self.i >= len(s):
                self.fail("unterminated string")
            c = s[self.i]
            if c == '"':
                self.i += 1
                return "".join(out)
            if c == "\\":
                e = s[self.i + 1:self.i + 2]
                if e in _ESCAPES:
                    out.append(_ESCAPES[e])
                    self.i += 2
                elif e in _HEX:
                    digits = s[self.i + 2:self.i + 2 + _HEX[e]]
                    if len(digits) != _HEX[e] or not all(
                            d in "0123456789abcdefABCDEF" for d in digits):
                        self.fail("bad \\%s escape" % e)
                    out.append(chr(int(digits, 16)))
                    self.i += 2 + _HEX[e]
                else:
                    self.fail("unknown escape \\%s" % e)
            else:
                out.append(c)
                self.i += 1

    def plain(self):
        start = self.i
        while self.i < len(self.s) and self.s[self.i] not in ",}]":
            self.i += 1
        return self.s[start:self.i].strip()

    def mapping(self):
        self.i += 1
        out = {}
        self.ws()
        if self.s[self.i:self.i + 1] == "}":
            self.i += 1
            return out
        while True:
            self.ws()
            key = self.quoted() if self.s[self.i:self.i + 1] == '"' else \
                self.plain_key()
            self.ws()
            if self.s[self.i:self.i + 1] != ":":
                self.fail("':' expected after key %r" % key)
            self.i += 1
            out[key] = self.value()
            self.ws()
            c = self.s[self.i:self.i + 1]
            self.i += 1
            if c == "}":
                return out
            if c != ",":
                self.fail("',' or '}' expected")

    def plain_key(self):
        start = self.i
        while self.i < len(self.s) and self.s[self.i] not in ":,}":
            self.i += 1
        return self.s[start:self.i].strip()

    def sequence(self):
        self.i += 1
        out = []
        self.ws()
        if self.s[self.i:self.i + 1] == "]":
            self.i += 1
            return out
        while True:
            out.append(self.value())
            self.ws()
            c = self.s[self.i:self.i + 1]
            self.i += 1
            if c == "]":
                return out
            if c != ",":
                self.fail("',' or ']' expected")


def parse_job_log(text):
    """The entries (dicts) of a LAVA job log.  Raises LavaLogError on a
    line that is not `- {...}`."""
    entries = []
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.strip() == "---":
            continue
        if not line.startswith("- "):
            raise LavaLogError("line %d: not a LAVA log entry (`- {...}`): %r"
                               % (lineno, line[:80]))
        p = _Flow(line[2:], lineno)
        p.ws()
        if p.s[p.i:p.i + 1] != "{":
            p.fail("'{' expected")
        entry = p.mapping()
        p.ws()
        if p.i != len(p.s):
            p.fail("text after the entry")
        entries.append(entry)
    return entries


def _unescape_target(msg):
    """Undoes ShellLogger's '"' -> '\\"' (it adds a backslash nowhere
    else, so every '\\"' it wrote stands for one '"')."""
    return msg.replace('\\"', '"')


def _is_record(text):
    rec, _ = records.parse_line(text)
    return rec is not None


def _may_start_record(text):
    """Whether a target piece holds a broken record or ends with the
    beginning of a record's mark (the rest of it in the next piece)."""
    if records.MARK.decode() in text:
        return not _is_record(text)
    mark = records.MARK.decode()
    return any(text.endswith(mark[:k]) for k in range(1, len(mark)))


def target_lines(entries):
    """The serial console lines of a job log, split records joined again.
    Returns (lines, joined): joined counts the records put back together."""
    pieces = []
    for e in entries:
        if not isinstance(e, dict) or e.get("lvl") != "target":
            continue
        msg = e.get("msg")
        if not isinstance(msg, str):
            continue
        pieces.extend(_unescape_target(msg).split("\n"))
    lines = []
    joined = 0
    i = 0
    while i < len(pieces):
        cur = pieces[i]
        if _may_start_record(cur):
            acc = cur
            for k in range(i + 1, min(i + MAX_JOIN, len(pieces))):
                acc += pieces[k]
                if _is_record(acc):
                    lines.append(acc)
                    joined += 1
                    i = k + 1
                    break
            else:
                lines.append(cur)
                i += 1
            continue
        lines.append(cur)
        i += 1
    return lines, joined


def serial_log(text):
    """A LAVA job log's serial console as records.Log, and the number of
    split records joined.  Raises LavaLogError when the log does not
    parse."""
    lines, joined = target_lines(parse_job_log(text))
    return records.parse_text("\n".join(lines) + "\n"), joined
