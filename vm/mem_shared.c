/*
 * Shared memory: a region of another process (the owner), reached
 * through a grant. A page comes in on first touch: the owner's memory
 * type hands out a new reference to its block (making it present and
 * private to the owner first, then shared for good), so both sides
 * write the same frame from then on.
 */
#include "vm/memtype.h"
#include "vm/grant.h"
#include "vm/safemap.h"
#include "vm/layout.h"
#include "vm/map.h"
#include "cairn/errno.h"

static int shared_create(struct vmproc *vmp, struct region *r,
	const struct vm_mmap *req)
{
	const struct grant *g;

	if (req->flags & MAP_GRANT)
		return safemap_create(vmp, r, req);
	g = grant_find(req->owner, req->grant, vmp->ep);
	if (g == NULL || req->owner == vmp->ep)
		return EPERM;
	if (r->length > g->len)
		return EINVAL;
	if ((r->flags & REGION_WRITE) && !(g->prot & PROT_WRITE))
		return EPERM;
	r->u.shared.owner = g->owner;
	r->u.shared.addr = g->addr;
	r->u.shared.granter = 0;
	r->u.shared.grant = 0;
	return OK;
}

static int shared_page_fault(struct vmproc *vmp, struct region *r,
	vir_bytes va, int write, struct tlb_batch *tb)
{
	struct phys_block **slot = region_slot(r, va);
	vir_bytes oaddr = r->u.shared.addr + (va - r->start);
	struct vmproc *owner;
	struct region *or;
	struct phys_block *pb;
	struct tlb_batch otb;
	int err;

	(void)tb;
	if (*slot != NULL)
		return map_page(vmp, r, va, *slot);
	owner = vmproc_lookup(r->u.shared.owner);
	if (owner == NULL)
		return EFAULT;	/* the owner is gone with what it did not share */
	or = region_lookup(&owner->regions, oaddr);
	if (or == NULL || mem_type_of(or)->reference == NULL)
		return EFAULT;
	tlb_init(&otb, owner->ep);
	err = mem_type_of(or)->reference(owner, or, page_trunc(oaddr), write,
		&otb, &pb);
	/* The owner may have had a copy-on-write share broken. */
	tlb_flush(&otb);
	if (err != OK)
		return err;
	if ((err = map_page(vmp, r, va, pb)) != OK) {
		pb_unref(pb);
		return err;
	}
	*slot = pb;
	return OK;
}

static int shared_reference(struct vmproc *vmp, struct region *r,
	vir_bytes va, int write, struct tlb_batch *tb, struct phys_block **out)
{
	struct phys_block **slot = region_slot(r, va);
	int err;

	if (*slot == NULL &&
	    (err = shared_page_fault(vmp, r, va, write, tb)) != OK)
		return err;
	if ((err = pb_ref(*slot)) != OK)
		return err;
	*out = *slot;
	return OK;
}

static void shared_split(struct region *r, struct region *tail)
{
	tail->u.shared.addr = r->u.shared.addr + r->length;
}

static int shared_resize(struct region *r, vir_bytes len)
{
	return len <= r->length ? OK : EINVAL;
}

/* Fork: the child shares the same blocks, as the parent does. */
static int shared_copy(struct vmproc *parent, struct region *r,
	struct vmproc *child, struct region *cr, struct tlb_batch *tb)
{
	(void)parent;
	(void)tb;
	for (uint32_t i = 0; i < region_pages(r); i++) {
		int err;

		if (r->slots[i] == NULL)
			continue;
		if ((err = pb_ref(r->slots[i])) != OK)
			return err;
		err = map_page(child, cr, cr->start + i * VM_PAGE_SIZE,
			r->slots[i]);
		if (err != OK) {
			pb_unref(r->slots[i]);
			return err;
		}
		cr->slots[i] = r->slots[i];
	}
	return OK;
}

const struct mem_type mem_shared = {
	.name = "shared",
	.create = shared_create,
	.page_fault = shared_page_fault,
	.reference = shared_reference,
	.unreference = anon_unreference,
	.resize = shared_resize,
	.split = shared_split,
	.copy = shared_copy,
	.sanity = anon_sanity,
};
