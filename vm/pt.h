/*
 * Page directories and page tables of the address spaces VM builds (i386,
 * two levels, 4 KiB user pages), edited through VM's direct map. A
 * directory is named by its physical address; its kernel part is copied
 * from a template built from the kernel's KERN_PHYSMAP ranges.
 */
#ifndef CAIRN_VM_PT_H
#define CAIRN_VM_PT_H

#include <stdint.h>
#include "cairn/types.h"
#include "cairn/arch/i386/mmu.h"	/* entry bits, the kernel's too */

/* Adds [phys, phys+len) at vaddr (in the kernel part) to the template
 * every new directory gets, as 4 MiB global supervisor pages; write and
 * uncached as asked. Unaligned ends are widened to 4 MiB. EINVAL if the
 * range is not inside the kernel part. */
int pt_kern_map(phys_bytes phys, uint32_t len, vir_bytes vaddr,
	int writable, int uncached);

/* A new directory (below mapped_end, zeroed, kernel part copied): its
 * physical address in *pgdir, OK or ENOMEM. */
int pt_new(phys_bytes *pgdir);

/* The page table for the 4 MiB holding va, allocated (zeroed) when the
 * directory has none, as VM sees it: OK and *table set, EINVAL (va in
 * the kernel part) or ENOMEM. */
int pt_table(phys_bytes pgdir, vir_bytes va, uint32_t **table);

/* Maps the 4 KiB user page at va to frame with flags (PTE_W, PTE_U,
 * PTE_PWT, PTE_PCD; P is implied), replacing what was there. Allocates the page table when the
 * directory has none. OK, EINVAL (va in the kernel part), ENOMEM. */
int pt_map(phys_bytes pgdir, vir_bytes va, phys_bytes frame, uint32_t flags);

/* The entry for va if it is present: OK and *pte set, else ESRCH. */
int pt_lookup(phys_bytes pgdir, vir_bytes va, uint32_t *pte);

/* Where va's entry is, for a caller that edits a run of entries of one
 * page table in place (the entries of one table are consecutive), or
 * NULL when the directory has no table for va's 4 MiB (or va is not a
 * user address). Never allocates. */
uint32_t *pt_entry(phys_bytes pgdir, vir_bytes va);

/* 1 if the directory has a page table for the 4 MiB holding va: callers
 * walking a range skip the rest of those 4 MiB when it has none. */
int pt_has_table(phys_bytes pgdir, vir_bytes va);

/* Clears va's entry; returns the frame it mapped, 0 if none. The caller
 * frees the frame and invalidates the page. */
phys_bytes pt_unmap(phys_bytes pgdir, vir_bytes va);

/* If the page table for the 4 MiB holding va maps nothing, takes it out
 * of the directory and returns its frame (the caller invalidates, then
 * frees it); else 0. */
phys_bytes pt_take_empty_table(phys_bytes pgdir, vir_bytes va);

/* What pt_walk calls: table for each page table (va: the first address
 * it maps), page for each present entry; either may be NULL. */
struct pt_visitor {
	void (*table)(void *arg, vir_bytes va, phys_bytes pt);
	void (*page)(void *arg, vir_bytes va, uint32_t pte);
	void *arg;
};

/* Visits the page tables of the directory that map part of [from, to)
 * (user part only; 4 MiB entries, such as VM's direct map, are skipped)
 * and their present entries inside [from, to). */
void pt_walk(phys_bytes pgdir, vir_bytes from, vir_bytes to,
	const struct pt_visitor *v);

/* Frees every page table of the user part and the directory. The
 * frames mapped there are not the tables' to free: their blocks are. */
void pt_destroy(phys_bytes pgdir);

#endif /* CAIRN_VM_PT_H */
