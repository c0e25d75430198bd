/*
 * The overlap check of the sanity build: every owner of physical memory
 * marks its pages in a map with one entry per page VM knows; a page
 * marked twice, or marked while pmem says it is free, is a broken
 * invariant, reported with both owners (VM panics). Portable: also built
 * and tested on the host.
 *
 * Owners are the things that hold memory: page directories and page
 * tables, VM's own pages, and the memory types' physical blocks, each
 * marked once however many processes map it (copy on write shares a
 * block). Page-table entries are not owners; a present entry only has to
 * name a frame that is not free.
 */
#ifndef CAIRN_VM_SANITY_H
#define CAIRN_VM_SANITY_H

#include <stdint.h>
#include "cairn/types.h"
#include "vm/vmproc.h"

/* 1 in the sanity build (make SANITY=1: -DVM_SANITY), else 0; tested in
 * plain if statements, so that both builds compile every line. */
#ifdef VM_SANITY
#define SANITY_BUILD	1
#else
#define SANITY_BUILD	0
#endif

/* Marks npages pages from pa as used by what (a string that outlives the
 * check), on behalf of the process being walked. Only during
 * sanity_check_all; pages above the memory VM knows are not mapped. */
void sanity_mark(phys_bytes pa, uint32_t npages, const char *what);

/* The memory types mark the blocks of vmp's regions (each block's frame
 * once across all processes, every reference counted) and check each
 * present page-table entry against its region and block (vm/map.c). */
void sanity_mark_regions(struct vmproc *vmp);

/* After every holder was walked: each block of vmp's regions must have
 * had exactly as many references found as it counts (vm/map.c). */
void sanity_verify_regions(struct vmproc *vmp);

/* Clears the map and marks everything: VM's own directory, page tables
 * and pages, each process's directory and page tables (their entries
 * must name frames that are not free) and, through the hook, its blocks.
 * Then runs the allocators' and region sets' own checks. Panics at the
 * first broken invariant; returns the number of pages marked. */
uint32_t sanity_check_all(void);

/* The sanity build's start-up check of VM's own memory: the heap grows
 * to SANITY_TEST_BLOCKS blocks of SANITY_TEST_SIZE bytes and back, more
 * heap than memory fails cleanly (sbrk, malloc), and a slab cache's
 * pages are read-only but inside USE(). With write_outside
 * set, it then writes a slab object outside USE() on purpose, which must
 * fault (the boot ends in the kernel's panic: a test of the protection). */
#define SANITY_TEST_BLOCKS	100000
#define SANITY_TEST_SIZE	80
void sanity_selftest(int write_outside);

#endif /* CAIRN_VM_SANITY_H */
