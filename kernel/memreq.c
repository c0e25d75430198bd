/*
 * The queue of memory requests: kernel copies into or out of a process
 * that faulted on a page VM must first make present (or writable). VM
 * takes them with VMCTL_MEMREQ_GET and answers each with
 * VMCTL_MEMREQ_REPLY; memreq_post (ipc.c) queues one and tells VM.
 */
#include "kernel/memreq.h"
#include "kernel/proc.h"
#include "kernel/sched.h"

static struct proc *memreq_head, *memreq_tail;

void memreq_queue(struct proc *p, vir_bytes addr, uint32_t len, int write)
{
	p->p_memreq.addr = addr;
	p->p_memreq.len = len;
	p->p_memreq.write = write;
	p->p_memreq.result = OK;
	p->p_memreq.next = 0;
	p->p_memreq.space = p->p_endpoint;
	if (memreq_tail)
		memreq_tail->p_memreq.next = p;
	else
		memreq_head = p;
	memreq_tail = p;
	proc_rts_set(p, RTS_VMREQUEST);
}

struct proc *memreq_next(void)
{
	struct proc *p = memreq_head;

	if (p) {
		memreq_head = p->p_memreq.next;
		if (!memreq_head)
			memreq_tail = 0;
		p->p_memreq.next = 0;
	}
	return p;
}

void memreq_forget(struct proc *p)
{
	struct proc *prev = 0;

	for (struct proc *x = memreq_head; x; prev = x, x = x->p_memreq.next) {
		if (x != p)
			continue;
		if (prev)
			prev->p_memreq.next = x->p_memreq.next;
		else
			memreq_head = x->p_memreq.next;
		if (memreq_tail == x)
			memreq_tail = prev;
		return;
	}
}
