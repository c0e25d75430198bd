"""The GRUB CD image (tools/mkiso.py, `make iso`): its menu, and what it
says when GRUB's tools are missing."""

import os
import shutil
import tempfile
import unittest
from unittest import mock

from . import labpath  # noqa: F401
from cairn import bootimage


def _load_mkiso():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "cairn_mkiso", os.path.join(labpath.REPO, "tools", "mkiso.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


mkiso = _load_mkiso()


class GrubCfg(unittest.TestCase):
    def setUp(self):
        self.cfg, self.files = mkiso.grub_cfg("b", 1)
        self.entries = self.cfg.split("menuentry ")[1:]

    def test_default_entry_is_the_test_boot_with_a_short_timeout(self):
        self.assertIn("set timeout=1\n", self.cfg)
        self.assertIn("set default=0\n", self.cfg)
        self.assertIn("multiboot /boot/kernel.elf mode=test\n",
                      self.entries[0])

    def test_modules_are_bootimage_lists_with_files_under_boot(self):
        """Each module line: the file on the CD, then what bootimage.py
        puts after the path (name and words): GRUB passes only those."""
        lines = [l.strip() for l in self.entries[0].splitlines()
                 if l.strip().startswith("module ")]
        want = ["module /boot/%s %s" % (os.path.basename(p), w)
                for p, _, w in (m.partition(" ") for m in
                                bootimage.test_modules("b"))]
        self.assertEqual(lines, want)
        self.assertEqual(lines[0], "module /boot/vm.elf vm")

    def test_every_kind_has_an_entry_and_every_file_is_staged(self):
        self.assertEqual(len(self.entries), 4)
        self.assertIn("mode=bench", self.entries[1])
        self.assertIn("ubench role=main", self.entries[1])
        self.assertIn("vmtest role=peer", self.entries[2])
        self.assertIn("hostile role=main", self.entries[3])
        for name in ("kernel.elf", "vm.elf", "pm.elf", "system.tar",
                     "utest.elf", "ubench.elf", "vmtest.elf", "hostile.elf"):
            self.assertEqual(self.files[name], os.path.join(
                "b", name) if name == "kernel.elf" else
                os.path.join("b", "user", name))


class MissingGrub(unittest.TestCase):
    def test_names_the_install_command(self):
        tmp = tempfile.mkdtemp()
        try:
            with mock.patch.object(shutil, "which", return_value=None):
                with self.assertRaises(mkiso.IsoError) as e:
                    mkiso.build_iso(tmp, os.path.join(tmp, "x.iso"))
            self.assertIn("apt-get install grub-pc-bin grub-common xorriso "
                          "mtools", str(e.exception))
        finally:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    unittest.main()
