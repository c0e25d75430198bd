/*
 * Physical blocks: one page frame each, with the count of the slots (in
 * regions or the block cache) that refer to it. A block with more than
 * one reference is copy-on-write unless it is PB_SHARED (reached through
 * a grant: every holder sees every write). The count cannot overflow
 * silently: pb_ref refuses past PB_REFS_MAX.
 */
#ifndef CAIRN_VM_PHYSBLOCK_H
#define CAIRN_VM_PHYSBLOCK_H

#include <stdint.h>
#include "cairn/types.h"
#include "cairn/errno.h"
#include "vm/slab.h"

#define PB_SHARED	0x1	/* writes are seen by every holder */
#define PB_CONTIG	0x2	/* part of a contiguous run (informational) */

#define PB_REFS_MAX	0xffffu

struct phys_block {
	phys_bytes phys;	/* the frame */
	uint16_t refs;
	uint16_t flags;		/* PB_* */
	/* The sanity check's count of the references it found. */
	uint32_t seen_walk;	/* the walk that last counted it */
	uint32_t seen_refs;
};

/* A block for frame phys with one reference, or NULL (no memory for the
 * record: the frame stays the caller's). */
struct phys_block *pb_new(phys_bytes phys, uint16_t flags);

/* From now on every holder may write it (a grant shared it). */
void pb_set_shared(struct phys_block *pb);

/* One reference less, out of line: the last frees the frame and the
 * record; none at all panics. */
void pb_release(struct phys_block *pb);

/* The last reference of each of n blocks (each has exactly one: else
 * panic) goes, with its frame and record: a batch of pb_unref. */
void pb_free_last(struct phys_block **pbs, uint32_t n);

/* One more reference: OK, or EOVERFLOW (nothing changed) at the limit.
 * Inline: copy-on-write sharing takes one per page. */
static inline int pb_ref(struct phys_block *pb)
{
	if (pb->refs == PB_REFS_MAX)
		return EOVERFLOW;
	USE(pb, pb->refs++;);
	return OK;
}

/* One reference less; the last frees the frame and the record. */
static inline void pb_unref(struct phys_block *pb)
{
	if (pb->refs > 1) {
		USE(pb, pb->refs--;);
		return;
	}
	pb_release(pb);
}

/* May a holder map the frame writable (its region allowing writes)? */
static inline int pb_writable(const struct phys_block *pb)
{
	return pb->refs == 1 || (pb->flags & PB_SHARED);
}

/* Records allocated now (for the leak check and statistics). */
uint32_t pb_count(void);

/*
 * The sanity check of references (vm/sanity.c): pb_walk_begin starts a
 * walk; every holder's reference is counted with sanity_block, the first
 * also marking the frame as owned; then pb_walk_verify of every block
 * held somewhere panics unless the walk found exactly refs references.
 */
void pb_walk_begin(void);
void sanity_block(struct phys_block *pb);
void pb_walk_verify(const struct phys_block *pb);

#endif /* CAIRN_VM_PHYSBLOCK_H */
