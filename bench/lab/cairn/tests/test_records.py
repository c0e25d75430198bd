"""Record parsing: checksums, garbled lines, percent-coding, bench records."""

import unittest
import zlib

from . import labpath  # noqa: F401
from cairn import records
from cairn.records import make_record, parse_text, pct_decode, pct_encode

from . import fakelog


class Checksum(unittest.TestCase):
    def test_crc_is_zlib_crc32(self):
        self.assertEqual(records.crc_of(b"123456789"), "cbf43926")
        body = "CAIRN hello v=1 mode=test cpus=2"
        self.assertEqual(records.crc_of(body),
                         "%08x" % zlib.crc32(body.encode()))

    def test_valid_record(self):
        line = make_record("hello", v=1, mode="test", cpus=4)
        rec, bad = records.parse_line(line, 7)
        self.assertIsNone(bad)
        self.assertEqual(rec.type, "hello")
        self.assertEqual(rec.int("cpus"), 4)
        self.assertEqual(rec.get("mode"), "test")
        self.assertEqual(rec.lineno, 7)

    def test_corrupted_body_detected(self):
        line = make_record("test", name="ipc.send", result="pass", detail="ok")
        broken = line.replace("result=pass", "result=pasS")
        rec, bad = records.parse_line(broken, 3)
        self.assertIsNone(rec)
        self.assertIn("checksum mismatch", bad.reason)
        self.assertEqual(bad.lineno, 3)

    def test_corrupted_checksum_detected(self):
        line = make_record("done", mode="test", tests=3, failed=0)
        last = line[-1]
        broken = line[:-1] + ("0" if last != "0" else "1")
        self.assertIsNotNone(records.parse_line(broken)[1])

    def test_dropped_character_detected(self):
        line = make_record("bench", name="x", seq=0, overhead=5, raw="1,2,3")
        broken = line.replace("1,2,3", "1,23")
        self.assertIsNotNone(records.parse_line(broken)[1])

    def test_missing_and_malformed_checksum(self):
        for line in ("CAIRN hello v=1 mode=test cpus=1",
                     "CAIRN hello v=1 #1234",
                     "CAIRN hello v=1 #ABCDEF01"):
            rec, bad = records.parse_line(line)
            self.assertIsNone(rec, line)
            self.assertIsNotNone(bad, line)

    def test_checksummed_but_malformed_fields(self):
        body = "CAIRN test name=a result"
        rec, bad = records.parse_line("%s #%s" % (body, records.crc_of(body)))
        self.assertIsNone(rec)
        self.assertIn("bad field", bad.reason)

    def test_people_lines_ignored(self):
        log = parse_text("SeaBIOS\ncairn: booting\nCAIRN: not a record?\n")
        self.assertEqual(log.records, [])
        self.assertEqual(log.garbled, [])
        self.assertEqual(len(log.lines), 3)

    def test_garbled_lines_are_reported_not_dropped(self):
        good = make_record("hello", v=1, mode="test", cpus=1)
        bad = make_record("done", mode="test", tests=1, failed=0)
        bad = bad.replace("tests=1", "tests=2")
        log = parse_text("\r\n".join(["boot", good, bad, "CAIRN half a li"])
                         + "\r\n")
        self.assertEqual([r.type for r in log.records], ["hello"])
        self.assertEqual([g.lineno for g in log.garbled], [3, 4])
        self.assertIn("line 3", str(log.garbled[0]))

    def test_record_after_people_text_on_same_line_is_not_a_record(self):
        # The kernel starts every record on a line of its own: "CAIRN "
        # further into a line is some process's text, checksum or not.
        rec_line = make_record("probe", result="ok")
        log = parse_text("cpu1 up" + rec_line + "\n")
        self.assertIsNone(log.first("probe"))
        self.assertEqual(log.garbled, [])
        self.assertEqual([n for n, _ in log.misplaced], [1])
        log = parse_text("cpu1 up" + rec_line[:-2] + "xx\n")
        self.assertEqual(log.garbled, [])
        log = parse_text("\r\x00" + rec_line + "\n")
        self.assertEqual(log.first("probe").get("result"), "ok")

    def test_crlf_and_missing_final_newline(self):
        a = make_record("hello", v=1, mode="bench", cpus=1)
        b = make_record("done", mode="bench", tests=0, failed=0)
        log = parse_text(a + "\r\n" + b)
        self.assertEqual([r.type for r in log.records], ["hello", "done"])


class PercentCoding(unittest.TestCase):
    def test_decode(self):
        self.assertEqual(pct_decode("a%20b%3Dc%3dd%25%23"), "a b=c=d%#")
        self.assertEqual(pct_decode(""), "")
        self.assertEqual(pct_decode("plain.text"), "plain.text")

    def test_decode_utf8(self):
        self.assertEqual(pct_decode("caf%C3%A9"), "caf\u00e9")

    def test_bad_escape_is_an_error(self):
        for bad in ("%", "%4", "%zz", "abc%g0"):
            with self.assertRaises(records.RecordError, msg=bad):
                pct_decode(bad)

    def test_encode_follows_record_text(self):
        self.assertEqual(pct_encode("a b=c%d#e~!"), "a%20b%3Dc%25d%23e~!")
        self.assertEqual(pct_encode(b"\x00\x7f\xff"), "%00%7F%FF")

    def test_roundtrip_every_byte(self):
        data = bytes(range(256))
        enc = pct_encode(data)
        self.assertNotIn(" ", enc)
        self.assertNotIn("=", enc)
        self.assertEqual(records.pct_decode_bytes(enc), data)

    def test_text_field_of_record(self):
        line = make_record("cmdline", str=pct_encode("mode=test netboot=1"))
        rec, _ = records.parse_line(line)
        self.assertEqual(rec.text("str"), "mode=test netboot=1")


class BenchRecords(unittest.TestCase):
    def test_collect_fake_boot(self):
        log = parse_text("\n".join(fakelog.bench_lines(samples=20)) + "\n")
        metrics, problems = records.collect_bench(log)
        self.assertEqual(problems, [])
        self.assertEqual(list(metrics), [m[0] for m in fakelog.METRICS])
        m = metrics["trap.int"]
        self.assertEqual((m.unit, m.batch, m.warmup), ("ticks", 16, 4))
        self.assertEqual(len(m.samples), 20)
        self.assertEqual(m.desc, "int $0x30 null kernel call")
        raw, ov = m.samples[0]
        self.assertEqual(records.per_op(raw, ov, m.batch), 950.0)

    def test_inconsistent_counts_reported(self):
        lines = fakelog.bench_lines(samples=20)
        lines = [make_record("benchend", name="ipc.sendrec", samples=21,
                             records=3, warmup=4)
                 if l.startswith("CAIRN benchend name=ipc.sendrec") else l
                 for l in lines]
        _, problems = records.collect_bench(parse_text("\n".join(lines)))
        self.assertTrue(any("samples=21" in p for p in problems), problems)

    def test_missing_record_and_benchend_reported(self):
        lines = fakelog.bench_lines(samples=20)
        seq1 = [l for l in lines if "name=trap.int seq=1" in l][0]
        end = [l for l in lines if l.startswith("CAIRN benchend name=cpu")][0]
        lines = [l for l in lines if l not in (seq1, end)]
        _, problems = records.collect_bench(parse_text("\n".join(lines)))
        text = "\n".join(problems)
        self.assertIn("trap.int: bench records out of sequence", text)
        self.assertIn("cpulocal.read: no benchend", text)

    def test_bench_without_benchinfo(self):
        line = make_record("bench", name="x", seq=0, overhead=1, raw="5")
        _, problems = records.collect_bench(parse_text(line))
        self.assertTrue(problems)


if __name__ == "__main__":
    unittest.main()
