"""The targets BENCHMARKS.md sets, checked against the newest figures.

Targets are icount figures: instructions (never cycles) per operation,
the same on every host, so they are checked only in the icount series.
A limit is met when the newest measured commit's median is at or below
it; a ratio target compares two metrics of the same commit (the region
lookup at 100,000 regions may cost at most twice the lookup at 100).
`cairnlab.py report` lists them; the figures come from
history.metric_series.
"""

from dataclasses import dataclass

# (metric, most instructions per operation): the hot-path targets of
# issue 13, as BENCHMARKS.md lists them (the earlier, looser targets of
# the first user-space issues are all met and superseded).
LIMITS = (
    ("kentry.null.sysenter", 80.0),
    ("ipc.sendrec.same_cpu", 450.0),
    ("ipc.notify.latency", 300.0),
    ("ipc.sendrec.cross_cpu", 1000.0),
    ("vm.pagefault.anon", 2000.0),
    ("vm.pagefault.cow", 2500.0),
    ("vm.mmap_munmap", 3000.0),
    ("proc.fork_exit_wait", 53000.0),
)

# (metric, baseline metric, largest ratio metric / baseline): the region
# tree stays O(log n); a 64 KiB copy-on-write safecopy costs at most 0.3x
# the byte copy (issue 14).
RATIOS = (
    ("vm.region_lookup.n100000", "vm.region_lookup.n100", 2.0),
    ("grant.safecopy.cow.64k", "grant.safecopy.bytes.64k", 0.3),
)


@dataclass
class Check:
    group: tuple          # (series, machine, config)
    what: str             # the metric, or "a / b" for a ratio
    value: float          # the figure, or the ratio
    target: float
    sha: str              # the commit measured
    ratio: bool = False

    @property
    def met(self):
        return self.value <= self.target


def check(series_map):
    """[Check] for every target with figures, per icount group, in the
    order of LIMITS then RATIOS."""
    out = []
    for group, metrics in series_map.items():
        if group[0] != "icount":
            continue
        for metric, limit in LIMITS:
            points = metrics.get(metric)
            if points:
                p = points[-1]
                out.append(Check(group, metric, p.est.value, limit, p.sha))
        for metric, base, limit in RATIOS:
            at_base = {p.sha: p for p in metrics.get(base, ())}
            both = [p for p in metrics.get(metric, ()) if p.sha in at_base]
            if not both:
                continue
            p, q = both[-1], at_base[both[-1].sha]
            value = p.est.value / q.est.value if q.est.value else float("inf")
            out.append(Check(group, "%s / %s" % (metric, base), value, limit,
                             p.sha, ratio=True))
    return out
