/*
 * Anonymous memory: private pages, zero-filled on first touch, shared
 * read-only after fork and copied on the first write (map_clone_ph_block).
 * The page-fault path is the hot one: it decides what the page needs
 * before it allocates anything.
 */
#include <string.h>
#include "vm/memtype.h"
#include "vm/arch/i386/page.h"
#include "vm/frame.h"
#include "vm/layout.h"
#include "vm/map.h"
#include "vm/pt.h"
#include "cairn/errno.h"

/* A fresh zeroed block in the empty slot of va. */
static int zero_fill(struct vmproc *vmp, struct region *r, vir_bytes va,
	struct phys_block **slot)
{
	phys_bytes frame = frame_alloc(PMEM_USER);
	struct phys_block *pb;
	int err;

	if (frame == 0)
		return ENOMEM;
	if ((pb = pb_new(frame, 0)) == NULL) {
		frame_free(frame);
		return ENOMEM;
	}
	if ((err = map_page(vmp, r, va, pb)) != OK) {
		pb_unref(pb);
		return err;
	}
	*slot = pb;
	return OK;
}

/* The copy-on-write break: the slot's block, shared with other holders,
 * is replaced by a private copy. The old mapping of va pointed at the
 * shared frame, so va goes into tb. */
static int map_clone_ph_block(struct vmproc *vmp, struct region *r,
	vir_bytes va, struct phys_block **slot, struct tlb_batch *tb)
{
	struct phys_block *old = *slot, *pb;
	phys_bytes frame = frame_alloc_dirty(PMEM_USER);
	int err;

	if (frame == 0)
		return ENOMEM;
	if ((pb = pb_new(frame, 0)) == NULL) {
		frame_free(frame);
		return ENOMEM;
	}
	frame_copy(frame, old->phys);
	if ((err = map_page(vmp, r, va, pb)) != OK) {
		pb_unref(pb);
		return err;
	}
	*slot = pb;
	pb_unref(old);
	tlb_add(tb, va);
	return OK;
}

int anon_page_fault(struct vmproc *vmp, struct region *r, vir_bytes va,
	int write, struct tlb_batch *tb)
{
	struct phys_block **slot = region_slot(r, va);
	struct phys_block *pb = *slot;

	if (pb == NULL)
		return zero_fill(vmp, r, va, slot);
	if (!write || pb_writable(pb))
		return map_page(vmp, r, va, pb);	/* nothing to copy */
	return map_clone_ph_block(vmp, r, va, slot, tb);
}

int anon_reference(struct vmproc *vmp, struct region *r, vir_bytes va,
	int write, struct tlb_batch *tb, struct phys_block **out)
{
	struct phys_block **slot = region_slot(r, va);
	int err;

	/* A block still shared copy-on-write must become this region's
	 * own before every holder may write it. */
	if (*slot == NULL || !pb_writable(*slot)) {
		err = mem_type_of(r)->page_fault(vmp, r, va, 1, tb);
		if (err != OK)
			return err;
	}
	(void)write;
	if ((err = pb_ref(*slot)) != OK)
		return err;
	pb_set_shared(*slot);
	*out = *slot;
	return map_page(vmp, r, va, *slot);
}

void anon_unreference(struct vmproc *vmp, struct region *r, uint32_t first,
	uint32_t n)
{
	uint32_t end = first + n;

	for (uint32_t i = map_next_used(vmp, r, first, end); i < end;
	     i = map_next_used(vmp, r, i + 1, end)) {
		pb_unref(r->slots[i]);
		r->slots[i] = NULL;
	}
}

int anon_copy(struct vmproc *parent, struct region *r, struct vmproc *child,
	struct region *cr, struct tlb_batch *tb)
{
	uint32_t n = region_pages(r);

	for (uint32_t i = map_next_used(parent, r, 0, n); i < n;
	     i = map_next_used(parent, r, i + 1, n)) {
		struct phys_block *pb = r->slots[i];
		vir_bytes va = r->start + i * VM_PAGE_SIZE;
		int was_writable, err;

		was_writable = pb_writable(pb);
		if ((err = pb_ref(pb)) != OK)
			return err;
		if ((err = map_page(child, cr, va, pb)) != OK) {
			pb_unref(pb);
			return err;
		}
		cr->slots[i] = pb;
		/* The parent loses its write access: downgrade. */
		if (was_writable && !pb_writable(pb) &&
		    (r->flags & REGION_WRITE)) {
			if ((err = map_page(parent, r, va, pb)) != OK)
				return err;
			tlb_add(tb, va);
		}
	}
	return OK;
}

void anon_sanity(struct vmproc *vmp, struct region *r)
{
	(void)vmp;
	for (uint32_t i = 0; i < region_pages(r); i++)
		if (r->slots[i] != NULL)
			sanity_block(r->slots[i]);
}

int anon_resize(struct region *r, vir_bytes len)
{
	(void)r;
	(void)len;
	return OK;
}

const struct mem_type mem_anon = {
	.name = "anonymous",
	.page_fault = anon_page_fault,
	.reference = anon_reference,
	.unreference = anon_unreference,
	.resize = anon_resize,
	.copy = anon_copy,
	.sanity = anon_sanity,
};

const struct mem_type *const mem_types[MT_COUNT] = {
	[MT_ANON] = &mem_anon,
	[MT_CONTIG] = &mem_contig,
	[MT_PHYS] = &mem_phys,
	[MT_SHARED] = &mem_shared,
	[MT_CACHE] = &mem_cache,
};
