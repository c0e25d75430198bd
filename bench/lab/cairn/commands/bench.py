"""bench: boot mode=bench in QEMU for each series, store and summarize
(the boots themselves: benchrun.py)."""

import datetime
import os

from .. import bootimage, compare, fingerprint, qemu, results, stats
from ..benchrun import (MAX_TRIES, REALTIME_BOOTS, SeriesRun, Slot,
                        boot_slot, boots_of, canary_gate, perf_support,
                        report_failed, store_slot)
from ..console import loud, say
from .common import (KERNEL_DEFAULT, add_gate_options, config_name, fmt_num,
                     print_table, run_probe)


def cmd_bench(args):
    repo = args.repo
    kernel = os.path.abspath(args.kernel)
    if not os.path.exists(kernel):
        say("cairnlab: no kernel at %s (build it with make first)" % kernel)
        return 2
    binary = args.qemu or qemu.QEMU_I386
    workdir = os.path.join(repo, "build", "lab")
    logdir = os.path.join(workdir, "logs")
    os.makedirs(logdir, exist_ok=True)

    src = results.source(repo)
    if args.commit:
        want = results.git(repo, "rev-parse", "--verify", "-q",
                           args.commit + "^{commit}")
        if want is None:
            say("cairnlab bench: unknown commit %r in %s"
                % (args.commit, repo))
            return 2
        if want != src.commit:
            say("cairnlab bench: %s is at %s, not at --commit %s: results "
                "would be attributed to the wrong commit"
                % (repo, src.commit[:12], want[:12]))
            return 2
    root = results.store_root(repo, src)
    if args.results and src.clean:
        root = os.path.abspath(args.results)
    if src.clean:
        say("commit %s %s" % (src.commit[:12], src.subject))
        say("results go to %s" % compare.relpath(root, repo))
    else:
        loud("work tree is dirty (%d change%s, e.g. %s):\n"
             "results go to build/results-dirty/, NOT to results/ "
             "(results/ is the history of commits)"
             % (len(src.dirty), "" if len(src.dirty) == 1 else "s",
                src.dirty[0].strip()))

    series = [s.strip() for s in args.series.split(",") if s.strip()]
    for s in series:
        if s not in qemu.SERIES:
            say("cairnlab: unknown series %r (know %s)"
                % (s, ", ".join(qemu.SERIES)))
            return 2
    if "icount" not in series:
        series.insert(0, "icount")
    probe = None
    if args.no_kvm:
        say("accelerator: KVM not tried (--no-kvm)")
        series = [s for s in series if s != "kvm"]
    else:
        if args.kvm_known:
            probe = qemu.Probe(args.kvm_known == "yes", "probed once by the "
                               "caller (--kvm-known %s)" % args.kvm_known)
            say("accelerator: %s (%s)" % ("KVM" if probe.ok else "TCG, no KVM",
                                          probe.reason))
        else:
            probe = run_probe(kernel, workdir, binary, args.probe_timeout)
        if probe.ok and "kvm" not in series:
            series.append("kvm")
        if not probe.ok and "kvm" in series:
            series.remove("kvm")
            say("series kvm skipped: the probe failed")
    say("series: %s; -smp %d" % (", ".join(
        "%s (%d boot%s)" % (s, boots_of(args, s),
                            "" if boots_of(args, s) == 1 else "s")
        for s in series), args.smp))

    append = "mode=bench"
    if args.samples is not None:
        append += " samples=%d" % args.samples
    if args.warmup is not None:
        append += " warmup=%d" % args.warmup
    if args.only:
        append += " bench=%s" % args.only

    # User-space benchmarks: VM and bench/user/ubench.c's roles.
    mods = []
    if not args.no_user:
        mods = bootimage.bench_modules(os.path.dirname(os.path.abspath(
            kernel)), args.samples, args.warmup, args.only)
        absent = bootimage.missing(mods)
        if absent:
            say("cairnlab bench: user programs not built (%s): run 'make "
                "user', or --no-user for the kernel's benchmarks only"
                % ", ".join(absent))
            return 2

    failures = 0
    summaries = []
    said = set()
    perf = perf_support(series, probe)
    if not perf.ok:
        say("perf: VM exits not counted: %s" % perf.reason)
    elif not perf.reasons:
        say("perf: VM exits counted in total only (no `perf kvm stat` for "
            "the exit reasons)")
    canary_src = results.canary_source(repo)
    roots = [root] + ([os.path.join(repo, "results")]
                      if root != os.path.join(repo, "results") else [])
    for s in series:
        exact = stats.is_exact(s)
        spec = qemu.Boot(append=append, kernel=kernel, series=s,
                         smp=args.smp, binary=binary, cpu=args.cpu,
                         memory=getattr(args, "memory", 128),
                         modules=mods, thread_names=not exact,
                         prealloc=not exact)
        fp = fingerprint.make(s, args.smp, binary,
                              build_dir=os.path.dirname(kernel))
        machine = fingerprint.machine_id(fp)
        config = config_name(spec, args)
        path = results.result_path(root, s, machine, config, src.commit)
        mfile = results.write_machine(root, fp)
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        run = SeriesRun(args, s, spec, config, logdir, stamp,
                        boots_of(args, s), perf if perf.ok else None,
                        canary_src, said=said)
        say("")
        say("[%s] machine %s (%s), config %s" % (s, machine,
                                                 compare.relpath(mfile, repo),
                                                 config))
        run_boots = []
        slots = []
        for k in range(1, run.boots + 1):
            slot = Slot(k)
            slots.append(slot)
            boot_slot(run, slot)
            if slot.kept is None:
                failures += 1
                report_failed(run, slot)
            elif exact:
                run_boots.append(store_slot(run, slot, src, fp, path, repo,
                                            roots))
        if not exact:
            # Real time: the canary of each boot is judged against the
            # whole run's, so the boots are stored once all have run.
            canary_gate(run, slots)
            for slot in slots:
                if slot.kept is not None:
                    run_boots.append(store_slot(run, slot, src, fp, path,
                                                repo, roots))
        if run_boots:
            summaries.append((s, machine, config, path, run_boots))

    for s, machine, config, path, run_boots in summaries:
        if args.brief:
            say("[%s] %d boot%s stored in %s" % (
                s, len(run_boots), "" if len(run_boots) == 1 else "s",
                compare.relpath(path, repo)))
            continue
        rows = []
        metrics = []
        for b, _ in run_boots:
            for r in b.rows:
                if r.metric not in metrics:
                    metrics.append(r.metric)
        for m in metrics:
            vals = [r.value for b, _ in run_boots for r in b.rows
                    if r.metric == m]
            unit = next(r.unit for b, _ in run_boots for r in b.rows
                        if r.metric == m)
            st = results.summarize(vals)
            row = [m, "instructions" if s == "icount" else unit, st.n,
                   fmt_num(st.median), fmt_num(st.min), fmt_num(st.max)]
            if s == "icount":
                same = all(v.startswith(("identical", "first"))
                           for _, v in run_boots)
                row.append("yes" if same else "NO")
            rows.append(row)
        headers = ["metric", "unit", "n", "median", "min", "max"]
        if s == "icount":
            headers.append("repeats")
        print_table("%s, machine %s, config %s: per-op %s over this run's "
                    "boot%s" % (s, machine, config,
                                "instructions (icount)" if s == "icount"
                                else "ticks",
                                "" if len(run_boots) == 1 else "s"),
                    rows, headers)
    say("")
    if failures:
        say("cairnlab: %d boot%s failed after %d attempts each and %s not "
            "stored (see above)" % (failures, "" if failures == 1 else "s",
                                    MAX_TRIES, "was" if failures == 1
                                    else "were"))
        return 1
    return 0


def register(sub):
    b = sub.add_parser("bench", help="boot mode=bench, store and summarize")
    b.add_argument("--kernel", default=KERNEL_DEFAULT)
    b.add_argument("--boots", type=int,
                   help="boots per series (default: 1 for icount, %d for "
                   "real-time series)" % REALTIME_BOOTS)
    b.add_argument("--samples", type=int, help="samples per metric")
    b.add_argument("--warmup", type=int, help="warm-up samples dropped")
    b.add_argument("--only", metavar="PREFIX",
                   help="only metrics whose name starts with PREFIX "
                   "(kernel word bench=PREFIX; stored under its own config)")
    b.add_argument("--smp", type=int, default=2,
                   help="vCPUs (default 2: cross-CPU IPC needs two; an "
                   "idle CPU adds no instructions under icount)")
    b.add_argument("--memory", type=int, default=128, metavar="MIB",
                   help="guest memory (default 128; above 192 VM reaches "
                   "most frames through its frame window, vm/frame.c)")
    b.add_argument("--no-user", action="store_true",
                   help="the kernel's benchmarks only (no VM, no ubench)")
    b.add_argument("--cpu", help="QEMU -cpu model for TCG series")
    b.add_argument("--series", default="icount",
                   help="comma list from icount,tcg,kvm; icount always "
                   "runs, kvm is added when the probe passes")
    b.add_argument("--no-kvm", action="store_true", help="skip the probe")
    b.add_argument("--kvm-known", choices=("yes", "no"),
                   help="skip the probe: its answer is known (history and "
                   "bisect probe once for all commits)")
    b.add_argument("--brief", action="store_true",
                   help="a line per series instead of the summary table")
    b.add_argument("--timeout", type=float, default=900.0,
                   help="seconds per boot (default 900)")
    b.add_argument("--probe-timeout", type=float, default=20.0)
    b.add_argument("--qemu", help="qemu-system-i386 to use")
    b.add_argument("--commit", metavar="SHA",
                   help="the commit the kernel was built from: must be the "
                   "--repo tree's HEAD (cleanliness is judged there too)")
    b.add_argument("--results", metavar="DIR",
                   help="store a clean tree's results here instead of "
                   "<repo>/results (how `history` keeps them in this repo)")
    add_gate_options(b)
    b.set_defaults(func=cmd_bench)
