"""What bench records about the host around each boot: perf counting of
KVM exits, CPU pinning and frequency, the `# host` lines."""

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
import unittest

from cairn import benchrun, hostenv, qemu

from .test_bench_method import FAKE_QEMU, Repo, lines_of, stored


FAKE_PERF = textwrap.dedent("""\
    #!/usr/bin/env python3
    # perf, as far as the lab uses it: exits counted on a pid, a kvm stat
    # recording, its report.
    import os, sys, time
    a = sys.argv[1:]
    def wait(pid):
        while os.path.exists("/proc/%d" % pid):
            try:
                st = open("/proc/%d/stat" % pid).read()
                if st.rsplit(")", 1)[1].split()[0] in "ZX":
                    return
            except OSError:
                return
            time.sleep(0.05)
    if a[:2] == ["list", "tracepoint"]:
        print("  kvm:kvm_entry  [Tracepoint event]")
        print("  kvm:kvm_exit   [Tracepoint event]")
    elif a[0] == "stat" and a[-1] == "true":
        sys.stderr.write("0,,kvm:kvm_exit,1000,100.00,,\\n")
    elif a[0] == "stat":
        wait(int(a[a.index("-p") + 1]))
        open(a[a.index("-o") + 1], "w").write(
            "# started on today\\n\\n1234,,kvm:kvm_exit,5000,100.00,,\\n")
    elif a[:3] == ["kvm", "stat", "record"] and "-h" in a:
        sys.stderr.write("\\n Usage: perf kvm stat record [<options>]\\n")
        sys.exit(129)
    elif a[:3] == ["kvm", "stat", "record"]:
        wait(int(a[a.index("-p") + 1]))
        open(a[a.index("-o") + 1], "w").write("data")
    elif a[0] == "kvm" and "report" in a:
        print(open(os.environ["FAKE_PERF_REPORT"]).read())
    else:
        sys.exit(2)
""")

REPORT = """

Analyze events for all VMs, all VCPUs:

             VM-EXIT    Samples  Samples%     Time%    Min Time    Max Time         Avg time

               HLT        900    72.93%    99.80%      0.69us 201083.18us   1492.15us ( +-  10.38% )
         MSR_WRITE        300    24.31%     0.15%      0.46us     23.81us      1.21us ( +-   2.73% )
  EXTERNAL_INTERRUPT       34     2.76%     0.05%      0.50us     10.00us      1.00us ( +-   5.00% )

Total Samples:1234, Total events handled time:1342.10us.
"""


def runner(answers):
    """A fake `run(cmd)` answering by the command's first words."""
    def run(cmd):
        for words, answer in answers.items():
            if cmd[1:1 + len(words)] == list(words):
                return answer
        return 2, "", "unknown command %s" % cmd
    return run


class PerfProbe(unittest.TestCase):
    def which(self, name):
        return "/usr/bin/perf"

    LIST = (0, "  kvm:kvm_exit   [Tracepoint event]\n", "")
    STAT = (0, "", "0,,kvm:kvm_exit,1000,100.00,,\n")
    KVM = (129, "", " Usage: perf kvm stat record [<options>]\n")

    def test_not_installed(self):
        p = hostenv.probe_perf("perf", which=lambda n: None)
        self.assertFalse(p.ok)
        self.assertEqual(p.reason, "perf is not installed (Debian: "
                         "linux-perf)")

    def test_wrapper_without_matching_perf(self):
        p = hostenv.probe_perf(which=self.which, run=runner({
            ("list",): (1, "", "perf: perf not found for kernel 6.18\n")}))
        self.assertFalse(p.ok)
        self.assertEqual(p.reason, "perf list failed: perf: perf not found "
                         "for kernel 6.18")

    def test_no_tracepoint(self):
        p = hostenv.probe_perf(which=self.which, run=runner({
            ("list",): (0, "  sched:sched_switch [Tracepoint event]\n",
                        "")}))
        self.assertFalse(p.ok)
        self.assertIn("no kvm:kvm_exit tracepoint", p.reason)

    def test_not_permitted(self):
        for stat_answer in ((255, "", "Error:\nNo permission to enable "
                             "kvm:kvm_exit event.\n"),
                            (0, "", "<not supported>,,kvm:kvm_exit,0,,\n")):
            p = hostenv.probe_perf(which=self.which, run=runner({
                ("list",): self.LIST, ("stat",): stat_answer}))
            self.assertFalse(p.ok)
            self.assertIn("counting kvm:kvm_exit not permitted", p.reason)

    def test_supported(self):
        p = hostenv.probe_perf(which=self.which, run=runner({
            ("list",): self.LIST, ("stat",): self.STAT,
            ("kvm", "stat"): self.KVM}))
        self.assertTrue(p.ok)
        self.assertTrue(p.reasons)
        self.assertEqual(p.perf, "/usr/bin/perf")
        p = hostenv.probe_perf(which=self.which, run=runner({
            ("list",): self.LIST, ("stat",): self.STAT}))
        self.assertTrue(p.ok)
        self.assertFalse(p.reasons)

    def test_parsers(self):
        self.assertEqual(hostenv.parse_stat(
            "# started on x\n\n1234,,kvm:kvm_exit,5000,100.00,,\n"), 1234)
        self.assertIsNone(hostenv.parse_stat(
            "<not counted>,,kvm:kvm_exit,0,0.00,,\n"))
        self.assertEqual(hostenv.parse_kvm_report(REPORT),
                         {"HLT": 900, "MSR_WRITE": 300,
                          "EXTERNAL_INTERRUPT": 34})
        self.assertEqual(hostenv.parse_kvm_report(
            "VM-EXIT    Samples  Samples%\n\nTotal Samples:0\n"), {})

    def test_run_without_kvm_series_says_why_once(self):
        self.assertEqual(benchrun.perf_support(["icount", "tcg"], None).reason,
                         "no kvm series in this run (--no-kvm)")
        self.assertEqual(benchrun.perf_support(
            ["icount"], qemu.Probe(False, "no /dev/kvm")).reason,
            "no kvm series in this run (no /dev/kvm)")


class PerfAroundKvm(Repo):
    """The kvm series with a fake KVM: exits counted with a fake perf, or
    not, said once."""

    def setUp(self):
        super().setUp()
        self.perf = os.path.join(self.repo, "build", "perf")
        with open(self.perf, "w") as f:
            f.write(FAKE_PERF)
        os.chmod(self.perf, os.stat(self.perf).st_mode | stat.S_IXUSR)
        self.report = os.path.join(self.repo, "build", "report.txt")
        with open(self.report, "w") as f:
            f.write(REPORT)

    def test_counted(self):
        rc, out = self.run_lab("--boots", "2", probe_ok=True,
                               CAIRNLAB_PERF=self.perf,
                               FAKE_PERF_REPORT=self.report)
        self.assertEqual(rc, 0, out)
        self.assertNotIn("perf: VM exits not counted", out)
        rf = stored(self.repo, "kvm")[0]
        self.assertEqual(len(rf.boots), 2)
        for b in rf.boots:
            self.assertEqual(lines_of(b, "perf"), [
                "perf kvm_exit total=1234 HLT=900 MSR_WRITE=300 "
                "EXTERNAL_INTERRUPT=34"])
        self.assertEqual(lines_of(stored(self.repo, "icount")[0].boots[0],
                                  "perf"), [])

    def test_not_supported_said_once(self):
        rc, out = self.run_lab("--boots", "2", probe_ok=True,
                               CAIRNLAB_PERF=os.path.join(self.repo, "none"))
        self.assertEqual(rc, 0, out)
        self.assertEqual(out.count("perf: VM exits not counted: perf is not "
                                   "installed"), 1)
        rf = stored(self.repo, "kvm")[0]
        self.assertEqual(len(rf.boots), 2)
        self.assertEqual([lines_of(b, "perf") for b in rf.boots], [[], []])

    def test_no_kvm_said_once(self):
        rc, out = self.run_lab("--series", "tcg", "--boots", "2")
        self.assertEqual(out.count("perf: VM exits not counted: no kvm series "
                                   "in this run (fake probe failed)"), 1)


# ------------------------------------------------------------ 4. host

class HostBits(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="cairnlab-host-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def write(self, rel, text):
        path = os.path.join(self.dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    def test_load_and_freq(self):
        self.write("proc/loadavg", "0.39 0.57 0.88 1/83 10336\n")
        self.assertEqual(hostenv.loadavg(os.path.join(self.dir, "proc")),
                         "0.39")
        self.assertEqual(hostenv.loadavg(os.path.join(self.dir, "x")), "?")
        sysr = os.path.join(self.dir, "sys")
        self.write("sys/devices/system/cpu/cpu1/cpufreq/scaling_cur_freq",
                   "2600000\n")
        self.assertEqual(hostenv.cpu_freq_khz(1, sysr), 2600000)
        self.assertIsNone(hostenv.cpu_freq_khz(0, sysr))
        w = hostenv.BootWatch(True, sys_root=sysr)
        w.pinning = hostenv.Pinning("threads", [0, 1], "")
        w.tick()
        self.assertEqual(w.freq_text(), "cpu1:2600MHz")
        self.write("sys/devices/system/cpu/cpu1/cpufreq/scaling_cur_freq",
                   "2400000\n")
        w.tick()
        self.assertEqual(w.freq_text(), "cpu1:2400-2600MHz")
        self.assertEqual(hostenv.BootWatch(True).freq_text(), "unavailable")

    def test_choose_cpus(self):
        self.assertEqual(hostenv.choose_cpus(2, {0, 1, 2, 3}), [2, 3])
        self.assertEqual(hostenv.choose_cpus(2, {0, 1}), [0, 1])
        self.assertEqual(hostenv.choose_cpus(4, {0, 1}), [0, 1, 0, 1])
        self.assertEqual(hostenv.choose_cpus(1, set()), [])
        self.assertEqual(hostenv.cpu_list([0, 1, 2, 3, 6, 8, 9]), "0-3,6,8-9")

    def fake_proc(self, pid, names):
        for tid, name in names.items():
            self.write("proc/%d/task/%d/comm" % (pid, tid), name + "\n")
        return os.path.join(self.dir, "proc")

    def test_pin_vcpu_threads(self):
        proc = self.fake_proc(100, {100: "qemu-system-i38", 101: "call_rcu",
                                    102: "CPU 0/KVM", 103: "CPU 1/KVM"})
        done = []
        p = hostenv.pin_vcpus(100, 2, {0, 1, 2}, proc, wait=0,
                              setaffinity=lambda t, c: done.append((t, c)))
        self.assertEqual((p.method, p.cpus), ("threads", [1, 2]))
        self.assertEqual(done, [(102, {1}), (103, {2})])
        self.assertEqual(p.line(), "pin method=threads vcpu0=cpu1 vcpu1=cpu2")

    def test_pin_falls_back_to_the_process(self):
        proc = self.fake_proc(100, {100: "qemu-system-i38",
                                    101: "qemu-system-i38"})
        done = []
        p = hostenv.pin_vcpus(100, 2, {0, 1}, proc, wait=0,
                              setaffinity=lambda t, c: done.append((t, c)))
        self.assertEqual(p.method, "process")
        self.assertEqual(done, [(100, {0, 1}), (101, {0, 1})])
        self.assertEqual(p.line(), "pin method=process cpus=0-1 threads=2 "
                         "reason=no 'CPU <n>/KVM|TCG' threads in "
                         "/proc/100/task")

        def refuse_vcpus(tid, cpus):
            if len(cpus) == 1:
                raise PermissionError(1, "Operation not permitted")
            done.append((tid, cpus))
        proc = self.fake_proc(200, {200: "qemu", 201: "CPU 0/TCG",
                                    202: "CPU 1/TCG"})
        p = hostenv.pin_vcpus(200, 2, {0, 1, 2}, proc, wait=0,
                              setaffinity=refuse_vcpus)
        self.assertEqual((p.method, p.cpus), ("process", [1, 2]))
        self.assertIn("sched_setaffinity on a vCPU thread: Operation not "
                      "permitted", p.detail)

        def refuse(tid, cpus):
            raise PermissionError(1, "Operation not permitted")
        p = hostenv.pin_vcpus(200, 2, {0, 1}, proc, wait=0, setaffinity=refuse)
        self.assertEqual(p.method, "none")
        p = hostenv.pin_vcpus(999, 1, {0}, proc, wait=0)
        self.assertEqual(p.method, "none")
        self.assertIn("QEMU gone before pinning", p.detail)

    def test_pin_real_threads(self):
        """The real thing on this host: a process with threads named like
        QEMU's vCPUs, pinned with sched_setaffinity."""
        env = dict(os.environ, FAKE_QEMU_THREADS="1")
        log = os.path.join(self.dir, "x.log")
        p = subprocess.Popen([sys.executable, FAKE_QEMU, "-accel", "tcg",
                              "-smp", "2", "-name", "cairn,debug-threads=on",
                              "-serial", "file:" + log, "-append",
                              "mode=test"], env=env)
        try:
            pin = hostenv.pin_vcpus(p.pid, 2, wait=10)
            self.assertEqual(pin.method, "threads", pin.detail)
            threads = hostenv.vcpu_threads(p.pid)
            for i in range(2):
                self.assertEqual(os.sched_getaffinity(threads[i][0]),
                                 {pin.cpus[i]})
        finally:
            p.wait(timeout=30)

    def test_noise_options(self):
        spec = qemu.Boot("mode=bench", "k", "tcg", binary=FAKE_QEMU,
                         thread_names=True, prealloc=True)
        line = qemu.format_command(qemu.build_command(spec, "l"))
        self.assertIn("-name cairn,debug-threads=on -mem-prealloc", line)
        plain = qemu.Boot("mode=bench", "k", "icount", binary=FAKE_QEMU)
        line = qemu.format_command(qemu.build_command(plain, "l"))
        self.assertNotIn("-mem-prealloc", line)
        self.assertNotIn("debug-threads", line)
        refuses = os.path.join(self.dir, "old-qemu")
        with open(refuses, "w") as f:
            f.write("#!/bin/sh\necho \"invalid option\" >&2\nexit 1\n")
        os.chmod(refuses, 0o755)
        kept, notes = qemu.check_noise_options(refuses, ["prealloc"])
        self.assertEqual(kept, [])
        self.assertEqual(notes, ["%s rejects -mem-prealloc (invalid option): "
                                 "dropped" % refuses])


class HostLines(Repo):
    def test_lines_in_the_boot_blocks(self):
        rc, out = self.run_lab("--no-kvm", "--series", "tcg", "--boots", "2",
                               FAKE_QEMU_THREADS="1")
        self.assertEqual(rc, 0, out)
        ic = stored(self.repo, "icount")[0].boots[0]
        self.assertEqual(len(lines_of(ic, "host")), 1)
        self.assertRegex(lines_of(ic, "host")[0],
                         r"^host load=\d+\.\d\d->\d+\.\d\d$")
        self.assertEqual(lines_of(ic, "pin"), [])
        rf = stored(self.repo, "tcg")[0]
        self.assertIn("-name cairn,debug-threads=on -mem-prealloc",
                      rf.header["qemu"])
        for b in rf.boots:
            self.assertRegex(lines_of(b, "host")[0],
                             r"^host load=\d+\.\d\d->\d+\.\d\d freq=\S+$")
            self.assertRegex(lines_of(b, "pin")[0],
                             r"^pin method=threads vcpu0=cpu\d+ vcpu1=cpu\d+$")


if __name__ == "__main__":
    unittest.main()
