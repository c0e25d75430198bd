"""Machine fingerprints and ids."""

import unittest

import labpath  # noqa: F401  (sets sys.path)
from cairn import fingerprint


def fp(**over):
    base = dict(cpu="AMD EPYC 7B13 64-Core Processor", kernel="6.1.0-18-amd64",
                qemu="7.2.22 (Debian 1:7.2+dfsg-7)")
    base.update(over)
    vcpus = base.pop("vcpus", 2)
    series = base.pop("series", "icount")
    return fingerprint.make(series, vcpus, **base)


class MachineId(unittest.TestCase):
    def test_stable(self):
        self.assertEqual(fingerprint.machine_id(fp()),
                         fingerprint.machine_id(fp()))
        # Known value: changing it would orphan stored results.
        self.assertEqual(fingerprint.machine_id(fp()),
                         "amd-epyc-7b13-64-core-270144b3")

    def test_every_field_counts(self):
        ids = {fingerprint.machine_id(f) for f in (
            fp(), fp(cpu="Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz"),
            fp(kernel="6.1.0-20-amd64"), fp(qemu="8.2.0"),
            fp(series="kvm"), fp(series="tcg"), fp(vcpus=4))}
        self.assertEqual(len(ids), 7)

    def test_whitespace_does_not_count(self):
        self.assertEqual(
            fingerprint.machine_id(fp(cpu="AMD  EPYC 7B13 64-Core Processor ")),
            fingerprint.machine_id(fp()))

    def test_readable_slug(self):
        mid = fingerprint.machine_id(
            fp(cpu="Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz"))
        self.assertTrue(mid.startswith("intel-xeon-gold-6148-"), mid)
        self.assertRegex(mid, r"^[a-z0-9-]+-[0-9a-f]{8}$")

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
