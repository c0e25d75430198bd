/*
 * In-guest tests of TLB invalidation: after a page's translation changes,
 * INVLPG (and a CR3 reload) must make the CPU see the new frame.
 */
#include "kernel/ktest.h"
#include "kernel/kernel.h"
#include "kernel/arch.h"
#include "bench/kern/tlb_area.h"

/* Points page 0 at page 1's frame; returns what a load then sees after
 * `invalidate` ran. Page i's first word holds a known pattern. */
static uint32_t remap_and_read(void (*invalidate)(void))
{
	volatile uint32_t *p0 = tlb_area_page(0);
	uint32_t *pte0 = tlb_area_pte(0), *pte1 = tlb_area_pte(1);
	uint32_t saved = *pte0;

	p0[0] = 0xaaaa0000;
	tlb_area_page(1)[0] = 0xbbbb1111;
	(void)p0[0];			/* the translation is cached now */
	*pte0 = *pte1;
	invalidate();
	uint32_t seen = p0[0];
	*pte0 = saved;
	tlb_invlpg((vir_bytes)p0);
	return seen;
}

static void do_invlpg(void)
{
	tlb_invlpg((vir_bytes)tlb_area_page(0));
}

KTEST(tlb_invalidate)
{
	if (tlb_area_setup() != 0) {
		ktest_result("tlb.setup", 0, "no memory for the page area");
		return;
	}
	uint32_t v = remap_and_read(do_invlpg);
	ktest_result("tlb.invlpg", v == 0xbbbb1111,
		"after INVLPG page 0 reads 0x%08x", v);
	v = remap_and_read(tlb_flush_nonglobal);
	ktest_result("tlb.cr3_reload", v == 0xbbbb1111,
		"after a CR3 reload page 0 reads 0x%08x", v);
}
