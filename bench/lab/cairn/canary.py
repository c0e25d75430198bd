"""The canary: a fixed-cost loop (bench/kern/canary.c) measured in every
bench boot.  Under icount its count can only change when QEMU or the
harness changed what an instruction count is; in real time it shows
how fast the host ran (BENCHMARKS.md, "The canary")."""

import os

from . import gitinfo
from .stats import median

CANARY_METRIC = "canary.loop"   # the fixed-cost loop of bench/kern/canary.c
CANARY_SOURCE = os.path.join("bench", "kern", "canary.c")
CANARY_GATE = 0.05      # real time: a boot whose canary median is more than
                        # 5% off the run's median canary is re-run


def canary_source(repo):
    """12 hex digits of the git blob id of bench/kern/canary.c in repo's
    work tree (what the canary is), or None where there is none: icount
    canaries are compared only between boots with the same source."""
    path = os.path.join(repo, CANARY_SOURCE)
    if not os.path.exists(path):
        return None
    sha = gitinfo.git(repo, "hash-object", CANARY_SOURCE)
    return sha[:12] if sha else None


def canary_median(metrics):
    """The median per-op value of the canary among records.Metric values
    (a dict or a list), or None when the boot has no canary."""
    ms = metrics.values() if isinstance(metrics, dict) else metrics
    for m in ms:
        if m.name == CANARY_METRIC and m.samples:
            return median([(raw - ov) / m.batch for raw, ov in m.samples])
    return None


def canary_rows(boot):
    return [r.key() for r in boot.rows if r.metric == CANARY_METRIC]
