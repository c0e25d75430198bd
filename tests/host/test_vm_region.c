/*
 * Tests of vm/region.c: the edges (empty heaps, touching regions, the top
 * of the address space, slot arrays of 0, 1 and more pages), random
 * operations against a page-by-page model, and 100,000 regions.
 */
#include "check.h"

#include <stdint.h>
#include <string.h>
#include <time.h>
#include "vm/region.h"
#include "cairn/errno.h"

#define PG	REGION_PAGE

/* region.c panics on a broken invariant; here that fails the case. */
__attribute__((noreturn, format(printf, 1, 2)))
void panic(const char *fmt, ...);

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	FAILF("panic: %s", msg);
}

static struct region_set rs;

/* A fake block pointer: only ever compared, never followed. */
static struct phys_block *token(uintptr_t n)
{
	return (struct phys_block *)(n * 16 + 8);
}

static struct region *insert(vir_bytes start, vir_bytes len,
	uint32_t flags)
{
	struct region *r = NULL;

	CHECK_EQ(region_insert(&rs, start, len, MT_ANON, flags, &r), OK);
	CHECK(r != NULL);
	CHECK_EQ_U(r->start, start);
	CHECK_EQ_U(r->length, len);
	return r;
}

TEST(vm_region, empty_set)
{
	vir_bytes at = 1;

	region_set_init(&rs);
	CHECK(region_lookup(&rs, 0) == NULL);
	CHECK(region_lookup(&rs, 0xffffffffu) == NULL);
	CHECK(region_first(&rs) == NULL);
	CHECK(region_from(&rs, 0) == NULL);
	CHECK(region_at(&rs, 0) == NULL);
	CHECK_EQ(region_count(&rs), 0);
	CHECK_EQ(region_find_free(&rs, PG, 0, 0xffffffffu, &at), OK);
	CHECK_EQ_U(at, 0);
	CHECK_EQ(region_find_free(&rs, 0, 0, 0xffffffffu, &at), EINVAL);
	CHECK_EQ(region_find_free(&rs, PG + 1, 0, 0xffffffffu, &at), EINVAL);
	CHECK_EQ(region_check(&rs), 0);
	region_set_clear(&rs);
}

TEST(vm_region, insert_lookup_in_order)
{
	struct region *a, *b, *c, *r;

	region_set_init(&rs);
	c = insert(0x8000000, 4 * PG, REGION_WRITE);
	a = insert(0x1000000, 2 * PG, 0);
	b = insert(0x4000000, PG, 0);
	CHECK_EQ(region_count(&rs), 3);
	r = region_lookup(&rs, 0x1000000 + 2 * PG - 1);
	CHECK(r == a);
	CHECK(region_lookup(&rs, 0x1000000 + 2 * PG) == NULL);
	CHECK(region_lookup(&rs, 0x1000000 - 1) == NULL);
	CHECK(region_lookup(&rs, 0x8000000 + 5000) == c);
	CHECK(region_at(&rs, 0x4000000) == b);
	CHECK(region_at(&rs, 0x4001000) == NULL);
	/* Iteration is in address order, both ways. */
	CHECK(region_first(&rs) == a);
	CHECK(region_next(&rs, a) == b);
	CHECK(region_next(&rs, b) == c);
	CHECK(region_next(&rs, c) == NULL);
	CHECK(region_prev(&rs, c) == b);
	CHECK(region_prev(&rs, b) == a);
	CHECK(region_prev(&rs, a) == NULL);
	/* Where a walk begins: inside, in a gap, past the last. */
	CHECK(region_from(&rs, 0) == a);
	CHECK(region_from(&rs, 0x1001fff) == a);
	CHECK(region_from(&rs, 0x1002000) == b);
	CHECK(region_from(&rs, 0x8003fff) == c);
	CHECK(region_from(&rs, 0x8004000) == NULL);
	CHECK_EQ(region_check(&rs), 0);
	region_remove(&rs, b);
	CHECK(region_next(&rs, a) == c);
	CHECK(region_from(&rs, 0x1002000) == c);
	CHECK_EQ(region_count(&rs), 2);
	CHECK_EQ(region_check(&rs), 0);
	region_set_clear(&rs);
	CHECK_EQ(region_count(&rs), 0);
}

TEST(vm_region, refuses_bad_inserts)
{
	region_set_init(&rs);
	insert(0x10000, 4 * PG, 0);
	CHECK_EQ(region_insert(&rs, 0x10001, PG, MT_ANON, 0, NULL), EINVAL);
	CHECK_EQ(region_insert(&rs, 0x20000, PG + 1, MT_ANON, 0, NULL),
		EINVAL);
	/* Overlapping from below, inside, from above, same start. */
	CHECK_EQ(region_insert(&rs, 0x10000 - PG, 2 * PG, MT_ANON, 0, NULL),
		EINVAL);
	CHECK_EQ(region_insert(&rs, 0x11000, PG, MT_ANON, 0, NULL), EINVAL);
	CHECK_EQ(region_insert(&rs, 0x13000, 2 * PG, MT_ANON, 0, NULL),
		EINVAL);
	CHECK_EQ(region_insert(&rs, 0x10000, 0, MT_ANON, 0, NULL), EINVAL);
	/* An empty region strictly inside another has no place either. */
	CHECK_EQ(region_insert(&rs, 0x12000, 0, MT_ANON, 0, NULL), EINVAL);
	/* Touching on either side is fine. */
	insert(0x10000 - PG, PG, 0);
	insert(0x14000, PG, 0);
	/* Wrapping past 4 GiB, and the very top page. */
	CHECK_EQ(region_insert(&rs, 0xfffff000u, 2 * PG, MT_ANON, 0, NULL),
		EINVAL);
	insert(0xfffff000u, PG, 0);
	CHECK(region_lookup(&rs, 0xffffffffu) != NULL);
	CHECK(region_from(&rs, 0xffffffffu) != NULL);
	CHECK_EQ(region_count(&rs), 4);
	CHECK_EQ(region_check(&rs), 0);
	region_set_clear(&rs);
}

TEST(vm_region, empty_heap_grows_and_shrinks)
{
	struct region *heap;

	region_set_init(&rs);
	insert(0x100000, 2 * PG, 0);
	heap = insert(0x102000, 0, REGION_HEAP);
	insert(0x110000, PG, REGION_STACK);
	/* Nothing else may sit on the empty heap's start... */
	CHECK_EQ(region_insert(&rs, 0x102000, PG, MT_ANON, 0, NULL), EINVAL);
	CHECK_EQ(region_insert(&rs, 0x101000, 2 * PG, MT_ANON, 0, NULL),
		EINVAL);
	CHECK(region_at(&rs, 0x102000) == heap);
	CHECK(region_lookup(&rs, 0x102000) == NULL);
	/* ...but a walk from there meets it. */
	CHECK(region_from(&rs, 0x102000) == heap);
	CHECK(heap->slots == NULL);
	CHECK_EQ(region_resize(&rs, heap, 0xe000), OK);	/* up to the stack */
	CHECK(region_lookup(&rs, 0x10ffff) == heap);
	CHECK_EQ(region_resize(&rs, heap, 0xf000), ENOMEM);
	CHECK_EQ(region_resize(&rs, heap, PG + 1), EINVAL);
	CHECK_EQ(heap->length, 0xe000);
	CHECK_EQ(region_check(&rs), 0);
	CHECK_EQ(region_resize(&rs, heap, 0), OK);
	CHECK(heap->slots == NULL);
	CHECK(region_lookup(&rs, 0x102000) == NULL);
	region_remove(&rs, heap);
	CHECK(region_at(&rs, 0x102000) == NULL);
	CHECK_EQ(region_count(&rs), 2);
	CHECK_EQ(region_check(&rs), 0);
	region_set_clear(&rs);
}

/* A one-page region keeps its slot in itself; its block survives every
 * change of size that keeps the first page. */
TEST(vm_region, slot_arrays_follow_the_size)
{
	struct phys_block **v;
	struct region *r;

	region_set_init(&rs);
	r = insert(0x400000, PG, 0);
	CHECK(r->slots == &r->slot1);
	CHECK(r->slot1 == NULL);
	*region_slot(r, 0x400fff) = token(1);
	CHECK_EQ(region_resize(&rs, r, 3 * PG), OK);
	CHECK(r->slots != &r->slot1 && r->slots != NULL);
	CHECK(r->slots[0] == token(1));
	CHECK(r->slots[1] == NULL && r->slots[2] == NULL);
	r->slots[2] = token(3);
	CHECK_EQ(region_resize(&rs, r, 5 * PG), OK);
	CHECK(r->slots[0] == token(1) && r->slots[2] == token(3));
	CHECK(r->slots[3] == NULL && r->slots[4] == NULL);
	CHECK_EQ(region_resize(&rs, r, 2 * PG), OK);
	CHECK(r->slots[0] == token(1) && r->slots[1] == NULL);
	CHECK_EQ(region_resize(&rs, r, PG), OK);
	CHECK(r->slots == &r->slot1);
	CHECK(r->slot1 == token(1));
	CHECK_EQ(region_check(&rs), 0);
	CHECK_EQ(region_resize(&rs, r, 0), OK);
	CHECK(r->slots == NULL);
	CHECK_EQ(region_resize(&rs, r, PG), OK);
	CHECK(r->slots == &r->slot1 && r->slot1 == NULL);
	CHECK_EQ(region_resize(&rs, r, 0), OK);
	CHECK_EQ(region_resize(&rs, r, 2 * PG), OK);
	CHECK(r->slots[0] == NULL && r->slots[1] == NULL);
	CHECK_EQ(region_check(&rs), 0);
	/* region_check sees a slot array of the wrong shape. */
	v = r->slots;
	r->slots = &r->slot1;
	CHECK_LT(region_check(&rs), 0);
	r->slots = NULL;
	CHECK_LT(region_check(&rs), 0);
	r->length = PG;
	CHECK_LT(region_check(&rs), 0);
	r->slots = &r->slot1;
	CHECK_EQ(region_check(&rs), 0);
	r->slots = v;
	CHECK_LT(region_check(&rs), 0);
	r->length = 2 * PG;
	CHECK_EQ(region_check(&rs), 0);
	region_set_clear(&rs);
}

TEST(vm_region, split_and_merge_move_slots)
{
	struct region *a, *b, *c, *tail = NULL;

	region_set_init(&rs);
	a = insert(0x800000, 4 * PG, REGION_WRITE);
	a->u.phys = 0x1234000;
	for (uint32_t i = 0; i < 4; i++)
		a->slots[i] = token(10 + i);
	CHECK_EQ(region_split(&rs, a, 0, &tail), EINVAL);
	CHECK_EQ(region_split(&rs, a, 4 * PG, &tail), EINVAL);
	CHECK_EQ(region_split(&rs, a, PG + 1, &tail), EINVAL);
	CHECK_EQ(region_split(&rs, a, 8 * PG, &tail), EINVAL);
	CHECK(tail == NULL);
	/* 4 -> 1 + 3: the front keeps its block in slot1. */
	CHECK_EQ(region_split(&rs, a, PG, &b), OK);
	CHECK_EQ_U(a->length, PG);
	CHECK(a->slots == &a->slot1 && a->slot1 == token(10));
	CHECK_EQ_U(b->start, 0x801000);
	CHECK_EQ_U(b->length, 3 * PG);
	CHECK_EQ(b->flags, REGION_WRITE);
	CHECK_EQ(b->type, MT_ANON);
	CHECK_EQ_U(b->u.phys, 0x1234000);
	CHECK(b->slots[0] == token(11) && b->slots[2] == token(13));
	/* 3 -> 2 + 1: the tail's block goes into its slot1. */
	CHECK_EQ(region_split(&rs, b, 2 * PG, &c), OK);
	CHECK(c->slots == &c->slot1 && c->slot1 == token(13));
	CHECK(b->slots[0] == token(11) && b->slots[1] == token(12));
	CHECK_EQ(region_count(&rs), 3);
	CHECK(region_lookup(&rs, 0x803000) == c);
	CHECK_EQ(region_check(&rs), 0);
	/* Not adjacent, or the same region: refused. */
	CHECK_EQ(region_merge(&rs, a, c), EINVAL);
	CHECK_EQ(region_merge(&rs, b, a), EINVAL);
	CHECK_EQ(region_merge(&rs, a, a), EINVAL);
	/* 1 + 2, then 3 + 1: back to four slots in order. */
	CHECK_EQ(region_merge(&rs, a, b), OK);
	CHECK_EQ_U(a->length, 3 * PG);
	CHECK(a->slots != &a->slot1);
	CHECK(a->slots[0] == token(10) && a->slots[1] == token(11) &&
		a->slots[2] == token(12));
	CHECK_EQ(region_merge(&rs, a, c), OK);
	CHECK_EQ(region_count(&rs), 1);
	for (uint32_t i = 0; i < 4; i++)
		CHECK(a->slots[i] == token(10 + i));
	CHECK(region_lookup(&rs, 0x803fff) == a);
	CHECK_EQ(region_check(&rs), 0);
	/* An empty heap after a region merges onto it as nothing. */
	b = insert(0x804000, 0, REGION_HEAP);
	CHECK_EQ(region_merge(&rs, a, b), OK);
	CHECK_EQ_U(a->length, 4 * PG);
	CHECK(region_at(&rs, 0x804000) == NULL);
	/* Two one-page regions make a two-slot array. */
	b = insert(0x900000, PG, 0);
	c = insert(0x901000, PG, 0);
	b->slot1 = token(20);
	c->slot1 = token(21);
	CHECK_EQ(region_merge(&rs, b, c), OK);
	CHECK(b->slots != &b->slot1);
	CHECK(b->slots[0] == token(20) && b->slots[1] == token(21));
	CHECK_EQ(region_check(&rs), 0);
	region_set_clear(&rs);
}

TEST(vm_region, find_free_avoids_every_region)
{
	vir_bytes at;

	region_set_init(&rs);
	insert(0x10000, 2 * PG, 0);
	insert(0x13000, 0, REGION_HEAP);	/* an empty heap in a gap */
	insert(0x15000, PG, 0);
	/* 0x12000 is free, 0x13000 holds the heap, 0x14000 is free. */
	CHECK_EQ(region_find_free(&rs, PG, 0x10000, 0x20000, &at), OK);
	CHECK_EQ_U(at, 0x12000);
	CHECK_EQ(region_find_free(&rs, 2 * PG, 0x10000, 0x20000, &at), OK);
	CHECK_EQ_U(at, 0x16000);
	/* A range may end where the heap starts, never contain it. */
	CHECK_EQ(region_find_free(&rs, PG, 0x12000, 0x13000, &at), OK);
	CHECK_EQ(region_find_free(&rs, PG, 0x13000, 0x14000, &at), ENOMEM);
	CHECK_EQ(region_find_free(&rs, PG, 0x13000, 0x15000, &at), OK);
	CHECK_EQ_U(at, 0x14000);
	/* Bounds: unaligned lo rounds up, hi bounds the end. */
	CHECK_EQ(region_find_free(&rs, PG, 0x11001, 0x13000, &at), OK);
	CHECK_EQ_U(at, 0x12000);
	CHECK_EQ(region_find_free(&rs, 2 * PG, 0x10000, 0x17fff, &at),
		ENOMEM);
	CHECK_EQ(region_find_free(&rs, PG, 0x20000, 0x20000, &at), ENOMEM);
	/* The hint is tried first, then the space below it. */
	rs.hint = 0x14000;
	CHECK_EQ(region_find_free(&rs, PG, 0x10000, 0x20000, &at), OK);
	CHECK_EQ_U(at, 0x14000);
	rs.hint = 0x15800;
	CHECK_EQ(region_find_free(&rs, PG, 0x10000, 0x20000, &at), OK);
	CHECK_EQ_U(at, 0x16000);
	CHECK_EQ(region_find_free(&rs, PG, 0x10000, 0x16000, &at), OK);
	CHECK_EQ_U(at, 0x12000);
	/* The empty heap bars a range across it, hint on it or not. */
	rs.hint = 0x13000;
	CHECK_EQ(region_find_free(&rs, 2 * PG, 0x10000, 0x15000, &at),
		ENOMEM);
	/* A gap straddling the hint is found by the second look. */
	rs.hint = 0x17000;
	CHECK_EQ(region_find_free(&rs, 2 * PG, 0x16000, 0x18000, &at), OK);
	CHECK_EQ_U(at, 0x16000);
	/* The top of the address space. */
	rs.hint = 0;
	insert(0xffffe000u, PG, 0);
	CHECK_EQ(region_find_free(&rs, PG, 0xffffd000u, 0xffffffffu, &at),
		OK);
	CHECK_EQ_U(at, 0xffffd000u);
	CHECK_EQ(region_find_free(&rs, PG, 0xffffe000u, 0xffffffffu, &at),
		ENOMEM);
	region_set_clear(&rs);
}

/* --- random operations against a page-by-page model ---------------------- */

#define BASE		0x40000000u
#define SPACE_PAGES	384
#define MODEL_MAX	SPACE_PAGES

struct mreg {
	vir_bytes start, len;
	uint32_t flags;
	struct region *r;	/* pointers stay valid: checked */
};
static struct mreg mod[MODEL_MAX];
static uint32_t nmod;
/* What each page's slot must hold while a region covers it. */
static struct phys_block *mslot[SPACE_PAGES];
static uintptr_t next_token = 1;

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng_state >> 33) % n;
}

static uint32_t page_of(vir_bytes va)
{
	return (va - BASE) / PG;
}

static uint64_t occ_end(vir_bytes s, vir_bytes l)
{
	return (uint64_t)s + (l ? l : 1);
}

/* Whether [s, s+l) (an empty one holding s) meets a model region other
 * than skip. */
static int model_conflict(vir_bytes s, vir_bytes l, int skip)
{
	for (uint32_t i = 0; i < nmod; i++)
		if ((int)i != skip && s < occ_end(mod[i].start, mod[i].len) &&
		    mod[i].start < occ_end(s, l))
			return 1;
	return 0;
}

static int model_index(const struct region *r)
{
	for (uint32_t i = 0; i < nmod; i++)
		if (mod[i].r == r)
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

/* The lowest-starting model region whose occupied end lies above a. */
static struct region *model_from(vir_bytes a)
{
	struct region *best = NULL;
	vir_bytes best_start = 0;

	for (uint32_t i = 0; i < nmod; i++)
		if (occ_end(mod[i].start, mod[i].len) > a &&
		    (best == NULL || mod[i].start < best_start)) {
			best = mod[i].r;
			best_start = mod[i].start;
		}
	return best;
}

static void model_drop(int i)
{
	mod[i] = mod[--nmod];
}

/* The set matches the model: same regions (same pointers), in order,
 * each slot holding its page's value. */
static void compare_all(void)
{
	const struct region *r, *prev = NULL;
	uint32_t seen = 0;

	CHECK_EQ(region_check(&rs), 0);
	CHECK_EQ(region_count(&rs), nmod);
	for (r = region_first(&rs); r; prev = r, r = region_next(&rs, r)) {
		int i = model_index(r);

		if (i < 0)
			FAILF("region 0x%x not in the model", r->start);
		CHECK_EQ_U(r->start, mod[i].start);
		CHECK_EQ_U(r->length, mod[i].len);
		CHECK_EQ(r->flags, mod[i].flags);
		CHECK(region_prev(&rs, r) == prev);
		for (vir_bytes va = r->start; va < region_end(r); va += PG)
			if (*region_slot((struct region *)r, va) !=
			    mslot[page_of(va)])
				FAILF("slot of 0x%x in region 0x%x+0x%x",
					va, r->start, r->length);
		seen++;
	}
	CHECK_EQ(seen, nmod);
}

/* The free start the spec promises: above the hint if there is one
 * there, else the lowest; 0 for none. */
static vir_bytes model_find_free(vir_bytes len, vir_bytes lo, vir_bytes hi,
	vir_bytes hint)
{
	uint64_t from = ((uint64_t)lo + PG - 1) & ~(uint64_t)(PG - 1);
	uint64_t h = ((uint64_t)hint + PG - 1) & ~(uint64_t)(PG - 1);
	uint64_t top = hi & ~(PG - 1);

	if (h > from && h < top)
		for (uint64_t s = h; s + len <= top; s += PG)
			if (!model_conflict((vir_bytes)s, len, -1))
				return (vir_bytes)s;
	for (uint64_t s = from; s + len <= top; s += PG)
		if (!model_conflict((vir_bytes)s, len, -1))
			return (vir_bytes)s;
	return 0;
}

static void op_insert(vir_bytes s)
{
	vir_bytes l = rnd(4) ? (1 + rnd(12)) * PG : 0;
	uint32_t flags = rnd(8);
	int want = model_conflict(s, l, -1) ? EINVAL : OK;
	struct region *r = NULL;

	if (rnd(50) == 0) {
		s += 1 + rnd(PG - 1);	/* unaligned */
		want = EINVAL;
	}
	if (page_of(s) + l / PG > SPACE_PAGES)
		return;			/* outside the model */
	CHECK_EQ(region_insert(&rs, s, l, MT_ANON, flags, &r), want);
	if (want != OK)
		return;
	CHECK(r != NULL);
	mod[nmod++] = (struct mreg){ s, l, flags, r };
	for (vir_bytes va = s; va < s + l; va += PG)
		mslot[page_of(va)] = NULL;
}

static void op_resize(int i)
{
	vir_bytes l = rnd(24) * PG;
	int want = model_conflict(mod[i].start, l, i) ? ENOMEM : OK;

	if (page_of(mod[i].start) + l / PG > SPACE_PAGES)
		return;
	if (rnd(30) == 0) {
		l += 1 + rnd(PG - 1);
		want = EINVAL;
	}
	CHECK_EQ(region_resize(&rs, mod[i].r, l), want);
	if (want != OK)
		return;
	for (vir_bytes va = mod[i].start + mod[i].len;
	     va < mod[i].start + l; va += PG)
		mslot[page_of(va)] = NULL;	/* new pages: no block */
	mod[i].len = l;
}

static void op_split(int i)
{
	struct region *tail = NULL;
	vir_bytes off = rnd(14) * PG;
	int want = off > 0 && off < mod[i].len ? OK : EINVAL;

	if (rnd(30) == 0) {
		off += PG / 2;
		want = EINVAL;
	}
	mod[i].r->u.phys = (phys_bytes)next_token;
	CHECK_EQ(region_split(&rs, mod[i].r, off, &tail), want);
	if (want != OK)
		return;
	CHECK_EQ_U(tail->start, mod[i].start + off);
	CHECK_EQ(tail->flags, mod[i].flags);
	CHECK_EQ_U(tail->u.phys, next_token);
	next_token++;
	mod[nmod++] = (struct mreg){ tail->start, mod[i].len - off,
		mod[i].flags, tail };
	mod[i].len = off;
}

static void op_merge(int i)
{
	struct region *b = region_next(&rs, mod[i].r);
	int want, j;

	if (b == NULL)
		return;
	want = b->start == mod[i].start + mod[i].len ? OK : EINVAL;
	CHECK_EQ(region_merge(&rs, mod[i].r, b), want);
	if (want != OK)
		return;
	j = model_index(b);
	CHECK_GE(j, 0);
	mod[i].len += mod[j].len;
	model_drop(j);
}

static void op_find_free(void)
{
	vir_bytes len = (1 + rnd(8)) * PG, at = 0;
	vir_bytes lo = BASE + rnd(SPACE_PAGES * PG);
	vir_bytes hi = BASE + rnd(SPACE_PAGES * PG + 1);
	vir_bytes want;

	rs.hint = rnd(4) ? BASE + rnd(SPACE_PAGES * PG) : rnd(3) * BASE;
	want = model_find_free(len, lo, hi, rs.hint);
	CHECK_EQ(region_find_free(&rs, len, lo, hi, &at),
		want ? OK : ENOMEM);
	if (want == 0)
		return;
	CHECK_EQ_U(at, want);
	/* Map it, as mmap would, now and then. */
	if (rnd(2) == 0) {
		struct region *r = NULL;

		CHECK_EQ(region_insert(&rs, at, len, MT_ANON, 0, &r), OK);
		mod[nmod++] = (struct mreg){ at, len, 0, r };
		for (vir_bytes va = at; va < at + len; va += PG)
			mslot[page_of(va)] = NULL;
	}
}

static void op_fill_slot(int i)
{
	vir_bytes va;

	if (mod[i].len == 0)
		return;
	va = mod[i].start + rnd(mod[i].len / PG) * PG;
	mslot[page_of(va)] = token(next_token);
	*region_slot(mod[i].r, va) = token(next_token++);
}

static void random_step(uint32_t *counts)
{
	uint32_t op = rnd(100);
	vir_bytes s = BASE + rnd(SPACE_PAGES) * PG;
	int i = nmod ? (int)rnd(nmod) : -1;

	if (op < 25) {
		op_insert(s);
	} else if (op < 40) {
		vir_bytes a = s + rnd(PG);
		int m = model_lookup(a);

		CHECK(region_lookup(&rs, a) == (m < 0 ? NULL : mod[m].r));
		CHECK(region_from(&rs, a) == model_from(a));
	} else if (op < 50) {
		if (i < 0)
			return;
		region_remove(&rs, mod[i].r);
		model_drop(i);
	} else if (op < 60) {
		if (i >= 0)
			op_resize(i);
	} else if (op < 70) {
		if (i >= 0)
			op_split(i);
	} else if (op < 80) {
		if (i >= 0)
			op_merge(i);
	} else if (op < 88) {
		op_find_free();
	} else if (i >= 0) {
		op_fill_slot(i);
	}
	counts[op / 10]++;
}

TEST(vm_region, random_against_model)
{
	uint64_t seed = 0x5eed0003;
	uint32_t counts[10] = { 0 }, peak = 0;

	printf("vm_region.random_against_model: seed 0x%llx\n",
		(unsigned long long)seed);
	rng_state = seed;
	nmod = 0;
	region_set_init(&rs);
	for (uint32_t op = 0; op < 30000; op++) {
		random_step(counts);
		CHECK_EQ(region_check(&rs), 0);
		if (op % 16 == 0)
			compare_all();
		if (nmod > peak)
			peak = nmod;
	}
	compare_all();
	for (int c = 0; c < 10; c++)
		CHECK_GE(counts[c], 1000);
	CHECK_GE(peak, 30);
	region_set_clear(&rs);
}

/* --- many regions --------------------------------------------------------- */

#define MANY	100000

static double seconds(clock_t from)
{
	return (double)(clock() - from) / CLOCKS_PER_SEC;
}

/* Maps MANY ranges one after another with the hint moved past each, as
 * mmap does: every search starts at a free place, so the run must stay
 * O(n log n), where searching from lo each time would be O(n^2). */
TEST(vm_region, hundred_thousand_maps)
{
	static struct region *made[MANY];
	vir_bytes lo = 0x10000000u, hi = 0xf0000000u, at, hole;
	clock_t t0;
	double took;

	region_set_init(&rs);
	rs.hint = lo;
	t0 = clock();
	for (uint32_t i = 0; i < MANY; i++) {
		vir_bytes len = (1 + i % 3) * PG;

		CHECK_EQ(region_find_free(&rs, len, lo, hi, &at), OK);
		CHECK_EQ(region_insert(&rs, at, len, MT_ANON, i, &made[i]), OK);
		rs.hint = at + len;
	}
	took = seconds(t0);
	printf("vm_region.hundred_thousand_maps: %u finds and inserts in "
		"%.3f s\n", MANY, took);
	CHECK(took < 1.0);
	CHECK_EQ(region_count(&rs), MANY);
	CHECK_EQ(region_check(&rs), 0);
	for (uint32_t i = 0; i < MANY; i++) {
		struct region *r = made[i];

		CHECK(region_lookup(&rs, r->start) == r);
		CHECK(region_lookup(&rs, region_end(r) - 1) == r);
		CHECK(region_at(&rs, r->start) == r);
		CHECK_EQ(r->flags, i);
	}
	/* Holes: every other region gone; a search from lo finds the
	 * first, one from a hint the one at the hint. */
	hole = made[MANY - 2]->start;
	for (uint32_t i = 0; i < MANY; i += 2)
		region_remove(&rs, made[i]);
	CHECK_EQ(region_check(&rs), 0);
	rs.hint = 0;
	CHECK_EQ(region_find_free(&rs, PG, lo, hi, &at), OK);
	CHECK_EQ_U(at, lo);
	rs.hint = hole;
	CHECK_EQ(region_find_free(&rs, PG, lo, hi, &at), OK);
	CHECK_EQ_U(at, hole);
	region_set_clear(&rs);
}

int main(int argc, char **argv)
{
	return check_main(argc, argv);
}
