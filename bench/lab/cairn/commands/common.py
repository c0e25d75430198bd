"""What several commands share: exit codes, tables, the KVM probe, the
bench options that history, bisect and continuous pass on to each
commit's bench, and the build and bench steps they run in worktrees."""

import os
import subprocess
import sys

from .. import fingerprint, history, qemu, results, stats
from ..console import REPO, say

# Exit status of every command (BENCHMARKS.md): compare and continuous
# say 1 only for a regression; usage errors and failures are 2 (argparse
# exits 2 too).  `make` itself exits 2 whenever a command fails, whatever
# its status; the status is in make's "Error N" line.
EXIT_OK, EXIT_REGRESSION, EXIT_ERROR = 0, 1, 2

# The lab's one entry point, which history and bisect run in worktrees.
ENTRY = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "cairnlab.py")
KERNEL_DEFAULT = os.path.join(REPO, "build", "kernel.elf")


def run_probe(kernel, workdir, binary, timeout):
    p = qemu.probe_kvm(kernel, workdir, binary=binary, timeout=timeout)
    if p.ok:
        say("accelerator: KVM (%s)" % p.reason)
    else:
        say("accelerator: TCG, no KVM (%s)" % p.reason)
    return p


def fmt_num(x):
    return "%.3f" % x if isinstance(x, float) else str(x)


def print_table(title, rows, headers):
    say("")
    say(title)
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows))
              if rows else len(h) for i, h in enumerate(headers)]
    say("  ".join(str(h).ljust(w) if i == 0 else str(h).rjust(w)
                  for i, (h, w) in enumerate(zip(headers, widths))))
    say("  ".join("-" * w for w in widths))
    for r in rows:
        say("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                      for i, (c, w) in enumerate(zip(r, widths))))


def config_name(spec, args):
    name = spec.config()
    if args.samples is not None:
        name += "-s%d" % args.samples
    if args.warmup is not None:
        name += "-w%d" % args.warmup
    if args.only:
        name += "-only_" + "".join(c if c.isalnum() or c in "._" else "_"
                                   for c in args.only)
    if getattr(args, "no_user", False):
        name += "-kernelonly"
    return name


def resolve(repo, rev):
    return results.git(repo, "rev-parse", "--verify", "-q", rev + "^{commit}")


def results_root(args):
    return os.path.abspath(args.results) if args.results else \
        os.path.join(args.repo, "results")


BENCH_PASS = (("boots", "--boots"), ("samples", "--samples"),
              ("warmup", "--warmup"), ("only", "--only"), ("smp", "--smp"),
              ("memory", "--memory"),
              ("cpu", "--cpu"), ("series", "--series"),
              ("timeout", "--timeout"), ("qemu", "--qemu"),
              ("noise_gate", "--noise-gate"),
              ("noise_reruns", "--noise-reruns"),
              ("canary_gate", "--canary-gate"))


def bench_args_of(args):
    """The `cairnlab.py bench` options history and bisect pass on."""
    out = []
    for attr, opt in BENCH_PASS:
        v = getattr(args, attr, None)
        if v is not None:
            out += [opt, str(v)]
    if args.no_kvm:
        out.append("--no-kvm")
    if args.no_user:
        out.append("--no-user")
    # One commit after another: a line per series, not the whole table
    # (`make compare` and `cairnlab.py show` have the numbers).
    out.append("--brief")
    return out


class KvmOnce:
    """The KVM probe of a history or bisect run, made once (with the
    repository's own build/kernel.elf: the probe asks whether this host's
    KVM works, whatever the commit) and passed to every commit's bench as
    --kvm-known; None when it cannot be made here (each bench probes)."""

    def __init__(self, args):
        self.args = args
        self.done = False
        self.value = None

    def answer(self):
        if self.done:
            return self.value
        self.done = True
        if self.args.no_kvm:
            return None
        kernel = os.path.join(self.args.repo, "build", "kernel.elf")
        workdir = os.path.join(self.args.repo, "build", "lab")
        os.makedirs(workdir, exist_ok=True)
        p = run_probe(kernel, workdir, self.args.qemu or qemu.QEMU_I386,
                      20.0)
        if not p.ok and "no kernel to probe with" in p.reason:
            return None
        self.value = "yes" if p.ok else "no"
        return self.value


def bench_command(args, tree, sha, root, kvm=None):
    """The `cairnlab.py bench` command history and bisect run in a
    commit's worktree."""
    cmd = [sys.executable, ENTRY, "--repo", tree,
           "bench", "--kernel", os.path.join(tree, "build", "kernel.elf"),
           "--commit", sha, "--results", root] + bench_args_of(args)
    if kvm and not args.no_kvm:
        cmd += ["--kvm-known", kvm]
    return cmd


def expected_keys(args):
    """(series, fingerprint, config) a bench with these options stores on
    this host: icount and the series asked for (kvm only when asked for,
    since the probe decides it)."""
    binary = args.qemu or qemu.QEMU_I386
    series = ["icount"] + [s.strip() for s in args.series.split(",")
                           if s.strip() and s.strip() != "icount"]
    if args.no_kvm:
        series = [s for s in series if s != "kvm"]
    keys = []
    for s in series:
        spec = qemu.Boot(append="", series=s, smp=args.smp, binary=binary,
                         cpu=args.cpu)
        fp = fingerprint.make(s, args.smp, binary)
        keys.append((s, fp, config_name(spec, args)))
    return keys


def history_steps(args, root):
    """build(tree) and bench(tree, sha) for history and bisect: make and
    this cairnlab.py, or the shell templates in CAIRNLAB_BUILD and
    CAIRNLAB_BENCH ({tree}, {commit}, {results}, {repo}) when set."""
    fields = {"results": root, "repo": args.repo}
    if os.environ.get("CAIRNLAB_BUILD"):
        step = history.shell_step(os.environ["CAIRNLAB_BUILD"], **fields)

        def build(tree):
            rc, text = step(tree)
            return rc == 0, text
    else:
        build = history.make_build(args.jobs, ("kernel",) if args.no_user
                                   else ("kernel", "user"))
    if os.environ.get("CAIRNLAB_BENCH"):
        bstep = history.shell_step(os.environ["CAIRNLAB_BENCH"], **fields)

        def bench(tree, sha):
            rc, text = bstep(tree, sha)
            for line in text.splitlines():
                say("    " + line)
            return rc
    else:
        kvm = KvmOnce(args)

        def bench(tree, sha):
            cmd = bench_command(args, tree, sha, root, kvm.answer())
            sys.stdout.flush()
            return subprocess.run(cmd).returncode
    return build, bench


def has_results_fn(root, keys):
    """has(sha): whether every (series, fingerprint, config) of keys has a
    result file for sha (icount: on any compatible machine)."""
    def has(sha):
        return all(results.find_result(root, s, fp, c, sha) is not None
                   for s, fp, c in keys)
    return has


def add_gate_options(p):
    p.add_argument("--noise-gate", type=float, default=100 * stats.NOISE_GATE,
                   metavar="PCT",
                   help="real-time series: boot again when a metric's "
                   "within-boot relative MAD is over PCT%% "
                   "(default %(default)g; 0: off)")
    p.add_argument("--noise-reruns", type=int, default=stats.NOISE_RERUNS,
                   metavar="N", help="at most N extra boots (default "
                   "%(default)d)")
    p.add_argument("--canary-gate", type=float,
                   default=100 * results.CANARY_GATE, metavar="PCT",
                   help="real-time series: boot again when a boot's canary "
                   "median is over PCT%% off the run's (default "
                   "%(default)g; 0: off)")


def add_bench_options(p):
    """The bench options history and bisect pass on to each commit."""
    p.add_argument("--boots", type=int, help="boots per series")
    p.add_argument("--samples", type=int)
    p.add_argument("--warmup", type=int)
    p.add_argument("--only", metavar="PREFIX")
    p.add_argument("--smp", type=int, default=2)
    p.add_argument("--no-user", action="store_true")
    p.add_argument("--cpu")
    p.add_argument("--series", default="icount")
    p.add_argument("--no-kvm", action="store_true")
    p.add_argument("--timeout", type=float)
    p.add_argument("--qemu")
    p.add_argument("--jobs", type=int, help="make -j (default: CPUs)")
    p.add_argument("--results", metavar="DIR",
                   help="results directory (default <repo>/results)")
    add_gate_options(p)
