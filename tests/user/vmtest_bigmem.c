/*
 * vmtest role=main suite=bigmem: VM with all the RAM of a big guest (tests/run.py's
 * vmtest.m3g-smp2, 3 GiB). VM then reaches most frames through its frame
 * window rather than its direct map (vm/frame.c), so this role zero-fills,
 * copies on write and frees tens of MiB there, each over several rounds
 * of the window, and reports VM's page counts (vm.bigmem.stats) that the
 * host compares with the kernel's `mem` record (the loader's memory map):
 * VM must manage every page the kernel handed over.
 */
#include <stdint.h>
#include <sys/mman.h>
#include "cairn/syslib.h"
#include "cairn/urecord.h"
#include "cairn/vmlib.h"
#include "tests/user/vmtest.h"

#define BIG	(32u * MIB)	/* 8192 frames: 8 rounds of the window */
#define LAZY	(16u * MIB)
#define TAG_PARENT	0x5a5a0000u
#define TAG_CHILD	0xc3c30000u

/* The child's half of the copy-on-write test: it sees the parent's data,
 * then its own writes to every page, and leaves the parent's alone. */
static int cow_child(void *arg)
{
	uint8_t *p = arg;

	if (!vt_filled(p, BIG, TAG_PARENT))
		return 1;
	vt_fill(p, BIG, TAG_CHILD);	/* a copy of every page */
	return vt_filled(p, BIG, TAG_CHILD) ? CHILD_OK : 2;
}

/* After vt_faults_touching's writes: each page's first byte is what it
 * wrote there, every other byte of the page still 0. */
static int touched_rest_zero(uint8_t *p, uint32_t len)
{
	for (uint32_t off = 0; off < len; off += PAGE) {
		volatile uint8_t *b = p + off;

		if (b[0] != (uint8_t)(off >> 12))
			return 0;
		for (uint32_t i = 1; i < 4; i++)
			if (b[i] != 0)
				return 0;
		if (!vt_all_zero(p + off + 4, PAGE - 4))
			return 0;
	}
	return 1;
}

/* The second round: 32 MiB preallocated, then copied on write by a
 * grandchild, nothing checked. */
static int cow_child_touch(void *arg)
{
	for (uint32_t off = 0; off < BIG; off += PAGE)
		((volatile uint8_t *)arg)[off] = 1;
	return CHILD_OK;
}

static int second_round(void *arg)
{
	int st, r;
	void *p = mmap(NULL, BIG, PROT_READ | PROT_WRITE,
		MAP_ANON | MAP_PREALLOC);

	(void)arg;
	if (p == MAP_FAILED)
		return 1;
	r = vt_in_child(cow_child_touch, p, &st);
	return r == OK && st == CHILD_OK ? CHILD_OK : 2;
}

int vt_bigmem_main(void)
{
	uint32_t v[VM_STATS_COUNT], free0, tests, failed;
	int r, st = 0x7fffffff;
	uint8_t *p, *q;

	/* tests/run.py reads the counts from this test's detail. */
	r = vt_stats(v);
	utest_result("vm.bigmem.stats", r == OK && v[VMS_FREE] > 0 &&
		v[VMS_FREE] <= v[VMS_TOTAL], "status %d: %u of %u pages free",
		r, v[VMS_FREE], v[VMS_TOTAL]);
	free0 = v[VMS_FREE];

	p = mmap(NULL, BIG, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PREALLOC);
	utest_result("vm.bigmem.prealloc_zeroed", p != MAP_FAILED &&
		vt_all_zero(p, BIG), "32 MiB preallocated at 0x%x (%d) read 0",
		(uint32_t)(uintptr_t)p, vm_errno);
	if (p != MAP_FAILED) {
		vt_fill(p, BIG, TAG_PARENT);
		r = vt_in_child(cow_child, p, &st);
		utest_result("vm.bigmem.cow_child", r == OK && st == CHILD_OK,
			"the child saw the parent's 32 MiB, then its own "
			"copies: status %d (wait %d)", st, r);
		utest_result("vm.bigmem.cow_parent_intact",
			vt_filled(p, BIG, TAG_PARENT), "the parent's 32 MiB "
			"after the child wrote every page");
		vt_expect("vm.bigmem.munmap", munmap(p, BIG), OK);
	}

	q = mmap(NULL, LAZY, PROT_READ | PROT_WRITE, MAP_ANON);
	utest_result("vm.bigmem.lazy_zero_fill", q != MAP_FAILED &&
		vt_faults_touching(q, LAZY, 1) >= LAZY / PAGE &&
		touched_rest_zero(q, LAZY), "16 MiB written page by page at "
		"0x%x (%d): each a fault, the rest of each page 0",
		(uint32_t)(uintptr_t)q, vm_errno);
	if (q != MAP_FAILED)
		munmap(q, LAZY);

	/* The same again in a child: once it has gone, with its page
	 * tables, every page must be back (VM's own bookkeeping grew to
	 * hold the first round already). */
	free0 = vt_stat1(VMS_FREE);
	r = vt_in_child(second_round, NULL, &st);
	utest_result("vm.bigmem.free_back", r == OK && st == CHILD_OK &&
		vt_stat1(VMS_FREE) == free0, "free pages %u before a second "
		"round in a child, %u after (status %d, wait %d)", free0,
		vt_stat1(VMS_FREE), st, r);
	utest_totals(&tests, &failed);
	sys_shutdown(tests, failed);
	return 0;
}
