/*
 * The one kernel call of a batch of invalidations.
 */
#include <stdio.h>
#include <stdlib.h>
#include "vm/tlb.h"
#include "vm/layout.h"
#include "cairn/syslib.h"

/* 1 if the batch is one run of consecutive pages, lowest first. */
static int one_run(const struct tlb_batch *tb)
{
	if (tb->n > VMCTL_INVLPG_MAX)
		return 0;
	for (uint32_t i = 1; i < tb->n; i++)
		if (tb->va[i] != tb->va[0] + i * VM_PAGE_SIZE)
			return 0;
	return 1;
}

void tlb_flush(struct tlb_batch *tb)
{
	int r;

	if (tb->n == 0)
		return;
	/* A run goes as a range: the kernel reads no list from VM. */
	if (one_run(tb))
		r = vmctl_invlpg(tb->ep, tb->va[0], tb->n);
	else
		r = vmctl_invlpg_list(tb->ep, tb->va, tb->n);
	if (r != OK)
		panic("vm: INVLPG_LIST of %u page(s) of %d: %d", tb->n, tb->ep,
			r);
	tb->n = 0;
}
