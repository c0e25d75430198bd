/*
 * The regions of one address space: page-aligned ranges of virtual memory,
 * each with a memory type and flags, never overlapping, kept in address
 * order. The interface is what the later balanced tree will keep; for now
 * a sorted array searched by bisection backs it. Portable: also built and
 * tested on the host.
 */
#ifndef CAIRN_VM_REGION_H
#define CAIRN_VM_REGION_H

#include <stdint.h>
#include "cairn/types.h"

#define REGION_PAGE	4096u

/* Region flags. */
#define REGION_WRITE	0x1	/* user writes allowed */
#define REGION_HEAP	0x2	/* the break: grows with VM_BRK */
#define REGION_STACK	0x4	/* the initial stack */

/* Memory types (index of the type's operations in fault.c). */
#define MT_ANON		0	/* private, zero-filled when touched */

struct region {
	vir_bytes start;	/* page-aligned */
	vir_bytes length;	/* page multiple; 0: an empty heap */
	uint32_t flags;		/* REGION_* */
	uint32_t type;		/* MT_* */
};

struct region_set {
	struct region *v;	/* sorted by start */
	uint32_t n;
	uint32_t cap;
};

/*
 * Pointers to regions stay valid until the next insert or remove in the
 * same set (resize keeps them). A region of length 0 occupies its start
 * address for the purpose of overlap, so it still has its own place.
 */

void region_set_init(struct region_set *rs);

/* Drops every region and the set's storage. */
void region_set_clear(struct region_set *rs);

uint32_t region_count(const struct region_set *rs);

/* The region containing addr, or NULL. */
struct region *region_lookup(struct region_set *rs, vir_bytes addr);

/* The region starting exactly at start (empty ones included), or NULL. */
struct region *region_at(struct region_set *rs, vir_bytes start);

/* Address-order iteration: first region, or the one after r; NULL at
 * the end. */
struct region *region_first(struct region_set *rs);
struct region *region_next(struct region_set *rs, const struct region *r);

/* Adds [start, start+len). EINVAL: unaligned, wrapping past 4 GiB, or
 * overlapping a region; ENOMEM: no memory for the set. */
int region_insert(struct region_set *rs, vir_bytes start, vir_bytes len,
	uint32_t type, uint32_t flags);

/* Removes the region starting at start; ESRCH if there is none. */
int region_remove(struct region_set *rs, vir_bytes start);

/* Changes r's length (its start stays). EINVAL: unaligned or wrapping;
 * ENOMEM: it would run into the next region. */
int region_resize(struct region_set *rs, struct region *r, vir_bytes len);

/* 0 if the set keeps its promises (sorted, aligned, no overlap), else a
 * negative code. For tests and the sanity-check build. */
int region_check(const struct region_set *rs);

#endif /* CAIRN_VM_REGION_H */
