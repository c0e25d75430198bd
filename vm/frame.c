/*
 * VM's physical frames: the global page allocator over kinfo's free
 * memory, zeroing every frame it hands out through the direct map.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm/frame.h"
#include "vm/layout.h"
#include "cairn/errno.h"

uintptr_t phys_base = VM_PHYS_BASE;

static struct pmem pmem;	/* 56 KiB of bitmap: static, never malloc'd */
static phys_bytes mem_top;

void frame_init(const struct kinfo *ki)
{
	struct pmem_stats st;

	pmem_init(&pmem, ki->mapped_end, PMEM_RESERVE_DEFAULT);
	mem_top = ki->mapped_end < PMEM_LIMIT ? ki->mapped_end : PMEM_LIMIT;
	for (uint32_t i = 0; i < ki->mem_count && i < KINFO_MAX_MEM; i++) {
		uint64_t end = ki->mem[i].base + ki->mem[i].len;

		pmem_add(&pmem, ki->mem[i].base, ki->mem[i].len);
		if (end > mem_top)
			mem_top = end < PMEM_LIMIT ? (phys_bytes)end
						   : PMEM_LIMIT;
	}
	/* The modules are VM's to read while it starts the boot programs;
	 * they are kept out of free memory already, and this makes sure. */
	for (uint32_t i = 0; i < ki->mod_count && i < KINFO_MAX_MODS; i++)
		pmem_take(&pmem, ki->mods[i].start,
			ki->mods[i].end - ki->mods[i].start);
	pmem_stats(&pmem, &st);
	printf("vm: %u KiB free memory, %u KiB of it below 0x%x for page "
		"tables\n", st.free * 4, st.low_free * 4, ki->mapped_end);
	if (st.low_free == 0)
		panic("vm: no free memory below mapped_end 0x%x for page "
			"tables", ki->mapped_end);
	if (st.low_free <= st.reserve)
		printf("vm: only %u pages for page tables: few processes "
			"fit\n", st.low_free);
}

phys_bytes frame_alloc(enum pmem_use use)
{
	phys_bytes pa = pmem_alloc(&pmem, use);

	if (pa != 0)
		memset(phys_ptr(pa), 0, VM_PAGE_SIZE);
	return pa;
}

void frame_free(phys_bytes pa)
{
	if (pmem_free(&pmem, pa, 1) != OK)
		panic("vm: freeing frame 0x%x that is not allocated", pa);
}

void frame_stats(struct pmem_stats *st)
{
	pmem_stats(&pmem, st);
}

int frame_is_free(phys_bytes pa)
{
	return pmem_is_free(&pmem, pa);
}

phys_bytes frame_top(void)
{
	return mem_top;
}

int frame_check(void)
{
	return pmem_check(&pmem);
}
