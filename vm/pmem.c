/*
 * The physical page allocator: a bitmap of free pages with, per zone, a
 * count and a hint below which no page is free, so that single pages come
 * from the first non-empty word and allocation stays at the low end.
 */
#include "vm/pmem.h"
#include "cairn/errno.h"

#define WORD_ALL	0xffffffffu

static enum pmem_zone zone_of_word(const struct pmem *pm, uint32_t w)
{
	return w < pm->low_words ? PMEM_LOW : PMEM_HIGH;
}

static enum pmem_zone zone_of_page(const struct pmem *pm, uint32_t pg)
{
	return zone_of_word(pm, pg / 32);
}

static int page_free(const struct pmem *pm, uint32_t pg)
{
	return (pm->map[pg / 32] >> (pg % 32)) & 1;
}

/* Not __builtin_popcount: on i686 that is a libgcc call. */
static uint32_t bits_set(uint32_t x)
{
	uint32_t n = 0;

	for (; x != 0; x &= x - 1)
		n++;
	return n;
}

static inline __attribute__((always_inline)) void mark_free(
	struct pmem *pm, uint32_t pg)
{
	enum pmem_zone z = zone_of_page(pm, pg);
	uint32_t w = pg / 32;

	pm->map[w] |= 1u << (pg % 32);
	pm->free[z]++;
	if (w < pm->hint[z])
		pm->hint[z] = w;
}

static void mark_used(struct pmem *pm, uint32_t pg)
{
	pm->map[pg / 32] &= ~(1u << (pg % 32));
	pm->free[zone_of_page(pm, pg)]--;
}

void pmem_init(struct pmem *pm, phys_bytes low_end, uint32_t reserve)
{
	uint32_t low_words = low_end / PMEM_PAGE / 32;

	for (uint32_t i = 0; i < PMEM_MAP_WORDS; i++)
		pm->map[i] = 0;
	pm->low_words = low_words < PMEM_MAP_WORDS ? low_words
						   : PMEM_MAP_WORDS;
	pm->hint[PMEM_LOW] = 0;
	pm->hint[PMEM_HIGH] = pm->low_words;
	pm->free[PMEM_LOW] = pm->free[PMEM_HIGH] = 0;
	pm->total = 0;
	pm->reserve = reserve;
}

/* The pages wholly inside [base, base+len) and below PMEM_LIMIT, as a
 * page range [*first, *end); 0 if there are none. */
static int clip_inner(uint64_t base, uint64_t len, uint32_t *first,
	uint32_t *end)
{
	uint64_t lo = (base + PMEM_PAGE - 1) / PMEM_PAGE;
	uint64_t hi = base + len < base ? UINT64_MAX / PMEM_PAGE
					: (base + len) / PMEM_PAGE;

	if (hi > PMEM_MAX_PAGES)
		hi = PMEM_MAX_PAGES;
	if (lo < 1)
		lo = 1;
	if (lo >= hi)
		return 0;
	*first = (uint32_t)lo;
	*end = (uint32_t)hi;
	return 1;
}

uint32_t pmem_add(struct pmem *pm, uint64_t base, uint64_t len)
{
	uint32_t first, end, added = 0;

	if (!clip_inner(base, len, &first, &end))
		return 0;
	for (uint32_t pg = first; pg < end; pg++) {
		if (page_free(pm, pg))
			continue;
		mark_free(pm, pg);
		added++;
	}
	pm->total += added;
	return added;
}

uint32_t pmem_take(struct pmem *pm, uint64_t base, uint64_t len)
{
	uint64_t lo = base / PMEM_PAGE;
	uint64_t hi = base + len < base ? PMEM_MAX_PAGES
		: (base + len + PMEM_PAGE - 1) / PMEM_PAGE;
	uint32_t taken = 0;

	if (hi > PMEM_MAX_PAGES)
		hi = PMEM_MAX_PAGES;
	for (uint64_t pg = lo; pg < hi; pg++) {
		if (!page_free(pm, (uint32_t)pg))
			continue;
		mark_used(pm, (uint32_t)pg);
		taken++;
	}
	pm->total -= taken;
	return taken;
}

/* The first free page of a zone, taken; 0 if the zone is empty. Inline:
 * it is most of a page fault's allocation. */
static inline __attribute__((always_inline)) phys_bytes
alloc_from(struct pmem *pm, enum pmem_zone z)
{
	uint32_t end = z == PMEM_LOW ? pm->low_words : PMEM_MAP_WORDS;

	if (pm->free[z] == 0)
		return 0;
	for (uint32_t w = pm->hint[z]; w < end; w++) {
		if (pm->map[w] == 0)
			continue;
		uint32_t pg = w * 32 + (uint32_t)__builtin_ctz(pm->map[w]);

		pm->hint[z] = w;
		mark_used(pm, pg);
		return pg * PMEM_PAGE;
	}
	return 0;	/* unreachable while free[z] is right */
}

phys_bytes pmem_alloc(struct pmem *pm, enum pmem_use use)
{
	phys_bytes pa;

	if (use == PMEM_PT)
		return alloc_from(pm, PMEM_LOW);
	/* Ordinary pages come from high memory first: low pages are what
	 * page tables need. */
	pa = alloc_from(pm, PMEM_HIGH);
	if (pa == 0 && pm->free[PMEM_LOW] > pm->reserve)
		pa = alloc_from(pm, PMEM_LOW);
	return pa;
}

/* 1 if all of [pg, pg+n) is free. */
static int run_free(const struct pmem *pm, uint32_t pg, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		uint32_t p = pg + i;

		/* Whole free words go by at once. */
		if (p % 32 == 0 && n - i >= 32 && pm->map[p / 32] == WORD_ALL) {
			i += 31;
			continue;
		}
		if (!page_free(pm, p))
			return 0;
	}
	return 1;
}

static uint32_t low_pages_in(const struct pmem *pm, uint32_t pg, uint32_t n)
{
	uint32_t low_end = pm->low_words * 32;

	if (pg >= low_end)
		return 0;
	return pg + n <= low_end ? n : low_end - pg;
}

phys_bytes pmem_alloc_run(struct pmem *pm, uint32_t npages, uint32_t align,
	phys_bytes limit)
{
	uint32_t end = limit == 0 || limit / PMEM_PAGE > PMEM_MAX_PAGES
		? PMEM_MAX_PAGES : limit / PMEM_PAGE;

	if (align == 0)
		align = 1;
	if (npages == 0 || (align & (align - 1)) != 0 || npages > end)
		return 0;
	for (uint32_t pg = align; pg <= end - npages; pg += align) {
		if (!run_free(pm, pg, npages))
			continue;
		uint32_t low = low_pages_in(pm, pg, npages);

		if (low > 0 && pm->free[PMEM_LOW] < pm->reserve + low)
			continue;
		for (uint32_t i = 0; i < npages; i++)
			mark_used(pm, pg + i);
		return pg * PMEM_PAGE;
	}
	return 0;
}

/* Any run of pages: all checked before any is freed. */
static __attribute__((noinline)) int free_run(struct pmem *pm, uint32_t first,
	uint32_t npages)
{
	for (uint32_t i = 0; i < npages; i++)
		if (page_free(pm, first + i))
			return EINVAL;
	for (uint32_t i = 0; i < npages; i++)
		mark_free(pm, first + i);
	return OK;
}

int pmem_free(struct pmem *pm, phys_bytes pa, uint32_t npages)
{
	uint32_t first = pa / PMEM_PAGE;

	if (pa % PMEM_PAGE != 0 || first == 0 || first >= PMEM_MAX_PAGES ||
	    npages > PMEM_MAX_PAGES - first)
		return EINVAL;
	/* One page, the common case (a block's last reference). */
	if (npages == 1) {
		if (page_free(pm, first))
			return EINVAL;
		mark_free(pm, first);
		return OK;
	}
	return free_run(pm, first, npages);
}

int pmem_is_free(const struct pmem *pm, phys_bytes pa)
{
	uint32_t pg = pa / PMEM_PAGE;

	return pg < PMEM_MAX_PAGES && page_free(pm, pg);
}

void pmem_stats(const struct pmem *pm, struct pmem_stats *st)
{
	st->total = pm->total;
	st->free = pm->free[PMEM_LOW] + pm->free[PMEM_HIGH];
	st->low_free = pm->free[PMEM_LOW];
	st->reserve = pm->reserve;
}

int pmem_check(const struct pmem *pm)
{
	uint32_t count[PMEM_ZONES] = { 0, 0 };

	if (pm->map[0] & 1)
		return -1;	/* page 0 is never free */
	for (uint32_t w = 0; w < PMEM_MAP_WORDS; w++) {
		enum pmem_zone z = zone_of_word(pm, w);

		if (pm->map[w] != 0 && w < pm->hint[z])
			return -2;	/* a free page below the hint */
		count[z] += bits_set(pm->map[w]);
	}
	if (count[PMEM_LOW] != pm->free[PMEM_LOW] ||
	    count[PMEM_HIGH] != pm->free[PMEM_HIGH])
		return -3;
	if (pm->free[PMEM_LOW] + pm->free[PMEM_HIGH] > pm->total)
		return -4;
	return 0;
}
