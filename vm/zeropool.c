/*
 * The pool of pre-zeroed frames: a stack (see zeropool.h).
 */
#include "vm/zeropool.h"

void zeropool_init(struct zeropool *zp, uint32_t target)
{
	zp->n = 0;
	zp->target = target < ZEROPOOL_MAX ? target : ZEROPOOL_MAX;
}

int zeropool_put(struct zeropool *zp, phys_bytes pa)
{
	if (zp->n >= zp->target)
		return 0;
	zp->frame[zp->n++] = pa;
	return 1;
}

phys_bytes zeropool_take(struct zeropool *zp, phys_bytes limit)
{
	for (uint32_t i = zp->n; i-- > 0;) {
		phys_bytes pa = zp->frame[i];

		if (limit != 0 && pa >= limit)
			continue;
		zp->frame[i] = zp->frame[--zp->n];
		return pa;
	}
	return 0;
}

uint32_t zeropool_count_below(const struct zeropool *zp, phys_bytes limit)
{
	uint32_t c = 0;

	for (uint32_t i = 0; i < zp->n; i++)
		c += zp->frame[i] < limit;
	return c;
}
