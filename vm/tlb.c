/*
 * The one kernel call of a batch of invalidations.
 */
#include <stdio.h>
#include <stdlib.h>
#include "vm/tlb.h"
#include "cairn/syslib.h"

void tlb_flush(struct tlb_batch *tb)
{
	int r;

	if (tb->n == 0)
		return;
	r = vmctl_invlpg_list(tb->ep, tb->va, tb->n);
	if (r != OK)
		panic("vm: INVLPG_LIST of %u page(s) of %d: %d", tb->n, tb->ep,
			r);
	tb->n = 0;
}
