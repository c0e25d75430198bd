/*
 * The break. Growing only widens the heap region (pages come on first
 * touch); shrinking also unmaps and frees the pages past the new end and
 * invalidates just those.
 */
#include <stdio.h>
#include <stdlib.h>
#include "vm/brk.h"
#include "vm/frame.h"
#include "vm/layout.h"
#include "vm/pt.h"
#include "vm/vmproc.h"
#include "cairn/syslib.h"
#include "cairn/ipclib.h"

/* Unmaps and frees [from, to) of vmp's space; invalidates the pages if
 * any was mapped. */
static void release_pages(struct vmproc *vmp, vir_bytes from, vir_bytes to)
{
	vir_bytes first = 0, last = 0;
	int any = 0;

	for (vir_bytes va = from; va < to; va += VM_PAGE_SIZE) {
		phys_bytes frame;

		if (!pt_has_table(vmp->pgdir, va)) {
			/* To the last page of these 4 MiB. */
			va |= BIGPAGE_SIZE - VM_PAGE_SIZE;
			continue;
		}
		frame = pt_unmap(vmp->pgdir, va);
		if (frame == 0)
			continue;
		frame_free(frame);
		if (!any)
			first = va;
		last = va;
		any = 1;
	}
	if (any) {
		int r = vmctl_invlpg(vmp->ep, first,
			(last - first) / VM_PAGE_SIZE + 1);

		if (r != OK)
			printf("vm: INVLPG for %d failed: %d\n", vmp->ep, r);
	}
}

static int set_break(struct vmproc *vmp, vir_bytes addr)
{
	struct region *heap = region_at(&vmp->regions, vmp->heap_start);
	vir_bytes old_end, new_end;
	int err;

	if (heap == NULL)
		panic("vm: %d has no heap region at 0x%x", vmp->ep,
			vmp->heap_start);
	if (addr < vmp->heap_start || addr > USER_LIMIT)
		return EINVAL;
	old_end = heap->start + heap->length;
	new_end = page_round(addr);
	err = region_resize(&vmp->regions, heap, new_end - heap->start);
	if (err != OK)
		return err;
	if (new_end < old_end)
		release_pages(vmp, new_end, old_end);
	vmp->brk = addr;
	return OK;
}

void brk_request(const message *m)
{
	struct vmproc *vmp = vmproc_lookup(m->m_source);
	message reply = { 0 };
	int r;

	if (vmp == NULL)
		reply.u.reply.status = EINVAL;
	else
		reply.u.reply.status = set_break(vmp, m->u.vm_brk.addr);
	reply.m_type = reply.u.reply.status;
	reply.u.reply.value[0] = vmp ? vmp->brk : 0;
	/* Never block on a process: it waits in SENDREC or loses the reply. */
	r = ipc_sendnb(m->m_source, &reply);
	if (r != OK)
		printf("vm: VM_BRK reply to %d failed: %d\n", m->m_source, r);
}
