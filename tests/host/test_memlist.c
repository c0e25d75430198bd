/*
 * Tests of kernel/lib/memlist.c: adding, removing, merging, splitting,
 * page rounding and a full list, then random operations checked against a
 * one-bit-per-page reference model.
 */
#include "check.h"

#include <stdint.h>
#include <string.h>
#include "kernel/lib/memlist.h"

#define PG	((uint64_t)MEMLIST_PAGE)

static struct kinfo ki;

static void reset(void)
{
	memset(&ki, 0, sizeof ki);
}

/* The list's promises: sorted, no overlap, no touching, whole pages. */
static void check_invariants(void)
{
	CHECK_LE(ki.mem_count, KINFO_MAX_MEM);
	for (uint32_t i = 0; i < ki.mem_count; i++) {
		const struct kinfo_mem *m = &ki.mem[i];

		if (m->len == 0 || m->base % PG || m->len % PG)
			FAILF("range %u [0x%llx,+0x%llx) empty or unaligned",
				i, (unsigned long long)m->base,
				(unsigned long long)m->len);
		if (i > 0 && ki.mem[i - 1].base + ki.mem[i - 1].len >= m->base)
			FAILF("ranges %u and %u unsorted, overlapping or "
				"touching", i - 1, i);
	}
}

/* Compares the list with n ranges given as base, end pairs. */
static void check_list(int n, const uint64_t *pairs)
{
	check_invariants();
	CHECK_EQ(ki.mem_count, n);
	for (int i = 0; i < n; i++) {
		CHECK_EQ_U(ki.mem[i].base, pairs[2 * i]);
		CHECK_EQ_U(ki.mem[i].base + ki.mem[i].len, pairs[2 * i + 1]);
	}
}

#define LIST(...)							\
	do {								\
		const uint64_t want_[] = { __VA_ARGS__ };		\
		check_list((int)(sizeof want_ / sizeof want_[0] / 2), want_); \
	} while (0)

TEST(memlist, add_one_and_total)
{
	reset();
	CHECK_EQ(memlist_add(&ki, 0x100000, 0x200000), 0);
	LIST(0x100000, 0x300000);
	CHECK_EQ_U(memlist_total(&ki), 0x200000);
	CHECK_EQ(ki.flags, 0);
}

TEST(memlist, add_shrinks_to_whole_pages)
{
	reset();
	memlist_add(&ki, 0x1001, 0x3000);	/* [0x1001, 0x4001) */
	LIST(0x2000, 0x4000);
	reset();
	memlist_add(&ki, 0x9fc00 - 0x9fc00, 0x9fc00);	/* BIOS low RAM */
	LIST(0, 0x9f000);
	reset();
	memlist_add(&ki, 0x1800, 0x1000);	/* no whole page inside */
	memlist_add(&ki, 0x5000, 0);
	memlist_add(&ki, 0x6000, 0xfff);
	LIST();
	CHECK_EQ_U(memlist_total(&ki), 0);
}

TEST(memlist, add_keeps_order)
{
	reset();
	memlist_add(&ki, 0x50000, 0x1000);
	memlist_add(&ki, 0x10000, 0x1000);
	memlist_add(&ki, 0x90000, 0x1000);
	memlist_add(&ki, 0x30000, 0x1000);
	LIST(0x10000, 0x11000, 0x30000, 0x31000, 0x50000, 0x51000,
		0x90000, 0x91000);
}

TEST(memlist, add_merges_touching_and_overlapping)
{
	reset();
	memlist_add(&ki, 0x10000, 0x1000);
	memlist_add(&ki, 0x11000, 0x1000);	/* touches above */
	memlist_add(&ki, 0xf000, 0x1000);	/* touches below */
	LIST(0xf000, 0x12000);
	memlist_add(&ki, 0x11800, 0x3000);	/* overlaps, unaligned base */
	LIST(0xf000, 0x14000);
	memlist_add(&ki, 0x10000, 0x1000);	/* already inside */
	LIST(0xf000, 0x14000);
	CHECK_EQ_U(memlist_total(&ki), 0x5000);
}

TEST(memlist, add_bridges_many_ranges)
{
	reset();
	for (uint64_t a = 0x10000; a < 0x20000; a += 0x2000)
		memlist_add(&ki, a, 0x1000);
	CHECK_EQ(ki.mem_count, 8);
	memlist_add(&ki, 0x100000, 0x1000);
	memlist_add(&ki, 0x12800, 0xa000);	/* covers 0x13000..0x1c800 */
	LIST(0x10000, 0x11000, 0x12000, 0x1d000, 0x1e000, 0x1f000,
		0x100000, 0x101000);
	memlist_add(&ki, 0, 0x200000);		/* swallows everything */
	LIST(0, 0x200000);
}

TEST(memlist, remove_head_tail_middle_whole)
{
	reset();
	memlist_add(&ki, 0x100000, 0x100000);
	memlist_remove(&ki, 0x100000, 0x1000);		/* head */
	LIST(0x101000, 0x200000);
	memlist_remove(&ki, 0x1ff000, 0x1000);		/* tail */
	LIST(0x101000, 0x1ff000);
	memlist_remove(&ki, 0x150000, 0x10000);		/* middle: split */
	LIST(0x101000, 0x150000, 0x160000, 0x1ff000);
	memlist_remove(&ki, 0x160000, 0x9f000);		/* whole */
	LIST(0x101000, 0x150000);
	memlist_remove(&ki, 0x50000, 0x1000);		/* not listed */
	memlist_remove(&ki, 0x101000, 0);		/* empty */
	memlist_remove(&ki, 0x101800, 0);		/* empty, unaligned */
	LIST(0x101000, 0x150000);
}

TEST(memlist, remove_grows_to_whole_pages)
{
	reset();
	memlist_add(&ki, 0, 0x10000);
	memlist_remove(&ki, 0x2fff, 2);		/* touches pages 2 and 3 */
	LIST(0, 0x2000, 0x4000, 0x10000);
	memlist_remove(&ki, 0x8001, 1);
	LIST(0, 0x2000, 0x4000, 0x8000, 0x9000, 0x10000);
}

TEST(memlist, remove_spanning_several)
{
	reset();
	memlist_add(&ki, 0x1000, 0x2000);
	memlist_add(&ki, 0x5000, 0x2000);
	memlist_add(&ki, 0x9000, 0x2000);
	memlist_add(&ki, 0xd000, 0x2000);
	memlist_remove(&ki, 0x2000, 0xa000);	/* [0x2000, 0xc000) */
	LIST(0x1000, 0x2000, 0xd000, 0xf000);
}

/* Fills the list with KINFO_MAX_MEM one-page ranges, 2 pages apart. */
static void fill_list(void)
{
	reset();
	for (uint64_t i = 0; i < KINFO_MAX_MEM; i++)
		CHECK_EQ(memlist_add(&ki, 0x100000 + i * 2 * PG, PG), 0);
	CHECK_EQ(ki.mem_count, KINFO_MAX_MEM);
	CHECK_EQ(ki.flags, 0);
}

TEST(memlist, full_list_drops_new_range)
{
	fill_list();
	CHECK_EQ(memlist_add(&ki, 0x10000000, PG), -1);
	CHECK(ki.flags & KINFO_F_MEM_TRUNC);
	CHECK_EQ(ki.mem_count, KINFO_MAX_MEM);
	CHECK_EQ_U(memlist_total(&ki), KINFO_MAX_MEM * PG);
	check_invariants();
	/* Merging needs no new slot, so it still works. */
	ki.flags = 0;
	CHECK_EQ(memlist_add(&ki, 0x100000 + PG, PG), 0);
	CHECK_EQ(ki.mem_count, KINFO_MAX_MEM - 1);
	CHECK_EQ(ki.flags, 0);
	check_invariants();
}

TEST(memlist, full_list_split_loses_smaller_side)
{
	fill_list();
	/* Make the last range 8 pages, then punch page 2 of it. */
	uint64_t last = ki.mem[KINFO_MAX_MEM - 1].base;
	memlist_add(&ki, last, 8 * PG);
	CHECK_EQ(ki.mem_count, KINFO_MAX_MEM);
	CHECK_EQ(memlist_remove(&ki, last + 2 * PG, PG), -1);
	CHECK(ki.flags & KINFO_F_MEM_TRUNC);
	/* The upper 5 pages stay; the lower 2 are lost, never the hole. */
	CHECK_EQ_U(ki.mem[KINFO_MAX_MEM - 1].base, last + 3 * PG);
	CHECK_EQ_U(ki.mem[KINFO_MAX_MEM - 1].len, 5 * PG);
	check_invariants();
	/* And the other way round. */
	fill_list();
	last = ki.mem[KINFO_MAX_MEM - 1].base;
	memlist_add(&ki, last, 8 * PG);
	CHECK_EQ(memlist_remove(&ki, last + 6 * PG, PG), -1);
	CHECK_EQ_U(ki.mem[KINFO_MAX_MEM - 1].base, last);
	CHECK_EQ_U(ki.mem[KINFO_MAX_MEM - 1].len, 6 * PG);
}

TEST(memlist, large_addresses_and_saturation)
{
	reset();
	memlist_add(&ki, 0xfff00000u, 0x200000);	/* crosses 4 GiB */
	LIST(0xfff00000u, 0x100100000ull);
	memlist_remove(&ki, 0x100000000ull, UINT64_MAX);	/* to the end */
	LIST(0xfff00000u, 0x100000000ull);
	reset();
	memlist_add(&ki, UINT64_MAX - 0x2800, 0x10000);	/* wraps: clipped */
	LIST(UINT64_MAX - 0x1fff, UINT64_MAX - 0xfff);
	memlist_remove(&ki, UINT64_MAX - 0x1800, 100);
	LIST();
	memlist_add(&ki, UINT64_MAX - 10, 5);		/* not one page */
	LIST();
}

/* --- random operations against a bitmap -------------------------------- */

#define MODEL_PAGES	512
#define RANDOM_SEED	0xc0ffee42u
#define RANDOM_OPS	20000

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

/* The list as one flag per page of the modelled space. */
static void list_to_pages(unsigned char *pages)
{
	memset(pages, 0, MODEL_PAGES);
	for (uint32_t i = 0; i < ki.mem_count; i++)
		for (uint64_t a = ki.mem[i].base;
		     a < ki.mem[i].base + ki.mem[i].len; a += PG)
			pages[a / PG] = 1;
}

/* Pages [first, last) set to v: add uses the pages wholly inside the
 * range, remove every page it touches. */
static void model_apply(unsigned char *model, int add, uint64_t base,
	uint64_t len)
{
	uint64_t first = add ? (base + PG - 1) / PG : base / PG;
	uint64_t last = add ? (base + len) / PG : (base + len + PG - 1) / PG;

	if (len == 0)
		return;
	for (uint64_t p = first; p < last && p < MODEL_PAGES; p++)
		model[p] = (unsigned char)add;
}

TEST(memlist, random_against_bitmap)
{
	unsigned char model[MODEL_PAGES], now[MODEL_PAGES];
	int truncs = 0;

	fprintf(stderr, "memlist.random_against_bitmap: seed 0x%x\n",
		RANDOM_SEED);
	rng_state = RANDOM_SEED;
	reset();
	memset(model, 0, sizeof model);
	for (int op = 0; op < RANDOM_OPS; op++) {
		int add = rng_next() % 2;
		uint64_t base = rng_next() % (MODEL_PAGES * PG - PG);
		uint64_t max = MODEL_PAGES * PG - base;
		/* Mostly a few pages, so the list fragments and fills up;
		 * now and then a large range to merge or clear it again. */
		uint64_t len = rng_next() % 16 ? rng_next() % (3 * PG)
					       : rng_next() % max;
		int ret;

		if (len > max)
			len = max;
		ret = add ? memlist_add(&ki, base, len)
			  : memlist_remove(&ki, base, len);
		check_invariants();
		list_to_pages(now);
		if (ret == 0) {
			model_apply(model, add, base, len);
		} else {
			/* Full list: an add leaves the model as it was; a
			 * remove may lose more, but never keeps a page it
			 * was told to remove. */
			CHECK(ki.flags & KINFO_F_MEM_TRUNC);
			truncs++;
			if (!add) {
				model_apply(model, 0, base, len);
				for (int p = 0; p < MODEL_PAGES; p++)
					if (now[p] && !model[p])
						FAILF("seed 0x%x op %d: page "
							"%d handed out twice",
							RANDOM_SEED, op, p);
				memcpy(model, now, sizeof model);
			}
			ki.flags = 0;
		}
		if (memcmp(model, now, sizeof model) != 0)
			FAILF("seed 0x%x op %d: %s [0x%llx,+0x%llx) -> list "
				"differs from model", RANDOM_SEED, op,
				add ? "add" : "remove",
				(unsigned long long)base,
				(unsigned long long)len);
	}
	fprintf(stderr, "memlist.random_against_bitmap: %d ops hit a full "
		"list\n", truncs);
	CHECK_GE(truncs, 1);	/* the full-list paths ran too */
}

int main(int argc, char **argv)
{
	return check_main(argc, argv);
}
