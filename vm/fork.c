/*
 * Fork with copy-on-write. The parent is blocked (in its SENDREC to PM)
 * while this runs, so its pages cannot change under the copy.
 */
#include <stdio.h>
#include <string.h>
#include "vm/fork.h"
#include "vm/map.h"
#include "vm/pt.h"
#include "vm/reply.h"
#include "vm/safemap.h"
#include "cairn/errno.h"
#include "cairn/syslib.h"

static int copy_region(struct vmproc *parent, struct region *r,
	struct vmproc *child, struct tlb_batch *tb)
{
	struct region *cr;
	int err = region_insert(&child->regions, r->start, r->length,
		r->type, r->flags, &cr);

	if (err != OK)
		return err;
	cr->u = r->u;
	if (r->length == 0)
		return OK;
	return mem_type_of(r)->copy(parent, r, child, cr, tb);
}

int fork_space(struct vmproc *parent, struct vmproc *child)
{
	struct tlb_batch tb;
	int err;

	region_set_init(&child->regions);
	if ((err = pt_new(&child->pgdir)) != OK)
		return err;
	tlb_init(&tb, parent->ep);
	for (struct region *r = region_first(&parent->regions);
	     r != NULL && err == OK; r = region_next(&parent->regions, r))
		err = copy_region(parent, r, child, &tb);
	/* Downgrades done before a failure stand (they are only slower
	 * writes for the parent), so they are flushed either way. */
	tlb_flush(&tb);
	if (err != OK)
		map_free_all(child);
	child->regions.hint = parent->regions.hint;
	return err;
}

static int do_fork(endpoint_t parent_ep, endpoint_t *child_ep)
{
	struct vmproc *parent = vmproc_lookup(parent_ep), *child;
	struct vmproc built;
	int err;

	if (parent == NULL)
		return ESRCH;
	memset(&built, 0, sizeof built);
	memcpy(built.name, parent->name, sizeof built.name);
	built.heap_start = parent->heap_start;
	built.brk = parent->brk;
	if ((err = fork_space(parent, &built)) != OK)
		return err;
	if ((err = sys_fork(parent_ep, built.pgdir, child_ep)) != OK) {
		printf("vm: sys_fork of %d: %d\n", parent_ep, err);
		map_free_all(&built);
		return err;
	}
	built.manager = parent->manager;
	child = vmproc_enter(*child_ep, &built);
	child->flags |= parent->flags & VMP_MAYPHYS;
	/* Its copies of safemaps are revoked with the parent's: indexed
	 * now that it has an endpoint. */
	safemap_fork(child);
	return OK;
}

void fork_request(const message *m)
{
	endpoint_t child = NONE;
	int err;

	if (!reply_unless_pm(m))
		return;
	err = do_fork(m->u.vm_fork.parent, &child);
	reply_to(PM_ENDPOINT, err, (uint32_t)child, 0);
}
