/*
 * The break. Growing only widens the heap region (pages come on first
 * touch); shrinking also releases the pages past the new end and
 * invalidates just those, in one call.
 */
#include <stdio.h>
#include <stdlib.h>
#include "vm/brk.h"
#include "vm/layout.h"
#include "vm/map.h"
#include "vm/vmproc.h"
#include "cairn/syslib.h"
#include "cairn/ipclib.h"

static int set_break(struct vmproc *vmp, vir_bytes addr)
{
	struct region *heap = region_at(&vmp->regions, vmp->heap_start);
	vir_bytes new_end;
	int err;

	/* munmap may have taken the heap away: it cannot move any more. */
	if (heap == NULL || !(heap->flags & REGION_HEAP))
		return ENOMEM;
	if (addr < vmp->heap_start || addr > USER_LIMIT)
		return EINVAL;
	new_end = page_round(addr);
	if (new_end < region_end(heap)) {
		struct tlb_batch tb;
		uint32_t keep = (new_end - heap->start) / VM_PAGE_SIZE;

		tlb_init(&tb, vmp->ep);
		map_release(vmp, heap, keep, region_pages(heap) - keep, &tb);
		tlb_flush(&tb);
	}
	err = map_resize(vmp, heap, new_end - heap->start);
	if (err != OK)
		return err;
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
