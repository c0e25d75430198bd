/*
 * Page faults and kernel memory requests. Both come down to "make this
 * page present (and writable)": find the region, check the access against
 * it, and let the region's memory type bring the page in. A new present
 * page needs no TLB invalidation; a process that touches memory outside
 * its regions is killed, never VM.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include "vm/fault.h"
#include "vm/reply.h"
#include "vm/exit.h"
#include "vm/frame.h"
#include "vm/layout.h"
#include "vm/memtype.h"
#include "vm/pt.h"
#include "vm/tlb.h"
#include "cairn/complain.h"
#include "cairn/serverloop.h"
#include "cairn/syslib.h"

static uint32_t faults_served;

uint32_t fault_count(void)
{
	return faults_served;
}

int fault_make_present(struct vmproc *vmp, vir_bytes va, int write,
	struct tlb_batch *tb)
{
	struct region *r = region_lookup(&vmp->regions, va);
	uint32_t pte;

	if (r == NULL)
		return FAULT_NOREGION;
	if (write && !(r->flags & REGION_WRITE))
		return FAULT_READONLY;
	if (pt_lookup(vmp->pgdir, va, &pte) == OK && (!write || (pte & PTE_W)))
		return OK;	/* already there: another CPU, a stale TLB */
	return mem_type_of(r)->page_fault(vmp, r, page_trunc(va), write, tb);
}

int fault_make_range_present(struct vmproc *vmp, vir_bytes addr,
	uint32_t len, int write)
{
	struct tlb_batch tb;
	vir_bytes last;

	if (len == 0)
		return OK;
	if (addr + (len - 1) < addr)
		return EFAULT;	/* wraps around 4 GiB */
	last = page_trunc(addr + (len - 1));
	tlb_init(&tb, vmp->ep);
	for (vir_bytes va = page_trunc(addr);; va += VM_PAGE_SIZE) {
		int err = fault_make_present(vmp, va, write, &tb);

		if (err == FAULT_NOREGION || err == FAULT_READONLY)
			err = EFAULT;
		if (err != OK || va == last) {
			tlb_flush(&tb);
			return err;
		}
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

/* What CLEAR_PAGEFAULT reads of its message: op, ep and v.clear. */
#define CLEAR_BYTES	(offsetof(struct sys_vmctl, v.clear) + \
	sizeof(((struct sys_vmctl *)0)->v.clear))

/* CLEAR_PAGEFAULT failed (server_kcall). */
static void clear_failed(const message *call, int r)
{
	endpoint_t ep = call->u.vmctl.ep;

	frame_pool_idle_lost();	/* asked again after the request */
	/* Not waiting in a page fault: the message came from the process
	 * itself, not from the kernel on its behalf. What it asked for
	 * touched only its own memory; it gets an answer, not silence. */
	if (r == EINVAL)
		reply_to(ep, EINVAL, 0, 0);
	else
		printf("vm: CLEAR_PAGEFAULT of %d failed: %d\n", ep, r);
}

void fault_pagefault(const message *m)
{
	struct vmproc *vmp = vmproc_lookup(m->m_source);
	const struct mess_pagefault *pf = &m->u.pagefault;
	int write = (pf->err & PF_ERR_W) != 0;
	struct tlb_batch tb;
	struct sys_vmctl clear;
	int err;

	if (vmp == NULL) {
		complain("vm: page fault of unknown process %d at 0x%x, "
			"ignored\n", m->m_source, pf->addr);
		return;
	}
	tlb_init(&tb, vmp->ep);
	err = fault_make_present(vmp, pf->addr, write, &tb);
	if (err != OK) {
		printf("vm: %s (%d): %s of 0x%x at eip 0x%x (error 0x%x): "
			"%s; killed\n", vmp->name, vmp->ep,
			write ? "write" : "read", pf->addr, pf->eip, pf->err,
			fault_why(err));
		tlb_flush(&tb);
		exit_kill(vmp, err == ENOMEM ? ENOMEM : EFAULT);
		return;
	}
	faults_served++;
	/* A copy-on-write break replaced the frame under the old mapping:
	 * its invalidation rides on the same kernel call, and so does the
	 * request for an idle moment when the fault took a pool frame. The
	 * call goes with VM's next receive, in one kernel entry; the
	 * faulter stays blocked until then, and nothing VM does in between
	 * reuses a frame. */
	if (tb.n > 1)
		tlb_flush(&tb);
	clear.op = VMCTL_CLEAR_PAGEFAULT;
	clear.ep = vmp->ep;
	clear.v.clear.addr = tb.n == 1 ? tb.va[0] : 0;
	clear.v.clear.pages = tb.n == 1;
	clear.v.clear.flags = frame_pool_want_idle() ? VMCTL_CLEAR_IDLE : 0;
	server_kcall(SYS_VMCTL, &clear, CLEAR_BYTES, clear_failed);
}

static int memreq_serve(const struct vmctl_memreq *rq)
{
	struct vmproc *vmp = vmproc_lookup(rq->space);
	int err;

	/* A granter that exited under a copy through its grant: the copy
	 * fails, nobody else is concerned. */
	if (vmp == NULL)
		return EFAULT;
	err = fault_make_range_present(vmp, rq->addr, rq->len, rq->write);
	if (err != OK)
		complain("vm: memory request of %s (%d) for [0x%x,+0x%x) %s: "
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
