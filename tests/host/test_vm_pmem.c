/*
 * Tests of vm/pmem.c: zones, the page-table reserve, contiguous runs,
 * refused frees, then random operations checked page by page against a
 * reference model that predicts exactly which page each call returns.
 */
#include "check.h"

#include <stdint.h>
#include <string.h>
#include "vm/pmem.h"
#include "cairn/errno.h"

#define PG	PMEM_PAGE
#define MiB	(1024u * 1024u)

static struct pmem pm;

/* 4 MiB of low zone; free: [1 MiB, 4 MiB) low, [8 MiB, 16 MiB) high. */
static void setup(uint32_t reserve)
{
	pmem_init(&pm, 4 * MiB, reserve);
	CHECK_EQ(pmem_add(&pm, 1 * MiB, 3 * MiB), 768);
	CHECK_EQ(pmem_add(&pm, 8 * MiB, 8 * MiB), 2048);
	CHECK_EQ(pmem_check(&pm), 0);
}

static uint32_t free_pages(void)
{
	struct pmem_stats st;

	pmem_stats(&pm, &st);
	return st.free;
}

TEST(vm_pmem, add_clips_and_counts)
{
	struct pmem_stats st;

	pmem_init(&pm, 4 * MiB, 0);
	/* Partial pages at both ends are dropped; page 0 never managed. */
	CHECK_EQ(pmem_add(&pm, 0, 3 * PG + 100), 2);
	CHECK_EQ(pmem_add(&pm, 10 * PG + 1, 3 * PG), 2);
	/* Adding the same pages again changes nothing. */
	CHECK_EQ(pmem_add(&pm, 0, 3 * PG), 0);
	/* Clipped at 4 GiB; wholly above it, ignored. Memory past the
	 * old direct map's end (0x6F000000) is managed like any. */
	CHECK_EQ(pmem_add(&pm, PMEM_LIMIT - 2 * PG, 16 * PG), 2);
	CHECK_EQ(pmem_add(&pm, 0x80000000ull, 64 * MiB), 16384);
	CHECK_EQ(pmem_add(&pm, 0x100000000ull, 64 * MiB), 0);
	CHECK_EQ(pmem_add(&pm, 0x1000000000ull, 64 * MiB), 0);
	pmem_stats(&pm, &st);
	CHECK_EQ(st.total, 6 + 16384);
	CHECK_EQ(st.free, 6 + 16384);
	CHECK_EQ(st.low_free, 4);
	CHECK(!pmem_is_free(&pm, 0));
	CHECK(pmem_is_free(&pm, 1 * PG));
	CHECK(pmem_is_free(&pm, PMEM_LIMIT - PG));
	CHECK_EQ(pmem_check(&pm), 0);
}

TEST(vm_pmem, user_pages_come_from_high_first)
{
	setup(0);
	CHECK_EQ_U(pmem_alloc(&pm, PMEM_USER), 8 * MiB);
	CHECK_EQ_U(pmem_alloc(&pm, PMEM_USER), 8 * MiB + PG);
	CHECK_EQ_U(pmem_alloc(&pm, PMEM_PT), 1 * MiB);
	CHECK_EQ(pmem_free(&pm, 8 * MiB, 1), OK);
	/* The lowest free page comes back first. */
	CHECK_EQ_U(pmem_alloc(&pm, PMEM_USER), 8 * MiB);
	CHECK_EQ(pmem_check(&pm), 0);
}

TEST(vm_pmem, reserve_is_for_page_tables)
{
	uint32_t n = 0;

	setup(10);
	/* Everything but the reserve goes to ordinary pages. */
	while (pmem_alloc(&pm, PMEM_USER) != 0)
		n++;
	CHECK_EQ(n, 2048 + 768 - 10);
	CHECK_EQ(free_pages(), 10);
	for (int i = 0; i < 10; i++) {
		phys_bytes pa = pmem_alloc(&pm, PMEM_PT);

		CHECK(pa != 0);
		CHECK_LT(pa, 4 * MiB);
	}
	CHECK_EQ_U(pmem_alloc(&pm, PMEM_PT), 0);
	CHECK_EQ(free_pages(), 0);
	CHECK_EQ(pmem_check(&pm), 0);
}

TEST(vm_pmem, page_tables_never_high)
{
	pmem_init(&pm, 4 * MiB, 0);
	CHECK_EQ(pmem_add(&pm, 8 * MiB, 1 * MiB), 256);
	CHECK_EQ_U(pmem_alloc(&pm, PMEM_PT), 0);
	CHECK_EQ_U(pmem_alloc(&pm, PMEM_USER), 8 * MiB);
}

TEST(vm_pmem, low_boundary_rounds_down)
{
	/* 4 MiB + 5 pages: the 5 pages count as high, which is safe. */
	pmem_init(&pm, 4 * MiB + 5 * PG, 0);
	CHECK_EQ(pmem_add(&pm, 4 * MiB, 8 * PG), 8);
	CHECK_EQ_U(pmem_alloc(&pm, PMEM_PT), 0);
	CHECK_EQ_U(pmem_alloc(&pm, PMEM_USER), 4 * MiB);
}

TEST(vm_pmem, refused_frees_change_nothing)
{
	phys_bytes pa;

	setup(0);
	pa = pmem_alloc(&pm, PMEM_USER);
	CHECK_EQ(pmem_free(&pm, pa + 1, 1), EINVAL);		/* unaligned */
	CHECK_EQ(pmem_free(&pm, 0, 1), EINVAL);		/* page 0 */
	CHECK_EQ(pmem_free(&pm, 0xfffff000u, 0xffffffffu), EINVAL);	/* past 4 GiB */
	CHECK_EQ(pmem_free(&pm, PMEM_LIMIT - PG, 2), EINVAL);	/* runs out */
	/* A run with one page already free is refused as a whole. */
	CHECK_EQ(pmem_free(&pm, pa, 2), EINVAL);
	CHECK(!pmem_is_free(&pm, pa));
	CHECK_EQ(pmem_free(&pm, pa, 1), OK);
	CHECK_EQ(pmem_free(&pm, pa, 1), EINVAL);		/* double free */
	CHECK_EQ(pmem_check(&pm), 0);
}

TEST(vm_pmem, take_removes_free_pages)
{
	setup(0);
	/* [8 MiB + 100, 8 MiB + PG + 1) grows to two whole pages. */
	CHECK_EQ(pmem_take(&pm, 8 * MiB + 100, PG - 99), 2);
	CHECK(!pmem_is_free(&pm, 8 * MiB));
	CHECK(!pmem_is_free(&pm, 8 * MiB + PG));
	CHECK_EQ_U(pmem_alloc(&pm, PMEM_USER), 8 * MiB + 2 * PG);
	CHECK_EQ(pmem_take(&pm, 8 * MiB, 3 * PG), 0);
	CHECK_EQ(free_pages(), 768 + 2048 - 3);
	CHECK_EQ(pmem_check(&pm), 0);
}

TEST(vm_pmem, runs_aligned_and_limited)
{
	phys_bytes pa;

	setup(0);
	/* 16 pages aligned to 64 KiB below 16 MiB: the low zone's first. */
	pa = pmem_alloc_run(&pm, 16, 16, 16 * MiB);
	CHECK_EQ_U(pa, 1 * MiB);
	/* Unaligned single page hole at 1 MiB + 64 KiB is skipped by a
	 * 4-page run aligned to 4. */
	CHECK_EQ(pmem_take(&pm, 1 * MiB + 17 * PG, PG), 1);
	pa = pmem_alloc_run(&pm, 4, 4, 0);
	CHECK_EQ_U(pa, 1 * MiB + 20 * PG);
	/* Limit: nothing of 8 pages ends at or below 1 MiB + 24 pages. */
	CHECK_EQ_U(pmem_alloc_run(&pm, 8, 1, 1 * MiB + 24 * PG), 0);
	/* Larger than the low free part: comes from high memory. */
	pa = pmem_alloc_run(&pm, 1024, 1024, 0);
	CHECK_EQ_U(pa, 8 * MiB);
	CHECK_EQ_U(pmem_alloc_run(&pm, 0, 1, 0), 0);
	CHECK_EQ_U(pmem_alloc_run(&pm, 4, 3, 0), 0);	/* not a power of 2 */
	CHECK_EQ(pmem_free(&pm, 8 * MiB, 1024), OK);
	CHECK_EQ(pmem_check(&pm), 0);
}

TEST(vm_pmem, runs_keep_the_reserve)
{
	pmem_init(&pm, 4 * MiB, 8);
	CHECK_EQ(pmem_add(&pm, 1 * MiB, 16 * PG), 16);
	CHECK_EQ_U(pmem_alloc_run(&pm, 9, 1, 0), 0);
	CHECK_EQ_U(pmem_alloc_run(&pm, 8, 1, 0), 1 * MiB);
	CHECK_EQ_U(pmem_alloc(&pm, PMEM_USER), 0);
	CHECK(pmem_alloc(&pm, PMEM_PT) != 0);
}

/* --- random operations against a model ------------------------------- */

#define MODEL_PAGES	8192		/* 32 MiB */
#define MODEL_LOW	1024		/* low zone: 4 MiB */
#define MODEL_RESERVE	12

enum { M_NONE, M_FREE, M_USED };
static uint8_t model[MODEL_PAGES];
static uint32_t model_run[MODEL_PAGES];	/* pages of the run starting here */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng_state >> 33) % n;
}

static uint32_t model_free(uint32_t lo, uint32_t hi)
{
	uint32_t n = 0;

	for (uint32_t p = lo; p < hi; p++)
		n += model[p] == M_FREE;
	return n;
}

static uint32_t model_first_free(uint32_t lo, uint32_t hi)
{
	for (uint32_t p = lo; p < hi; p++)
		if (model[p] == M_FREE)
			return p;
	return 0;
}

static uint32_t model_alloc(enum pmem_use use)
{
	uint32_t p;

	if (use == PMEM_PT)
		return model_first_free(0, MODEL_LOW);
	p = model_first_free(MODEL_LOW, MODEL_PAGES);
	if (p == 0 && model_free(0, MODEL_LOW) > MODEL_RESERVE)
		p = model_first_free(0, MODEL_LOW);
	return p;
}

static uint32_t model_alloc_run(uint32_t n, uint32_t align, uint32_t end)
{
	for (uint32_t p = align; p + n <= end; p += align) {
		uint32_t low = 0;

		if (model_free(p, p + n) != n)
			continue;
		for (uint32_t i = p; i < p + n; i++)
			low += i < MODEL_LOW;
		if (low && model_free(0, MODEL_LOW) < MODEL_RESERVE + low)
			continue;
		return p;
	}
	return 0;
}

static void model_take(uint32_t p, uint32_t n)
{
	for (uint32_t i = p; i < p + n; i++)
		model[i] = M_USED;
	model_run[p] = n;
}

static void compare_all(void)
{
	CHECK_EQ(pmem_check(&pm), 0);
	for (uint32_t p = 0; p < MODEL_PAGES; p++)
		if (pmem_is_free(&pm, p * PG) != (model[p] == M_FREE))
			FAILF("page %u: pmem says %s", p,
				pmem_is_free(&pm, p * PG) ? "free" : "used");
}

TEST(vm_pmem, random_against_model)
{
	uint64_t seed = 0x5eed0001;
	uint32_t used[MODEL_PAGES], nused = 0;
	uint32_t got_page = 0, got_none = 0;	/* both outcomes exercised */

	printf("vm_pmem.random_against_model: seed 0x%llx\n",
		(unsigned long long)seed);
	rng_state = seed;
	memset(model, M_NONE, sizeof model);
	memset(model_run, 0, sizeof model_run);
	pmem_init(&pm, MODEL_LOW * PG, MODEL_RESERVE);
	/* A few free ranges with holes, some partly low, some high. */
	for (int i = 0; i < 24; i++) {
		uint32_t p = 1 + rnd(MODEL_PAGES - 1);
		uint32_t n = 1 + rnd(300);

		if (p + n > MODEL_PAGES)
			n = MODEL_PAGES - p;
		pmem_add(&pm, (uint64_t)p * PG, (uint64_t)n * PG);
		for (uint32_t q = p; q < p + n; q++)
			model[q] = M_FREE;
	}
	compare_all();

	for (int op = 0; op < 40000; op++) {
		/* Phases that fill memory up and drain it again. */
		int filling = (op / 5000) % 2 == 0;
		uint32_t r = rnd(100), want;
		phys_bytes got;

		if (filling && r >= 42 && r < 90 && rnd(3))
			r = rnd(42);

		if (r < 35) {			/* one page */
			enum pmem_use use = rnd(4) ? PMEM_USER : PMEM_PT;

			want = model_alloc(use);
			got = pmem_alloc(&pm, use);
			CHECK_EQ_U(got, (uint64_t)want * PG);
			if (want)
				got_page++;
			else
				got_none++;
			if (want) {
				model_take(want, 1);
				used[nused++] = want;
			}
		} else if (r < 42) {		/* a run */
			uint32_t n = 1 + rnd(40), align = 1u << rnd(5);
			uint32_t end = rnd(2) ? MODEL_PAGES : 1 + rnd(MODEL_PAGES);

			want = model_alloc_run(n, align, end);
			got = pmem_alloc_run(&pm, n, align,
				end == MODEL_PAGES ? 0 : end * PG);
			CHECK_EQ_U(got, (uint64_t)want * PG);
			if (want) {
				model_take(want, n);
				used[nused++] = want;
			}
		} else if (r < 90 && nused) {	/* free something */
			uint32_t k = rnd(nused), p = used[k];
			uint32_t n = model_run[p];

			CHECK_EQ(pmem_free(&pm, p * PG, n), OK);
			for (uint32_t i = p; i < p + n; i++)
				model[i] = M_FREE;
			used[k] = used[--nused];
		} else if (r < 92) {		/* a refused double free */
			uint32_t p = 1 + rnd(MODEL_PAGES - 1);

			if (model[p] == M_FREE)
				CHECK_EQ(pmem_free(&pm, p * PG, 1), EINVAL);
		}
		if (op % 500 == 0)
			compare_all();
	}
	compare_all();
	CHECK_GE(got_page, 1000);
	CHECK_GE(got_none, 100);
	/* Give everything back: all pages free again. */
	while (nused) {
		uint32_t p = used[--nused];

		CHECK_EQ(pmem_free(&pm, p * PG, model_run[p]), OK);
		for (uint32_t i = p; i < p + model_run[p]; i++)
			model[i] = M_FREE;
	}
	compare_all();
	CHECK_EQ(free_pages(), model_free(0, MODEL_PAGES));
}

int main(int argc, char **argv)
{
	return check_main(argc, argv);
}
