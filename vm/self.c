/*
 * What the library asks of every process, done VM's way, and VM's own
 * memory: VM cannot send to itself, so its brk/sbrk and its page runs map
 * fresh frames through its own page directory, and its exit() ends the
 * whole system instead of sending VM_EXIT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "vm/self.h"
#include "vm/frame.h"
#include "vm/layout.h"
#include "vm/pt.h"
#include "vm/slab.h"
#include "cairn/syslib.h"
#include "cairn/ipclib.h"

#define MMAP_PAGES	((VM_MMAP_LIMIT - VM_MMAP_BASE) / VM_PAGE_SIZE)
#define WORD_FULL	0xffffffffu

/* The linker's end of VM's image: the heap must start above it. */
extern char _end[];

static phys_bytes own_pgdir;	/* 0 until first asked for */

/* The break, exact; the heap's pages are mapped up to its page end. */
static vir_bytes heap_brk = VM_HEAP_BASE;

/* The page area: one bit per page, set while a run holds it. */
static uint32_t mmap_used[MMAP_PAGES / 32];
static uint32_t mmap_hint;	/* words below it are full */

phys_bytes self_pgdir(void)
{
	int r;

	if (own_pgdir != 0)
		return own_pgdir;
	if ((vir_bytes)_end > VM_HEAP_BASE)
		panic("vm: the image ends at %p, above its heap at 0x%x", _end,
			VM_HEAP_BASE);
	r = vmctl_get_pgdir(SELF, &own_pgdir);
	if (r != OK || own_pgdir == 0)
		panic("vm: VMCTL_GET_PGDIR of VM itself: %d", r);
	return own_pgdir;
}

/* Unmaps n pages from va (all mapped), invalidates them and frees their
 * frames, and the page tables that map nothing any more (the heap and
 * the page area have tables of their own), so that VM's own memory goes
 * back to the free pool whole. VM runs nowhere else meanwhile, so no one
 * reuses a frame before the invalidation is done; tables are freed after
 * it all the same. */
static void unmap_run(vir_bytes va, uint32_t n)
{
	phys_bytes tables[(VM_HEAP_LIMIT - VM_HEAP_BASE) / BIGPAGE_SIZE + 1];
	uint32_t ntables = 0;
	int r;

	for (uint32_t i = 0; i < n; i++) {
		vir_bytes a = va + i * VM_PAGE_SIZE;
		phys_bytes frame = pt_unmap(self_pgdir(), a);

		if (frame == 0)
			panic("vm: own page 0x%x is not mapped", a);
		frame_free(frame);
		/* Each table once: at its last page in the run. */
		if (i == n - 1 || (a + VM_PAGE_SIZE) % BIGPAGE_SIZE == 0) {
			phys_bytes pt = pt_take_empty_table(self_pgdir(), a);

			if (pt != 0 && ntables < sizeof tables / sizeof *tables)
				tables[ntables++] = pt;
			else if (pt != 0)
				panic("vm: own run of %u pages spans too many "
					"tables", n);
		}
	}
	r = vmctl_invlpg(SELF, va, n);
	if (r != OK)
		panic("vm: INVLPG of VM's own [0x%x,+%u pages): %d", va, n, r);
	for (uint32_t i = 0; i < ntables; i++)
		frame_free(tables[i]);
}

/* Maps n fresh zeroed frames writable from va; all or none. A page that
 * becomes present needs no invalidation. */
static int map_run(vir_bytes va, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		phys_bytes frame = frame_alloc(PMEM_USER);
		int err = frame == 0 ? ENOMEM : pt_map(self_pgdir(),
			va + i * VM_PAGE_SIZE, frame, PTE_U | PTE_W);

		if (err != OK) {
			if (frame != 0)
				frame_free(frame);
			if (i > 0)
				unmap_run(va, i);
			return err;
		}
	}
	return OK;
}

/* --- the heap: malloc's brk and sbrk ------------------------------------ */

int brk(void *addr)
{
	vir_bytes a = (vir_bytes)addr;
	vir_bytes old_end = page_round(heap_brk), new_end;

	if (a < VM_HEAP_BASE || a > VM_HEAP_LIMIT)
		return ENOMEM;
	new_end = page_round(a);
	if (new_end > old_end) {
		int err = map_run(old_end, (new_end - old_end) / VM_PAGE_SIZE);

		if (err != OK) {
			printf("vm: own heap of %u KiB cannot grow by %u KiB: "
				"out of memory\n",
				(heap_brk - VM_HEAP_BASE) / 1024,
				(new_end - old_end) / 1024);
			return err;
		}
	} else if (new_end < old_end) {
		unmap_run(new_end, (old_end - new_end) / VM_PAGE_SIZE);
	}
	heap_brk = a;
	return OK;
}

vir_bytes self_heap_size(void)
{
	return heap_brk - VM_HEAP_BASE;
}

void *sbrk(intptr_t incr)
{
	vir_bytes old = heap_brk;

	if ((incr > 0 && (uintptr_t)incr > VM_HEAP_LIMIT - old) ||
	    (incr < 0 && (uintptr_t)-incr > old - VM_HEAP_BASE))
		return (void *)-1;
	if (incr != 0 && brk((void *)(old + (vir_bytes)incr)) != OK)
		return (void *)-1;
	return (void *)old;
}

void self_give_back(void)
{
	slab_release_all_empty();
	malloc_release();
}

/* --- the page area ------------------------------------------------------ */

static int page_used(uint32_t pg)
{
	return (mmap_used[pg / 32] >> (pg % 32)) & 1;
}

static void set_pages(uint32_t first, uint32_t n, int used)
{
	for (uint32_t pg = first; pg < first + n; pg++) {
		if (used)
			mmap_used[pg / 32] |= 1u << (pg % 32);
		else
			mmap_used[pg / 32] &= ~(1u << (pg % 32));
	}
	if (!used && first / 32 < mmap_hint)
		mmap_hint = first / 32;
	while (mmap_hint < MMAP_PAGES / 32 && mmap_used[mmap_hint] == WORD_FULL)
		mmap_hint++;
}

/* The first run of n free pages (first fit), or -1. */
static int32_t find_run(uint32_t n)
{
	uint32_t run = 0;

	for (uint32_t pg = mmap_hint * 32; pg < MMAP_PAGES; pg++) {
		if (pg % 32 == 0 && run == 0 && mmap_used[pg / 32] == WORD_FULL)
			pg += 31;
		else if (page_used(pg))
			run = 0;
		else if (++run == n)
			return (int32_t)(pg + 1 - n);
	}
	return -1;
}

void *vm_mmap_self(size_t bytes)
{
	uint32_t n;
	int32_t first;
	vir_bytes va;

	if (bytes == 0 || bytes > VM_MMAP_LIMIT - VM_MMAP_BASE)
		return NULL;
	n = (uint32_t)(page_round(bytes) / VM_PAGE_SIZE);
	first = find_run(n);
	if (first < 0) {
		printf("vm: own page area has no run of %u pages\n", n);
		return NULL;
	}
	va = VM_MMAP_BASE + (vir_bytes)first * VM_PAGE_SIZE;
	if (map_run(va, n) != OK)
		return NULL;
	set_pages((uint32_t)first, n, 1);
	return (void *)va;
}

void vm_munmap_self(void *p, size_t bytes)
{
	vir_bytes va = (vir_bytes)p;
	uint32_t first, n;

	if (va < VM_MMAP_BASE || va >= VM_MMAP_LIMIT || (va & VM_PAGE_MASK) ||
	    bytes == 0 || page_round(bytes) > VM_MMAP_LIMIT - va)
		panic("vm: vm_munmap_self(%p, %u): not a run of the page area",
			p, (uint32_t)bytes);
	first = (va - VM_MMAP_BASE) / VM_PAGE_SIZE;
	n = (uint32_t)(page_round(bytes) / VM_PAGE_SIZE);
	for (uint32_t pg = first; pg < first + n; pg++)
		if (!page_used(pg))
			panic("vm: vm_munmap_self(%p, %u): page 0x%x is free",
				p, (uint32_t)bytes,
				VM_MMAP_BASE + pg * VM_PAGE_SIZE);
	unmap_run(va, n);
	set_pages(first, n, 0);
}

int vm_mmap_owns(const void *p)
{
	vir_bytes va = (vir_bytes)p;

	return va >= VM_MMAP_BASE && va < VM_MMAP_LIMIT &&
		page_used((va - VM_MMAP_BASE) / VM_PAGE_SIZE);
}

void vm_protect_self(const void *page, int writable)
{
	vir_bytes va = (vir_bytes)page;
	uint32_t pte;
	int r;

	if (va < VM_MMAP_BASE || va >= VM_MMAP_LIMIT || (va & VM_PAGE_MASK) ||
	    !page_used((va - VM_MMAP_BASE) / VM_PAGE_SIZE) ||
	    pt_lookup(self_pgdir(), va, &pte) != OK)
		panic("vm: vm_protect_self(%p): not a page of the page area",
			page);
	r = pt_map(self_pgdir(), va, pte & PTE_FRAME,
		PTE_U | (writable ? PTE_W : 0));
	if (r == OK)
		r = vmctl_invlpg(SELF, va, 1);
	if (r != OK)
		panic("vm: protecting own page %p: %d", page, r);
}

/* panic() and failed assertions end here: without VM nothing can go on,
 * so the boot ends, counted as a failure. */
void exit(int status)
{
	message m;

	printf("vm: exit(%d): the system cannot run without VM\n", status);
	stdout_flush();
	sys_shutdown(0, 1);
	for (;;)
		ipc_receive(KERNEL, &m);
}
