/*
 * VM's physical frames: the global page allocator over kinfo's free
 * memory, zeroing every frame it hands out through the direct map.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm/frame.h"
#include "vm/arch/i386/page.h"
#include "vm/cache.h"
#include "vm/layout.h"
#include "cairn/errno.h"

uintptr_t phys_base = VM_PHYS_BASE;

static struct pmem pmem;	/* 56 KiB of bitmap: static, never malloc'd */
static phys_bytes mem_top;

/* For frame_range_is_ram: all RAM the loader listed (kinfo.ram, which
 * holds the kernel, the modules and the first MiB too), the kernel's image
 * and the modules, whatever the list says. */
#define RAM_MAX	(2 * KINFO_MAX_MEM + 1 + KINFO_MAX_MODS)
static struct kinfo_mem ram[RAM_MAX];
static uint32_t ram_count;

static void ram_add(uint64_t base, uint64_t len)
{
	if (len != 0 && ram_count < RAM_MAX)
		ram[ram_count++] = (struct kinfo_mem){ base, len };
}

void frame_init(const struct kinfo *ki)
{
	struct pmem_stats st;

	pmem_init(&pmem, ki->mapped_end, PMEM_RESERVE_DEFAULT);
	ram_count = 0;
	mem_top = ki->mapped_end < PMEM_LIMIT ? ki->mapped_end : PMEM_LIMIT;
	for (uint32_t i = 0; i < ki->mem_count && i < KINFO_MAX_MEM; i++) {
		uint64_t end = ki->mem[i].base + ki->mem[i].len;

		pmem_add(&pmem, ki->mem[i].base, ki->mem[i].len);
		ram_add(ki->mem[i].base, ki->mem[i].len);
		if (end > mem_top)
			mem_top = end < PMEM_LIMIT ? (phys_bytes)end
						   : PMEM_LIMIT;
	}
	for (uint32_t i = 0; i < ki->ram_count && i < KINFO_MAX_MEM; i++)
		ram_add(ki->ram[i].base, ki->ram[i].len);
	ram_add(ki->kern_phys_start, ki->kern_phys_end > ki->kern_phys_start ?
		ki->kern_phys_end - ki->kern_phys_start : 0);
	/* The modules are VM's to read while it starts the boot programs;
	 * they are kept out of free memory already, and this makes sure. */
	for (uint32_t i = 0; i < ki->mod_count && i < KINFO_MAX_MODS; i++) {
		pmem_take(&pmem, ki->mods[i].start,
			ki->mods[i].end - ki->mods[i].start);
		ram_add(ki->mods[i].start, ki->mods[i].end > ki->mods[i].start ?
			ki->mods[i].end - ki->mods[i].start : 0);
	}
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

phys_bytes frame_alloc_dirty(enum pmem_use use)
{
	phys_bytes pa = pmem_alloc(&pmem, use);

	/* Cached blocks are memory nobody needs right now. */
	if (pa == 0 && use == PMEM_USER && cache_reclaim(1) > 0)
		pa = pmem_alloc(&pmem, use);
	return pa;
}

phys_bytes frame_alloc(enum pmem_use use)
{
	phys_bytes pa = frame_alloc_dirty(use);

	if (pa != 0)
		arch_zero_words(phys_ptr(pa), VM_PAGE_SIZE);
	return pa;
}

phys_bytes frame_alloc_run(uint32_t npages, uint32_t align, phys_bytes limit)
{
	phys_bytes pa = pmem_alloc_run(&pmem, npages, align, limit);

	if (pa == 0 && cache_reclaim(npages) > 0)
		pa = pmem_alloc_run(&pmem, npages, align, limit);
	if (pa != 0)
		arch_zero_words(phys_ptr(pa), (size_t)npages * VM_PAGE_SIZE);
	return pa;
}

int frame_range_is_ram(phys_bytes pa, uint32_t len)
{
	uint64_t end = (uint64_t)pa + len;

	for (uint32_t i = 0; i < ram_count; i++)
		if (pa < ram[i].base + ram[i].len && ram[i].base < end)
			return 1;
	return 0;
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
