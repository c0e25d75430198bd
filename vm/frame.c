/*
 * VM's physical frames: the global page allocator over kinfo's free
 * memory, zeroing every frame it hands out; and the frame window, through
 * which VM reaches the frames above its direct map.
 *
 * The window is one page table of VM's own, at VM_WINDOW_BASE. Mapping a
 * frame takes the next empty slot: one entry written, no invalidation, as
 * a TLB never holds an entry that was not present. When the slots are all
 * used, the table is cleared and the whole window invalidated at once (a
 * CR3 reload in the kernel), so a round of 1024 mappings costs one kernel
 * call. VM is single-threaded and only VM's space has the window, so no
 * one else can see a stale slot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm/frame.h"
#include "vm/arch/i386/page.h"
#include "vm/cache.h"
#include "vm/layout.h"
#include "vm/pt.h"
#include "vm/sanity.h"
#include "vm/self.h"
#include "vm/zeropool.h"
#include "cairn/errno.h"
#include "cairn/syslib.h"

uintptr_t phys_base = VM_PHYS_BASE;
phys_bytes phys_direct_end = 0xffffffffu;

static uint32_t *window_pt;	/* NULL while all memory is direct */
static uint32_t window_next;	/* slots below it are taken this round */
static uint32_t window_maps, window_rounds;

static struct pmem pmem;	/* 56 KiB of bitmap: static, never malloc'd */

/* Frames zeroed ahead of need (zeropool.h), and what became of them. */
static struct zeropool pool;
static struct frame_pool_stats pool_stats;
static int pool_armed;	/* the kernel will say when VM's CPU idles */
static phys_bytes mem_top;
#define TOP_MAX		0xfffff000u

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

/* The window's page table, taken now so that a fault never waits for
 * it and VM's free page count does not move on first use. */
static void window_init(phys_bytes top)
{
	int err = pt_table(self_pgdir(), VM_WINDOW_BASE, &window_pt);

	if (err != OK)
		panic("vm: no page table for the frame window: %d", err);
	window_next = 0;
	printf("vm: frames 0x%x-0x%x through a window of %u slots at 0x%x\n",
		phys_direct_end, top, FRAME_WINDOW_SLOTS, VM_WINDOW_BASE);
}

/* Makes n slots free: a used-up round is cleared and invalidated. */
static void window_room(uint32_t n)
{
	int r;

	if (window_next + n <= FRAME_WINDOW_SLOTS)
		return;
	arch_zero_words(window_pt, FRAME_WINDOW_SLOTS * sizeof *window_pt);
	r = vmctl_invlpg(SELF, VM_WINDOW_BASE, FRAME_WINDOW_SLOTS);
	if (r != OK)
		panic("vm: invalidating the frame window: %d", r);
	window_next = 0;
	window_rounds++;
}

/* pa's page in the next slot; window_room made sure there is one. */
static void *window_slot(phys_bytes pa)
{
	uint32_t slot = window_next++;

	window_pt[slot] = (pa & PTE_FRAME) | PTE_P | PTE_W | PTE_U;
	window_maps++;
	return (uint8_t *)(uintptr_t)(VM_WINDOW_BASE + slot * VM_PAGE_SIZE) +
		(pa & VM_PAGE_MASK);
}

void *frame_map_window(phys_bytes pa)
{
	if (window_pt == NULL)
		panic("vm: frame 0x%x is above the direct map, and there is "
			"no window", pa);
	window_room(1);
	return window_slot(pa);
}

void frame_zero(phys_bytes pa, uint32_t npages)
{
	/* Contiguous direct frames at once: the direct map is one run. */
	if (pa < phys_direct_end &&
	    (uint64_t)npages * VM_PAGE_SIZE <= phys_direct_end - pa) {
		arch_zero_words(phys_ptr(pa), (size_t)npages * VM_PAGE_SIZE);
		return;
	}
	for (uint32_t i = 0; i < npages; i++)
		arch_zero_words(frame_map(pa + i * VM_PAGE_SIZE),
			VM_PAGE_SIZE);
}

void frame_copy_window(phys_bytes dst, phys_bytes src)
{
	void *d, *s;

	if (window_pt == NULL)
		panic("vm: copying frame 0x%x to 0x%x: above the direct map, "
			"and there is no window", src, dst);
	window_room(2);	/* both slots in one round */
	d = frame_map(dst);
	s = frame_map(src);
	arch_copy_words(d, s, VM_PAGE_SIZE);
}

void frame_window_stats(uint32_t *maps, uint32_t *rounds)
{
	*maps = window_maps;
	*rounds = window_rounds;
}

void frame_init(const struct kinfo *ki)
{
	struct pmem_stats st;

	pmem_init(&pmem, ki->mapped_end, PMEM_RESERVE_DEFAULT);
	zeropool_init(&pool, FRAME_POOL_TARGET);
	pool_armed = 0;
	pool_stats = (struct frame_pool_stats){ 0 };
	ram_count = 0;
	mem_top = ki->mapped_end;
	for (uint32_t i = 0; i < ki->mem_count && i < KINFO_MAX_MEM; i++) {
		uint64_t end = ki->mem[i].base + ki->mem[i].len;

		pmem_add(&pmem, ki->mem[i].base, ki->mem[i].len);
		ram_add(ki->mem[i].base, ki->mem[i].len);
		/* The last page below 4 GiB ends past what phys_bytes holds. */
		if (end > TOP_MAX)
			end = TOP_MAX;
		if (end > mem_top)
			mem_top = (phys_bytes)end;
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
	if (mem_top > phys_direct_end)
		window_init(mem_top);
	if (st.low_free == 0)
		panic("vm: no free memory below mapped_end 0x%x for page "
			"tables", ki->mapped_end);
	if (st.low_free <= st.reserve)
		printf("vm: only %u pages for page tables: few processes "
			"fit\n", st.low_free);
}

/* Where page tables must live: pmem's low zone (0: anywhere). */
static phys_bytes low_limit(void)
{
	return (phys_bytes)pmem.low_words * 32u * PMEM_PAGE;
}

/* A pool frame fit for use, or 0. The sanity build checks it is still
 * zero: a frame handed out with someone's data in it is a leak. */
static phys_bytes pool_take(enum pmem_use use)
{
	phys_bytes pa = zeropool_take(&pool, use == PMEM_PT ? low_limit() : 0);

	if (SANITY_BUILD && pa != 0) {
		const uint32_t *w = frame_map(pa);

		for (uint32_t i = 0; i < VM_PAGE_SIZE / sizeof *w; i++)
			if (w[i] != 0)
				panic("vm: sanity: pool frame 0x%x is not zero "
					"at +0x%x", pa, i * 4);
	}
	return pa;
}

phys_bytes frame_alloc_dirty(enum pmem_use use)
{
	phys_bytes pa = pmem_alloc(&pmem, use);

	/* Memory is short: the pool's frames are free memory lent to the
	 * pool, and go first; then cached blocks, memory nobody needs
	 * right now. */
	if (pa == 0 && (pa = pool_take(use)) != 0)
		pool_stats.given++;
	if (pa == 0 && use == PMEM_USER && cache_reclaim(1) > 0)
		pa = pmem_alloc(&pmem, use);
	return pa;
}

phys_bytes frame_alloc(enum pmem_use use)
{
	phys_bytes pa;

	/* The fault's case first: any pool frame will do. */
	if (use == PMEM_USER && pool.n > 0 && !SANITY_BUILD) {
		pool_stats.taken++;
		return pool.frame[--pool.n];
	}
	if ((pa = pool_take(use)) != 0) {
		pool_stats.taken++;
		return pa;
	}
	pool_stats.empty++;
	pa = frame_alloc_dirty(use);
	if (pa != 0)
		arch_zero_words(frame_map(pa), VM_PAGE_SIZE);
	return pa;
}

phys_bytes frame_alloc_run(uint32_t npages, uint32_t align, phys_bytes limit)
{
	phys_bytes pa = pmem_alloc_run(&pmem, npages, align, limit);

	/* The pool's frames may be what breaks a run up. */
	if (pa == 0 && frame_pool_drain() > 0)
		pa = pmem_alloc_run(&pmem, npages, align, limit);
	if (pa == 0 && cache_reclaim(npages) > 0)
		pa = pmem_alloc_run(&pmem, npages, align, limit);
	if (pa != 0)
		frame_zero(pa, npages);
	return pa;
}

uint32_t frame_pool_fill(uint32_t max)
{
	uint32_t n = 0;

	/* Only frames pmem gives without pressure: never the block
	 * cache's, never the low zone's reserve. */
	while (n < max && zeropool_missing(&pool) > 0) {
		phys_bytes pa = pmem_alloc(&pmem, PMEM_USER);

		if (pa == 0)
			break;
		arch_zero_words(frame_map(pa), VM_PAGE_SIZE);
		zeropool_put(&pool, pa);
		n++;
	}
	pool_stats.zeroed += n;
	return n;
}

uint32_t frame_pool_drain(void)
{
	uint32_t n = 0;
	phys_bytes pa;

	while ((pa = zeropool_take(&pool, 0)) != 0) {
		frame_free(pa);
		n++;
	}
	pool_stats.given += n;
	return n;
}

int frame_pool_want_idle(void)
{
	if (pool_armed || zeropool_missing(&pool) == 0)
		return 0;
	pool_armed = 1;
	return 1;
}

void frame_pool_idle_lost(void)
{
	pool_armed = 0;
}

uint32_t frame_pool_idle(void)
{
	pool_armed = 0;
	return frame_pool_fill(FRAME_POOL_BATCH);
}

void frame_pool_stats(struct frame_pool_stats *st)
{
	*st = pool_stats;
	st->pooled = pool.n;
	st->target = pool.target;
}

void frame_pool_walk(void (*fn)(phys_bytes pa))
{
	for (uint32_t i = 0; i < pool.n; i++)
		fn(pool.frame[i]);
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
	/* The pool's frames are free memory to anyone who asks. */
	pmem_stats(&pmem, st);
	st->free += pool.n;
	st->low_free += zeropool_count_below(&pool, low_limit());
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
