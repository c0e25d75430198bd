"""`make fuzz` on the host side (`cairnlab.py fuzz`, bench/lab/cairn/commands/fuzz.py): the watchdog,
the progress count, the replay command and the runs file.  Nothing here
boots a kernel."""

import os
import tempfile
import unittest
from types import SimpleNamespace

from . import labpath  # noqa: F401
from cairn.commands import fuzz as cairnfuzz


def quiet(line):
    pass


class WatchTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.log = os.path.join(self.dir, "fuzz.log")

    def write(self, text):
        with open(self.log, "a") as f:
            f.write(text)

    def test_silence_fires_only_after_the_limit(self):
        w = cairnfuzz.Watch(self.log, 60, "t", quiet)
        self.write("fuzz: seed 1, 30 calls in 3 workers\n")
        w(1.0)
        w(60.0)                         # 59 s quiet: not yet
        with self.assertRaises(cairnfuzz.Silent):
            w(61.0)

    def test_output_resets_the_watchdog(self):
        w = cairnfuzz.Watch(self.log, 60, "t", quiet)
        w(1.0)
        self.write("x\n")
        w(50.0)
        self.write("y\n")
        w(100.0)                        # output at 100 s: quiet for 0 s
        w(159.0)
        with self.assertRaises(cairnfuzz.Silent):
            w(160.0)

    def test_calls_so_far_takes_each_worker_latest_line(self):
        self.write("fuzz: seed 7: 100000 calls\n"
                   "[1030] fuzz: seed 8: 100000 calls\n"
                   "fuzz: seed 7: 200000 calls\n"
                   "CAIRN something else\n")
        self.assertEqual(cairnfuzz.Watch(self.log, 60, "t", quiet).calls_so_far(),
                         300000)


class ReplayTest(unittest.TestCase):
    def test_replay_names_every_parameter_that_differs(self):
        a = SimpleNamespace(smp=4, procs=3, series="icount", memory=128)
        self.assertEqual(cairnfuzz.replay_command(a, 17, 5000),
                         "make fuzz SEED=17 CALLS=5000 SMP=4 PROCS=3")
        a = SimpleNamespace(smp=1, procs=2, series="tcg", memory=64)
        self.assertEqual(cairnfuzz.replay_command(a, 1, 10),
                         "make fuzz SEED=1 CALLS=10 SMP=1 PROCS=2 SERIES=tcg "
                         "MEM=64")

    def test_failed_worker_lines_are_found_even_tagged(self):
        for line in ("fuzz: seed 12 failed at call 99: EINVAL from VM",
                     "[1031] fuzz: seed 12 (wild) failed at call 3: x"):
            self.assertTrue(cairnfuzz.FAILED_RE.search(line), line)
        self.assertFalse(cairnfuzz.FAILED_RE.search("fuzz: seed 12: 3 calls"))


class RecordTest(unittest.TestCase):
    def test_runs_file_gets_a_header_once(self):
        path = os.path.join(tempfile.mkdtemp(), "fuzz", "runs.tsv")
        a = SimpleNamespace(record=path, series="icount", smp=2,
                            qemu="qemu-system-i386", seed=5, calls=100,
                            procs=3)
        cairnfuzz.record(a, "pass", 12.0)
        cairnfuzz.record(a, "hang at seed 21", 80.4)
        with open(path) as f:
            rows = [l.rstrip("\n").split("\t") for l in f]
        self.assertEqual(rows[0], list(cairnfuzz.RUNS_COLUMNS))
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[1][3:], ["5", "100", "2", "3", "icount", "12",
                                       "pass"])
        self.assertEqual(rows[2][-1], "hang at seed 21")


if __name__ == "__main__":
    unittest.main()
