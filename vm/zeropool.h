/*
 * The pool of pre-zeroed frames: frames VM zeroed ahead of need, when its
 * CPU had nothing else to do, so that a zero-fill fault (or any zeroed
 * allocation) takes one instead of zeroing it then. A plain stack of
 * frames, no policy: frame.c decides when it is filled, taken from and
 * emptied (vm/README.md, "The pool of zeroed frames"). Portable.
 */
#ifndef CAIRN_VM_ZEROPOOL_H
#define CAIRN_VM_ZEROPOOL_H

#include <stdint.h>
#include "cairn/types.h"

/* The most frames a pool holds: 256 KiB, more than a burst of faults
 * between two idle moments usually takes (ubench's 35 samples). */
#define ZEROPOOL_MAX	64u

struct zeropool {
	phys_bytes frame[ZEROPOOL_MAX];	/* [0, n): zeroed, nobody's */
	uint32_t n;
	uint32_t target;	/* refilled up to this many (<= ZEROPOOL_MAX) */
};

/* An empty pool that wants target frames (clipped to ZEROPOOL_MAX). */
void zeropool_init(struct zeropool *zp, uint32_t target);

/* Adds a frame the caller zeroed. 0 (and nothing kept) when the pool
 * already holds target frames. */
int zeropool_put(struct zeropool *zp, phys_bytes pa);

/* A frame below limit (0: any), taken out; 0 when there is none. */
phys_bytes zeropool_take(struct zeropool *zp, phys_bytes limit);

/* How many frames the pool lacks to reach its target. */
static inline uint32_t zeropool_missing(const struct zeropool *zp)
{
	return zp->n < zp->target ? zp->target - zp->n : 0;
}

/* How many of its frames lie below limit. */
uint32_t zeropool_count_below(const struct zeropool *zp, phys_bytes limit);

#endif /* CAIRN_VM_ZEROPOOL_H */
