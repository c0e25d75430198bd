/*
 * The address-space split that the kernel and VM both build on, written
 * once: the kernel's part of every space, VM's direct map of physical
 * memory, and the stack the kernel gives VM. Plain constants, so that C,
 * assembly and the linker script (through $(GEN)/layout.ld) share them;
 * tools/check_contract.py fails the build if another file defines one of
 * these names again.
 */
#ifndef CAIRN_LAYOUT_H
#define CAIRN_LAYOUT_H

/* The kernel lives at KERNEL_BASE and up in every address space, mapped
 * at physical + KERNEL_BASE; user memory ends where it starts. */
#define KERNEL_BASE	0xF0000000
#define USER_LIMIT	KERNEL_BASE

/* VM's own space: physical [0, mapped_end) appears at VM_PHYS_BASE + P
 * (4 MiB pages the kernel maps before VM runs, kernel/vmboot.c), and
 * VM's stack is VM_STACK_PAGES pages just below VM_STACK_TOP. */
#define VM_PHYS_BASE	0x80000000
#define VM_STACK_TOP	0x7FFF0000
#define VM_STACK_PAGES	16

#endif /* CAIRN_LAYOUT_H */
