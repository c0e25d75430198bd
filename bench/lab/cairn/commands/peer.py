"""peer: Linux side by side with Cairn, in the same QEMU and series.

    cairnlab.py peer bench  [--series icount[,tcg,kvm]] [--boots N] [--samples N]
                        [--warmup N] [--smp N] [--memory MIB] [--only PREFIX]
                        [--timeout S] [--results DIR] [--refresh-kernel]
    cairnlab.py peer ratios [COMMIT] [--series icount] [--results DIR]
    cairnlab.py peer fetch  [--refresh-kernel]

`bench` fetches Debian's i386 Linux kernel if build/peer/ has none yet
(apt-get download, never installed; it adds dpkg architecture i386 and
runs apt-get update when needed), builds bench/peer/linuxbench.c as /init
and an initramfs, boots it in Cairn's QEMU configuration, stores the
results beside Cairn's (config <config>-linux) and prints the Cairn/Linux
table.  `ratios` prints that table from stored results.  See
BENCHMARKS.md, "Linux side by side".  Python 3 standard library only.
"""

import datetime
import os

from .. import fingerprint, peer, qemu, results
from ..console import REPO, loud, rel, say


class Progress:
    """Says every 30 s that a boot is still running."""

    def __init__(self, label):
        self.label, self.told = label, 0

    def __call__(self, elapsed):
        if elapsed - self.told >= 30:
            self.told = elapsed
            say("%s still running, %.0f s" % (self.label, elapsed))


def print_table(title, headers, rows):
    say("")
    say(title)
    widths = [max([len(str(h))] + [len(str(r[i])) for r in rows])
              for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(str(c).ljust(w) if i < 2 else str(c).rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths)))
    say(line(headers))
    say("  ".join("-" * w for w in widths))
    for r in rows:
        say(line(r))


def roots(args):
    if args.results:
        return [os.path.abspath(args.results)]
    return [os.path.join(REPO, "results"),
            os.path.join(REPO, "build", "results-dirty")]


def show_ratios(series, machine, linux_path, commit):
    """Prints the Cairn/Linux table for one stored Linux result file."""
    linux_rf = results.read(linux_path)
    config = os.path.basename(os.path.dirname(linux_path))
    cairn_cfg = peer.cairn_config(config)
    found = peer.find_cairn(REPO, [os.path.join(REPO, "results"),
                                   os.path.join(REPO, "build",
                                                "results-dirty")],
                            series, machine, cairn_cfg, commit)
    cairn_rf = None
    if found:
        path, used, where = found
        cairn_rf = results.read(path)
        origin = "Cairn: %s" % rel(path)
        if used != commit:
            origin += " (commit %s, the nearest with Cairn results)" \
                % used[:12]
        if where != machine:
            origin += " (machine %s: icount counts do not depend on the " \
                "host)" % where
    else:
        origin = "Cairn: no stored %s results for config %s at %s or its " \
            "ancestors (run make bench)" % (series, cairn_cfg, commit[:12])
    headers, rows = peer.ratio_table(peer.ratio_rows(linux_rf, cairn_rf,
                                                     series))
    unit = "instructions (icount) per operation" if series == "icount" \
        else "ticks per operation"
    print_table("Cairn/Linux, %s series, %s, %s\n  Linux: %s\n  %s"
                % (series, machine, unit, rel(linux_path), origin),
                headers, rows)
    say("  (the %s figure of a commit: %s; Cairn/Linux below 1: Cairn's "
        "path is cheaper)" % (series, "the median of the first boot's "
                              "samples" if series == "icount" else
                              "the median of the boot medians"))


def cmd_fetch(args):
    try:
        k = peer.fetch_kernel(os.path.join(REPO, "build", "peer"), say,
                              args.refresh_kernel)
    except peer.PeerError as e:
        say("cairnlab peer fetch: %s" % e)
        return 1
    say("%s: %s" % (k.describe(), rel(k.vmlinuz)))
    return 0


def cmd_bench(args):
    src = results.source(REPO)
    root = results.store_root(REPO, src)
    if args.results and src.clean:
        root = os.path.abspath(args.results)
    if src.clean:
        say("commit %s %s" % (src.commit[:12], src.subject))
    else:
        loud("work tree is dirty (%d change%s, e.g. %s):\n"
             "results go to build/results-dirty/, NOT to results/"
             % (len(src.dirty), "" if len(src.dirty) == 1 else "s",
                src.dirty[0].strip()))
    say("results go to %s" % rel(root))
    series = [s.strip() for s in args.series.split(",") if s.strip()]
    for s in series:
        if s not in qemu.SERIES:
            say("cairnlab peer: unknown series %r (know %s)"
                % (s, ", ".join(qemu.SERIES)))
            return 2
    try:
        prep = peer.prepare(REPO, say, args.refresh_kernel)
    except peer.PeerError as e:
        say("cairnlab peer bench: %s" % e)
        return 1
    say("peer: %s; /init %s" % (prep.kernel.describe(), rel(prep.init)))

    binary = args.qemu or qemu.QEMU_I386
    logdir = os.path.join(REPO, "build", "peer", "logs")
    os.makedirs(logdir, exist_ok=True)
    failures = 0
    stored = []
    for s in series:
        spec = peer.boot_spec(prep, s, args.smp, args.memory, args.samples,
                              args.warmup, args.only, binary=binary)
        fp = fingerprint.make(s, args.smp, binary)
        cairn_machine = fingerprint.machine_id(fp)
        fp[fingerprint.PEER_FIELD] = prep.kernel.describe()
        machine = fingerprint.machine_id(fp)
        config = peer.config_name(spec, args.samples, args.warmup, args.only)
        path = results.result_path(root, s, machine, config, src.commit)
        results.write_machine(root, fp)
        notes = []
        qemu.build_command(spec, "<log>", notes)   # options QEMU rejects
        for n in notes:
            say("[%s] note: %s" % (s, n))
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        say("")
        say("[%s] machine %s, config %s" % (s, machine, config))
        boots = []
        for k in range(1, args.boots + 1):
            label = "[%s linux %d/%d]" % (s, k, args.boots)
            log_path = os.path.join(logdir, "%s-%s-%s-%d.log"
                                    % (s, config, stamp, k))
            cmd = qemu.build_command(spec, log_path)
            say("%s booting: %s" % (label, qemu.format_command(cmd)))

            res = qemu.run(cmd, log_path, args.timeout,
                           progress=Progress(label))
            log = res.log()
            metrics, problems = peer.check_boot(res, log, args.smp, args.only)
            if problems:
                failures += 1
                say("%s FAILED after %.1f s, not stored:" % (label,
                                                            res.seconds))
                for p in problems:
                    say("    " + p)
                say("    serial log: %s" % rel(log_path))
                continue
            prev = results.last_boot(path)
            header = results.header_lines(
                src, s, config, fp, qemu.format_command(cmd)
                .replace(log_path, "<log>").replace(REPO + os.sep, ""))
            boot = results.append_boot(path, header, list(metrics.values()),
                                       res.status,
                                       clock=results.clock_line(log),
                                       notes=peer.boot_notes(prep.kernel,
                                                             log))
            verdict = ""
            if s == "icount":
                verdict, diff = results.icount_repeat(prev, boot)
                if diff is not None:
                    loud("icount boot %d of the Linux peer differs from "
                         "boot %d:\n%s\n(log: %s)" % (
                             boot.number, prev.number, diff, rel(log_path)))
            say("%s ok in %.1f s: %d metrics, %d samples, stored as boot %d "
                "in %s%s" % (label, res.seconds, len(metrics),
                             len(boot.rows), boot.number, rel(path),
                             "; " + verdict if verdict else ""))
            boots.append(boot)
        if boots:
            stored.append((s, cairn_machine, path, boots))

    for s, machine, path, boots in stored:
        rows = []
        for m in [r.metric for r in boots[0].rows if r.sample == 0]:
            st = results.summarize([r.value for b in boots for r in b.rows
                                    if r.metric == m])
            rows.append([m, peer.CAIRN_OF.get(m, ""), st.n,
                         "%.3f" % st.median, "%.3f" % st.min,
                         "%.3f" % st.max])
        print_table("Linux, %s series, per-op %s over this run's boot%s"
                    % (s, "instructions (icount)" if s == "icount"
                       else "ticks", "" if len(boots) == 1 else "s"),
                    ["Linux metric", "beside Cairn's", "n", "median", "min",
                     "max"], rows)
        show_ratios(s, machine, path, src.commit)
    say("")
    if failures:
        say("cairnlab peer: %d boot%s failed (see above)"
            % (failures, "" if failures == 1 else "s"))
        return 1
    return 0


def cmd_ratios(args):
    rev = args.commit or "HEAD"
    commit = results.git(REPO, "rev-parse", "--verify", "-q",
                         rev + "^{commit}") or rev
    shown = 0
    for root in roots(args):
        for s, machine, config, sha, path in results.find_files(root, commit):
            if s != args.series or not config.endswith(peer.CONFIG_SUFFIX):
                continue
            show_ratios(s, peer.cairn_machine(root, machine), path, sha)
            shown += 1
    if not shown:
        say("no stored %s results of the Linux peer for %s (run "
            "make bench-peer)" % (args.series, commit))
        return 1
    return 0


def register(sub):
    pp = sub.add_parser("peer", help="the Linux peer: bench, ratios, fetch")
    psub = pp.add_subparsers(dest="peer_cmd", required=True)
    b = psub.add_parser("bench", help="boot the Linux peer, store, compare")
    b.add_argument("--series", default="icount",
                   help="comma-separated: icount, tcg, kvm (default icount)")
    b.add_argument("--boots", type=int, default=1)
    b.add_argument("--samples", type=int)
    b.add_argument("--warmup", type=int)
    b.add_argument("--smp", type=int, default=2)
    b.add_argument("--memory", type=int, default=128, help="MiB")
    b.add_argument("--only", help="only metrics starting with this")
    b.add_argument("--timeout", type=float, default=600.0,
                   help="seconds per boot (default 600)")
    b.add_argument("--results", help="results directory (clean tree only)")
    b.add_argument("--qemu", help="QEMU binary (default qemu-system-i386)")
    b.add_argument("--refresh-kernel", action="store_true",
                   help="look for a newer kernel package than the cached one")
    b.set_defaults(func=cmd_bench)
    r = psub.add_parser("ratios", help="Cairn/Linux table of a commit")
    r.add_argument("commit", nargs="?")
    r.add_argument("--series", default="icount")
    r.add_argument("--results", help="only this results directory")
    r.set_defaults(func=cmd_ratios)
    f = psub.add_parser("fetch", help="fetch and unpack the kernel only")
    f.add_argument("--refresh-kernel", action="store_true")
    f.set_defaults(func=cmd_fetch)
