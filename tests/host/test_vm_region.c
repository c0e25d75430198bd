/*
 * Tests of vm/region.c: insert, lookup, remove and resize at the edges
 * (empty heaps, touching regions, the top of the address space), then
 * random operations checked against an unsorted list scanned linearly.
 */
#include "check.h"

#include <stdint.h>
#include <string.h>
#include "vm/region.h"
#include "cairn/errno.h"

#define PG	REGION_PAGE

static struct region_set rs;

TEST(vm_region, empty_set)
{
	region_set_init(&rs);
	CHECK(region_lookup(&rs, 0) == NULL);
	CHECK(region_lookup(&rs, 0xffffffffu) == NULL);
	CHECK(region_first(&rs) == NULL);
	CHECK_EQ(region_remove(&rs, 0), ESRCH);
	CHECK_EQ(region_count(&rs), 0);
	region_set_clear(&rs);
}

TEST(vm_region, insert_lookup_in_order)
{
	struct region *r;

	region_set_init(&rs);
	CHECK_EQ(region_insert(&rs, 0x8000000, 4 * PG, MT_ANON, REGION_WRITE), OK);
	CHECK_EQ(region_insert(&rs, 0x1000000, 2 * PG, MT_ANON, 0), OK);
	CHECK_EQ(region_insert(&rs, 0x4000000, PG, MT_ANON, 0), OK);
	CHECK_EQ(region_count(&rs), 3);
	r = region_lookup(&rs, 0x1000000 + 2 * PG - 1);
	CHECK(r != NULL);
	CHECK_EQ_U(r->start, 0x1000000);
	CHECK(region_lookup(&rs, 0x1000000 + 2 * PG) == NULL);
	CHECK(region_lookup(&rs, 0x1000000 - 1) == NULL);
	r = region_lookup(&rs, 0x8000000 + 5000);
	CHECK(r != NULL);
	CHECK_EQ(r->flags, REGION_WRITE);
	/* Iteration is in address order. */
	r = region_first(&rs);
	CHECK_EQ_U(r->start, 0x1000000);
	r = region_next(&rs, r);
	CHECK_EQ_U(r->start, 0x4000000);
	r = region_next(&rs, r);
	CHECK_EQ_U(r->start, 0x8000000);
	CHECK(region_next(&rs, r) == NULL);
	CHECK_EQ(region_check(&rs), 0);
	region_set_clear(&rs);
}

TEST(vm_region, refuses_bad_inserts)
{
	region_set_init(&rs);
	CHECK_EQ(region_insert(&rs, 0x10000, 4 * PG, MT_ANON, 0), OK);
	CHECK_EQ(region_insert(&rs, 0x10001, PG, MT_ANON, 0), EINVAL);
	CHECK_EQ(region_insert(&rs, 0x20000, PG + 1, MT_ANON, 0), EINVAL);
	/* Overlapping from below, inside, from above, same start. */
	CHECK_EQ(region_insert(&rs, 0x10000 - PG, 2 * PG, MT_ANON, 0), EINVAL);
	CHECK_EQ(region_insert(&rs, 0x11000, PG, MT_ANON, 0), EINVAL);
	CHECK_EQ(region_insert(&rs, 0x13000, 2 * PG, MT_ANON, 0), EINVAL);
	CHECK_EQ(region_insert(&rs, 0x10000, 0, MT_ANON, 0), EINVAL);
	/* An empty region strictly inside another has no place either. */
	CHECK_EQ(region_insert(&rs, 0x12000, 0, MT_ANON, 0), EINVAL);
	/* Touching on either side is fine. */
	CHECK_EQ(region_insert(&rs, 0x10000 - PG, PG, MT_ANON, 0), OK);
	CHECK_EQ(region_insert(&rs, 0x14000, PG, MT_ANON, 0), OK);
	/* Wrapping past 4 GiB, and the very top page. */
	CHECK_EQ(region_insert(&rs, 0xfffff000u, 2 * PG, MT_ANON, 0), EINVAL);
	CHECK_EQ(region_insert(&rs, 0xfffff000u, PG, MT_ANON, 0), OK);
	CHECK(region_lookup(&rs, 0xffffffffu) != NULL);
	CHECK_EQ(region_count(&rs), 4);
	CHECK_EQ(region_check(&rs), 0);
	region_set_clear(&rs);
}

TEST(vm_region, empty_heap_grows_and_shrinks)
{
	struct region *heap;

	region_set_init(&rs);
	CHECK_EQ(region_insert(&rs, 0x100000, 2 * PG, MT_ANON, 0), OK);
	CHECK_EQ(region_insert(&rs, 0x102000, 0, MT_ANON, REGION_HEAP), OK);
	CHECK_EQ(region_insert(&rs, 0x110000, PG, MT_ANON, REGION_STACK), OK);
	/* Nothing else may sit on the empty heap's start. */
	CHECK_EQ(region_insert(&rs, 0x102000, PG, MT_ANON, 0), EINVAL);
	heap = region_at(&rs, 0x102000);
	CHECK(heap != NULL);
	CHECK(region_lookup(&rs, 0x102000) == NULL);
	CHECK_EQ(region_resize(&rs, heap, 0xe000), OK);	/* up to the stack */
	CHECK(region_lookup(&rs, 0x10ffff) == heap);
	CHECK_EQ(region_resize(&rs, heap, 0xf000), ENOMEM);
	CHECK_EQ(region_resize(&rs, heap, PG + 1), EINVAL);
	CHECK_EQ(heap->length, 0xe000);
	CHECK_EQ(region_resize(&rs, heap, 0), OK);
	CHECK(region_lookup(&rs, 0x102000) == NULL);
	CHECK_EQ(region_remove(&rs, 0x102000), OK);
	CHECK(region_at(&rs, 0x102000) == NULL);
	CHECK_EQ(region_count(&rs), 2);
	CHECK_EQ(region_check(&rs), 0);
	region_set_clear(&rs);
}

TEST(vm_region, many_regions_grow_the_set)
{
	region_set_init(&rs);
	for (uint32_t i = 0; i < 1000; i++)
		CHECK_EQ(region_insert(&rs, (999 - i) * 2 * PG, PG, MT_ANON, i),
			OK);
	CHECK_EQ(region_count(&rs), 1000);
	for (uint32_t i = 0; i < 1000; i++) {
		struct region *r = region_lookup(&rs, i * 2 * PG + 7);

		CHECK(r != NULL);
		CHECK_EQ(r->flags, 999 - i);
		CHECK(region_lookup(&rs, i * 2 * PG + PG) == NULL);
	}
	CHECK_EQ(region_check(&rs), 0);
	region_set_clear(&rs);
}

/* --- random operations against a model ------------------------------- */

#define SPACE_PAGES	512
#define MODEL_MAX	SPACE_PAGES

struct mreg { vir_bytes start, len; uint32_t flags; };
static struct mreg mod[MODEL_MAX];
static uint32_t nmod;

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng_state >> 33) % n;
}

static uint64_t occ_end(vir_bytes s, vir_bytes l)
{
	return (uint64_t)s + (l ? l : 1);
}

static int model_conflict(vir_bytes s, vir_bytes l, int skip)
{
	for (uint32_t i = 0; i < nmod; i++)
		if ((int)i != skip && s < occ_end(mod[i].start, mod[i].len) &&
		    mod[i].start < occ_end(s, l))
			return 1;
	return 0;
}

static int model_find_start(vir_bytes s)
{
	for (uint32_t i = 0; i < nmod; i++)
		if (mod[i].start == s)
			return (int)i;
	return -1;
}

static int model_lookup(vir_bytes a)
{
	for (uint32_t i = 0; i < nmod; i++)
		if (a >= mod[i].start && a - mod[i].start < mod[i].len)
			return (int)i;
	return -1;
}

static void compare_all(void)
{
	const struct region *r;
	vir_bytes prev = 0;
	uint32_t seen = 0;

	CHECK_EQ(region_check(&rs), 0);
	CHECK_EQ(region_count(&rs), nmod);
	for (r = region_first(&rs); r; r = region_next(&rs, r), seen++) {
		int i = model_find_start(r->start);

		if (i < 0)
			FAILF("region 0x%x not in the model", r->start);
		CHECK_EQ_U(r->length, mod[i].len);
		CHECK_EQ(r->flags, mod[i].flags);
		if (seen)
			CHECK_LT(prev, r->start);
		prev = r->start;
	}
	CHECK_EQ(seen, nmod);
}

TEST(vm_region, random_against_model)
{
	uint64_t seed = 0x5eed0002;
	uint32_t inserted = 0, refused = 0, found = 0;

	printf("vm_region.random_against_model: seed 0x%llx\n",
		(unsigned long long)seed);
	rng_state = seed;
	nmod = 0;
	region_set_init(&rs);
	for (uint32_t op = 0; op < 60000; op++) {
		uint32_t r = rnd(100);
		vir_bytes s = rnd(SPACE_PAGES) * PG;

		if (r < 40) {			/* insert, often refused */
			vir_bytes l = rnd(4) ? (1 + rnd(12)) * PG : 0;
			uint32_t flags = rnd(8);
			int want = model_conflict(s, l, -1) ? EINVAL : OK;

			if (rnd(50) == 0)
				s += 1 + rnd(PG - 1);	/* unaligned */
			if (s % PG)
				want = EINVAL;
			CHECK_EQ(region_insert(&rs, s, l, MT_ANON, flags), want);
			if (want == OK)
				mod[nmod++] = (struct mreg){ s, l, flags };
			if (want == OK)
				inserted++;
			else
				refused++;
		} else if (r < 70) {		/* lookup */
			vir_bytes a = s + rnd(PG);
			int i = model_lookup(a);
			struct region *got = region_lookup(&rs, a);

			if (i < 0)
				CHECK(got == NULL);
			else {
				CHECK(got != NULL);
				CHECK_EQ_U(got->start, mod[i].start);
				found++;
			}
		} else if (r < 85) {		/* remove, existing or not */
			int i;

			if (nmod && rnd(4))
				s = mod[rnd(nmod)].start;
			i = model_find_start(s);
			CHECK_EQ(region_remove(&rs, s), i < 0 ? ESRCH : OK);
			if (i >= 0)
				mod[i] = mod[--nmod];
		} else if (nmod) {		/* resize */
			int i = (int)rnd(nmod);
			vir_bytes l = rnd(24) * PG;
			struct region *got = region_at(&rs, mod[i].start);
			int want = model_conflict(mod[i].start, l, i) ? ENOMEM : OK;

			CHECK(got != NULL);
			CHECK_EQ(region_resize(&rs, got, l), want);
			if (want == OK)
				mod[i].len = l;
		}
		if (op % 256 == 0)
			compare_all();
	}
	compare_all();
	CHECK_GE(inserted, 1000);
	CHECK_GE(refused, 1000);
	CHECK_GE(found, 1000);
	region_set_clear(&rs);
}

int main(int argc, char **argv)
{
	return check_main(argc, argv);
}
