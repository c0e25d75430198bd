/*
 * What VM does for RS beyond starting services (boot.c): the live
 * update's swap of two address spaces, and telling anyone a process's
 * service rights.
 */
#include <stdio.h>
#include <string.h>
#include "vm/service.h"
#include "vm/reply.h"
#include "vm/vmproc.h"
#include "cairn/complain.h"
#include "cairn/syslib.h"

/* The parts of a VM entry that belong to the program, not the slot:
 * they move with it in a live update. The endpoint, rights and manager
 * stay. */
static void swap_spaces(struct vmproc *a, struct vmproc *b)
{
	struct vmproc t = *a;

	a->pgdir = b->pgdir;
	a->regions = b->regions;
	a->heap_start = b->heap_start;
	a->brk = b->brk;
	memcpy(a->name, b->name, sizeof a->name);
	b->pgdir = t.pgdir;
	b->regions = t.regions;
	b->heap_start = t.heap_start;
	b->brk = t.brk;
	memcpy(b->name, t.name, sizeof b->name);
}

static int update(endpoint_t old_ep, endpoint_t new_ep)
{
	struct vmproc *a = vmproc_lookup(old_ep), *b = vmproc_lookup(new_ep);
	int r;

	if (a == NULL || b == NULL)
		return ESRCH;
	if (a == b || a->manager != RS_ENDPOINT || b->manager != RS_ENDPOINT)
		return EPERM;
	/* VM's and the kernel's view change together: VM first, undone if
	 * the kernel says not now. Nothing runs in between (both wait). */
	swap_spaces(a, b);
	r = sys_update(old_ep, new_ep);
	if (r != OK)
		swap_spaces(a, b);
	return r;
}

void rs_update_request(const message *m)
{
	if (m->m_source != RS_ENDPOINT) {
		complain("vm: VM_RS_UPDATE from %d refused: only RS may\n",
			m->m_source);
		reply_to(m->m_source, EPERM, 0, 0);
		return;
	}
	reply_to(RS_ENDPOINT, update(m->u.update.old_ep, m->u.update.new_ep),
		0, 0);
}

void rights_request(const message *m)
{
	const struct vmproc *p = vmproc_lookup(m->u.exit.ep);
	uint32_t rights = 0;

	if (p == NULL) {
		reply_to(m->m_source, ESRCH, 0, 0);
		return;
	}
	if (p->flags & VMP_MAYPHYS)
		rights |= RSV_PHYS;
	if (p->flags & VMP_ADMIN)
		rights |= RSV_ADMIN;
	reply_to(m->m_source, OK, rights, 0);
}
