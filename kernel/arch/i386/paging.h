/*
 * The kernel's half of every page directory, single-page TLB invalidation,
 * and a window onto arbitrary physical memory. The kernel has no address
 * space of its own: kernel_pgdir is the template whose upper part every
 * address space shares, and for now the directory that boot runs on.
 */
#ifndef CAIRN_PAGING_H
#define CAIRN_PAGING_H

#include <stdint.h>
#include "kernel/kinfo.h"
#include "kernel/arch/i386/vm_layout.h"
#include "kernel/arch/i386/cpu.h"

static inline phys_bytes kvtophys(const void *p)
{
	return (uint32_t)p - KERNEL_BASE;
}

static inline void *kphystov(phys_bytes pa)
{
	return (void *)(pa + KERNEL_BASE);
}

extern uint32_t kernel_pgdir[1024];

/* Switches from the bootstrap directory to kernel_pgdir: kernel mapping
 * kept, identity mapping dropped, device registers mapped uncached. */
void paging_init(const struct kinfo *ki, uint32_t boot_cr3);

/* Installs a 4 KiB page table for the 4 MiB at va in kernel_pgdir. */
void paging_set_page_table(vir_bytes va, phys_bytes table, uint32_t flags);

/* Maps the 8 MiB around pa (4 MiB aligned) at PHYS_WINDOW and returns the
 * address of pa there, or 0 if [pa, pa+len) does not fit. Boot CPU only,
 * one user at a time. */
void *phys_window_map(phys_bytes pa, uint32_t len);

/* The ranges VM must map into every address space (VMCTL_KERN_PHYSMAP):
 * index 0, 1, ... until ESRCH. */
int kern_physmap(uint32_t index, phys_bytes *phys, uint32_t *len,
	vir_bytes *vaddr, uint32_t *flags);

/* Is pgdir a page directory VM may hand the kernel: page-aligned, below
 * mapped_end, its kernel part the kernel's own (SYS_NEWPROC, SYS_FORK)? */
int pgdir_ok(phys_bytes pgdir);

/* Invalidates one page on this CPU. */
static inline void tlb_invlpg(vir_bytes va)
{
	invlpg(va);
}

/* Invalidates every non-global translation on this CPU. */
static inline void tlb_flush_nonglobal(void)
{
	write_cr3(read_cr3());
}

#endif /* CAIRN_PAGING_H */
