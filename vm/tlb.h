/*
 * Batched TLB invalidation. One VM operation (an unmap, a fork's
 * write-protection, a block yielded to the cache) collects the pages
 * whose mapping it took away or downgraded, and tlb_flush invalidates
 * them all in one kernel call: INVLPG of each on the CPUs that have the
 * space loaded, or one full flush when there are more than
 * VMCTL_INVLPG_MAX. Pages that only became present are never added.
 */
#ifndef CAIRN_VM_TLB_H
#define CAIRN_VM_TLB_H

#include <stdint.h>
#include "cairn/ipc.h"

struct tlb_batch {
	endpoint_t ep;		/* whose address space */
	uint32_t n;		/* VMCTL_INVLPG_MAX + 1 means "all" */
	vir_bytes va[VMCTL_INVLPG_MAX + 1];
};

static inline void tlb_init(struct tlb_batch *tb, endpoint_t ep)
{
	tb->ep = ep;
	tb->n = 0;
}

static inline void tlb_add(struct tlb_batch *tb, vir_bytes va)
{
	if (tb->n <= VMCTL_INVLPG_MAX)
		tb->va[tb->n++] = va;
}

/* Invalidates what the batch holds (nothing: no call) and empties it. */
void tlb_flush(struct tlb_batch *tb);

#endif /* CAIRN_VM_TLB_H */
