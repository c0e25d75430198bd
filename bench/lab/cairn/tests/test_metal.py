"""Bare metal and farms (`cairnlab.py netboot`, `collect`, `lava-job`): netboot staging and
iPXE's limits, serial logs and LAVA job logs into the metal series, LAVA
job generation and LAVA's own schema check."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from . import labpath  # noqa: F401
from cairn import bootimage, netboot, results
from cairn.records import make_record, pct_encode

from cairn.commands import collect as metal_collect
from . import fakelog

CAIRNLAB = os.path.join(labpath.LAB, "cairnlab.py")
IPXE_DIR = os.path.join(labpath.REPO, "boot", "ipxe")


def run_cli(*args):
    p = subprocess.run([sys.executable, CAIRNLAB] + list(args),
                       capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def fake_build(root):
    """A build directory with stand-ins for the kernel and user programs."""
    os.makedirs(os.path.join(root, "user"))
    for rel, data in (("kernel.elf", b"\x7fELF kernel"),
                      ("user/vm.elf", b"\x7fELF vm"),
                      ("user/pm.elf", b"\x7fELF pm"),
                      ("user/system.tar", b"ustar system"),
                      ("user/ubench.elf", b"\x7fELF ubench"),
                      ("user/utest.elf", b"\x7fELF utest")):
        with open(os.path.join(root, rel), "wb") as f:
            f.write(data)
    return root


def script_commands(text):
    return [l for l in text.splitlines() if l and not l.startswith("#")]


class Staging(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cairnmetal-test-")
        self.build = fake_build(os.path.join(self.tmp, "build"))
        self.dest = os.path.join(self.tmp, "tftp")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_bench_files_and_script(self):
        p = netboot.plan(self.build, "bench")
        netboot.stage(p, self.dest)
        self.assertEqual(sorted(os.listdir(self.dest)),
                         ["README.txt", "cairn-bench.ipxe", "kernel.elf",
                          "pm.elf", "system.tar", "ubench.elf", "vm.elf"])
        with open(os.path.join(self.dest, "ubench.elf"), "rb") as f:
            self.assertEqual(f.read(), b"\x7fELF ubench")
        with open(os.path.join(self.dest, "cairn-bench.ipxe")) as f:
            text = f.read()
        self.assertTrue(text.startswith("#!ipxe\n"))
        self.assertEqual(script_commands(text), [
            "kernel kernel.elf mode=bench",
            "module --name vm vm.elf vm",
            "module --name pm pm.elf pm",
            "module --name system system.tar system",
            "module --name main ubench.elf ubench role=main",
            "module --name server ubench.elf ubench role=server",
            "module --name xserver ubench.elf ubench role=xserver",
            "boot"])
        # Relative paths only: the same script works from TFTP and HTTP.
        self.assertNotIn("://", "\n".join(script_commands(text)))

    def test_module_strings_are_bootimages(self):
        """What the kernel sees after the first word is what QEMU gives it."""
        for kind, mods in (("bench", bootimage.bench_modules(self.build, 7,
                                                              2)),
                           ("test", bootimage.test_modules(self.build))):
            p = netboot.plan(self.build, kind, *((7, 2) if kind == "bench"
                                                 else ()))
            self.assertEqual([m.args for m in p.modules],
                             [m.partition(" ")[2] for m in mods])
            self.assertEqual([m.file for m in p.modules],
                             [os.path.basename(m.split()[0]) for m in mods])
            names = [m.name for m in p.modules]
            self.assertEqual(len(set(names)), len(names))

    def test_samples_and_warmup(self):
        p = netboot.plan(self.build, "bench", samples=5, warmup=1)
        text = netboot.script_text(p)
        self.assertIn("kernel kernel.elf mode=bench samples=5 warmup=1\n",
                      text)
        self.assertIn("module --name main ubench.elf ubench role=main "
                      "samples=5 warmup=1\n", text)

    def test_test_kind(self):
        code, out = run_cli("netboot", "--kind", "test", "--dest", self.dest,
                            "--build", self.build)
        self.assertEqual(code, 0, out)
        with open(os.path.join(self.dest, "cairn-test-full.ipxe")) as f:
            cmds = script_commands(f.read())
        self.assertEqual(cmds[0], "kernel kernel.elf mode=test")
        self.assertEqual(len([c for c in cmds if c.startswith("module ")]), 8)
        self.assertIn("module --name fuzzer utest.elf utest role=fuzzer "
                      "seed=20261122 count=2000", cmds)
        self.assertTrue(os.path.isfile(os.path.join(self.dest, "utest.elf")))

    def test_readme(self):
        p = netboot.plan(self.build, "bench")
        netboot.stage(p, self.dest, commit="0123456789ab")
        with open(os.path.join(self.dest, "README.txt")) as f:
            text = f.read()
        for want in ("chain http://SERVER:8080/cairn-bench.ipxe",
                     "tftp://SERVER/cairn-bench.ipxe", "115200 8N1",
                     "cairnlab.py collect", "0123456789ab",
                     netboot._sha256(os.path.join(self.dest, "vm.elf"))):
            self.assertIn(want, text)

    def test_embed_script_with_base_url(self):
        p = netboot.plan(self.build, "bench")
        netboot.stage(p, self.dest)
        self.assertFalse(os.path.exists(os.path.join(self.dest,
                                                     netboot.EMBED_NAME)))
        netboot.stage(p, self.dest, "http://10.1.2.3/cairn")
        with open(os.path.join(self.dest, netboot.EMBED_NAME)) as f:
            self.assertEqual(script_commands(f.read()), [
                "dhcp", "chain http://10.1.2.3/cairn/cairn-bench.ipxe"])

    def test_checked_in_scripts_are_current(self):
        """boot/ipxe/cairn-bench.ipxe and cairn-test-full.ipxe are what
        netboot stages by default."""
        for kind in ("bench", "test"):
            p = netboot.plan(self.build, kind)
            with open(os.path.join(IPXE_DIR, p.script)) as f:
                self.assertEqual(f.read(), netboot.script_text(p),
                                 "%s is stale: regenerate it with "
                                 "netboot.script_text()" % p.script)

    def test_too_many_modules(self):
        p = netboot.plan(self.build, "test")
        p.modules += p.modules[:1]                  # 9 modules
        with self.assertRaisesRegex(netboot.NetbootError,
                                    r"9 modules.*at most 8"):
            netboot.check_limits(p)
        with self.assertRaises(netboot.NetbootError):
            netboot.stage(p, self.dest)
        self.assertFalse(os.path.exists(self.dest))

    def test_command_lines_too_long(self):
        p = netboot.plan(self.build, "test")
        base = "http://cairn-netboot.lab.example.org/images/x86/2024/"
        self.assertGreater(netboot.cmdline_bytes(p, base), 512)
        with self.assertRaisesRegex(netboot.NetbootError,
                                    r"need (\d+) bytes.*512.*at most (\d+) "
                                    r"characters"):
            netboot.check_limits(p, base)
        # The longest base that fits does fit, one more does not.
        room = netboot.longest_base(p)
        netboot.check_limits(p, "h" * (room - 1) + "/")
        with self.assertRaises(netboot.NetbootError):
            netboot.check_limits(p, "h" * (room + 1) + "/")

    def test_cli_refuses_with_reason(self):
        code, out = run_cli("netboot", "--kind", "test", "--dest", self.dest,
                            "--build", self.build, "--base-url",
                            "http://" + "x" * 80 + "/")
        self.assertEqual(code, 1)
        self.assertIn("512", out)
        self.assertIn("MB_MAX_CMDLINE", out)
        self.assertFalse(os.path.exists(self.dest))

    def test_missing_program(self):
        os.unlink(os.path.join(self.build, "user", "ubench.elf"))
        code, out = run_cli("netboot", "--dest", self.dest, "--build",
                            self.build)
        self.assertEqual(code, 1)
        self.assertIn("not built", out)
        self.assertIn("ubench.elf", out)

    def test_samples_only_for_bench(self):
        with self.assertRaises(netboot.NetbootError):
            netboot.plan(self.build, "test", samples=3)

    def test_parse_script_round_trip(self):
        p = netboot.plan(self.build, "bench", 5, 1)
        q = netboot.parse_script(netboot.script_text(p), "bench", p.script)
        self.assertEqual(q.kernel, p.kernel)
        self.assertEqual(q.modules, p.modules)


# ------------------------------------------------------------------ collect

def bench_log(samples=6, cmdline="mode=bench samples=6 warmup=4", cpus=2):
    lines = fakelog.bench_lines(samples=samples)
    hello = make_record("hello", v=1, mode="bench", cpus=cpus)
    lines[lines.index(make_record("hello", v=1, mode="bench", cpus=1))] = hello
    lines.insert(lines.index(hello) + 2,
                 make_record("cmdline", str=pct_encode(cmdline)))
    return lines


class Collect(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cairnmetal-collect-")
        self.res = os.path.join(self.tmp, "results")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, lines, name="serial.log", crlf=True):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="latin-1", newline="") as f:
            f.write("".join(l + ("\r\n" if crlf else "\n") for l in lines))
        return path

    def collect(self, path, machine="lab-box1", **kw):
        return metal_collect.collect(labpath.REPO, path, machine,
                                  results_dir=self.res, **kw)

    def stored(self):
        return results.find_files(self.res)

    def test_plain_log(self):
        lines = ["iPXE 1.21.1 -- Open Source Network Boot Firmware",
                 "http://10.0.0.1/cairn/kernel.elf... ok"] + bench_log()
        path, msgs = self.collect(self.write(lines), host_cpu="Intel Xeon")
        self.assertIsNotNone(path, msgs)
        files = self.stored()
        self.assertEqual(len(files), 1)
        series, machine, config, sha, fpath = files[0]
        self.assertEqual(series, "metal")
        self.assertRegex(machine, r"^lab-box1-[0-9a-f]{8}$")
        self.assertEqual(config, "smp2-metal-s6-w4")
        rf = results.read(fpath)
        self.assertEqual(rf.metrics(), [m[0] for m in fakelog.METRICS])
        self.assertEqual(len(rf.boots), 1)
        self.assertEqual(len(rf.boots[0].rows), 6 * len(fakelog.METRICS))
        self.assertEqual(rf.header["machine"], machine)
        self.assertEqual(rf.header["machine_name"], "lab-box1")
        self.assertEqual(rf.header["accelerator"], "metal")
        self.assertEqual(rf.header["host_cpu"], "Intel Xeon")
        with open(os.path.join(self.res, "machines", machine + ".txt")) as f:
            self.assertIn("machine_name: lab-box1\n", f.read())
        # per_op = (raw - overhead) / batch, as for every series
        r = rf.boots[0].rows[0]
        self.assertEqual(r.per_op, results.per_op_text(r.raw, r.overhead,
                                                       r.batch))

    def test_cpu_brand_from_the_guest(self):
        # No --host-cpu: the brand string the bench driver read with CPUID
        # (its `cpu` record) names the machine's CPU.
        lines = bench_log()
        lines.insert(3, make_record(
            "cpu", vendor="GenuineIntel",
            brand=pct_encode("Intel(R) Core(TM) i5-7500 CPU @ 3.40GHz")))
        path, msgs = self.collect(self.write(lines))
        self.assertIsNotNone(path, msgs)
        rf = results.read(path)
        self.assertEqual(rf.header["host_cpu"],
                         "Intel(R) Core(TM) i5-7500 CPU @ 3.40GHz")
        for key in ("compiler", "binutils", "ram", "os"):
            self.assertIn(key, rf.header)
        # An older log without the record: unknown, as before.
        shutil.rmtree(self.res)
        path, _ = self.collect(self.write(bench_log(), name="old.log"))
        self.assertEqual(results.read(path).header["host_cpu"], "unknown")

    def test_second_boot_appends(self):
        log = self.write(bench_log())
        self.collect(log)
        path, msgs = self.collect(log)
        self.assertIn("stored boot 2", msgs[-1])
        self.assertEqual(len(results.read(path).boots), 2)

    def test_machine_name_in_id_and_distinct(self):
        log = self.write(bench_log())
        a, _ = self.collect(log, machine="rack1-node3")
        b, _ = self.collect(log, machine="rack1-node4")
        self.assertIn("/rack1-node3-", a)
        self.assertIn("/rack1-node4-", b)

    def test_commit(self):
        head = results.head_commit(labpath.REPO)
        path, msgs = self.collect(self.write(bench_log()), commit=head[:10])
        self.assertIsNotNone(path, msgs)
        self.assertTrue(path.endswith("/%s.tsv" % head))
        self.assertEqual(results.read(path).header["commit"], head)
        path, msgs = self.collect(self.write(bench_log()),
                                  commit="../../etc/passwd")
        self.assertIsNone(path)
        self.assertIn("not a commit", msgs[-1])

    def test_bad_machine_name(self):
        path, msgs = self.collect(self.write(bench_log()), machine="../x")
        self.assertIsNone(path)
        self.assertIn("machine name", msgs[0])
        self.assertEqual(self.stored(), [])

    def test_garbled_record_rejected(self):
        lines = bench_log()
        i = next(k for k, l in enumerate(lines)
                 if l.startswith("CAIRN bench "))
        lines[i] = lines[i].replace("raw=", "raw=9", 1)    # CRC now wrong
        path, msgs = self.collect(self.write(lines))
        self.assertIsNone(path)
        text = "\n".join(msgs)
        self.assertIn("not stored", text)
        self.assertIn("garbled record", text)
        self.assertIn("checksum mismatch", text)
        self.assertEqual(self.stored(), [])
        self.assertFalse(os.path.exists(self.res))

    def test_cut_short_rejected(self):
        lines = bench_log()
        cut = next(k for k, l in enumerate(lines)
                   if l.startswith("CAIRN benchend "))
        path, msgs = self.collect(self.write(lines[:cut]))
        self.assertIsNone(path)
        text = "\n".join(msgs)
        self.assertIn("no benchend", text)
        self.assertIn("no done record", text)
        self.assertEqual(self.stored(), [])

    def test_not_a_bench_log(self):
        path, msgs = self.collect(self.write(fakelog.test_lines(cpus=2)))
        self.assertIsNone(path)
        self.assertIn("mode=test", "\n".join(msgs))
        path, msgs = self.collect(self.write(["just people text"]))
        self.assertIsNone(path)
        self.assertIn("no hello record", "\n".join(msgs))

    def test_panic_rejected(self):
        lines = bench_log()
        lines.insert(-1, make_record("panic", cpu=1,
                                     msg=pct_encode("double fault")))
        path, msgs = self.collect(self.write(lines))
        self.assertIsNone(path)
        self.assertIn("kernel panic: double fault", "\n".join(msgs))

    def test_missing_log(self):
        path, msgs = self.collect(os.path.join(self.tmp, "nope.log"))
        self.assertIsNone(path)
        self.assertIn("cannot read", msgs[0])

    def test_cli(self):
        log = self.write(bench_log())
        code, out = run_cli("collect", "--log", log, "--machine", "cli-box",
                            "--results", self.res)
        self.assertEqual(code, 0, out)
        self.assertRegex(out, r"stored boot 1 of cli-box \(3 metrics, 18 "
                         r"samples\)")
        lines = bench_log()
        lines[3] = lines[3][:-1] + ("0" if lines[3][-1] != "0" else "1")
        code, out = run_cli("collect", "--log", self.write(lines, "bad.log"),
                            "--machine", "cli-box", "--results", self.res)
        self.assertEqual(code, 1)
        self.assertIn("not stored", out)


# ------------------------------------------------------------------ LAVA log


if __name__ == "__main__":
    unittest.main()
