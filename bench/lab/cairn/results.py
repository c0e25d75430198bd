"""Stored benchmark results: layout, append-only TSV files, statistics.

Layout (under results/, or build/results-dirty/ for a dirty work tree):

    machines/<machine-id>.txt                  fingerprint, `key: value`
    <series>/<machine-id>/<config>/<commit>.tsv

A TSV file starts with `#` header lines written when it is created
(format, commit, subject, date, series, config, machine and fingerprint,
QEMU command line, columns).  Each boot then appends

    # boot <k> <iso-date> exit=<status>
    # clock tsc_khz=<n> lapic_khz=<n>          (the guest's PIT calibration)
    # desc <metric>: <description>            (one per metric, optional)
    # retry ..., # noise-gate ..., # canary-gate ..., # canary ...,
    # host ..., # pin ..., # perf ...          (what happened; BENCHMARKS.md)
    <metric> <unit> <boot> <sample> <batch> <raw_ticks> <overhead_ticks> <per_op>

with tab-separated columns; per_op = (raw - overhead) / batch, 3 decimals.
Files are only ever appended to.  Readers ignore comment lines they do not
know.
"""

import datetime
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, ROUND_HALF_EVEN

from . import fingerprint
from .canary import (CANARY_GATE, CANARY_METRIC,  # noqa: F401  (callers)
                     CANARY_SOURCE, canary_median, canary_rows,
                     canary_source)
from .gitinfo import (NO_COMMIT, Source, dirty_paths, git,  # noqa: F401
                      head_commit, source, status_lines, store_root)
from .stats import median  # noqa: F401  (results.median is used by callers)

FORMAT_LINE = "# cairn bench results, format 1 (see BENCHMARKS.md)"
COLUMNS = ("metric", "unit", "boot", "sample", "batch", "raw_ticks",
           "overhead_ticks", "per_op")
_BOOT_RE = re.compile(r"^# boot (\d+) (\S+) exit=(\S+)\s*$")


# ------------------------------------------------------------------ numbers

def per_op_text(raw, overhead, batch):
    """(raw - overhead) / batch with exactly 3 decimals, rounded half-even
    in decimal (no binary floating point on the way)."""
    q = Decimal(raw - overhead) / Decimal(batch)
    return str(q.quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN))


def percentile(xs, p):
    """Linear-interpolation percentile (p in 0..100), like numpy's default."""
    s = sorted(xs)
    if not s:
        raise ValueError("percentile of nothing")
    k = (len(s) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


@dataclass
class Summary:
    n: int
    median: float
    min: float
    max: float
    p5: float
    p95: float


def summarize(xs):
    xs = list(xs)
    return Summary(len(xs), median(xs), min(xs), max(xs),
                   percentile(xs, 5), percentile(xs, 95))


# ------------------------------------------------------------------ files

@dataclass
class Row:
    metric: str
    unit: str
    boot: int
    sample: int
    batch: int
    raw: int
    overhead: int
    per_op: str

    @property
    def value(self):
        return float(self.per_op)

    def key(self):
        """What must repeat exactly between icount boots."""
        return (self.metric, self.unit, self.sample, self.batch, self.raw,
                self.overhead)

    def tsv(self):
        return "\t".join(str(x) for x in (
            self.metric, self.unit, self.boot, self.sample, self.batch,
            self.raw, self.overhead, self.per_op))


@dataclass
class BootRows:
    number: int
    date: str
    exit: str
    rows: list = field(default_factory=list)
    desc: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)    # "# noise-gate ..." lines
    extra: list = field(default_factory=list)    # other comment lines
    clock: str = None                            # "# clock" text

    def canary(self):
        """The boot's `# canary ...` line as {key: value} (its first word,
        the metric, under "metric"), or None."""
        for line in self.extra:
            if line.startswith("canary "):
                words = line.split()
                out = {"metric": words[1]}
                out.update(w.split("=", 1) for w in words[2:] if "=" in w)
                return out
        return None


@dataclass
class ResultFile:
    path: str
    header: dict
    boots: list

    def metrics(self):
        """Metric names in order of first appearance."""
        seen = []
        for b in self.boots:
            for r in b.rows:
                if r.metric not in seen:
                    seen.append(r.metric)
        return seen

    def values(self, metric):
        return [r.value for b in self.boots for r in b.rows
                if r.metric == metric]

    def unit(self, metric):
        for b in self.boots:
            for r in b.rows:
                if r.metric == metric:
                    return r.unit
        return "?"

    def desc(self, metric):
        for b in reversed(self.boots):
            if metric in b.desc:
                return b.desc[metric]
        return ""


def _clean(text):
    """Keeps a field free of tabs and newlines."""
    return re.sub(r"\s+", "_", text.strip()) or "?"


def _one_line(text):
    return " ".join(str(text).split())


def rows_for(metrics, boot):
    """TSV rows for the records.Metric values of one boot."""
    rows = []
    for m in metrics:
        for i, (raw, ov) in enumerate(m.samples):
            rows.append(Row(_clean(m.name), _clean(m.unit), boot, i, m.batch,
                            raw, ov, per_op_text(raw, ov, m.batch)))
    return rows


def read(path):
    """Parses a result file."""
    header = {}
    boots = []
    cur = None
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line:
                continue
            if line.startswith("#"):
                m = _BOOT_RE.match(line)
                if m:
                    cur = BootRows(int(m.group(1)), m.group(2), m.group(3))
                    boots.append(cur)
                elif line.startswith("# desc ") and cur is not None:
                    name, _, text = line[7:].partition(": ")
                    cur.desc[name] = text
                elif line.startswith("# noise-gate ") and cur is not None:
                    cur.notes.append(line[2:])
                elif line.startswith("# clock ") and cur is not None:
                    cur.clock = line[8:]
                elif cur is not None:
                    cur.extra.append(line[2:])
                elif cur is None and ": " in line:
                    k, _, v = line[1:].partition(": ")
                    header[k.strip()] = v
                continue
            cols = line.split("\t")
            if len(cols) != len(COLUMNS) or cur is None:
                raise ValueError("%s:%d: bad row %r" % (path, lineno, line))
            cur.rows.append(Row(cols[0], cols[1], int(cols[2]), int(cols[3]),
                                int(cols[4]), int(cols[5]), int(cols[6]),
                                cols[7]))
    return ResultFile(path, header, boots)


def result_path(root, series, machine, config, commit):
    return os.path.join(root, series, machine, config, commit + ".tsv")


def write_machine(root, fp):
    """results/machines/<id>.txt; written once (the id is a hash of the
    contents, so an existing file already says the same)."""
    mid = fingerprint.machine_id(fp)
    path = os.path.join(root, "machines", mid + ".txt")
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(fingerprint.to_text(fp))
    return path


def read_machine(root, machine):
    """The fingerprint in <root>/machines/<machine>.txt, or None."""
    try:
        with open(os.path.join(root, "machines", machine + ".txt"),
                  encoding="utf-8") as f:
            return fingerprint.from_text(f.read())
    except OSError:
        return None


class SeriesKeys:
    """Which stored (series, machine, config) groups are one series.

    Results are filed under the machine id they were measured with; for
    icount, machines whose records are fingerprint.compatible() (the same
    QEMU, toolchain and build config, on any host) hold one series.
    canonical() maps a group to the first machine id of its series (in
    sorted order), so readers (compare, change points, plots, bisect) see
    one series where the files are spread over several ids."""

    def __init__(self, roots):
        self.roots = [roots] if isinstance(roots, str) else list(roots)
        self._fp = {}
        self._canon = {}            # (series, config) -> [machine ids]

    def fp(self, machine):
        if machine not in self._fp:
            found = None
            for root in self.roots:
                found = read_machine(root, machine)
                if found is not None:
                    break
            self._fp[machine] = found
        return self._fp[machine]

    def same(self, series, ma, mb):
        """Whether machines ma and mb hold one series of `series`."""
        if ma == mb:
            return True
        if series != "icount":
            return False
        fa, fb = self.fp(ma), self.fp(mb)
        return fa is not None and fb is not None and \
            fingerprint.compatible(fa, fb)

    def canonical(self, series, machine, config):
        """The machine id standing for this machine's series: the first
        (in the order seen; callers go through sorted ids) that is the
        same series."""
        seen = self._canon.setdefault((series, config), [])
        for m in seen:
            if self.same(series, m, machine):
                return m
        seen.append(machine)
        return machine


def find_result(root, series, fp, config, sha):
    """The result file of a commit for a series measured under
    fingerprint fp: its own machine's, else (icount) one of a compatible
    machine (SeriesKeys); None when there is none."""
    mid = fingerprint.machine_id(fp)
    path = result_path(root, series, mid, config, sha)
    if os.path.exists(path) or series != "icount":
        return path if os.path.exists(path) else None
    sdir = os.path.join(root, series)
    for machine in sorted(os.listdir(sdir)) if os.path.isdir(sdir) else ():
        path = result_path(root, series, machine, config, sha)
        if os.path.exists(path):
            other = read_machine(root, machine)
            if other is not None and fingerprint.compatible(fp, other):
                return path
    return None


def header_lines(src, series, config, fp, command):
    lines = [FORMAT_LINE,
             "# commit: %s" % src.commit,
             "# subject: %s" % _one_line(src.subject),
             "# date: %s" % src.date,
             "# series: %s" % series,
             "# config: %s" % config,
             "# machine: %s" % fingerprint.machine_id(fp)]
    lines += ["# %s: %s" % (k, _one_line(fp[k]))
              for k in fingerprint.ALL_FIELDS + (fingerprint.PEER_FIELD,)
              if k in fp]
    if src.dirty:
        lines.append("# dirty: work tree had uncommitted changes")
    lines.append("# qemu: %s" % _one_line(command))
    lines.append("# columns: %s" % "\t".join(COLUMNS))
    return lines


def last_boot(path):
    """The last boot stored in a file, or None."""
    if not os.path.exists(path):
        return None
    boots = read(path).boots
    return boots[-1] if boots else None


def last_boot_number(path):
    """The number of the last boot stored in a file (0: none), from its
    `# boot` lines alone (append_boot needs no more than that)."""
    number = 0
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("# boot "):
                    m = _BOOT_RE.match(line.rstrip("\n"))
                    if m:
                        number = int(m.group(1))
    return number


def clock_line(log):
    """The guest's calibrated clock rates from its `clock` record, as the
    text of a `# clock` line, or None.  Under icount the TSC counts
    instructions and its "rate" is no frequency; for kvm and metal it
    converts ticks to nanoseconds."""
    rec = log.first("clock")
    if rec is None:
        return None
    return " ".join("%s=%s" % (k, rec.get(k)) for k in ("tsc_khz", "lapic_khz")
                    if rec.has(k))


def append_boot(path, header, metrics, exit_status, date=None, clock=None,
                notes=()):
    """Appends one boot (records.Metric values) to a result file, creating
    it with the header lines if needed; clock is clock_line()'s text;
    notes are extra comment lines of the boot block without the "# "
    (e.g. "noise-gate ...", "retry ...", "host ..."), written in order.
    Returns the BootRows written (as read() would give them back)."""
    number = last_boot_number(path) + 1
    date = date or datetime.datetime.now(datetime.timezone.utc) \
        .replace(microsecond=0).isoformat()
    notes = [_one_line(n) for n in notes]
    boot = BootRows(number, date, str(exit_status), rows_for(metrics, number),
                    {_clean(m.name): _one_line(m.desc) for m in metrics
                     if m.desc},
                    [n for n in notes if n.startswith("noise-gate ")],
                    [n for n in notes if not n.startswith("noise-gate ")],
                    clock)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    new = not os.path.exists(path)
    with open(path, "a", encoding="utf-8") as f:
        if new:
            f.write("\n".join(header) + "\n")
        f.write("# boot %d %s exit=%s\n" % (number, date, exit_status))
        if clock:
            f.write("# clock %s\n" % clock)
        for note in notes:
            f.write("# %s\n" % note)
        for name, text in boot.desc.items():
            f.write("# desc %s: %s\n" % (name, text))
        for r in boot.rows:
            f.write(r.tsv() + "\n")
    return boot


def icount_repeat(prev, boot):
    """The icount repeat check of a newly stored boot against the previous
    one of the same file: (verdict text, difference). The difference is
    None unless the boots differ, which under icount they never should."""
    if prev is None:
        return "first icount boot stored for this commit/machine/config", None
    diff = compare_boots(prev, boot)
    if diff is None:
        return "identical to boot %d, as expected" % prev.number, None
    return "DIFFERENT from boot %d" % prev.number, diff


def compare_boots(a, b):
    """None when two boots have the same samples; otherwise a short
    description of the first difference."""
    ka = [r.key() for r in a.rows]
    kb = [r.key() for r in b.rows]
    if ka == kb:
        return None
    if len(ka) != len(kb):
        return "%d rows vs %d rows" % (len(ka), len(kb))
    for x, y in zip(ka, kb):
        if x != y:
            return ("first difference: metric %s sample %d: raw %d overhead %d"
                    " vs raw %d overhead %d" % (x[0], x[2], x[4], x[5], y[4],
                                                y[5]))
    return "differ"


def find_files(root, commit=None):
    """All result files under root as (series, machine, config, commit,
    path); commit may be a prefix."""
    out = []
    if not os.path.isdir(root):
        return out
    for series in sorted(os.listdir(root)):
        sdir = os.path.join(root, series)
        if series in ("machines", "plots") or not os.path.isdir(sdir):
            continue
        for machine in sorted(os.listdir(sdir)):
            mdir = os.path.join(sdir, machine)
            if not os.path.isdir(mdir):
                continue
            for config in sorted(os.listdir(mdir)):
                cdir = os.path.join(mdir, config)
                if not os.path.isdir(cdir):
                    continue
                for name in sorted(os.listdir(cdir)):
                    if not name.endswith(".tsv"):
                        continue
                    sha = name[:-4]
                    if commit and not sha.startswith(commit):
                        continue
                    out.append((series, machine, config, sha,
                                os.path.join(cdir, name)))
    return out


def canary_history(roots, series, config, canary_src):
    """Stored boots whose `# canary` line names this canary source, under
    every machine of a series with this config: [(commit, machine, boot
    number, median text)], in path order."""
    out = []
    seen = set()
    for root in roots:
        sdir = os.path.join(root, series)
        if not os.path.isdir(sdir):
            continue
        for machine in sorted(os.listdir(sdir)):
            cdir = os.path.join(sdir, machine, config)
            if not os.path.isdir(cdir):
                continue
            for name in sorted(os.listdir(cdir)):
                path = os.path.realpath(os.path.join(cdir, name))
                if not name.endswith(".tsv") or path in seen:
                    continue
                seen.add(path)
                try:
                    rf = read(path)
                except (OSError, ValueError):
                    continue
                for b in rf.boots:
                    c = b.canary()
                    if c and c.get("source") == canary_src and \
                            "median" in c:
                        out.append((name[:-4], machine, b.number,
                                    c["median"]))
    return out
