/*
 * The sanity build's check of all physical memory VM hands out: a map of
 * owners, one entry per page, filled by walking VM's own space and every
 * process's after each request (vm/sanity.h says who owns what).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm/sanity.h"
#include "vm/cache.h"
#include "vm/physblock.h"
#include "vm/frame.h"
#include "vm/layout.h"
#include "vm/pt.h"
#include "vm/self.h"
#include "vm/slab.h"
#include "cairn/ipc.h"

struct owner {
	const char *what;	/* NULL: not marked in this check */
	endpoint_t ep;		/* on whose behalf */
};

static struct owner *map;	/* a run of VM's page area */
static uint32_t map_pages;
static endpoint_t marking_for;	/* the process being walked */
static uint32_t marked;		/* pages marked in this check */
static int checking;		/* inside sanity_check_all */

static const char *name_of(endpoint_t ep)
{
	struct vmproc *vmp;

	if (ep == VM_ENDPOINT)
		return "vm";
	vmp = vmproc_lookup(ep);
	return vmp != NULL ? vmp->name : "?";
}

void sanity_mark(phys_bytes pa, uint32_t npages, const char *what)
{
	if (!checking)
		return;
	for (uint32_t i = 0; i < npages; i++, pa += VM_PAGE_SIZE) {
		uint32_t pg = pa / VM_PAGE_SIZE;
		struct owner *o;

		if (frame_is_free(pa))
			panic("vm: sanity: page 0x%x is free in pmem but used "
				"as %s of %s (%d)", pa, what,
				name_of(marking_for), marking_for);
		if (pg >= map_pages)
			continue;	/* not memory VM hands out */
		o = &map[pg];
		if (o->what != NULL)
			panic("vm: sanity: page 0x%x used twice: as %s of %s "
				"(%d) and as %s of %s (%d)", pa, o->what,
				name_of(o->ep), o->ep, what,
				name_of(marking_for), marking_for);
		o->what = what;
		o->ep = marking_for;
		marked++;
	}
}

static void verify_cached(struct phys_block *pb)
{
	pb_walk_verify(pb);
}

/* --- VM's own space ------------------------------------------------------ */

static void mark_table(void *arg, vir_bytes va, phys_bytes pt)
{
	(void)arg;
	(void)va;
	sanity_mark(pt, 1, "page table");
}

static void mark_own_page(void *arg, vir_bytes va, uint32_t pte)
{
	const char *what = "image or stack page";

	(void)arg;
	/* The frame window's slots point at frames whoever owns them, and
	 * stale ones at frames freed since: only its table is VM's. */
	if (va >= VM_WINDOW_BASE && va < VM_WINDOW_BASE + FRAME_WINDOW_SIZE)
		return;
	if (va >= VM_HEAP_BASE && va < VM_HEAP_LIMIT)
		what = "heap page";
	else if (va >= VM_MMAP_BASE && va < VM_MMAP_LIMIT)
		what = "own page (slab, map)";
	sanity_mark(pte & PTE_FRAME, 1, what);
}

static void mark_self(void)
{
	phys_bytes pgdir = self_pgdir();
	const struct pt_visitor v = { mark_table, mark_own_page, NULL };

	if (pgdir == 0)
		return;		/* the host tests: no space of VM's own */
	marking_for = VM_ENDPOINT;
	sanity_mark(pgdir, 1, "page directory");
	pt_walk(pgdir, 0, VM_PHYS_BASE, &v);
}

static void mark_pooled(phys_bytes pa)
{
	sanity_mark(pa, 1, "zero pool frame");
}

/* --- the processes -------------------------------------------------------- */

static void check_mapped(void *arg, vir_bytes va, uint32_t pte)
{
	const struct vmproc *vmp = arg;

	if (frame_is_free(pte & PTE_FRAME))
		panic("vm: sanity: 0x%x of %s (%d) maps page 0x%x, which is "
			"free in pmem", va, vmp->name, vmp->ep,
			pte & PTE_FRAME);
}

static void mark_process(struct vmproc *vmp)
{
	const struct pt_visitor v = { mark_table, check_mapped, vmp };
	int err;

	marking_for = vmp->ep;
	sanity_mark(vmp->pgdir, 1, "page directory");
	pt_walk(vmp->pgdir, 0, USER_LIMIT, &v);
	sanity_mark_regions(vmp);
	if ((err = region_check(&vmp->regions)) != 0)
		panic("vm: sanity: regions of %s (%d) broken: %d", vmp->name,
			vmp->ep, err);
}

uint32_t sanity_check_all(void)
{
	static uint32_t checks;
	const struct slab_cache *bad;
	uint32_t procs = 0;
	int err;

	if (map == NULL) {
		uint32_t pages = frame_top() / VM_PAGE_SIZE;

		map = vm_mmap_self(pages * sizeof(*map));
		if (map == NULL)
			panic("vm: sanity: no memory for a map of %u pages",
				pages);
		map_pages = pages;
	}
	memset(map, 0, map_pages * sizeof(*map));
	marked = 0;
	checking = 1;
	pb_walk_begin();
	mark_self();
	frame_pool_walk(mark_pooled);
	for (struct vmproc *vmp = vmproc_next(NULL); vmp != NULL;
	     vmp = vmproc_next(vmp), procs++)
		mark_process(vmp);
	marking_for = VM_ENDPOINT;
	cache_walk(sanity_block);	/* the block cache holds references */
	checking = 0;
	for (struct vmproc *vmp = vmproc_next(NULL); vmp != NULL;
	     vmp = vmproc_next(vmp))
		sanity_verify_regions(vmp);
	cache_walk(verify_cached);
	if ((err = frame_check()) != 0)
		panic("vm: sanity: the page allocator is broken: %d", err);
	if ((err = slab_check_all(&bad)) != 0)
		panic("vm: sanity: slab cache %s is broken: %d", bad->name,
			err);
	slab_check_closed();
	if (checks++ == 0)
		printf("vm: sanity: first check passed: %u pages owned by VM "
			"and %u processes, none twice, none free\n", marked,
			procs);
	return marked;
}

/* --- the start-up self-test ------------------------------------------------- */

/* 1 if the page holding p is mapped writable in VM's own space (1 on the
 * host, where VM has no space of its own). */
static int own_writable(const void *p)
{
	vir_bytes page = (vir_bytes)(uintptr_t)p & ~VM_PAGE_MASK;
	uint32_t pte;

	if (self_pgdir() == 0)
		return 1;
	return pt_lookup(self_pgdir(), page, &pte) == OK && (pte & PTE_W);
}

/* More heap than there is memory: malloc's sbrk must fail cleanly (the
 * frames it mapped on the way given back, and their page tables) and
 * malloc return NULL. Only in VM's own space: the host's
 * malloc is the host's. */
static void selftest_out_of_memory(void)
{
	struct pmem_stats before, after;
	size_t more;

	if (self_pgdir() == 0)
		return;
	frame_stats(&before);
	more = (size_t)(before.free + 1) * VM_PAGE_SIZE;
	if (malloc(more) != NULL)
		panic("vm: sanity: self-test: malloc of %u KiB, more than "
			"memory, succeeded", (uint32_t)(more / 1024));
	frame_stats(&after);
	if (before.free != after.free)
		panic("vm: sanity: self-test: a failed sbrk kept %u pages",
			before.free - after.free);
}

static vir_bytes selftest_heap_peak;

/* The heap grows to hold SANITY_TEST_BLOCKS blocks and, once they are
 * freed, gives every page back (malloc_give_back). */
static void selftest_heap(void)
{
	vir_bytes heap0 = self_heap_size();
	unsigned char **v = malloc(SANITY_TEST_BLOCKS * sizeof(*v));

	if (v == NULL)
		panic("vm: sanity: self-test: no heap for the table");
	for (uint32_t i = 0; i < SANITY_TEST_BLOCKS; i++) {
		v[i] = malloc(SANITY_TEST_SIZE);
		if (v[i] == NULL)
			panic("vm: sanity: self-test: heap full after %u "
				"blocks of %u bytes", i, SANITY_TEST_SIZE);
		memset(v[i], (int)(i & 0xff), SANITY_TEST_SIZE);
	}
	for (uint32_t i = 0; i < SANITY_TEST_BLOCKS; i++) {
		if (v[i][0] != (i & 0xff) ||
		    v[i][SANITY_TEST_SIZE - 1] != (i & 0xff))
			panic("vm: sanity: self-test: heap block %u at %p "
				"overwritten", i, (void *)v[i]);
		free(v[i]);
	}
	selftest_heap_peak = self_heap_size();
	free(v);
	malloc_release();
	if (malloc_give_back && self_pgdir() != 0 && self_heap_size() != heap0)
		panic("vm: sanity: self-test: heap of %u bytes after freeing "
			"all, %u before", self_heap_size(), heap0);
}

#define SELFTEST_OBJS	1000

static struct slab_cache selftest_cache;

static void selftest_slab(int write_outside, uint32_t *pages)
{
	static uint32_t *obj[SELFTEST_OBJS];

	slab_init(&selftest_cache, "selftest", SANITY_TEST_SIZE);
	for (uint32_t i = 0; i < SELFTEST_OBJS; i++) {
		uint32_t *o = obj[i] = slab_alloc(&selftest_cache);

		if (o == NULL)
			panic("vm: sanity: self-test: slab_alloc failed");
		if (SANITY_BUILD && own_writable(o))
			panic("vm: sanity: slab page of %p writable outside "
				"USE()", (void *)o);
		USE(o, {
			if (SANITY_BUILD && !own_writable(o))
				panic("vm: sanity: slab page of %p read-only "
					"inside USE()", (void *)o);
			o[0] = i;
		});
	}
	*pages = selftest_cache.pages;
	if (write_outside) {
		printf("vm: sanity: writing to slab object %p outside USE(), "
			"on purpose\n", (void *)obj[0]);
		*(volatile uint32_t *)obj[0] = 1;
		panic("vm: sanity: a write outside USE() did not fault");
	}
	for (uint32_t i = 0; i < SELFTEST_OBJS; i++) {
		if (*obj[i] != i)
			panic("vm: sanity: self-test: slab object %p "
				"overwritten", (void *)obj[i]);
		slab_free(&selftest_cache, obj[i]);
	}
	slab_release_empty(&selftest_cache);
	if (selftest_cache.in_use != 0 || selftest_cache.pages != 0)
		panic("vm: sanity: self-test: %u objects on %u pages after "
			"freeing all", selftest_cache.in_use,
			selftest_cache.pages);
	slab_fini(&selftest_cache);
}

void sanity_selftest(int write_outside)
{
	uint32_t pages;

	selftest_heap();
	selftest_out_of_memory();
	selftest_slab(write_outside, &pages);
	printf("vm: sanity: self-test passed: heap of %u KiB held %u blocks "
		"of %u bytes, more than memory refused cleanly; %u slab "
		"objects on %u pages, read-only outside USE()\n",
		selftest_heap_peak / 1024, SANITY_TEST_BLOCKS, SANITY_TEST_SIZE,
		SELFTEST_OBJS, pages);
}
