"""import: a bench serial log collected elsewhere, stored as a series."""

import os

from .. import compare, fingerprint, records, results
from ..console import say


def cmd_import(args):
    """Stores the bench records of a serial log collected elsewhere (a
    bare-metal machine booted over the network) as its own series."""
    repo = args.repo
    log = records.parse_file(args.log)
    metrics, problems = records.collect_bench(log)
    for g in log.garbled:
        problems.append("garbled record, %s" % g)
    hello = log.first("hello")
    if hello is None:
        problems.append("no hello record")
    if problems or not metrics:
        say("cairnlab import: %s not stored:" % args.log)
        for p in problems or ["no benchmark records"]:
            say("    " + p)
        return 1
    cpus = hello.int("cpus")
    src = results.source(repo)
    if args.commit:
        src = results.Source(args.commit, args.subject or "", "", [])
    root = results.store_root(repo, src)
    fp = fingerprint.make(args.series, cpus, cpu=args.host_cpu,
                          kernel="-", qemu="-")
    fp["accelerator"] = args.series
    machine = fingerprint.machine_id(fp)
    config = "smp%d-metal" % cpus
    path = results.result_path(root, args.series, machine, config, src.commit)
    results.write_machine(root, fp)
    header = results.header_lines(src, args.series, config, fp,
                                  "(bare metal, serial log %s)"
                                  % os.path.basename(args.log))
    boot = results.append_boot(path, header, list(metrics.values()),
                               "metal", clock=results.clock_line(log))
    say("stored boot %d (%d samples) in %s" % (boot.number, len(boot.rows),
                                              compare.relpath(path, repo)))
    return 0


def register(sub):
    im = sub.add_parser("import", help="store a bare-metal serial log")
    im.add_argument("--log", required=True)
    im.add_argument("--host-cpu", required=True,
                    help="CPU model of the machine that produced the log")
    im.add_argument("--series", default="metal")
    im.add_argument("--commit", help="commit the image was built from "
                    "(default HEAD; the tree must be clean to go to results/)")
    im.add_argument("--subject", help="its subject line")
    im.set_defaults(func=cmd_import)
