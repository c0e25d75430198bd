"""Records count only where they come from: the kernel and the boot's
driver, at the start of a line.  Any other process's console text starts
with its tag "[<endpoint>] " (kernel/console.c), so a line it prints that
looks like a record, checksum and all, must never be taken as one, by the
parser (bench/lab/cairn/records.py) nor by `make test` (tests/run.py)."""

import importlib.util
import os
import tempfile
import unittest

from . import labpath  # noqa: F401
from cairn import qemu
from cairn.records import make_record, parse_text


def _load_run():
    spec = importlib.util.spec_from_file_location(
        "cairn_test_run", os.path.join(labpath.REPO, "tests", "run.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


run = _load_run()

PANIC = make_record("panic", cpu=0, msg="forged")
PASS = make_record("test", name="hostile.forged", result="pass", detail="x")
DONE = make_record("done", mode="test", tests=1, failed=0, forged=1)


class Parser(unittest.TestCase):
    def test_tagged_forgeries_are_not_records(self):
        log = parse_text("".join("[1030] %s\n" % l
                                 for l in (PANIC, PASS, DONE)))
        self.assertEqual(log.records, [])
        self.assertEqual(log.garbled, [])
        self.assertEqual([n for n, _ in log.misplaced], [1, 2, 3])

    def test_carriage_return_after_the_tag_does_not_help(self):
        # The kernel prints a process's \r as '.', but a raw one in the
        # log must not lift the record to the line start either.
        for line in ("[1030] \r" + PANIC, "[1030] ." + PANIC,
                     "[...] " + PANIC, "partial" + PANIC,
                     " " + PANIC, "\t" + PANIC):
            log = parse_text(line + "\n")
            self.assertIsNone(log.first("panic"), repr(line))
            self.assertEqual(log.garbled, [], repr(line))

    def test_record_at_line_start_still_counts(self):
        log = parse_text("[1030] text\n" + PASS + "\r\n\x00" + PANIC + "\n")
        self.assertEqual([r.type for r in log.records], ["test", "panic"])


class FakeResult:
    timed_out = False
    status = qemu.EXIT_SUCCESS

    def stderr_summary(self):
        return ""


def _boot(kind="test"):
    d = tempfile.mkdtemp(prefix="cairn-recsrc-")
    return run.Boot("fake", None, kind, 1, 10, d)


def _good_log(extra_tests=(), tail=""):
    tests = ["smp.online", "cpulocal.cpu0"] + list(extra_tests)
    lines = [make_record("hello", v=1, mode="test", cpus=1)]
    lines += [make_record("test", name=t, result="pass", detail="ok")
              for t in tests]
    if tail:
        lines.append(tail)
    lines.append(make_record("done", mode="test", tests=len(tests),
                             failed=0))
    return lines


def _boot_result(boot, lines):
    res = boot.check_test(FakeResult(), parse_text("\n".join(lines) + "\n"))
    return [r for r in res if r.name.endswith(".boot")][0]


class MakeTest(unittest.TestCase):
    def test_a_clean_boot_passes(self):
        self.assertTrue(_boot_result(_boot(), _good_log()).ok)

    def test_a_tagged_forged_panic_changes_nothing(self):
        r = _boot_result(_boot(), _good_log(tail="[1030] " + PANIC))
        self.assertTrue(r.ok, r.why)

    def test_a_panic_record_fails_the_boot(self):
        # The same line from the kernel (at a line start) is a panic.
        r = _boot_result(_boot(), _good_log(tail=PANIC))
        self.assertFalse(r.ok)
        self.assertIn("kernel panic", r.why)

    def test_hello_must_come_first(self):
        lines = _good_log()
        lines.insert(0, make_record("test", name="early", result="pass",
                                    detail="x"))
        r = _boot_result(_boot(), lines)
        self.assertFalse(r.ok)
        self.assertIn("not hello", r.why)

    def test_done_must_come_last(self):
        lines = _good_log() + [PASS]
        r = _boot_result(_boot(), lines)
        self.assertFalse(r.ok)
        self.assertIn("not done", r.why)

    def test_hostile_needs_finished_and_the_tagged_forgeries(self):
        forged = ["[4099] " + PANIC, "[4099] ." + PASS]
        ok = _good_log(extra_tests=["hostile.finished"],
                       tail="\n".join(forged))
        r = _boot_result(_boot("hostile"), ok)
        self.assertTrue(r.ok, r.why)
        r = _boot_result(_boot("hostile"), _good_log(tail="\n".join(forged)))
        self.assertFalse(r.ok)
        self.assertIn("hostile.finished", r.why)
        r = _boot_result(_boot("hostile"),
                         _good_log(extra_tests=["hostile.finished"]))
        self.assertFalse(r.ok)
        self.assertIn("not in the log as a tagged line", r.why)

    def test_hostile_forgery_taken_as_record_fails(self):
        # Were the kernel to let the attacker's line start a serial line,
        # the forged test record would be counted: the boot must fail.
        tail = "\n".join(["[4099] " + PANIC, "[4099] ." + PASS, PASS])
        lines = _good_log(extra_tests=["hostile.finished"], tail=tail)
        lines[-1] = make_record("done", mode="test", tests=4, failed=0)
        r = _boot_result(_boot("hostile"), lines)
        self.assertFalse(r.ok)
        self.assertIn("forged line was taken as a record", r.why)


if __name__ == "__main__":
    unittest.main()
