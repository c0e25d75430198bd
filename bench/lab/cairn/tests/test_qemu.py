"""QEMU command lines, timeouts and the KVM probe's verdicts."""

import os
import shutil
import tempfile
import time
import unittest

from . import labpath  # noqa: F401
from cairn import qemu

FAKE_QEMU = os.path.join(labpath.HERE, "fake_qemu.py")


def alive(pid):
    """Whether a process runs (a zombie waiting for its reaper does not)."""
    for _ in range(20):
        try:
            with open("/proc/%d/stat" % pid) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return False
        if state in ("Z", "X"):
            return False
        time.sleep(0.1)
    return True


def opt(cmd, name):
    return cmd[cmd.index(name) + 1]


class Commands(unittest.TestCase):
    def test_icount_series(self):
        spec = qemu.Boot(append="mode=bench samples=50", kernel="k.elf",
                         series="icount", smp=2)
        cmd = qemu.build_command(spec, "/tmp/x.log")
        line = qemu.format_command(cmd)
        self.assertEqual(cmd[0], "qemu-system-i386")
        for part in ("-accel tcg", "-icount shift=0,sleep=off",
                     "-rtc clock=vm,base=2020-01-01T00:00:00", "-seed 1",
                     "-no-reboot", "-display none", "-nodefaults", "-m 128",
                     "-device isa-debug-exit,iobase=0xf4,iosize=0x04",
                     "-smp 2", "-serial file:/tmp/x.log", "-kernel k.elf",
                     "-append 'mode=bench samples=50'"):
            self.assertIn(part, line)
        self.assertEqual(spec.config(), "smp2-m128-cpuqemu32")

    def test_tcg_and_kvm_series(self):
        tcg = qemu.build_command(qemu.Boot("mode=test", "k", "tcg"), "l")
        self.assertNotIn("-icount", tcg)
        self.assertEqual(opt(tcg, "-accel"), "tcg")
        kvm = qemu.Boot("mode=test", "k", "kvm")
        cmd = qemu.build_command(kvm, "l")
        self.assertEqual(opt(cmd, "-accel"), "kvm")
        self.assertEqual(opt(cmd, "-cpu"), "host,-arch-capabilities")
        self.assertEqual(kvm.config(), "smp1-m128-cpuhost")

    def test_x86_64_cpu(self):
        spec = qemu.Boot("mode=test", "k", "tcg", smp=2, cpu="EPYC",
                         binary="qemu-system-x86_64")
        cmd = qemu.build_command(spec, "l")
        self.assertEqual(cmd[0], "qemu-system-x86_64")
        self.assertEqual(opt(cmd, "-cpu"), "EPYC")
        self.assertEqual(spec.config(), "x86_64-smp2-m128-cpuepyc")

    def test_modules(self):
        spec = qemu.Boot("mode=test", "k", "tcg",
                         modules=["a.bin role=x", "b,c.bin"])
        cmd = qemu.build_command(spec, "l")
        self.assertEqual(opt(cmd, "-initrd"), "a.bin role=x,b,,c.bin")

    def test_netboot(self):
        spec = qemu.Boot("", None, "tcg", tftp="/srv/t", bootfile="cairn.ipxe")
        line = qemu.format_command(qemu.build_command(spec, "l"))
        self.assertIn("-netdev user,id=n0,tftp=/srv/t,bootfile=cairn.ipxe "
                      "-device e1000,netdev=n0 -boot n", line)
        self.assertNotIn("-kernel", line)

    def test_exit_meanings(self):
        self.assertEqual(qemu.describe_exit(1), "1 (success)")
        self.assertEqual(qemu.describe_exit(3), "3 (tests failed)")
        self.assertEqual(qemu.describe_exit(5), "5 (panic)")
        self.assertEqual(qemu.describe_exit(7), "7 (unsupported CPU)")
        self.assertEqual(qemu.describe_exit(9), "9 (unexpected)")
        self.assertEqual(qemu.describe_exit(None), "timed out")


class Running(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="cairnlab-test-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_timeout_kills(self):
        log = os.path.join(self.dir, "x.log")
        marker = os.path.join(self.dir, "child.pid")
        # A shell that starts a child: both must die with the group.
        cmd = ["sh", "-c", "sleep 60 & echo $! > %s; wait" % marker]
        start = time.monotonic()
        res = qemu.run(cmd, log, timeout=1.0)
        self.assertLess(time.monotonic() - start, 20)
        self.assertTrue(res.timed_out)
        self.assertIsNone(res.status)
        with open(marker) as f:
            child = int(f.read())
        self.assertFalse(alive(child), "child of the timed-out command "
                         "survived")

    def test_status_and_stderr(self):
        log = os.path.join(self.dir, "y.log")
        res = qemu.run(["sh", "-c", "echo 'oops: emulation failure' >&2; "
                        "echo CAIRN > %s; exit 5" % log], log, timeout=30)
        self.assertEqual(res.status, 5)
        self.assertFalse(res.timed_out)
        self.assertIn("emulation failure", res.stderr_summary())

    def test_probe_with_fake_qemu(self):
        kernel = os.path.join(self.dir, "k.elf")
        open(kernel, "w").close()
        p = qemu.probe_kvm(kernel, self.dir, binary=FAKE_QEMU, timeout=30)
        if not os.path.exists("/dev/kvm") or \
                not os.access("/dev/kvm", os.R_OK | os.W_OK):
            self.assertFalse(p.ok)
            return
        self.assertFalse(p.ok)
        self.assertIn("emulation failure", p.reason)

    def test_probe_without_kernel(self):
        p = qemu.probe_kvm(os.path.join(self.dir, "none.elf"), self.dir)
        self.assertFalse(p.ok)


if __name__ == "__main__":
    unittest.main()
