"""The Linux peer (bench/lab/cairn/peer.py): the newc cpio writer, read
back by a reader written here from the format's description (and by
`cpio -t` where it is installed), the Linux-to-Cairn metric table, the
Cairn/Linux ratios on synthetic results, the boot checks, and the
kernel's package resolution and cache without touching apt."""

import os
import shutil
import subprocess
import tempfile
import unittest

from . import labpath  # noqa: F401
from cairn import fingerprint, initramfs, peer, qemu, records, results


# ------------------------------------------------------------------ cpio

def read_newc(data):
    """An independent newc reader: [(name, mode, nlink, rdev, data)],
    checking magic, 4-byte alignment and the trailer."""
    out = []
    pos = 0
    while True:
        if data[pos:pos + 6] != b"070701":
            raise ValueError("bad magic at %d" % pos)
        f = [int(data[pos + 6 + 8 * i:pos + 14 + 8 * i], 16)
             for i in range(13)]
        (ino, mode, uid, gid, nlink, mtime, size, dmaj, dmin, rmaj, rmin,
         namesize, check) = f
        name_at = pos + 110
        name = data[name_at:name_at + namesize]
        if not name.endswith(b"\0"):
            raise ValueError("name not NUL-terminated")
        name = name[:-1].decode()
        body_at = name_at + namesize
        body_at += (4 - body_at % 4) % 4
        body = data[body_at:body_at + size]
        pos = body_at + size
        pos += (4 - pos % 4) % 4
        if name == "TRAILER!!!":
            if pos != len(data):
                raise ValueError("bytes after the trailer")
            return out
        if uid or gid or mtime or check:
            raise ValueError("%s: uid/gid/mtime/check not 0" % name)
        out.append((name, mode, nlink, (rmaj, rmin), body))


class Cpio(unittest.TestCase):
    ENTRIES = [initramfs.CpioEntry("dev", initramfs.S_IFDIR | 0o755),
               initramfs.CpioEntry("dev/console", initramfs.S_IFCHR | 0o600,
                              rdev=(5, 1)),
               initramfs.CpioEntry("init", initramfs.S_IFREG | 0o755,
                              b"\x7fELF" + bytes(range(256)) * 3 + b"x"),
               initramfs.CpioEntry("/etc/odd", initramfs.S_IFREG | 0o644, b"abc")]

    def test_round_trip(self):
        data = initramfs.newc_bytes(self.ENTRIES)
        self.assertEqual(len(data) % 4, 0)
        got = read_newc(data)
        self.assertEqual([g[0] for g in got],
                         ["dev", "dev/console", "init", "etc/odd"])
        for e, (name, mode, nlink, rdev, body) in zip(self.ENTRIES, got):
            self.assertEqual(mode, e.mode, name)
            self.assertEqual(body, e.data, name)
            self.assertEqual(rdev, e.rdev, name)
            self.assertEqual(nlink, 2 if name == "dev" else 1, name)

    def test_same_entries_same_bytes(self):
        self.assertEqual(initramfs.newc_bytes(self.ENTRIES),
                         initramfs.newc_bytes(list(self.ENTRIES)))

    def test_bad_names(self):
        for bad in ("", "/", "TRAILER!!!"):
            with self.assertRaises(ValueError):
                initramfs.newc_bytes([initramfs.CpioEntry(bad, initramfs.S_IFDIR | 0o755)])

    def test_initramfs(self):
        got = {g[0]: g for g in read_newc(initramfs.newc_bytes(
            initramfs.initramfs_entries(b"program")))}
        self.assertEqual(got["init"][4], b"program")
        self.assertEqual(got["init"][1], initramfs.S_IFREG | 0o755)
        self.assertEqual(got["dev/console"][1] & 0o170000, initramfs.S_IFCHR)
        self.assertEqual(got["dev/console"][3], (5, 1))
        for d in ("dev", "proc", "sys"):
            self.assertEqual(got[d][1] & 0o170000, initramfs.S_IFDIR, d)

    @unittest.skipUnless(shutil.which("cpio"), "cpio not installed")
    def test_cpio_tool_lists_it(self):
        p = subprocess.run(["cpio", "-it", "--quiet"],
                           input=initramfs.newc_bytes(self.ENTRIES),
                           capture_output=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.decode().split(),
                         ["dev", "dev/console", "init", "etc/odd"])


# ------------------------------------------------------------------ mapping

class Mapping(unittest.TestCase):
    def test_table(self):
        linux = [m for m, _ in peer.METRICS]
        self.assertEqual(len(set(linux)), len(linux))
        self.assertTrue(all(m.startswith("linux.") for m in linux))
        self.assertEqual(peer.CAIRN_OF["linux.syscall.int80"],
                         "kentry.null.int")
        self.assertEqual(peer.CAIRN_OF["linux.pipe.same_cpu"],
                         "ipc.sendrec.same_cpu")
        self.assertEqual(peer.CAIRN_OF["linux.pipe.cross_cpu"],
                         "ipc.sendrec.cross_cpu")
        self.assertEqual(peer.CAIRN_OF["linux.fault.anon"],
                         "vm.pagefault.anon")
        self.assertEqual(peer.CAIRN_OF["linux.fault.cow"], "vm.pagefault.cow")
        self.assertEqual(peer.CAIRN_OF["linux.mmap_munmap"], "vm.mmap_munmap")
        self.assertEqual(peer.CAIRN_OF["linux.fork_exit_wait"],
                         "proc.fork_exit_wait")

    def test_program_sends_every_metric(self):
        """Each name in the table is one the C program registers."""
        with open(os.path.join(labpath.REPO, "bench", "peer",
                               "linuxbench.c")) as f:
            src = f.read()
        for m, _ in peer.METRICS:
            self.assertIn('"%s"' % m, src)

    def test_expected(self):
        self.assertIn("linux.pipe.cross_cpu", peer.expected_metrics(2))
        self.assertNotIn("linux.pipe.cross_cpu", peer.expected_metrics(1))
        self.assertEqual(len(peer.expected_metrics(2)), len(peer.METRICS))

    def test_configs(self):
        prep = peer.Prepared(peer.Kernel("6.1.0-50-686-pae", "p", "v",
                                         "/k/vmlinuz"), "/k/init",
                             "/k/initramfs.cpio")
        spec = peer.boot_spec(prep, "icount", smp=2, memory=256, samples=3,
                              warmup=1)
        name = peer.config_name(spec, 3, 1)
        self.assertEqual(name, "smp2-m256-cpuqemu32-s3-w1-linux")
        self.assertEqual(peer.cairn_config(name), "smp2-m128-cpuqemu32-s3-w1")
        self.assertEqual(peer.config_name(peer.boot_spec(prep, "icount")),
                         "smp2-m128-cpuqemu32-linux")
        self.assertIn("samples=3 warmup=1", spec.append)
        self.assertTrue(spec.append.startswith("console=ttyS0"))
        cmd = qemu.build_command(spec, "/tmp/x.log")
        self.assertEqual(cmd[cmd.index("-initrd") + 1], "/k/initramfs.cpio")
        self.assertEqual(cmd[cmd.index("-kernel") + 1], "/k/vmlinuz")
        self.assertEqual(cmd[cmd.index("-m") + 1], "256")
        self.assertIn("isa-debug-exit,iobase=0xf4,iosize=0x04", cmd)


# ------------------------------------------------------------------ ratios

def metric(name, per_op_values, batch=1, overhead=0):
    m = records.Metric(name, "tsc", batch, "", 0,
                       [(v * batch + overhead, overhead)
                        for v in per_op_values], True)
    return m


def write(path, series, boots):
    header = ["# cairn bench results, format 1", "# series: %s" % series]
    for ms in boots:
        results.append_boot(path, header, ms, 1)
    return results.read(path)


class Ratios(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cairn-peer-test-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_icount(self):
        linux = write(os.path.join(self.tmp, "l.tsv"), "icount", [[
            metric("linux.syscall.int80", [360, 361, 2000], batch=64,
                   overhead=9),
            metric("linux.pipe.same_cpu", [17000, 17000, 17500]),
            metric("linux.fault.cow", [5431])]])
        cairn = write(os.path.join(self.tmp, "c.tsv"), "icount", [[
            metric("kentry.null.int", [118, 118, 119], batch=64, overhead=26),
            metric("ipc.sendrec.same_cpu", [1154, 1190, 1154])]])
        rows = {r.linux: r for r in peer.ratio_rows(linux, cairn, "icount")}
        self.assertEqual(len(rows), len(peer.METRICS))
        r = rows["linux.syscall.int80"]
        self.assertEqual((r.cairn_value, r.linux_value), (118, 361))
        self.assertAlmostEqual(r.ratio, 118 / 361)
        self.assertAlmostEqual(rows["linux.pipe.same_cpu"].ratio,
                               1154 / 17000)
        cow = rows["linux.fault.cow"]       # no Cairn metric yet
        self.assertIsNone(cow.cairn_value)
        self.assertIsNone(cow.ratio)
        fork = rows["linux.fork_exit_wait"]  # neither side
        self.assertIsNone(fork.linux_value)
        headers, table = peer.ratio_table(peer.ratio_rows(linux, cairn))
        self.assertEqual(headers[-1], "Cairn/Linux")
        text = {row[1]: row for row in table}
        self.assertEqual(text["linux.syscall.int80"][2:], ["118", "361",
                                                           "0.33"])
        self.assertEqual(text["linux.fault.cow"][2:], [peer.DASH, "5431",
                                                       peer.DASH])

    def test_icount_uses_first_boot(self):
        rf = write(os.path.join(self.tmp, "l.tsv"), "icount", [
            [metric("linux.fault.anon", [10, 20, 30])],
            [metric("linux.fault.anon", [100, 200, 300])]])
        self.assertEqual(peer.commit_figure(rf, "linux.fault.anon",
                                            "icount"), 20)

    def test_real_time_median_of_boot_medians(self):
        rf = write(os.path.join(self.tmp, "l.tsv"), "kvm", [
            [metric("linux.fault.anon", [10, 20, 30])],
            [metric("linux.fault.anon", [100, 200, 300])],
            [metric("linux.fault.anon", [40, 50, 60])]])
        self.assertEqual(peer.commit_figure(rf, "linux.fault.anon", "kvm"),
                         50)

    def test_no_cairn_file(self):
        linux = write(os.path.join(self.tmp, "l.tsv"), "icount", [[
            metric("linux.fault.anon", [3463])]])
        rows = peer.ratio_rows(linux, None)
        self.assertTrue(all(r.ratio is None for r in rows))
        self.assertEqual([r.linux_value for r in rows
                          if r.linux == "linux.fault.anon"], [3463])

    def test_find_cairn(self):
        repo = os.path.join(self.tmp, "repo")
        os.makedirs(repo)

        def git(*a):
            return subprocess.run(["git", "-C", repo] + list(a), check=True,
                                  capture_output=True, text=True).stdout
        git("init", "-q")
        git("config", "user.email", "lab@cairn.invalid")
        git("config", "user.name", "lab test")
        shas = []
        for i in range(3):
            git("commit", "-q", "--allow-empty", "-m", "c%d" % i)
            shas.append(git("rev-parse", "HEAD").strip())
        root = os.path.join(self.tmp, "results")
        cfg = "smp2-m128-cpuqemu32"
        old = results.result_path(root, "icount", "m-1", cfg, shas[0])
        write(old, "icount", [[metric("kentry.null.int", [118])]])
        # Not at HEAD: the nearest ancestor that has results.
        self.assertEqual(peer.find_cairn(repo, [root], "icount", "m-1", cfg,
                                         shas[2]), (old, shas[0], "m-1"))
        # Another machine: icount falls back to any machine, and says so.
        self.assertEqual(peer.find_cairn(repo, [root], "icount", "m-2", cfg,
                                         shas[2]), (old, shas[0], "m-1"))
        self.assertIsNone(peer.find_cairn(repo, [root], "kvm", "m-2", cfg,
                                          shas[2]))
        self.assertIsNone(peer.find_cairn(repo, [root], "icount", "m-1",
                                          "smp1-m128-cpuqemu32", shas[2]))


# ------------------------------------------------------------------ boots

def boot_log(smp=2, drop=(), garble=False, hello_os="linux"):
    lines = ["Linux boot noise",
             records.make_record("hello", v=1, mode="bench", cpus=smp,
                                 os=hello_os)]
    for name in peer.expected_metrics(smp):
        if name in drop:
            continue
        lines += [records.make_record("benchinfo", name=name, unit="tsc",
                                      batch=1, desc="x"),
                  records.make_record("bench", name=name, seq=0, overhead=9,
                                      raw="100,101,102"),
                  records.make_record("benchend", name=name, samples=3,
                                      records=1, warmup=1)]
    if garble:
        lines.append(records.make_record("peer", key="x", str="y")
                     .replace("key=x", "key=z"))
    lines.append(records.make_record("done", mode="bench", tests=0,
                                     failed=0))
    return records.parse_text("\n".join(lines) + "\n")


def qemu_result(status=qemu.EXIT_SUCCESS):
    return qemu.Result(status, "/dev/null", "", 1.0, [])


class Checks(unittest.TestCase):
    def test_good(self):
        metrics, problems = peer.check_boot(qemu_result(), boot_log(), 2)
        self.assertEqual(problems, [])
        self.assertEqual(list(metrics), peer.expected_metrics(2))

    def test_problems(self):
        cases = [
            (qemu_result(3), boot_log(), "exit status 3"),
            (qemu_result(), boot_log(drop=["linux.fault.cow"]),
             "metrics missing: linux.fault.cow"),
            (qemu_result(), boot_log(garble=True), "garbled"),
            (qemu_result(), boot_log(smp=1), "cpus=1"),
            (qemu_result(), boot_log(hello_os="cairn"), "os=cairn"),
        ]
        for res, log, want in cases:
            _, problems = peer.check_boot(res, log, 2)
            self.assertTrue(any(want in p for p in problems),
                            "%r not in %r" % (want, problems))

    def test_only(self):
        log = boot_log(drop=[m for m in peer.expected_metrics(2)
                             if not m.startswith("linux.fault")])
        _, problems = peer.check_boot(qemu_result(), log, 2, "linux.fault")
        self.assertEqual(problems, [])

    def test_boot_notes(self):
        log = records.parse_text("\n".join([
            records.make_record("peer", key="release",
                                str="6.1.0-50-686-pae"),
            records.make_record("peer", key="vuln.meltdown",
                                str=records.pct_encode("Mitigation: PTI")),
        ]) + "\n")
        k = peer.Kernel("6.1.0-50-686-pae", "linux-image-6.1.0-50-686-pae",
                        "6.1.176-1", "/k")
        notes = peer.boot_notes(k, log)
        self.assertIn("6.1.176-1", notes[0])
        self.assertIn("meltdown=Mitigation: PTI", notes[1])


# ------------------------------------------------------------------ kernel

class Kernel(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cairn-peer-kernel-")
        self.saved = peer._run
        self.calls = []

    def tearDown(self):
        peer._run = self.saved
        shutil.rmtree(self.tmp)

    def fake(self, answers):
        def run(cmd, cwd=None):
            self.calls.append(cmd)
            for prefix, answer in answers:
                if cmd[:len(prefix)] == prefix:
                    return answer
            return 1, "unexpected command %r" % cmd
        peer._run = run

    def test_newest_package(self):
        self.fake([(["apt-cache", "depends"], (0, (
            "linux-image-686-pae:i386\n"
            "  Depends: linux-image-6.1.0-50-686-pae:i386\n")))])
        self.assertEqual(peer.newest_kernel_package(),
                         "linux-image-6.1.0-50-686-pae")
        self.fake([(["apt-cache", "depends"], (0, (
            "  Depends: linux-image-6.1.0-9-686-pae\n"
            "  Depends: linux-image-6.1.0-10-686-pae\n")))])
        self.assertEqual(peer.newest_kernel_package(),
                         "linux-image-6.1.0-10-686-pae")
        self.fake([(["apt-cache", "depends"], (100, "E: No packages found"))])
        self.assertIsNone(peer.newest_kernel_package())

    def test_cache_needs_no_apt(self):
        kdir = os.path.join(self.tmp, "kernel")
        os.makedirs(kdir)
        for abi, ver in (("6.1.0-9-686-pae", "6.1.27-1"),
                         ("6.1.0-50-686-pae", "6.1.176-1")):
            open(os.path.join(kdir, "vmlinuz-" + abi), "wb").close()
            with open(os.path.join(kdir, "package-%s.txt" % abi), "w") as f:
                f.write(ver + "\n")
        self.fake([])
        k = peer.fetch_kernel(self.tmp, lambda *a: None)
        self.assertEqual((k.abi, k.version), ("6.1.0-50-686-pae",
                                              "6.1.176-1"))
        self.assertEqual(self.calls, [])

    def test_no_network_is_a_clear_error(self):
        self.fake([(["dpkg", "--print-architecture"], (0, "amd64")),
                   (["dpkg", "--print-foreign-architectures"], (0, "i386")),
                   (["apt-cache"], (0, "")),
                   (["apt-get", "update"], (100, "E: Failed to fetch")),
                   (["sudo", "-n", "apt-get", "update"],
                    (100, "E: Failed to fetch"))])
        said = []
        with self.assertRaises(peer.PeerError) as e:
            peer.fetch_kernel(self.tmp, said.append)
        self.assertIn("linux-image-686-pae:i386", str(e.exception))
        self.assertTrue(any("apt-get update" in s for s in said), said)

    def test_adds_the_architecture(self):
        self.fake([(["dpkg", "--print-architecture"], (0, "amd64")),
                   (["dpkg", "--print-foreign-architectures"], (0, "")),
                   (["dpkg", "--add-architecture"], (0, "")),
                   (["sudo", "-n", "dpkg", "--add-architecture"], (0, ""))])
        said = []
        self.assertTrue(peer.ensure_i386(said.append))
        self.assertTrue(any("dpkg --add-architecture i386" in s
                            for s in said))
        self.fake([(["dpkg", "--print-architecture"], (0, "amd64")),
                   (["dpkg", "--print-foreign-architectures"], (0, "i386"))])
        self.assertFalse(peer.ensure_i386(said.append))


class PeerMachine(unittest.TestCase):
    def test_cairn_machine_of_a_peer_record(self):
        root = tempfile.mkdtemp(prefix="cairnpeer-test-")
        self.addCleanup(shutil.rmtree, root)
        f = fingerprint.make("tcg", 2, cpu="C", kernel="k", qemu="7.2")
        cairn = fingerprint.machine_id(f)
        f[fingerprint.PEER_FIELD] = "Linux 6.1.0-50-686-pae"
        results.write_machine(root, f)
        linux = fingerprint.machine_id(f)
        self.assertNotEqual(linux, cairn)
        self.assertEqual(peer.cairn_machine(root, linux), cairn)
        self.assertEqual(peer.cairn_machine(root, cairn), cairn)


if __name__ == "__main__":
    unittest.main()
