/*
 * VM's physical page allocator: one bit per page of the memory the
 * kernel hands over in kinfo, split into a low zone (below the kernel's
 * mapped_end, where page directories and page tables must live) and the
 * rest. Portable: also built and tested on the host.
 */
#ifndef CAIRN_VM_PMEM_H
#define CAIRN_VM_PMEM_H

#include <stdint.h>
#include "cairn/types.h"

#define PMEM_PAGE	4096u

/* Every page below 4 GiB can be managed (a 128 KiB bitmap); memory above
 * it needs PAE and is not. VM reaches a frame through its direct map or,
 * above that, through its frame window (frame.c). */
#define PMEM_LIMIT	0x100000000ull
#define PMEM_MAX_PAGES	0x100000u
#define PMEM_MAP_WORDS	(PMEM_MAX_PAGES / 32)

/* Low pages kept back from ordinary allocations so that a page table can
 * still be had when a fault needs one. */
#define PMEM_RESERVE_DEFAULT	16

/* What a page is for: decides the zone it may come from. */
enum pmem_use {
	PMEM_USER,	/* any page; the low zone only above its reserve */
	PMEM_PT,	/* low zone only, reserve included */
};

enum pmem_zone { PMEM_LOW, PMEM_HIGH, PMEM_ZONES };

struct pmem {
	uint32_t map[PMEM_MAP_WORDS];	/* bit set: the page is free */
	uint32_t low_words;	/* words [0, low_words) are the low zone */
	uint32_t hint[PMEM_ZONES];	/* zone has no free bit below */
	uint32_t free[PMEM_ZONES];	/* free pages per zone */
	uint32_t total;		/* pages ever added */
	uint32_t reserve;	/* low pages only page tables may take */
};

struct pmem_stats {
	uint32_t total;		/* pages managed */
	uint32_t free;		/* of which free */
	uint32_t low_free;	/* free below the low boundary */
	uint32_t reserve;
};

/* Starts an empty allocator. low_end: pages below it are the low zone
 * (rounded down to a multiple of 32 pages, which is only ever safe). */
void pmem_init(struct pmem *pm, phys_bytes low_end, uint32_t reserve);

/* Adds the whole pages inside [base, base+len) as free, clipped to
 * PMEM_LIMIT; page 0 is never managed (0 means "no page"). Returns how
 * many pages became free (pages already free are not counted twice). */
uint32_t pmem_add(struct pmem *pm, uint64_t base, uint64_t len);

/* Takes [base, base+len) (whole pages, grown outwards) away from the free
 * pages, whatever their state. Returns how many free pages it took. */
uint32_t pmem_take(struct pmem *pm, uint64_t base, uint64_t len);

/* One page for the given use, or 0 when none is left. Not zeroed. */
phys_bytes pmem_alloc(struct pmem *pm, enum pmem_use use);

/* npages physically contiguous pages starting at a multiple of align
 * pages (a power of two, 0 or 1 for none) and ending at or below limit
 * (0: anywhere). Never takes the low zone's reserve. 0 when none. */
phys_bytes pmem_alloc_run(struct pmem *pm, uint32_t npages, uint32_t align,
	phys_bytes limit);

/* Gives back npages pages from pa. EINVAL, and nothing freed, if pa is
 * not page-aligned or any page is outside the managed range or already
 * free: the caller has a broken invariant. */
int pmem_free(struct pmem *pm, phys_bytes pa, uint32_t npages);

/* 1 if the page holding pa is free. */
int pmem_is_free(const struct pmem *pm, phys_bytes pa);

void pmem_stats(const struct pmem *pm, struct pmem_stats *st);

/* Recounts the bitmap against the counters and hints: 0 when they agree,
 * else a negative code saying which promise is broken. For tests and the
 * sanity-check build. */
int pmem_check(const struct pmem *pm);

#endif /* CAIRN_VM_PMEM_H */
