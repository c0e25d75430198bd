"""A page fault's instructions by phase, for tools/breakdown.py.

tools/breakdown.py single-steps one benchmark operation under gdb and
records, per executed instruction, its address and whose it was (the
kernel, or the name of the process in user mode).  For the page-fault
operations (OP=fault, OP=cow) this module groups those instructions into
the phases of the path:

    exception entry          the kernel from the faulting instruction until
                             it starts sending the fault to VM
    message to VM            that send, the switch to VM, VM's receive
                             returning and its dispatch, finding the process
    region lookup            VM finding the region of the address
    allocation               frame, zeroing or copying it, and the memory
                             type's bookkeeping (blocks, references)
    page-table write         VM reading and writing the page tables
    reply                    VMCTL_CLEAR_PAGEFAULT, and VM back to its
                             receive
    return                   the kernel from VM's last instruction until
                             the faulting instruction runs again
    benchmark program        the sample function around the fault (timer)

Instructions in the kernel are placed by where they fall in that order
(before VM runs: entry, then message from the first function of
KERNEL_MESSAGE_START on; while VM runs: the phase of the VM code that
entered the kernel; after VM's last instruction: return).  VM's
instructions are placed by their function (the innermost one, inlined
functions included), or else by their source file (VM_FUNCTIONS,
VM_FILES); INHERIT keeps the phase of the code before (dispatch, IPC
stubs, kernel-call wrappers).  A VM function neither table knows, and
any other process, goes into "other", listed by name, so that a new
function shows up instead of being hidden in a phase.
"""

import bisect
import os
import subprocess

ENTRY = "exception entry"
MESSAGE = "message to VM"
LOOKUP = "region lookup"
ALLOC = "allocation (frame, zeroing or copy, bookkeeping)"
PTWRITE = "page-table write (and reads)"
REPLY = "reply (VMCTL_CLEAR_PAGEFAULT)"
RETURN = "return to the faulting instruction"
PROGRAM = "benchmark program (timer, loop)"
PHASES = (ENTRY, MESSAGE, LOOKUP, ALLOC, PTWRITE, REPLY, RETURN, PROGRAM)
INHERIT = "inherit"

# The kernel's send of the fault message starts in one of these
# (pagefault() is static and usually inlined into trap_user: the inline
# information names it all the same).
KERNEL_MESSAGE_START = ("pagefault", "ipc_send_on_behalf")

# VM functions by name: what vm/fault.c, mem_anon.c, region.c, avl.c,
# pmem.c, frame.c and pt.c call them, and the library underneath; and the
# names the region tree, physical blocks, slab and TLB batching of the VM
# branch give them (checked against wip-vm at 886c6fb).
VM_FUNCTIONS = {
    # receiving and dispatching the message
    "main": INHERIT, "dispatch": INHERIT,
    "ipc_trap_int": INHERIT, "ipc_trap_sysenter": INHERIT,
    "ipc_trap_syscall": INHERIT, "ipc_receive": INHERIT,
    "fault_pagefault": INHERIT, "fault_make_present": INHERIT,
    "fault_make_range_present": INHERIT,
    "vmproc_lookup": MESSAGE,
    # the region tree
    "region_lookup": LOOKUP, "region_at": LOOKUP, "region_from": LOOKUP,
    "last_at_or_below": LOOKUP, "avl_find": LOOKUP, "avl_find_le": LOOKUP,
    "avl_find_ge": LOOKUP,
    # frames, their contents, the memory types' bookkeeping
    "frame_alloc": ALLOC, "frame_free": ALLOC, "pmem_alloc": ALLOC,
    "pmem_free": ALLOC, "alloc_from": ALLOC, "mark_used": ALLOC,
    "mark_free": ALLOC, "memset": ALLOC, "memcpy": ALLOC,
    "anon_page_in": ALLOC, "anon_page_fault": ALLOC, "malloc": ALLOC,
    "free": ALLOC, "frame_alloc_dirty": ALLOC, "zeropool_take": ALLOC,
    "pool_take": ALLOC, "arch_zero_words": ALLOC,
    "arch_copy_words": ALLOC, "pb_new": ALLOC, "pb_unref": ALLOC,
    "pb_writable": ALLOC, "slab_alloc": ALLOC, "slab_free": ALLOC,
    # page tables
    "pt_map": PTWRITE, "pt_lookup": PTWRITE, "pt_unmap": PTWRITE,
    "pt_has_table": PTWRITE, "table_at": PTWRITE, "vmctl_invlpg": PTWRITE,
    "map_page": PTWRITE, "tlb_init": PTWRITE, "tlb_add": PTWRITE,
    # the answer
    "vmctl_clear_pagefault": REPLY, "vmctl_clear_pagefault_invl": REPLY,
    "vmctl_clear_pagefault_flags": REPLY, "frame_pool_want_idle": REPLY,
    # the CLEAR_PAGEFAULT queued for VM's next receive (lib/serverloop.c)
    "server_kcall": REPLY, "copy_words": REPLY, "kcall_into": REPLY,
    "kernel_call_recv": REPLY, "clear_failed": REPLY,
    "tlb_flush": REPLY,
    # kernel-call wrappers: the phase of their caller
    "sys_vmctl": INHERIT, "kernel_call": INHERIT, "vmctl_simple": INHERIT,
    # small accessors: the phase of their caller
    "region_slot": INHERIT, "mem_type_of": INHERIT, "page_trunc": INHERIT,
    "phys_ptr": INHERIT,
}

# VM functions the table above does not name, by source file.
VM_FILES = {
    "vm/main.c": INHERIT,
    "vm/layout.h": INHERIT,     # page_trunc, phys_ptr: for their caller
    "vm/fault.c": INHERIT,
    "vm/vmproc.c": MESSAGE,
    "vm/region.c": LOOKUP,
    "vm/avl.c": LOOKUP,
    "vm/pmem.c": ALLOC,
    "vm/frame.c": ALLOC,
    "vm/zeropool.c": ALLOC,
    "vm/mem_anon.c": ALLOC,
    "vm/mem_contig.c": ALLOC,
    "vm/mem_shared.c": ALLOC,
    "vm/mem_cache.c": ALLOC,
    "vm/physblock.c": ALLOC,
    "vm/physblock.h": ALLOC,
    "vm/slab.c": ALLOC,
    "vm/arch/i386/page.h": ALLOC,
    "vm/pt.c": PTWRITE,
    "vm/map.c": PTWRITE,
    "vm/tlb.c": PTWRITE,
    "vm/tlb.h": PTWRITE,
    "lib/ipc.c": INHERIT,
    "lib/syslib.c": INHERIT,
    "lib/arch/i386/ipc_int.S": INHERIT,
    "lib/arch/i386/ipc_sysenter.S": INHERIT,
    "lib/arch/i386/ipc_syscall.S": INHERIT,
}


def vm_phase(func, path):
    """The phase of a VM instruction in func (path: its source file,
    relative to the repository), INHERIT, or None (unknown: other)."""
    if func in VM_FUNCTIONS:
        return VM_FUNCTIONS[func]
    return VM_FILES.get(path)


def phases(steps, resolve, program="ubench"):
    """steps: [(pc, who)] in execution order, who "kernel" or a process
    name; resolve(who, pc) -> (function, source path).  Returns (counts,
    other): instructions per phase (every phase of PHASES, in order) and
    per "who:function" for the instructions no phase takes."""
    kernel = [i for i, (_, who) in enumerate(steps) if who == "kernel"]
    vm = [i for i, (_, who) in enumerate(steps) if who == "vm"]
    first_k, last_k = (kernel[0], kernel[-1]) if kernel else (len(steps), -1)
    first_vm, last_vm = (vm[0], vm[-1]) if vm else (len(steps), len(steps))
    counts = dict((p, 0) for p in PHASES)
    other = {}
    before_vm = ENTRY     # kernel phase until VM first runs
    current = MESSAGE     # phase while VM runs
    for i, (pc, who) in enumerate(steps):
        if who == "kernel":
            if i < first_vm:
                if before_vm == ENTRY and \
                        resolve(who, pc)[0] in KERNEL_MESSAGE_START:
                    before_vm = MESSAGE
                phase = before_vm
            elif i > last_vm:
                phase = RETURN
            else:
                phase = current
        elif who == "vm":
            func, path = resolve(who, pc)
            p = vm_phase(func, path)
            if p is None:
                key = "vm:%s" % func
                other[key] = other.get(key, 0) + 1
                continue
            if p != INHERIT:
                current = p
            phase = current
        elif who == program and (i < first_k or i > last_k):
            phase = PROGRAM
        else:
            key = "%s:%s" % (who, resolve(who, pc)[0])
            other[key] = other.get(key, 0) + 1
            continue
        counts[phase] += 1
    return counts, other


def format_phases(counts, other, batch, total):
    """The phase table as text lines, per operation, adding up to total."""
    lines = ["%-52s %10s %6s" % ("phase", "per op", "share")]
    for p in PHASES:
        lines.append("%-52s %10.1f %5.1f%%" % (p, counts[p] / batch,
                                               100.0 * counts[p] / total))
    n = sum(other.values())
    lines.append("%-52s %10.1f %5.1f%%" % ("other (below)", n / batch,
                                           100.0 * n / total))
    for key, c in sorted(other.items(), key=lambda kv: -kv[1]):
        lines.append("    %-48s %10.1f" % (key, c / batch))
    return lines


class Resolver:
    """Function and source file of addresses in one ELF: the innermost
    function, inlined ones included (addr2line -i), else the symbol table
    (nm).  Paths are made relative to repo."""

    def __init__(self, elf, repo):
        self.elf, self.repo = elf, os.path.abspath(repo)
        self.cache = {}
        out = subprocess.run(["nm", "-n", "--defined-only", elf], check=True,
                             capture_output=True, text=True).stdout
        self.addrs, self.names = [], []
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "tTwW":
                self.addrs.append(int(parts[0], 16))
                self.names.append(parts[2])

    def symbol(self, pc):
        i = bisect.bisect_right(self.addrs, pc) - 1
        return self.names[i] if i >= 0 else "?"

    def _relative(self, path):
        path = path.split(":")[0]
        if os.path.isabs(path):
            rel = os.path.relpath(path, self.repo)
            if not rel.startswith(".."):
                return rel
        return path

    def prime(self, pcs):
        """Resolves many addresses with one addr2line run."""
        todo = sorted(set(pc for pc in pcs if pc not in self.cache))
        if not todo:
            return
        out = subprocess.run(["addr2line", "-a", "-f", "-i", "-e", self.elf]
                             + ["%#x" % pc for pc in todo],
                             capture_output=True, text=True).stdout
        blocks, cur = [], None
        for line in out.splitlines():
            if line.startswith("0x") and len(line) >= 10 and \
                    all(c in "0123456789abcdefx" for c in line):
                cur = [int(line, 16), []]
                blocks.append(cur)
            elif cur is not None:
                cur[1].append(line.strip())
        for pc, lines in blocks:
            func = lines[0] if lines else "??"
            path = self._relative(lines[1]) if len(lines) > 1 else "??"
            if func == "??":
                func = self.symbol(pc)
            self.cache[pc] = (func, path)

    def __call__(self, pc):
        if pc not in self.cache:
            self.prime([pc])
        return self.cache.get(pc, (self.symbol(pc), "??"))
