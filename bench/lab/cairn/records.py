"""Parsing of the kernel's serial records (format: kernel/record.h).

A record is one line

    CAIRN <type> <key>=<value> ... #<crc>

where <crc> is zlib.crc32 of the bytes from 'C' up to (not including) the
space before '#', in eight lower-case hex digits.  Every other line is for
people and ignored.  A line that starts with "CAIRN " but does not parse or
fails its checksum is *garbled*: it is kept in Log.garbled and reported by
every caller, never silently dropped.

A record counts only at the start of a line.  The kernel sends records
only for itself and the boot's driver, starts each on a line of its own,
and begins every line of any other process's console text with its tag
"[<endpoint>] " (kernel/console.c): so "CAIRN " further into a line is
someone's text, maybe a forgery, and never a record.  Such lines are kept
in Log.misplaced (for reports), neither records nor garbled.
"""

import re
import zlib
from dataclasses import dataclass, field

MARK = b"CAIRN "
_TYPE_RE = re.compile(rb"^[a-z0-9_]+$")
_KEY_RE = re.compile(rb"^[a-z0-9_.]+$")
_CRC_RE = re.compile(rb"^[0-9a-f]{8}$")


class RecordError(ValueError):
    """A record is missing a field or a field has the wrong shape."""


def crc_of(body):
    """The checksum text of a record body (bytes or str, before ' #')."""
    if isinstance(body, str):
        body = body.encode("latin-1")
    return "%08x" % (zlib.crc32(body) & 0xFFFFFFFF)


def pct_encode(data):
    """Percent-encodes bytes or text as record_text() does in the kernel:
    bytes outside '!'..'~', and '%', '=' and '#', become %XX."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    out = []
    for b in data:
        if b < 0x21 or b > 0x7E or b in (0x25, 0x3D, 0x23):
            out.append("%%%02X" % b)
        else:
            out.append(chr(b))
    return "".join(out)


def pct_decode_bytes(text):
    """Decodes %XX escapes (either case of hex digit) to bytes.  A '%' that
    is not followed by two hex digits is an error: the kernel never makes
    one, so it means the record is damaged."""
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    out = bytearray()
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "%":
            hx = text[i + 1:i + 3]
            if len(hx) != 2 or not all(h in "0123456789abcdefABCDEF" for h in hx):
                raise RecordError("bad percent escape at %d in %r" % (i, text))
            out.append(int(hx, 16))
            i += 3
        else:
            out.append(ord(c))
            i += 1
    return bytes(out)


def pct_decode(text):
    """Decodes a percent-encoded value to text (UTF-8, bad bytes replaced)."""
    return pct_decode_bytes(text).decode("utf-8", errors="replace")


@dataclass
class Record:
    """One verified record.  fields holds the raw (still encoded) values."""
    type: str
    fields: dict
    lineno: int
    line: str

    def has(self, key):
        return key in self.fields

    def raw(self, key):
        try:
            return self.fields[key]
        except KeyError:
            raise RecordError("record %s (line %d) has no field %r"
                              % (self.type, self.lineno, key)) from None

    def text(self, key):
        """A percent-encoded text field, decoded."""
        return pct_decode(self.raw(key))

    def int(self, key):
        """A decimal (or 0x-prefixed hex) integer field."""
        v = self.raw(key)
        try:
            return int(v, 16) if v.lower().startswith("0x") else int(v, 10)
        except ValueError:
            raise RecordError("record %s (line %d): field %s=%r is not an "
                              "integer" % (self.type, self.lineno, key, v)) from None

    def ints(self, key):
        """A comma-separated list of decimal integers."""
        v = self.raw(key)
        if v == "":
            return []
        try:
            return [int(x, 10) for x in v.split(",")]
        except ValueError:
            raise RecordError("record %s (line %d): field %s is not a list "
                              "of integers" % (self.type, self.lineno, key)) from None

    def get(self, key, default=None):
        return self.fields.get(key, default)


@dataclass
class Garbled:
    """A line that looked like a record but failed to parse or verify."""
    lineno: int
    line: str
    reason: str

    def __str__(self):
        shown = self.line if len(self.line) <= 160 else self.line[:157] + "..."
        return "line %d: %s: %r" % (self.lineno, self.reason, shown)


@dataclass
class Log:
    """All records of one serial log, in order, and the garbled lines."""
    records: list = field(default_factory=list)
    garbled: list = field(default_factory=list)
    lines: list = field(default_factory=list)   # every line, as text
    # (lineno, line) of lines with "CAIRN " after their start: a process's
    # text (tagged by the kernel), never taken as a record.
    misplaced: list = field(default_factory=list)

    def of_type(self, rtype):
        return [r for r in self.records if r.type == rtype]

    def first(self, rtype):
        for r in self.records:
            if r.type == rtype:
                return r
        return None

    def last(self, rtype):
        for r in reversed(self.records):
            if r.type == rtype:
                return r
        return None

    def contains(self, fragment):
        """Whether any line (record or not) contains this text."""
        return any(fragment in line for line in self.lines)

    def any_line_startswith(self, prefix):
        return any(line.lstrip().startswith(prefix) for line in self.lines)


def _parse_record(data, lineno):
    """Parses bytes that start with b'CAIRN '.  Returns a Record or raises
    RecordError with the reason it is garbled."""
    cut = data.rfind(b" #")
    if cut < 0:
        raise RecordError("no checksum")
    body, crc = data[:cut], data[cut + 2:]
    if not _CRC_RE.match(crc):
        raise RecordError("malformed checksum %r" % crc.decode("latin-1"))
    want = crc_of(body)
    if crc.decode("ascii") != want:
        raise RecordError("checksum mismatch (line says %s, content gives %s)"
                          % (crc.decode("ascii"), want))
    words = body.split(b" ")
    # words[0] is CAIRN
    if len(words) < 2 or not _TYPE_RE.match(words[1]):
        raise RecordError("bad record type")
    fields = {}
    for w in words[2:]:
        key, eq, value = w.partition(b"=")
        if not eq or not _KEY_RE.match(key):
            raise RecordError("bad field %r" % w.decode("latin-1"))
        k = key.decode("ascii")
        if k in fields:
            raise RecordError("duplicate field %r" % k)
        fields[k] = value.decode("latin-1")
    return Record(words[1].decode("ascii"), fields, lineno,
                  data.decode("latin-1"))


def parse_line(raw, lineno=0):
    """Parses one line (bytes or str, line ending optional).

    Returns (Record, None) for a record, (None, Garbled) for a damaged one,
    (None, None) for a line meant for people.  Only a line that starts with
    "CAIRN " can be a record: one further into a line is a process's text
    (the kernel tags those lines), never a record, whatever its checksum."""
    if isinstance(raw, str):
        raw = raw.encode("latin-1", errors="replace")
    data = raw.rstrip(b"\r\n")
    # A stray carriage return or NUL (serial noise) in front of the record
    # is not part of it; nothing else may come first.
    data = data.lstrip(b"\r\x00")
    if not data.startswith(MARK):
        return None, None
    try:
        return _parse_record(data, lineno), None
    except RecordError as e:
        return None, Garbled(lineno, data.decode("latin-1"), str(e))


def is_misplaced(raw):
    """Whether a line holds "CAIRN " somewhere but not at its start: text
    a process printed, which parse_line never takes as a record."""
    if isinstance(raw, str):
        raw = raw.encode("latin-1", errors="replace")
    data = raw.rstrip(b"\r\n").lstrip(b"\r\x00")
    return MARK in data and not data.startswith(MARK)


def parse_bytes(data):
    """Parses a whole serial log given as bytes."""
    log = Log()
    pieces = data.split(b"\n")
    if pieces and pieces[-1] == b"":
        pieces.pop()            # the empty piece after the final newline
    for i, raw in enumerate(pieces, 1):
        log.lines.append(raw.rstrip(b"\r").decode("latin-1"))
        rec, bad = parse_line(raw, i)
        if rec is not None:
            log.records.append(rec)
        elif bad is not None:
            log.garbled.append(bad)
        elif is_misplaced(raw):
            log.misplaced.append((i, log.lines[-1]))
    return log


def parse_text(text):
    return parse_bytes(text.encode("latin-1", errors="replace"))


def parse_file(path):
    with open(path, "rb") as f:
        return parse_bytes(f.read())


def make_record(rtype, **fields):
    """Builds a record line (no newline) with its checksum.  Values are
    used as given: pass them through pct_encode() where they are text.
    Keys with a '__' stand for '.'; used by tests and fake logs."""
    parts = ["CAIRN", rtype]
    for k, v in fields.items():
        parts.append("%s=%s" % (k.replace("__", "."), v))
    body = " ".join(parts)
    return "%s #%s" % (body, crc_of(body))


# ---------------------------------------------------------------- benchmarks

@dataclass
class Metric:
    """The samples of one benchmark metric in one boot."""
    name: str
    unit: str = "?"
    batch: int = 1
    desc: str = ""
    warmup: int = 0
    samples: list = field(default_factory=list)   # (raw, overhead)
    complete: bool = False


def per_op(raw, overhead, batch):
    """Per-operation ticks of one sample, as float."""
    return (raw - overhead) / batch


def collect_bench(log):
    """Gathers benchinfo/bench/benchend records into {name: Metric}, in the
    order metrics appeared.  Returns (metrics, problems): problems lists
    every inconsistency (a bench without benchinfo, missing or repeated
    sequence numbers, benchend counts that disagree, a metric never
    ended); a boot with problems must not be stored as good data."""
    metrics = {}
    seqs = {}
    problems = []
    for r in log.records:
        try:
            if r.type == "benchinfo":
                name = r.text("name")
                if name in metrics:
                    problems.append("metric %s: benchinfo repeated (line %d)"
                                    % (name, r.lineno))
                    continue
                batch = r.int("batch")
                if batch <= 0:
                    problems.append("metric %s: batch=%d" % (name, batch))
                    batch = 1
                metrics[name] = Metric(name, r.text("unit"), batch,
                                       r.text("desc") if r.has("desc") else "")
                seqs[name] = []
            elif r.type == "bench":
                name = r.text("name")
                m = metrics.get(name)
                if m is None:
                    problems.append("metric %s: bench record before its "
                                    "benchinfo (line %d)" % (name, r.lineno))
                    continue
                if m.complete:
                    problems.append("metric %s: bench record after benchend "
                                    "(line %d)" % (name, r.lineno))
                    continue
                seqs[name].append(r.int("seq"))
                ov = r.int("overhead")
                m.samples.extend((t, ov) for t in r.ints("raw"))
            elif r.type == "benchend":
                name = r.text("name")
                m = metrics.get(name)
                if m is None:
                    problems.append("metric %s: benchend without benchinfo "
                                    "(line %d)" % (name, r.lineno))
                    continue
                m.complete = True
                m.warmup = r.int("warmup")
                s = seqs[name]
                if s and s != list(range(s[0], s[0] + len(s))):
                    problems.append("metric %s: bench records out of sequence "
                                    "(seq %s)" % (name, s))
                if r.int("records") != len(s):
                    problems.append("metric %s: benchend says records=%d, "
                                    "got %d" % (name, r.int("records"), len(s)))
                if r.int("samples") != len(m.samples):
                    problems.append("metric %s: benchend says samples=%d, "
                                    "got %d" % (name, r.int("samples"),
                                                len(m.samples)))
        except RecordError as e:
            problems.append(str(e))
    for m in metrics.values():
        if not m.complete:
            problems.append("metric %s: no benchend (boot cut short?)" % m.name)
    return metrics, problems
