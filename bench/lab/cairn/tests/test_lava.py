"""LAVA: job logs of bare-metal boots read back (plain, LAVA YAML, CRC
checked) and the jobs `cairnlab.py lava-job` writes."""

import os
import re
import shutil
import tempfile
import unittest

from cairn import lava, netboot, records, results
from cairn.commands import collect as metal_collect
from cairn.records import make_record, pct_encode

from . import labpath
from .test_metal import bench_log, fake_build, run_cli


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
