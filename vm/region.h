/*
 * The regions of one address space: page-aligned ranges of virtual memory,
 * each with a memory type and flags, never overlapping, kept in an AVL
 * tree keyed by start address so that lookup stays O(log n) however many
 * regions a process maps. A region holds one physical-block slot per
 * page: what the page is (NULL: nothing yet). This file keeps the tree
 * and the slot arrays; what a block is and when it is freed belongs to
 * the memory types (memtype.h). Portable: also built and tested on the
 * host.
 */
#ifndef CAIRN_VM_REGION_H
#define CAIRN_VM_REGION_H

#include <stdint.h>
#include "cairn/types.h"
#include "vm/avl.h"

#define REGION_PAGE	4096u

/* Region flags. */
#define REGION_WRITE	0x1	/* user writes allowed */
#define REGION_HEAP	0x2	/* the break: grows with VM_BRK */
#define REGION_STACK	0x4	/* the initial stack */
#define REGION_LOWER16M	0x8	/* contiguous: below 16 MiB */
#define REGION_UNCACHED	0x10	/* direct physical: device registers */

/* Memory types (index into mem_types[], memtype.h). */
#define MT_ANON		0	/* private, zero-filled, copy-on-write */
#define MT_CONTIG	1	/* physically contiguous, present from creation */
#define MT_PHYS		2	/* a given physical range */
#define MT_SHARED	3	/* another process's memory, through a grant */
#define MT_CACHE	4	/* a block got back from the block cache */
#define MT_COUNT	5

struct phys_block;

struct region {
	struct avl_node node;	/* key: start */
	vir_bytes start;	/* page-aligned */
	vir_bytes length;	/* page multiple; 0: an empty heap */
	uint32_t flags;		/* REGION_* */
	uint32_t type;		/* MT_* */
	/* length / REGION_PAGE slots; points at slot1 for a one-page
	 * region (no allocation), NULL for an empty one. */
	struct phys_block **slots;
	struct phys_block *slot1;
	/* Type data; split and merge copy it as it is, the memory type
	 * adjusts it (memtype.h split). */
	union {
		phys_bytes phys;	/* MT_CONTIG, MT_PHYS: first page's */
		struct {		/* MT_SHARED */
			endpoint_t owner;
			vir_bytes addr;	/* owner's address of our start */
			/* Safemap: whose kernel grant made it, and its id
			 * (VM_SAFEREVMAP); granter 0: a VM_GRANT mapping. */
			endpoint_t granter;
			uint32_t grant;
		} shared;
	} u;
};

struct region_set {
	struct avl_tree tree;
	vir_bytes hint;		/* where region_find_free looks first */
};

static inline uint32_t region_pages(const struct region *r)
{
	return r->length / REGION_PAGE;
}

static inline vir_bytes region_end(const struct region *r)
{
	return r->start + r->length;
}

/* The slot of the page holding va (inside r). */
static inline struct phys_block **region_slot(struct region *r, vir_bytes va)
{
	return &r->slots[(va - r->start) / REGION_PAGE];
}

/*
 * A region of length 0 occupies its start address for the purpose of
 * overlap, so it still has its own place. Pointers to regions stay valid
 * until that region is removed or merged away.
 */

void region_set_init(struct region_set *rs);

/* Drops every region and its slot array. The slots' blocks are the
 * caller's to release first. */
void region_set_clear(struct region_set *rs);

uint32_t region_count(const struct region_set *rs);

/* The region containing addr, or NULL. */
struct region *region_lookup(const struct region_set *rs, vir_bytes addr);

/* The region starting exactly at start (empty ones included), or NULL. */
struct region *region_at(const struct region_set *rs, vir_bytes start);

/* The region containing addr (an empty one starting there counts),
 * else the first one starting above it, or NULL: where a walk over
 * [addr, ...) begins. */
struct region *region_from(const struct region_set *rs, vir_bytes addr);

/* Address-order iteration; NULL past either end. */
struct region *region_first(const struct region_set *rs);
struct region *region_next(const struct region_set *rs,
	const struct region *r);
struct region *region_prev(const struct region_set *rs,
	const struct region *r);

/* Adds [start, start+len) with every slot NULL and u zeroed; *out (if
 * not NULL) is the new region. EINVAL: unaligned, wrapping past 4 GiB, or
 * overlapping a region; ENOMEM: no memory. */
int region_insert(struct region_set *rs, vir_bytes start, vir_bytes len,
	uint32_t type, uint32_t flags, struct region **out);

/* Takes r out of the set and frees it and its slot array. */
void region_remove(struct region_set *rs, struct region *r);

/* Changes r's length, its start staying. New slots are NULL; the caller
 * has released the blocks of slots a shrink drops. EINVAL: unaligned or
 * wrapping; ENOMEM: it would run into the next region, or no memory (r
 * unchanged then). */
int region_resize(struct region_set *rs, struct region *r, vir_bytes len);

/* Cuts r at offset (page-aligned, strictly inside): r keeps the front,
 * *tail (new, same type, flags and u) gets the rest and its slots.
 * EINVAL: bad offset; ENOMEM: no memory (r unchanged). */
int region_split(struct region_set *rs, struct region *r, vir_bytes offset,
	struct region **tail);

/* Joins b, which must start where a ends, onto a: a grows and takes b's
 * slots (a keeps its u), b is freed. EINVAL: not adjacent; ENOMEM: no
 * memory (a and b unchanged). */
int region_merge(struct region_set *rs, struct region *a, struct region *b);

/* A free range of len bytes (page multiple, > 0, else EINVAL) inside
 * [lo, hi), overlapping no region (empty ones included): *addr set and
 * OK, or ENOMEM. Looks above rs->hint first, then from lo, so that a run
 * of maps costs O(log n) each; the caller moves the hint. */
int region_find_free(const struct region_set *rs, vir_bytes len,
	vir_bytes lo, vir_bytes hi, vir_bytes *addr);

/* 0 if the set keeps its promises (tree sound, aligned, no overlap, slot
 * arrays sized), else a negative code. For tests and the sanity-check
 * build: O(n). */
int region_check(const struct region_set *rs);

#endif /* CAIRN_VM_REGION_H */
