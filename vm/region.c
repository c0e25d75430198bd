/*
 * Regions of one address space as a sorted array: lookup by bisection,
 * insert and remove by moving the tail. Good for the handful of regions
 * a boot program has; the balanced tree replaces it behind region.h.
 */
#include <stdlib.h>
#include <string.h>
#include "vm/region.h"
#include "cairn/errno.h"

#define SET_MIN_CAP	8

/* A region's end for overlap purposes: an empty one holds its start. */
static uint64_t occupied_end(vir_bytes start, vir_bytes len)
{
	return (uint64_t)start + (len ? len : 1);
}

static int aligned(vir_bytes x)
{
	return x % REGION_PAGE == 0;
}

void region_set_init(struct region_set *rs)
{
	rs->v = NULL;
	rs->n = 0;
	rs->cap = 0;
}

void region_set_clear(struct region_set *rs)
{
	free(rs->v);
	region_set_init(rs);
}

uint32_t region_count(const struct region_set *rs)
{
	return rs->n;
}

/* Index of the last region starting at or below addr, or -1. */
static int32_t last_at_or_below(const struct region_set *rs, vir_bytes addr)
{
	int32_t lo = 0, hi = (int32_t)rs->n - 1, found = -1;

	while (lo <= hi) {
		int32_t mid = lo + (hi - lo) / 2;

		if (rs->v[mid].start <= addr) {
			found = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return found;
}

struct region *region_lookup(struct region_set *rs, vir_bytes addr)
{
	int32_t i = last_at_or_below(rs, addr);

	if (i < 0 || addr - rs->v[i].start >= rs->v[i].length)
		return NULL;
	return &rs->v[i];
}

struct region *region_at(struct region_set *rs, vir_bytes start)
{
	int32_t i = last_at_or_below(rs, start);

	return i >= 0 && rs->v[i].start == start ? &rs->v[i] : NULL;
}

struct region *region_first(struct region_set *rs)
{
	return rs->n ? &rs->v[0] : NULL;
}

struct region *region_next(struct region_set *rs, const struct region *r)
{
	uint32_t i = (uint32_t)(r - rs->v) + 1;

	return i < rs->n ? &rs->v[i] : NULL;
}

static int grow(struct region_set *rs)
{
	uint32_t cap = rs->cap ? rs->cap * 2 : SET_MIN_CAP;
	struct region *v;

	if (cap > UINT32_MAX / sizeof(*v))
		return ENOMEM;
	v = malloc(cap * sizeof(*v));
	if (v == NULL)
		return ENOMEM;
	if (rs->n)
		memcpy(v, rs->v, rs->n * sizeof(*v));
	free(rs->v);
	rs->v = v;
	rs->cap = cap;
	return OK;
}

int region_insert(struct region_set *rs, vir_bytes start, vir_bytes len,
	uint32_t type, uint32_t flags)
{
	uint64_t end = occupied_end(start, len);
	int32_t below = last_at_or_below(rs, start);
	uint32_t at = (uint32_t)(below + 1);
	int err;

	if (!aligned(start) || !aligned(len) ||
	    (uint64_t)start + len > 1ull << 32)
		return EINVAL;
	if (below >= 0 && occupied_end(rs->v[below].start,
			rs->v[below].length) > start)
		return EINVAL;
	if (at < rs->n && rs->v[at].start < end)
		return EINVAL;
	if (rs->n == rs->cap && (err = grow(rs)) != OK)
		return err;
	memmove(&rs->v[at + 1], &rs->v[at], (rs->n - at) * sizeof(rs->v[0]));
	rs->v[at] = (struct region){ start, len, flags, type };
	rs->n++;
	return OK;
}

int region_remove(struct region_set *rs, vir_bytes start)
{
	struct region *r = region_at(rs, start);
	uint32_t i;

	if (r == NULL)
		return ESRCH;
	i = (uint32_t)(r - rs->v);
	memmove(&rs->v[i], &rs->v[i + 1], (rs->n - i - 1) * sizeof(rs->v[0]));
	rs->n--;
	return OK;
}

int region_resize(struct region_set *rs, struct region *r, vir_bytes len)
{
	const struct region *next = region_next(rs, r);

	if (!aligned(len) || (uint64_t)r->start + len > 1ull << 32)
		return EINVAL;
	if (next != NULL && occupied_end(r->start, len) > next->start)
		return ENOMEM;
	r->length = len;
	return OK;
}

int region_check(const struct region_set *rs)
{
	if (rs->n > rs->cap || (rs->cap && rs->v == NULL))
		return -1;
	for (uint32_t i = 0; i < rs->n; i++) {
		const struct region *r = &rs->v[i];

		if (!aligned(r->start) || !aligned(r->length) ||
		    (uint64_t)r->start + r->length > 1ull << 32)
			return -2;
		if (i > 0 && occupied_end(rs->v[i - 1].start,
				rs->v[i - 1].length) > r->start)
			return -3;	/* unsorted or overlapping */
	}
	return 0;
}
