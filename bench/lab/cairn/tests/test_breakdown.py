"""The page fault by phase (bench/lab/cairn/breakdown.py): a synthetic
trace of a fault goes into the phases by position and by the tables."""

import unittest

from . import labpath  # noqa: F401
from cairn import breakdown as bd

# (who, function, source file, instructions): a fault as the kernel and
# VM of this tree run it, shortened.
TRACE = [
    ("ubench", "anon_fault", "bench/user/ubench.c", 16),
    ("kernel", "trap_stub_14", "kernel/arch/i386/trap.S", 2),
    ("kernel", "trap_user", "kernel/arch/i386/usertrap.c", 18),
    ("kernel", "pagefault", "kernel/arch/i386/usertrap.c", 30),
    ("kernel", "ipc_send_on_behalf", "kernel/ipc.c", 197),
    ("kernel", "trap_user", "kernel/arch/i386/usertrap.c", 2),
    ("kernel", "restore_user_sysenter", "kernel/arch/i386/entry.S", 19),
    ("vm", "ipc_trap_sysenter", "lib/arch/i386/ipc_sysenter.S", 3),
    ("vm", "main", "vm/main.c", 15),
    ("vm", "vmproc_lookup", "vm/vmproc.c", 18),
    ("vm", "fault_make_present", "vm/fault.c", 12),
    ("vm", "region_lookup", "vm/region.c", 65),
    ("vm", "fault_make_present", "vm/fault.c", 14),
    ("vm", "anon_page_in", "vm/mem_anon.c", 20),
    ("vm", "memset", "kernel/lib/string.c", 1446),
    ("vm", "phys_ptr", "vm/layout.h", 1),
    ("vm", "pt_map", "vm/pt.c", 35),
    ("vm", "anon_new_helper", "vm/mem_anon.c", 4),    # by its file
    ("vm", "cow_something_new", "vm/cow.c", 9),       # unknown: other
    ("vm", "vmctl_clear_pagefault", "lib/syslib.c", 14),
    ("vm", "sys_vmctl", "lib/syslib.c", 90),
    ("kernel", "do_vmctl", "kernel/system/do_vmctl.c", 44),
    ("vm", "sys_vmctl", "lib/syslib.c", 40),
    ("vm", "main", "vm/main.c", 6),
    ("vm", "ipc_trap_sysenter", "lib/arch/i386/ipc_sysenter.S", 8),
    ("kernel", "do_receive", "kernel/ipc.c", 42),
    ("pm", "main", "servers/pm/main.c", 5),            # another process
    ("kernel", "restore_user_int", "kernel/arch/i386/entry.S", 8),
    ("ubench", "anon_fault", "bench/user/ubench.c", 21),
]


def expand(trace):
    """Steps with made-up addresses, and a resolver that knows them."""
    steps, where, pc = [], {}, 0x1000
    for who, func, path, n in trace:
        for _ in range(n):
            steps.append((pc, who))
            where[(who, pc)] = (func, path)
            pc += 1
    return steps, lambda who, pc: where[(who, pc)]


class Phases(unittest.TestCase):
    def test_fault(self):
        steps, resolve = expand(TRACE)
        counts, other = bd.phases(steps, resolve)
        self.assertEqual(counts[bd.ENTRY], 2 + 18)
        self.assertEqual(counts[bd.MESSAGE], 30 + 197 + 2 + 19 + 3 + 15 + 18
                         + 12)
        self.assertEqual(counts[bd.LOOKUP], 65 + 14)
        self.assertEqual(counts[bd.ALLOC], 20 + 1446 + 1 + 4)
        self.assertEqual(counts[bd.PTWRITE], 35)
        # mem_anon.c by file; the kernel call inherits the reply
        self.assertEqual(counts[bd.REPLY], 14 + 90 + 44 + 40 + 6 + 8)
        self.assertEqual(counts[bd.RETURN], 42 + 8)
        self.assertEqual(counts[bd.PROGRAM], 16 + 21)
        self.assertEqual(other, {"vm:cow_something_new": 9, "pm:main": 5})
        self.assertEqual(sum(counts.values()) + sum(other.values()),
                         len(steps))

    def test_file_fallback(self):
        steps, resolve = expand(TRACE)
        counts, _ = bd.phases(steps, resolve)
        # anon_new_helper (4) went to allocation by its file, after
        # pt_map: the phase moves back.
        self.assertEqual(bd.vm_phase("anon_new_helper", "vm/mem_anon.c"),
                         bd.ALLOC)
        self.assertIsNone(bd.vm_phase("x", "vm/cow.c"))
        self.assertEqual(bd.vm_phase("avl_find_le", "vm/avl.c"), bd.LOOKUP)
        self.assertEqual(bd.vm_phase("fault_pagefault", "vm/fault.c"),
                         bd.INHERIT)
        self.assertEqual(counts[bd.ALLOC], 20 + 1446 + 1 + 4)

    def test_no_vm(self):
        steps, resolve = expand([
            ("ubench", "f", "b.c", 3), ("kernel", "trap_user", "u.c", 5),
            ("ubench", "f", "b.c", 2)])
        counts, other = bd.phases(steps, resolve)
        self.assertEqual(counts[bd.ENTRY], 5)
        self.assertEqual(counts[bd.PROGRAM], 5)
        self.assertEqual(other, {})

    def test_format(self):
        steps, resolve = expand(TRACE)
        counts, other = bd.phases(steps, resolve)
        lines = bd.format_phases(counts, other, 1, len(steps))
        self.assertTrue(lines[0].startswith("phase"))
        self.assertEqual([l.split("  ")[0] for l in lines[1:9]],
                         list(bd.PHASES))
        self.assertIn("vm:cow_something_new", lines[-2] + lines[-1])


if __name__ == "__main__":
    unittest.main()
