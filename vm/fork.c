/*
 * Fork, the eager way: the child gets its own copy of every page present
 * in the parent at once. Correct but slow (a fork costs a frame and a
 * page copy per present page, most of which neither side writes again);
 * copy-on-write replaces fork_space: shared, reference-counted frames,
 * mapped read-only in both, copied on the first write fault.
 */
#include <stdio.h>
#include <string.h>
#include "vm/fork.h"
#include "vm/frame.h"
#include "vm/layout.h"
#include "vm/pt.h"
#include "vm/reply.h"
#include "cairn/syslib.h"

static void free_child(struct vmproc *child)
{
	if (child->pgdir != 0)
		pt_free(child->pgdir);
	region_set_clear(&child->regions);
}

/* Copies the present pages of [r->start, +length) of parent to child. */
static int copy_pages(struct vmproc *parent, struct vmproc *child,
	const struct region *r)
{
	for (vir_bytes va = r->start; va - r->start < r->length;
	     va += VM_PAGE_SIZE) {
		phys_bytes frame;
		uint32_t pte;
		int err;

		if (pt_lookup(parent->pgdir, va, &pte) != OK)
			continue;
		frame = frame_alloc(PMEM_USER);
		if (frame == 0)
			return ENOMEM;
		memcpy(phys_ptr(frame), phys_ptr(pte & PTE_FRAME),
			VM_PAGE_SIZE);
		err = pt_map(child->pgdir, va, frame, pte & (PTE_W | PTE_U));
		if (err != OK) {
			frame_free(frame);
			return err;
		}
	}
	return OK;
}

int fork_space(struct vmproc *parent, struct vmproc *child)
{
	int err;

	memcpy(child->name, parent->name, sizeof child->name);
	child->heap_start = parent->heap_start;
	child->brk = parent->brk;
	region_set_init(&child->regions);
	if ((err = pt_new(&child->pgdir)) != OK)
		return err;
	for (struct region *r = region_first(&parent->regions); r != NULL;
	     r = region_next(&parent->regions, r)) {
		err = region_insert(&child->regions, r->start, r->length,
			r->type, r->flags);
		if (err == OK)
			err = copy_pages(parent, child, r);
		if (err != OK) {
			free_child(child);
			return err;
		}
	}
	return OK;
}

static int fork_for_pm(endpoint_t parent_ep, endpoint_t *child_ep)
{
	struct vmproc *parent = vmproc_lookup(parent_ep);
	struct vmproc child = { 0 };
	int err;

	if (parent == NULL)
		return ESRCH;
	if ((err = fork_space(parent, &child)) != OK)
		return err;
	err = sys_fork(parent->ep, child.pgdir, child_ep);
	if (err != OK) {
		printf("vm: sys_fork of %s (%d): %d\n", parent->name,
			parent->ep, err);
		free_child(&child);
		return err;
	}
	vmproc_enter(*child_ep, &child);
	return OK;
}

void fork_request(const message *m)
{
	endpoint_t child = NONE;
	int r;

	if (!reply_unless_pm(m))
		return;
	r = fork_for_pm(m->u.vm_fork.parent, &child);
	reply_to(PM_ENDPOINT, r, (uint32_t)child, 0);
}
