"""Bare metal and farms (`cairnlab.py netboot`, `collect`, `lava-job`): netboot staging and
iPXE's limits, serial logs and LAVA job logs into the metal series, LAVA
job generation and LAVA's own schema check."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import labpath
from cairn import bootimage, lava, netboot, records, results
from cairn.records import make_record, pct_encode

from cairn.commands import collect as metal_collect
import fakelog

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
                          "pm.elf", "ubench.elf", "vm.elf"])
        with open(os.path.join(self.dest, "ubench.elf"), "rb") as f:
            self.assertEqual(f.read(), b"\x7fELF ubench")
        with open(os.path.join(self.dest, "cairn-bench.ipxe")) as f:
            text = f.read()
        self.assertTrue(text.startswith("#!ipxe\n"))
        self.assertEqual(script_commands(text), [
            "kernel kernel.elf mode=bench",
            "module --name vm vm.elf vm",
            "module --name pm pm.elf pm",
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

_YAML_ESC = {"\0": "0", "\x07": "a", "\x08": "b", "\t": "t", "\n": "n",
             "\x0b": "v", "\x0c": "f", "\r": "r", "\x1b": "e", '"': '"',
             "\\": "\\", "\x85": "N", "\xa0": "_", "\u2028": "L",
             "\u2029": "P"}


def yaml_dq(text):
    """A YAML double-quoted scalar the way PyYAML writes one."""
    out = ['"']
    for c in text:
        if c in _YAML_ESC:
            out.append("\\" + _YAML_ESC[c])
        elif " " <= c <= "~":
            out.append(c)
        elif ord(c) <= 0xFF:
            out.append("\\x%02X" % ord(c))
        else:
            out.append("\\u%04X" % ord(c))
    out.append('"')
    return "".join(out)


def yaml_flow(v):
    if isinstance(v, dict):
        return "{" + ", ".join("%s: %s" % (yaml_dq(k), yaml_flow(x))
                               for k, x in sorted(v.items())) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(yaml_flow(x) for x in v) + "]"
    return yaml_dq(str(v))


class LavaLog:
    """Builds a LAVA job log as lava_dispatcher writes one: log.dump()
    entries, the console through ShellLogger's rules."""

    def __init__(self):
        self.lines = []
        self.pending = ""       # ShellLogger's partial line
        self.t = 0

    def entry(self, lvl, msg):
        self.t += 1
        self.lines.append("- " + yaml_flow({
            "dt": "2024-05-01T10:%02d:%02d.%06d" % (self.t // 3600 % 60,
                                                     self.t // 60 % 60,
                                                     self.t * 137 % 10 ** 6),
            "lvl": lvl, "msg": msg}))

    def console(self, data):
        """ShellLogger.write(): one entry per complete line."""
        for k, v in (("\n\n", "\n"), ("\r", ""), ('"', '\\"'), ("\x1b", "")):
            data = data.replace(k, v)
        lines = self.pending + data
        if "\n" in lines:
            cut = lines.rindex("\n")
            self.pending = lines[cut + 1:]
            for line in lines[:cut].split("\n"):
                self.entry("target", line)
        else:
            self.pending = lines

    def flush(self):
        """ShellLogger.flush(force=True): the partial line goes out."""
        if self.pending:
            self.console("\n")

    def text(self):
        return "\n".join(self.lines) + "\n"


def lava_bench_log(serial_lines, split_every=3):
    """A realistic job log around a bench boot: dispatcher chatter, the
    iPXE commands, then the console, where every split_every-th record is
    split by a forced flush and other levels' entries land between the
    pieces."""
    log = LavaLog()
    log.entry("info", "lava-dispatcher, installed at version: 2023.01")
    log.entry("info", "start: 1 bootloader-action (timeout 00:05:00)")
    log.entry("debug", "Calling: 'ipmitool' '-H' 'bmc-07' 'power' 'reset'")
    log.console("iPXE 1.21.1+ (g988d2) -- Open Source Network Boot Firmware "
                "-- https://ipxe.org\r\nPress Ctrl-B for the iPXE command line"
                "...")
    log.entry("input", "\x02")
    log.console("\r\niPXE> ")
    log.entry("input", "dhcp\n")
    log.console("dhcp\r\nConfiguring (net0 52:54:00:12:34:56)... ok\r\n"
                "iPXE> ")
    log.entry("input", "chain http://10.0.0.1/cairn/cairn-bench.ipxe\n")
    log.console("chain http://10.0.0.1/cairn/cairn-bench.ipxe\r\n"
                "http://10.0.0.1/cairn/kernel.elf... ok\r\n"
                "\x1b[2J\x1b[0;0Hcairn: booting, command line "
                "\"http://10.0.0.1/cairn/kernel.elf mode=bench\"\r\n")
    log.entry("info", "end: 1 bootloader-action (duration 00:00:09)")
    log.entry("info", "start: 2 lava-test-monitor-retry (timeout 00:20:00)")
    log.entry("info", "Waiting for start message: CAIRN hello")
    n = 0
    for line in serial_lines:
        if line.startswith("CAIRN ") and n % split_every == 1:
            # The monitor's pattern matched mid-line: LAVA logs what it
            # has, then the rest arrives.
            cut = min(len(line) - 3, 7 + (n * 11) % max(1, len(line) - 10))
            log.console(line[:cut])
            log.flush()
            log.entry("info", "ok: test case found")
            log.entry("results", {"definition": "cairn-bench", "case": "x",
                                  "result": "pass"})
            log.console(line[cut:] + "\r\n")
        else:
            log.console(line + "\r\n")
        if line.startswith("CAIRN "):
            n += 1
    log.flush()
    log.entry("info", "ok: end string found, lava test monitoring stopped")
    log.entry("results", {"definition": "lava", "case": "job",
                          "result": "pass"})
    return log.text()


class LavaLogs(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cairnmetal-lava-")
        self.res = os.path.join(self.tmp, "results")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, text, name="job.log"):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def serial(self):
        """A bench boot whose desc holds a '"' (ShellLogger escapes it)
        and a people line with an escape sequence."""
        lines = bench_log()
        lines.insert(1, "\x1b[1mcairn\x1b[0m: \"quoted\" caf\u00e9")
        i = next(k for k, l in enumerate(lines) if "benchinfo" in l)
        lines[i] = make_record("benchinfo", name="ipc.sendrec", unit="ticks",
                               batch=1,
                               desc=pct_encode('SENDREC "round" trip'))
        return lines

    def test_parse_entries(self):
        text = lava_bench_log(self.serial())
        entries = lava.parse_job_log(text)
        self.assertEqual(len(entries), len(text.splitlines()))
        self.assertEqual(entries[0]["lvl"], "info")
        self.assertIn({"definition": "lava", "case": "job",
                       "result": "pass"}, [e["msg"] for e in entries])
        targets = [e["msg"] for e in entries if e["lvl"] == "target"]
        self.assertIn('[1mcairn[0m: \\"quoted\\" caf\u00e9',
                      "\n".join(targets))     # ESC gone, quote escaped
        # The generator really splits records over entries.
        self.assertGreater(sum(1 for m in targets if m.startswith("CAIRN ")
                               and not records.parse_line(m)[0]), 3)

    def test_parse_entries_like_pyyaml(self):
        """Our reader agrees with PyYAML where it is installed."""
        try:
            yaml = lava._import("yaml")
        except ImportError:
            self.skipTest("no PyYAML")
        text = lava_bench_log(self.serial())
        self.assertEqual(lava.parse_job_log(text), yaml.safe_load(text))

    def test_split_records_joined(self):
        serial = self.serial()
        log, joined = lava.serial_log(lava_bench_log(serial))
        self.assertEqual(log.garbled, [], [str(g) for g in log.garbled])
        self.assertGreater(joined, 3)
        want = records.parse_text("\n".join(serial))
        self.assertEqual([r.line for r in log.records],
                         [r.line for r in want.records])

    def test_split_inside_the_mark(self):
        rec = make_record("hello", v=1, mode="bench", cpus=4)
        log = LavaLog()
        # A record starts its own line (the kernel puts a newline first).
        log.console("people text\r\nCAI")
        log.flush()
        log.entry("debug", "in between")
        log.console(rec[3:] + "\r\n")
        parsed, joined = lava.serial_log(log.text())
        self.assertEqual(joined, 1)
        self.assertEqual([r.type for r in parsed.records], ["hello"])
        self.assertEqual(parsed.first("hello").get("cpus"), "4")

    def test_collect_lava_matches_plain(self):
        serial = self.serial()
        plain = os.path.join(self.tmp, "serial.log")
        with open(plain, "w", encoding="utf-8", newline="") as f:
            f.write("".join(l + "\r\n" for l in serial))
        a, msgs = metal_collect.collect(labpath.REPO, plain, "plain-box",
                                     results_dir=self.res)
        self.assertIsNotNone(a, msgs)
        b, msgs = metal_collect.collect(labpath.REPO,
                                     self.write(lava_bench_log(serial)),
                                     "lava-box", is_lava=True,
                                     results_dir=self.res)
        self.assertIsNotNone(b, msgs)
        self.assertRegex(msgs[0], r"records? split over entries joined")
        rows = lambda p: [r.tsv() for bt in results.read(p).boots
                          for r in bt.rows]
        self.assertEqual(rows(a), rows(b))
        self.assertIn("from a LAVA job log", results.read(b).header["qemu"])

    def test_garbled_in_lava_log_rejected(self):
        serial = self.serial()
        i = next(k for k, l in enumerate(serial)
                 if l.startswith("CAIRN bench "))
        serial[i] = serial[i].replace("seq=0", "seq=1")
        path, msgs = metal_collect.collect(
            labpath.REPO, self.write(lava_bench_log(serial)), "lava-box",
            is_lava=True, results_dir=self.res)
        self.assertIsNone(path)
        self.assertIn("garbled record", "\n".join(msgs))
        self.assertFalse(os.path.exists(self.res))

    def test_record_cut_off_is_garbled(self):
        """A record whose rest never comes stays garbled, not dropped."""
        rec = make_record("done", mode="bench", tests=0, failed=0)
        log = LavaLog()
        log.console(rec[:20])
        log.flush()
        log.console("next line\r\n")
        parsed, joined = lava.serial_log(log.text())
        self.assertEqual(joined, 0)
        self.assertEqual(len(parsed.garbled), 1)

    def test_not_a_lava_log(self):
        path, msgs = metal_collect.collect(
            labpath.REPO, self.write("\n".join(bench_log())), "lava-box",
            is_lava=True, results_dir=self.res)
        self.assertIsNone(path)
        self.assertRegex(msgs[0], r"not a LAVA job log: line 1")
        bad = '- {"dt": "x", "lvl": "target", "msg": "unterminated}\n'
        with self.assertRaisesRegex(lava.LavaLogError, "line 1.*unterminated"):
            lava.parse_job_log(bad)

    def test_escapes(self):
        e = lava.parse_job_log(
            '- {"lvl": "target", '
            '"msg": "a\\tb\\e[0m\\xE9\\u2603\\\\ \\"q\\""}')
        self.assertEqual(e[0]["msg"], 'a\tb\x1b[0m\u00e9\u2603\\ "q"')

    def test_binary_message(self):
        """PyYAML writes bytes as !!binary (base64)."""
        e = lava.parse_job_log('- {"lvl": "target", "msg": !!binary '
                               '"Q0FJUk4gZG9uZQ=="}')
        self.assertEqual(e[0]["msg"], "CAIRN done")

    def test_cli_lava(self):
        code, out = run_cli("collect", "--lava", "--log",
                            self.write(lava_bench_log(self.serial())),
                            "--machine", "farm-x86-01", "--results", self.res)
        self.assertEqual(code, 0, out)
        self.assertIn("stored boot 1 of farm-x86-01", out)


# ------------------------------------------------------------------ LAVA job

class LavaJob(unittest.TestCase):
    URL = "http://{SERVER_IP}/cairn/"

    def job(self, **kw):
        return lava.job_definition(self.URL, "cairn-bench.ipxe", **kw)

    def test_shape(self):
        job = self.job()
        self.assertEqual(job["device_type"], "x86")
        boot = job["actions"][0]["boot"]
        self.assertEqual(boot["method"], "ipxe")
        self.assertEqual(boot["commands"], [
            "dhcp", "chain http://{SERVER_IP}/cairn/cairn-bench.ipxe"])
        mon = job["actions"][1]["test"]["monitors"][0]
        self.assertEqual((mon["start"], mon["end"]),
                         ("CAIRN hello", "CAIRN done"))

    def test_pattern_reads_records_like_lava(self):
        """LAVA's monitor: groupdict, then fixupdict on result."""
        mon = self.job()["actions"][1]["test"]["monitors"][0]
        pat = re.compile(mon["pattern"])

        def case(line):
            g = pat.search(line).groupdict()
            return g["test_case_id"], mon["fixupdict"].get(g["result"],
                                                           g["result"])
        self.assertEqual(case(make_record("test", name="ipc.sendrec",
                                          result="pass", detail="ok")),
                         ("ipc.sendrec", "pass"))
        self.assertEqual(case(make_record("test", name="smp.online",
                                          result="fail", detail="x")),
                         ("smp.online", "fail"))
        self.assertEqual(case(make_record("benchend", name="tlb.warm.8",
                                          samples=30, records=4, warmup=5)),
                         ("tlb.warm.8", "pass"))
        for other in (make_record("bench", name="a", seq=0, overhead=1,
                                  raw="1,2"),
                      make_record("benchinfo", name="a", unit="tsc", batch=1,
                                  desc="d")):
            self.assertIsNone(pat.search(other))
        # The brief's test pattern is the test half of it.
        self.assertTrue(re.search(lava.TEST_PATTERN, make_record(
            "test", name="x.y", result="pass", detail="ok")))

    def test_yaml_round_trip(self):
        job = self.job(metadata={"cairn.commit": "0123abcd (dirty)"})
        self.assertEqual(lava.load_yaml(lava.job_yaml(job)), job)

    def test_valid(self):
        self.assertIsNone(lava.validate_job(self.job()))
        self.assertIsNone(lava.validate_job(
            lava.job_definition("tftp://10.0.0.1", "cairn-test-full.ipxe",
                                kind="test", job_name="nightly")))

    def test_broken_rejected(self):
        cases = []
        j = self.job()
        j["actions"][0]["boot"]["method"] = "pxe"
        cases.append((j, "unknown action type"))
        j = self.job()
        del j["visibility"]
        cases.append((j, "visibility"))
        j = self.job()
        del j["actions"][1]["test"]["monitors"][0]["pattern"]
        cases.append((j, "pattern"))
        j = self.job()
        j["actions"][1]["test"]["timeout"] = {"minutes": 999}
        cases.append((j, "larger than job timeout"))
        j = self.job()
        j["actions"][1]["test"]["monitors"][0]["pattern"] = "CAIRN (test"
        cases.append((j, "does not compile"))
        for job, why in cases:
            err = lava.validate_job(job)
            self.assertIsNotNone(err, why)
            self.assertIn(why, err)

    def test_missing_lava_common_says_install(self):
        real = lava._import

        def no_lava(name):
            if name.startswith(("lava_common", "voluptuous")):
                raise ImportError(name)
            return real(name)
        lava._import = no_lava
        try:
            with self.assertRaisesRegex(lava.LavaMissing,
                                        "apt-get install lava-common"):
                lava.validate_job(self.job())
        finally:
            lava._import = real

    def test_cli(self):
        tmp = tempfile.mkdtemp(prefix="cairnmetal-job-")
        try:
            out_job = os.path.join(tmp, "job.yaml")
            code, out = run_cli("lava-job", "--dest-url", self.URL,
                                "-o", out_job)
            self.assertEqual(code, 0, out)
            code, out = run_cli("lava-check", out_job)
            self.assertEqual(code, 0, out)
            self.assertIn("valid LAVA job", out)
            with open(out_job) as f:
                broken = f.read().replace("method: ipxe", "method: ipxe-x")
            bad = os.path.join(tmp, "bad.yaml")
            with open(bad, "w") as f:
                f.write(broken)
            code, out = run_cli("lava-check", bad)
            self.assertEqual(code, 1)
            self.assertIn("not a valid LAVA job", out)
            self.assertIn("ipxe_x", out)
        finally:
            shutil.rmtree(tmp)

    def test_staged_script_checked_against_url(self):
        tmp = tempfile.mkdtemp(prefix="cairnmetal-job-")
        try:
            build = fake_build(os.path.join(tmp, "build"))
            dest = os.path.join(tmp, "stage")
            netboot.stage(netboot.plan(build, "test"), dest)
            code, out = run_cli("lava-job", "--kind", "test", "--staged",
                                dest, "--dest-url", "http://10.0.0.1/c")
            self.assertEqual(code, 0, out)
            code, out = run_cli("lava-job", "--kind", "test", "--staged",
                                dest, "--dest-url",
                                "http://" + "y" * 90 + "/cairn")
            self.assertEqual(code, 1)
            self.assertIn("512", out)
        finally:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    unittest.main()
