"""probe: whether KVM works here (a boot under KVM that must take an
interrupt and return)."""

import os

from .. import qemu
from ..console import say
from .common import KERNEL_DEFAULT, run_probe


def cmd_probe(args):
    workdir = os.path.join(args.repo, "build", "lab")
    os.makedirs(workdir, exist_ok=True)
    p = run_probe(args.kernel, workdir, args.qemu or qemu.QEMU_I386,
                  args.timeout)
    say("KVM works here" if p.ok else "KVM does not work here")
    return 0    # a failed probe is an answer, not an error


def register(sub):
    p = sub.add_parser("probe", help="say whether KVM works here")
    p.add_argument("--kernel", default=KERNEL_DEFAULT)
    p.add_argument("--timeout", type=float, default=20.0)
    p.add_argument("--qemu", help="qemu-system-i386 to use")
    p.set_defaults(func=cmd_probe)
