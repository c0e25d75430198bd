/*
 * Page faults and kernel memory requests. Both come down to "make this
 * page present (and writable)": find the region, check the access against
 * it, and let the region's memory type bring the page in. A new present
 * page needs no TLB invalidation; a process that touches memory outside
 * its regions is killed, never VM.
 */
#include <stdio.h>
#include <stdlib.h>
#include "vm/fault.h"
#include "vm/exit.h"
#include "vm/layout.h"
#include "vm/memtype.h"
#include "vm/pt.h"
#include "cairn/syslib.h"

#define PF_ERR_P	0x1	/* present: a protection fault */
#define PF_ERR_W	0x2	/* the access was a write */

int fault_make_present(struct vmproc *vmp, vir_bytes va, int write)
{
	struct region *r = region_lookup(&vmp->regions, va);
	uint32_t pte;

	if (r == NULL)
		return FAULT_NOREGION;
	if (write && !(r->flags & REGION_WRITE))
		return FAULT_READONLY;
	if (pt_lookup(vmp->pgdir, va, &pte) == OK && (!write || (pte & PTE_W)))
		return OK;	/* already there: another CPU, a stale TLB */
	if (r->type >= MT_COUNT || mem_types[r->type] == NULL)
		panic("vm: region 0x%x of %d has memory type %u", r->start,
			vmp->ep, r->type);
	return mem_types[r->type]->page_in(vmp, r, page_trunc(va), write);
}

int fault_make_range_present(struct vmproc *vmp, vir_bytes addr,
	uint32_t len, int write)
{
	vir_bytes last;

	if (len == 0)
		return OK;
	if (addr + (len - 1) < addr)
		return EFAULT;	/* wraps around 4 GiB */
	last = page_trunc(addr + (len - 1));
	for (vir_bytes va = page_trunc(addr);; va += VM_PAGE_SIZE) {
		int err = fault_make_present(vmp, va, write);

		if (err == FAULT_NOREGION || err == FAULT_READONLY)
			return EFAULT;
		if (err != OK)
			return err;
		if (va == last)
			return OK;
	}
}

static const char *fault_why(int err)
{
	switch (err) {
	case FAULT_NOREGION:	return "no memory there";
	case FAULT_READONLY:	return "write to read-only memory";
	case ENOMEM:		return "out of memory";
	default:		return "cannot map the page";
	}
}

void fault_pagefault(const message *m)
{
	struct vmproc *vmp = vmproc_lookup(m->m_source);
	const struct mess_pagefault *pf = &m->u.pagefault;
	int write = (pf->err & PF_ERR_W) != 0;
	int err, r;

	if (vmp == NULL) {
		printf("vm: page fault of unknown process %d at 0x%x, "
			"ignored\n", m->m_source, pf->addr);
		return;
	}
	err = fault_make_present(vmp, pf->addr, write);
	if (err != OK) {
		printf("vm: %s (%d): %s of 0x%x at eip 0x%x (error 0x%x): "
			"%s; killed\n", vmp->name, vmp->ep,
			write ? "write" : "read", pf->addr, pf->eip, pf->err,
			fault_why(err));
		exit_process(vmp, EFAULT);
		return;
	}
	r = vmctl_clear_pagefault(vmp->ep);
	if (r != OK)
		printf("vm: CLEAR_PAGEFAULT of %d failed: %d\n", vmp->ep, r);
}

static int memreq_serve(const struct vmctl_memreq *rq)
{
	struct vmproc *vmp = vmproc_lookup(rq->requestor);
	int err;

	if (vmp == NULL) {
		printf("vm: memory request for unknown process %d\n",
			rq->requestor);
		return EFAULT;
	}
	err = fault_make_range_present(vmp, rq->addr, rq->len, rq->write);
	if (err != OK)
		printf("vm: memory request of %s (%d) for [0x%x,+0x%x) %s: "
			"%d\n", vmp->name, vmp->ep, rq->addr, rq->len,
			rq->write ? "write" : "read", err);
	return err;
}

void fault_memreqs(void)
{
	struct vmctl_memreq rq;
	int r;

	while ((r = vmctl_memreq_get(&rq)) == OK) {
		int result = memreq_serve(&rq);

		r = vmctl_memreq_reply(rq.requestor, result);
		if (r != OK)
			printf("vm: MEMREQ_REPLY to %d failed: %d\n",
				rq.requestor, r);
	}
	if (r != ESRCH)
		printf("vm: MEMREQ_GET failed: %d\n", r);
}
