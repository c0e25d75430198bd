/*
 * The sanity build's overlap check of all physical memory: it finds a page
 * mapped twice or a block freed while mapped, and its self-test passes.
 */
#include "check.h"
#include "tests/host/vm_space.h"
#include "vm/sanity.h"

static uint32_t count_pages(struct vmproc *vmp, uint32_t *tables)
{
	uint32_t n = 0;

	*tables = 0;
	for (vir_bytes va = 0; va < USER_LIMIT; va += BIGPAGE_SIZE) {
		if (!pt_has_table(vmp->pgdir, va))
			continue;
		(*tables)++;
		for (vir_bytes p = va; p < va + BIGPAGE_SIZE; p += PG)
			n += user_ptr(vmp, p) != NULL;
	}
	return n;
}

TEST(vm_space, sanity_check_finds_overlaps)
{
	struct vmproc *a, *b;
	uint32_t ta, tb, fa, fb, *pde_a, *pde_b, saved, *pte;
	struct phys_block *pb;
	phys_bytes frame;

	boot_vm();
	add_module("utest", 0);
	add_module("utest role=server", 0);
	CHECK_EQ(boot_start_programs(&ki), 2);
	a = vmproc_lookup(k.np[0].endpoint);
	b = vmproc_lookup(k.np[1].endpoint);
	fa = count_pages(a, &ta);
	fb = count_pages(b, &tb);
	/* Directories, tables, and each present page's block once. */
	CHECK_EQ(sanity_check_all(), 2 + ta + tb + fa + fb);

	/* Two directories sharing a page table. */
	pde_a = &((uint32_t *)phys_ptr(a->pgdir))[PDE_INDEX(0x08048000)];
	pde_b = &((uint32_t *)phys_ptr(b->pgdir))[PDE_INDEX(0x40000000)];
	*pde_b = *pde_a;
	check_all_panics("used twice: as page table of utest");
	*pde_b = 0;

	/* A frame of a mapped in b, outside b's regions. */
	CHECK(pt_lookup(a->pgdir, 0x08049000, &saved) == OK);
	CHECK_EQ(pt_map(b->pgdir, 0x40000000, saved & PTE_FRAME, PTE_U), OK);
	check_all_panics("maps 0x40000000 outside its regions");
	CHECK_EQ_U(pt_unmap(b->pgdir, 0x40000000), saved & PTE_FRAME);
	CHECK_EQ(sanity_check_all(), 3 + ta + tb + fa + fb);	/* b's table */

	/* A block counting a reference nobody holds, and a writable
	 * mapping of a block that is shared copy-on-write. */
	pb = *region_slot(region_lookup(&a->regions, 0x08049000), 0x08049000);
	CHECK_EQ(pb_ref(pb), OK);
	check_all_panics("shared copy-on-write (2 references)");
	*pte_of(a, 0x08049000) &= ~(uint32_t)PTE_W;
	check_all_panics("has 2 references, 1 found");
	pb_unref(pb);
	*pte_of(a, 0x08049000) |= PTE_W;

	/* A present entry naming a free frame (then taken back: the
	 * allocator hands out the lowest free frame first). */
	pte = pte_of(a, USER_STACK_TOP - PG);
	CHECK(pte != NULL && (*pte & PTE_P));
	frame = *pte & PTE_FRAME;
	frame_free(frame);
	check_all_panics("which is free in pmem");
	CHECK_EQ_U(frame_alloc_dirty(PMEM_USER), frame);

	/* A page table that is free. */
	frame = *pde_a & PTE_FRAME;
	frame_free(frame);
	check_all_panics("free in pmem but used as page table of "
		"utest");
	CHECK_EQ_U(frame_alloc_dirty(PMEM_PT), frame);
	CHECK_EQ(sanity_check_all(), 3 + ta + tb + fa + fb);
	/* Outside a check, marks are not kept. */
	sanity_mark(frame, 1, "late");
	CHECK_EQ(sanity_check_all(), 3 + ta + tb + fa + fb);
	exit_proc(a);
	exit_and_check(b);
	drain_exit_queue();
}

/* The sanity build's start-up self-test, on host memory: it must pass
 * and give back every slab page. */
TEST(vm_space, sanity_selftest_passes)
{
	unsigned before = host_self_pages;	/* the check's map stays */

	sanity_selftest(0);
	CHECK_EQ(host_self_pages, before);
}
