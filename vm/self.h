/*
 * VM's own memory: its malloc heap (brk/sbrk, unistd.h) and page runs it
 * maps for itself, both on frames mapped through its own page directory
 * in the areas vm/layout.h names.
 */
#ifndef CAIRN_VM_SELF_H
#define CAIRN_VM_SELF_H

#include <stddef.h>
#include "cairn/types.h"

/* bytes (rounded up to pages) of zeroed, writable memory in VM's page
 * area, apart from the heap; NULL when memory or the area is used up. */
void *vm_mmap_self(size_t bytes);

/* Unmaps and frees a run vm_mmap_self returned, with the same bytes.
 * Panics on anything else: VM's own bookkeeping is broken. */
void vm_munmap_self(void *p, size_t bytes);

/* 1 if p lies in a run vm_mmap_self handed out and not yet back. */
int vm_mmap_owns(const void *p);

/* Makes one page of a run writable or read-only (the sanity build's
 * write-protected metadata). Invalidated both ways: a stale read-only
 * entry may fault a write, and a fault of VM's own is fatal. */
void vm_protect_self(const void *page, int writable);

/* How far the heap has grown, in bytes (0 on the host). */
vir_bytes self_heap_size(void);

/* After every request: the empty slab pages and the free pages at the top
 * of the heap go back to the free pool, with the page tables that map
 * nothing any more. Between requests VM then holds only what is in use:
 * once a process has gone, VM's free page count is what it was before. */
void self_give_back(void);

/* The physical address of VM's own page directory (0 on the host). */
phys_bytes self_pgdir(void);

#endif /* CAIRN_VM_SELF_H */
