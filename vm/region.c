/*
 * Regions of one address space in an AVL tree keyed by start, each with
 * its array of page slots: lookup, insert, resize, split and merge, and
 * the search for a free range that maps and grants start from.
 */
#include <stdlib.h>
#include <string.h>
#include "vm/region.h"
#include "cairn/errno.h"

#define ADDR_SPACE_END	(1ull << 32)

static struct region *region_of(const struct avl_node *n)
{
	return n ? avl_entry(n, struct region, node) : NULL;
}

/* A region's end for overlap purposes: an empty one holds its start. */
static uint64_t occupied_end(vir_bytes start, vir_bytes len)
{
	return (uint64_t)start + (len ? len : 1);
}

static int aligned(vir_bytes x)
{
	return x % REGION_PAGE == 0;
}

/* A valid extent: aligned, and not wrapping past 4 GiB. */
static int extent_ok(vir_bytes start, vir_bytes len)
{
	return aligned(start) && aligned(len) &&
		(uint64_t)start + len <= ADDR_SPACE_END;
}

/* --- slot arrays ---------------------------------------------------------- */

static void slots_free(struct region *r)
{
	if (r->slots != &r->slot1)
		free(r->slots);
	r->slots = NULL;
	r->slot1 = NULL;
}

/* Gives r (whose length still says the old size) room for pages slots:
 * kept slots keep their blocks, new ones are NULL. ENOMEM leaves r as it
 * was; a shrink never fails. */
static int slots_resize(struct region *r, uint32_t pages)
{
	uint32_t old = region_pages(r);
	struct phys_block *first = old ? r->slots[0] : NULL, **v;

	if (pages == old)
		return OK;
	if (pages <= 1) {
		slots_free(r);
		if (pages == 1) {
			r->slot1 = first;
			r->slots = &r->slot1;
		}
		return OK;
	}
	if (old <= 1) {
		v = calloc(pages, sizeof(*v));
		if (v == NULL)
			return ENOMEM;
		v[0] = first;
	} else {
		v = realloc(r->slots, pages * sizeof(*v));
		if (v == NULL)
			return pages < old ? OK : ENOMEM;  /* keep the bigger */
		if (pages > old)
			memset(&v[old], 0, (pages - old) * sizeof(*v));
	}
	r->slot1 = NULL;
	r->slots = v;
	return OK;
}

/* A region outside any set, with pages NULL slots; NULL if no memory. */
static struct region *region_new(vir_bytes start, vir_bytes len,
	uint32_t type, uint32_t flags)
{
	struct region *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	if (slots_resize(r, len / REGION_PAGE) != OK) {
		free(r);
		return NULL;
	}
	r->node.key = start;
	r->start = start;
	r->length = len;
	r->type = type;
	r->flags = flags;
	return r;
}

static void region_free(struct region *r)
{
	slots_free(r);
	free(r);
}

/* --- the set -------------------------------------------------------------- */

void region_set_init(struct region_set *rs)
{
	avl_init(&rs->tree);
	rs->hint = 0;
}

/* Frees leaves first, so that no freed node is ever read again and no
 * rebalancing is done for nothing. */
void region_set_clear(struct region_set *rs)
{
	struct avl_node *n = rs->tree.root;

	while (n != NULL) {
		struct avl_node *parent = n->parent;

		if (n->left != NULL) {
			n = n->left;
		} else if (n->right != NULL) {
			n = n->right;
		} else {
			if (parent != NULL && parent->left == n)
				parent->left = NULL;
			else if (parent != NULL)
				parent->right = NULL;
			region_free(region_of(n));
			n = parent;
		}
	}
	region_set_init(rs);
}

uint32_t region_count(const struct region_set *rs)
{
	return rs->tree.count;
}

struct region *region_lookup(const struct region_set *rs, vir_bytes addr)
{
	struct region *r = region_of(avl_find_le(&rs->tree, addr));

	return r && addr - r->start < r->length ? r : NULL;
}

struct region *region_at(const struct region_set *rs, vir_bytes start)
{
	return region_of(avl_find(&rs->tree, start));
}

/* An empty region at addr counts as holding it, as it does for overlap:
 * a walk over [addr, ...) must meet it. */
struct region *region_from(const struct region_set *rs, vir_bytes addr)
{
	struct avl_node *n = avl_find_le(&rs->tree, addr);
	struct region *r = region_of(n);

	if (r != NULL && occupied_end(r->start, r->length) > addr)
		return r;
	return region_of(n ? avl_next(n) : avl_first(&rs->tree));
}

struct region *region_first(const struct region_set *rs)
{
	return region_of(avl_first(&rs->tree));
}

struct region *region_next(const struct region_set *rs,
	const struct region *r)
{
	(void)rs;
	return region_of(avl_next(&r->node));
}

struct region *region_prev(const struct region_set *rs,
	const struct region *r)
{
	(void)rs;
	return region_of(avl_prev(&r->node));
}

/* Whether [start, start+len) (an empty one holding start) is free of
 * every region. */
static int range_free(const struct region_set *rs, vir_bytes start,
	vir_bytes len)
{
	const struct region *r = region_from(rs, start);

	return r == NULL || r->start >= occupied_end(start, len);
}

int region_insert(struct region_set *rs, vir_bytes start, vir_bytes len,
	uint32_t type, uint32_t flags, struct region **out)
{
	struct region *r;

	if (!extent_ok(start, len) || !range_free(rs, start, len))
		return EINVAL;
	r = region_new(start, len, type, flags);
	if (r == NULL)
		return ENOMEM;
	if (avl_insert(&rs->tree, &r->node) != 0)
		panic("region: 0x%x is free but its key is taken", start);
	if (out != NULL)
		*out = r;
	return OK;
}

void region_remove(struct region_set *rs, struct region *r)
{
	avl_remove(&rs->tree, &r->node);
	region_free(r);
}

int region_resize(struct region_set *rs, struct region *r, vir_bytes len)
{
	const struct region *next = region_next(rs, r);
	int err;

	if (!extent_ok(r->start, len))
		return EINVAL;
	if (next != NULL && occupied_end(r->start, len) > next->start)
		return ENOMEM;
	if ((err = slots_resize(r, len / REGION_PAGE)) != OK)
		return err;
	r->length = len;
	return OK;
}

int region_split(struct region_set *rs, struct region *r, vir_bytes offset,
	struct region **tail)
{
	uint32_t front = offset / REGION_PAGE;
	struct region *t;

	if (!aligned(offset) || offset == 0 || offset >= r->length)
		return EINVAL;
	t = region_new(r->start + offset, r->length - offset, r->type,
		r->flags);
	if (t == NULL)
		return ENOMEM;
	t->u = r->u;
	memcpy(t->slots, &r->slots[front], region_pages(t) * sizeof(*t->slots));
	slots_resize(r, front);		/* a shrink: cannot fail */
	r->length = offset;
	if (avl_insert(&rs->tree, &t->node) != 0)
		panic("region: split of 0x%x at 0x%x found its key taken",
			r->start, offset);
	if (tail != NULL)
		*tail = t;
	return OK;
}

int region_merge(struct region_set *rs, struct region *a, struct region *b)
{
	uint32_t pages = region_pages(a);
	int err;

	if (a == b || b->start != region_end(a))
		return EINVAL;
	if ((err = slots_resize(a, pages + region_pages(b))) != OK)
		return err;
	if (b->length != 0)
		memcpy(&a->slots[pages], b->slots,
			region_pages(b) * sizeof(*b->slots));
	a->length += b->length;
	region_remove(rs, b);
	return OK;
}

/* --- free ranges ---------------------------------------------------------- */

static uint64_t page_round_up(uint64_t x)
{
	return (x + REGION_PAGE - 1) & ~(uint64_t)(REGION_PAGE - 1);
}

/* The lowest free range of len bytes starting in [from, stop) and ending
 * by hi, walking the gaps between regions upwards from from (aligned). */
static int gap_from(const struct region_set *rs, vir_bytes len,
	uint64_t from, uint64_t stop, uint64_t hi, vir_bytes *addr)
{
	const struct region *r;
	uint64_t at = from;

	if (at >= stop || at + len > hi)
		return ENOMEM;
	for (r = region_from(rs, (vir_bytes)at); r != NULL;
	     r = region_next(rs, r)) {
		if (r->start >= at + len)
			break;
		at = page_round_up(occupied_end(r->start, r->length));
		if (at >= stop || at + len > hi)
			return ENOMEM;
	}
	*addr = (vir_bytes)at;
	return OK;
}

int region_find_free(const struct region_set *rs, vir_bytes len,
	vir_bytes lo, vir_bytes hi, vir_bytes *addr)
{
	uint64_t from = page_round_up(lo);
	uint64_t hint = page_round_up(rs->hint);
	uint64_t top = hi & ~(REGION_PAGE - 1);

	if (len == 0 || !aligned(len))
		return EINVAL;
	/* Above the hint first; then below it, which only needs to look at
	 * starts the first pass did not. */
	if (hint > from && hint < top &&
	    gap_from(rs, len, hint, top, top, addr) == OK)
		return OK;
	return gap_from(rs, len, from, hint > from && hint < top ? hint : top,
		top, addr);
}

/* --- checking ------------------------------------------------------------- */

static int slots_shaped(const struct region *r)
{
	uint32_t pages = region_pages(r);

	if (pages == 0)
		return r->slots == NULL;
	if (pages == 1)
		return r->slots == &r->slot1;
	return r->slots != NULL && r->slots != &r->slot1;
}

int region_check(const struct region_set *rs)
{
	const struct region *r, *prev = NULL;

	if (avl_check(&rs->tree) != 0)
		return -1;
	for (r = region_first(rs); r; prev = r, r = region_next(rs, r)) {
		if (r->node.key != r->start)
			return -2;
		if (!extent_ok(r->start, r->length))
			return -3;
		if (prev != NULL &&
		    occupied_end(prev->start, prev->length) > r->start)
			return -4;
		if (!slots_shaped(r))
			return -5;
		if (r->type >= MT_COUNT)
			return -6;
	}
	return 0;
}
