/*
 * The free physical memory list in struct kinfo (see memlist.h): sorted,
 * merged, page-aligned ranges. Also linked into the paging-off pre-init,
 * which has no libgcc: 64-bit values here are only added, compared and
 * masked, never divided.
 */
#include "memlist.h"

#define PAGE_MASK	((uint64_t)MEMLIST_PAGE - 1)

/* base + len, saturating instead of wrapping past 2^64. */
static uint64_t end_of(uint64_t base, uint64_t len)
{
	return len > UINT64_MAX - base ? UINT64_MAX : base + len;
}

static uint64_t page_down(uint64_t a)
{
	return a & ~PAGE_MASK;
}

/* Rounds up, saturating: the result is then above every listed range,
 * which is all a caller needs from it. */
static uint64_t page_up(uint64_t a)
{
	return a > UINT64_MAX - PAGE_MASK ? UINT64_MAX : page_down(a + PAGE_MASK);
}

static uint64_t mem_end(const struct kinfo_mem *m)
{
	return m->base + m->len;
}

static void mem_delete(struct kinfo *ki, uint32_t i, uint32_t n)
{
	for (uint32_t k = i; k + n < ki->mem_count; k++)
		ki->mem[k] = ki->mem[k + n];
	ki->mem_count -= n;
}

static int mem_insert(struct kinfo *ki, uint32_t i, uint64_t base,
	uint64_t end)
{
	if (ki->mem_count >= KINFO_MAX_MEM) {
		ki->flags |= KINFO_F_MEM_TRUNC;
		return -1;
	}
	for (uint32_t k = ki->mem_count; k > i; k--)
		ki->mem[k] = ki->mem[k - 1];
	ki->mem[i].base = base;
	ki->mem[i].len = end - base;
	ki->mem_count++;
	return 0;
}

int memlist_add(struct kinfo *ki, uint64_t base, uint64_t len)
{
	uint64_t start = page_up(base);
	uint64_t end = page_down(end_of(base, len));
	uint32_t i, j;

	if (start >= end)
		return 0;
	/* Skip ranges that end before start; from i on, ranges that start
	 * at or before end overlap or touch the new one and merge into it. */
	for (i = 0; i < ki->mem_count && mem_end(&ki->mem[i]) < start; i++)
		;
	for (j = i; j < ki->mem_count && ki->mem[j].base <= end; j++) {
		if (ki->mem[j].base < start)
			start = ki->mem[j].base;
		if (mem_end(&ki->mem[j]) > end)
			end = mem_end(&ki->mem[j]);
	}
	if (j == i)
		return mem_insert(ki, i, start, end);
	ki->mem[i].base = start;
	ki->mem[i].len = end - start;
	mem_delete(ki, i + 1, j - i - 1);
	return 0;
}

/* Takes [start, end) out of the middle of range i. Without a free slot
 * the smaller side is dropped: memory is lost, never handed out twice. */
static int mem_split(struct kinfo *ki, uint32_t i, uint64_t start,
	uint64_t end)
{
	struct kinfo_mem *m = &ki->mem[i];
	uint64_t old_end = mem_end(m);

	if (mem_insert(ki, i + 1, end, old_end) == 0) {
		m->len = start - m->base;
		return 0;
	}
	if (start - m->base >= old_end - end) {
		m->len = start - m->base;
	} else {
		m->base = end;
		m->len = old_end - end;
	}
	return -1;
}

int memlist_remove(struct kinfo *ki, uint64_t base, uint64_t len)
{
	uint64_t start = page_down(base);
	uint64_t end = page_up(end_of(base, len));
	uint32_t i = 0;

	if (len == 0)
		return 0;
	while (i < ki->mem_count) {
		struct kinfo_mem *m = &ki->mem[i];
		uint64_t m_end = mem_end(m);

		if (m_end <= start) {
			i++;
		} else if (m->base >= end) {
			break;
		} else if (m->base < start && m_end > end) {
			return mem_split(ki, i, start, end);
		} else if (m->base < start) {
			m->len = start - m->base;	/* cut its tail */
			i++;
		} else if (m_end > end) {
			m->base = end;			/* cut its head */
			m->len = m_end - end;
			break;
		} else {
			mem_delete(ki, i, 1);		/* covered whole */
		}
	}
	return 0;
}

uint64_t memlist_total(const struct kinfo *ki)
{
	uint64_t total = 0;

	for (uint32_t i = 0; i < ki->mem_count; i++)
		total += ki->mem[i].len;
	return total;
}
