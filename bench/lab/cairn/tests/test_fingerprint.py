"""Machine fingerprints and ids."""

import unittest

from . import labpath  # noqa: F401
from cairn import fingerprint


def fp(**over):
    base = dict(cpu="AMD EPYC 7B13 64-Core Processor", kernel="6.1.0-18-amd64",
                qemu="7.2.22 (Debian 1:7.2+dfsg-7)",
                compiler="gcc (Debian 12.2.0-14) 12.2.0",
                binutils="GNU ld (GNU Binutils for Debian) 2.40")
    base.update(over)
    vcpus = base.pop("vcpus", 2)
    series = base.pop("series", "icount")
    build = base.pop("build", None)
    f = fingerprint.make(series, vcpus, **base)
    if build:
        f["build_config"] = build
    return f


def legacy(**over):
    """A record from before the toolchain fields."""
    f = fp(**over)
    return {k: f[k] for k in fingerprint.FIELDS}


class MachineId(unittest.TestCase):
    def test_stable(self):
        self.assertEqual(fingerprint.machine_id(fp()),
                         fingerprint.machine_id(fp()))
        # Known values: changing them would orphan stored results.
        self.assertEqual(fingerprint.machine_id(legacy()),
                         "amd-epyc-7b13-64-core-270144b3")
        self.assertEqual(fingerprint.machine_id(fp(series="kvm")),
                         fingerprint.machine_id(fp(series="kvm")))

    def test_every_keyed_field_counts(self):
        ids = {fingerprint.machine_id(f) for f in (
            fp(), fp(qemu="8.2.0"), fp(series="kvm"), fp(series="tcg"),
            fp(vcpus=4), fp(compiler="gcc (Debian 13.2.0) 13.2.0"),
            fp(binutils="GNU ld 2.41"), fp(build="vm_cflags=-DVM_SANITY"))}
        self.assertEqual(len(ids), 8)
        rt = {fingerprint.machine_id(f) for f in (
            fp(series="tcg"),
            fp(series="tcg", cpu="Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz"),
            fp(series="tcg", kernel="6.1.0-20-amd64"),
            fp(series="tcg", compiler="clang 16"))}
        self.assertEqual(len(rt), 4)

    def test_icount_is_not_keyed_by_host(self):
        # icount counts guest instructions: the host CPU, its kernel, RAM
        # and OS cannot change them, so they do not split the series.
        a = fp()
        b = fp(cpu="Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz",
               kernel="6.18.44")
        b["ram"], b["os"] = "1 MiB", "Other OS"
        self.assertEqual(fingerprint.machine_id(a), fingerprint.machine_id(b))
        self.assertTrue(fingerprint.machine_id(a).startswith("qemu-7-2-22-"))
        self.assertTrue(fingerprint.compatible(a, b))
        self.assertFalse(fingerprint.compatible(a, fp(compiler="clang 16")))
        self.assertFalse(fingerprint.compatible(a, fp(qemu="8.2.0")))
        self.assertFalse(fingerprint.compatible(a, fp(vcpus=1)))
        # Real time stays keyed by the host.
        self.assertFalse(fingerprint.compatible(
            fp(series="tcg"), fp(series="tcg", kernel="6.18.44")))

    def test_old_records_match_by_the_fields_they_have(self):
        old = legacy(kernel="6.18.44-v669")
        self.assertTrue(fingerprint.compatible(old, legacy()))
        self.assertTrue(fingerprint.compatible(old, fp()))
        self.assertTrue(fingerprint.compatible(fp(), old))
        self.assertFalse(fingerprint.compatible(old, fp(qemu="8.2.0")))
        self.assertFalse(fingerprint.compatible(legacy(series="tcg"),
                                                fp(series="tcg",
                                                   kernel="other")))

    def test_whitespace_does_not_count(self):
        self.assertEqual(
            fingerprint.machine_id(legacy(
                cpu="AMD  EPYC 7B13 64-Core Processor ")),
            fingerprint.machine_id(legacy()))

    def test_readable_slug(self):
        mid = fingerprint.machine_id(
            fp(series="kvm", cpu="Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz"))
        self.assertTrue(mid.startswith("intel-xeon-gold-6148-"), mid)
        self.assertRegex(mid, r"^[a-z0-9-]+-[0-9a-f]{8}$")

    def test_peer_kernel_is_keyed(self):
        # The Linux peer's results: another Linux kernel, another series.
        a, b = fp(), fp()
        a[fingerprint.PEER_FIELD] = "Linux 6.1.0-50-686-pae"
        b[fingerprint.PEER_FIELD] = "Linux 6.1.0-51-686-pae"
        ids = {fingerprint.machine_id(f) for f in (a, b, fp())}
        self.assertEqual(len(ids), 3)
        self.assertEqual(fingerprint.machine_id(fingerprint.without_peer(a)),
                         fingerprint.machine_id(fp()))
        self.assertIn("peer_kernel: Linux 6.1.0-50", fingerprint.to_text(a))

    def test_record_has_toolchain_ram_os(self):
        f = fingerprint.make("icount", 1)
        for k in ("compiler", "binutils", "build_config", "ram", "os"):
            self.assertIn(k, f)
            self.assertIn("%s: " % k, fingerprint.to_text(f))
        self.assertRegex(f["ram"], r"^\d+ MiB$")

    def test_text_roundtrip(self):
        f = fp()
        text = fingerprint.to_text(f)
        self.assertTrue(text.startswith("machine_id: "))
        self.assertEqual(fingerprint.from_text(text), f)

    def test_this_host(self):
        a = fingerprint.make("icount", 1)
        b = fingerprint.make("icount", 1)
        self.assertEqual(fingerprint.machine_id(a), fingerprint.machine_id(b))
        self.assertEqual(a["accelerator"], "tcg-icount")
        self.assertEqual(a["vcpus"], "1")
        self.assertNotEqual(a["host_cpu"], "")


if __name__ == "__main__":
    unittest.main()
