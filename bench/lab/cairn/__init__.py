"""Cairn's performance lab, host side.

The kernel sends results as checksummed one-line records on the serial port
(kernel/record.h).  This package boots it under QEMU (qemu.py), parses the
records (records.py), fingerprints the machine (fingerprint.py), stores the
numbers under results/ keyed by commit, machine and config (results.py) and
plots them over the history (plot.py).  stats.py holds the statistics,
compare.py compares two commits, history.py measures ranges of commits,
finds change points and bisects, report.py writes results/report.md,
dashboard.py a static HTML site.  The command line is bench/lab/cairnlab.py
(cli.py), one module per command in commands/; the tests are in tests/;
the formats are described in BENCHMARKS.md.

Python 3 standard library only.
"""
