/*
 * TLB benchmarks: invalidating one page with INVLPG against reloading CR3,
 * and the cost of touching N pages afterwards (each touch refills one TLB
 * entry), against touching them with the TLB warm. The pages are ordinary
 * 4 KiB, non-global kernel mappings in BENCH_AREA, each on its own frame.
 */
#include "bench/kern/bench.h"
#include "bench/kern/tlb_area.h"
#include "kernel/kernel.h"
#include "kernel/bootmem.h"
#include "kernel/arch.h"

#define TLB_MAX_PAGES	512

static uint32_t bench_pt[1024] __attribute__((aligned(PAGE_SIZE)));
static int area_ready;

/* Spread the touched words over cache sets, so the data cache does not
 * turn N touches into N conflicts on one set. */
static inline volatile uint32_t *page_word(uint32_t i)
{
	return (volatile uint32_t *)(BENCH_AREA + i * PAGE_SIZE +
		(i % 64) * 64);
}

volatile uint32_t *tlb_area_page(uint32_t i)
{
	return (volatile uint32_t *)(BENCH_AREA + i * PAGE_SIZE);
}

uint32_t *tlb_area_pte(uint32_t i)
{
	return &bench_pt[i];
}

int tlb_area_setup(void)
{
	if (area_ready)
		return 0;
	phys_bytes frames = bootmem_take(TLB_MAX_PAGES * PAGE_SIZE, PAGE_SIZE);
	if (!frames)
		return -1;
	for (uint32_t i = 0; i < TLB_MAX_PAGES; i++)
		bench_pt[i] = (frames + i * PAGE_SIZE) | PTE_P | PTE_W;
	paging_set_page_table(BENCH_AREA, kvtophys(bench_pt), PTE_W);
	for (uint32_t i = 0; i < TLB_MAX_PAGES; i++)
		*page_word(i) = i;
	area_ready = 1;
	return 0;
}

static void prepare(const struct bench *b)
{
	(void)b;
	if (tlb_area_setup() != 0)
		panic("tlb bench: no %u pages of free memory", TLB_MAX_PAGES);
}

static inline void touch(uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		(void)*page_word(i);
}

static uint64_t invlpg_touch(const struct bench *b)
{
	uint64_t t0 = bench_begin();

	for (uint32_t r = 0; r < b->batch; r++) {
		for (uint32_t i = 0; i < b->arg; i++)
			tlb_invlpg((vir_bytes)page_word(i));
		touch(b->arg);
	}
	return bench_end() - t0;
}

static uint64_t cr3_touch(const struct bench *b)
{
	uint64_t t0 = bench_begin();

	for (uint32_t r = 0; r < b->batch; r++) {
		tlb_flush_nonglobal();
		touch(b->arg);
	}
	return bench_end() - t0;
}

static uint64_t warm_touch(const struct bench *b)
{
	touch(b->arg);
	uint64_t t0 = bench_begin();

	for (uint32_t r = 0; r < b->batch; r++)
		touch(b->arg);
	return bench_end() - t0;
}

#define TLB_BENCH(var, metric, what, fn, n, b) \
	BENCH(var) = { metric, "tsc", what, b, n, prepare, fn }

TLB_BENCH(invlpg_1, "tlb.invlpg", "INVLPG of one page, then one load "
	"from it (one TLB refill)", invlpg_touch, 1, 64);
TLB_BENCH(cr3_1, "tlb.cr3_reload", "CR3 reload (all non-global entries "
	"gone), then one load from one page", cr3_touch, 1, 64);

TLB_BENCH(inv_8, "tlb.refill_invlpg.8", "INVLPG of 8 pages, then one load "
	"from each", invlpg_touch, 8, 16);
TLB_BENCH(inv_64, "tlb.refill_invlpg.64", "INVLPG of 64 pages, then one "
	"load from each", invlpg_touch, 64, 4);
TLB_BENCH(inv_512, "tlb.refill_invlpg.512", "INVLPG of 512 pages, then one "
	"load from each", invlpg_touch, 512, 1);

TLB_BENCH(cr3_8, "tlb.refill_cr3.8", "CR3 reload, then one load from each "
	"of 8 pages", cr3_touch, 8, 16);
TLB_BENCH(cr3_64, "tlb.refill_cr3.64", "CR3 reload, then one load from "
	"each of 64 pages", cr3_touch, 64, 4);
TLB_BENCH(cr3_512, "tlb.refill_cr3.512", "CR3 reload, then one load from "
	"each of 512 pages", cr3_touch, 512, 1);

TLB_BENCH(warm_1, "tlb.warm.1", "one load from one page, TLB warm "
	"(baseline)", warm_touch, 1, 64);
TLB_BENCH(warm_8, "tlb.warm.8", "one load from each of 8 pages, TLB warm "
	"(baseline)", warm_touch, 8, 16);
TLB_BENCH(warm_64, "tlb.warm.64", "one load from each of 64 pages, TLB "
	"warm (baseline)", warm_touch, 64, 4);
TLB_BENCH(warm_512, "tlb.warm.512", "one load from each of 512 pages, TLB "
	"warm (baseline)", warm_touch, 512, 1);
