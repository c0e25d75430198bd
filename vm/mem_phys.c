/*
 * Direct physical memory: a given physical range (device registers, a
 * frame buffer) mapped as it is. Not VM's memory: no blocks, nothing
 * freed, and RAM that VM manages is refused.
 */
#include <stdlib.h>
#include "vm/memtype.h"
#include "vm/frame.h"
#include "vm/layout.h"
#include "vm/pt.h"
#include "cairn/errno.h"

static uint32_t pte_flags(const struct region *r)
{
	uint32_t flags = PTE_U;

	if (r->flags & REGION_WRITE)
		flags |= PTE_W;
	if (r->flags & REGION_UNCACHED)
		flags |= PTE_PCD | PTE_PWT;
	return flags;
}

static int map_one(struct vmproc *vmp, const struct region *r, vir_bytes va)
{
	return pt_map(vmp->pgdir, va, r->u.phys + (va - r->start),
		pte_flags(r));
}

static int map_all(struct vmproc *vmp, const struct region *r)
{
	for (vir_bytes off = 0; off < r->length; off += VM_PAGE_SIZE) {
		int err = map_one(vmp, r, r->start + off);

		if (err != OK)
			return err;
	}
	return OK;
}

static int phys_create(struct vmproc *vmp, struct region *r,
	const struct vm_mmap *req)
{
	int err;

	if (req->phys % VM_PAGE_SIZE != 0 ||
	    (uint64_t)req->phys + r->length > 1ull << 32)
		return EINVAL;
	if (frame_range_is_ram(req->phys, r->length))
		return EPERM;
	r->u.phys = req->phys;
	if ((err = map_all(vmp, r)) != OK) {
		/* Pages only became present: nothing to invalidate. */
		for (vir_bytes off = 0; off < r->length; off += VM_PAGE_SIZE)
			pt_unmap(vmp->pgdir, r->start + off);
	}
	return err;
}

static int phys_page_fault(struct vmproc *vmp, struct region *r,
	vir_bytes va, int write, struct tlb_batch *tb)
{
	(void)write;
	(void)tb;
	return map_one(vmp, r, va);
}

static int phys_reference(struct vmproc *vmp, struct region *r,
	vir_bytes va, int write, struct tlb_batch *tb, struct phys_block **out)
{
	(void)vmp;
	(void)r;
	(void)va;
	(void)write;
	(void)tb;
	(void)out;
	return EPERM;	/* device memory is not granted onwards */
}

static void phys_unreference(struct vmproc *vmp, struct region *r,
	uint32_t first, uint32_t n)
{
	(void)vmp;
	(void)r;
	(void)first;
	(void)n;
}

static int phys_resize(struct region *r, vir_bytes len)
{
	return len == r->length ? OK : EINVAL;
}

static void phys_split(struct region *r, struct region *tail)
{
	tail->u.phys = r->u.phys + r->length;
}

static int phys_copy(struct vmproc *parent, struct region *r,
	struct vmproc *child, struct region *cr, struct tlb_batch *tb)
{
	(void)parent;
	(void)r;
	(void)tb;
	return map_all(child, cr);
}

static void phys_sanity(struct vmproc *vmp, struct region *r)
{
	if (frame_range_is_ram(r->u.phys, r->length))
		panic("vm: %s maps RAM 0x%x as device memory", vmp->name,
			r->u.phys);
}

const struct mem_type mem_phys = {
	.name = "direct physical",
	.create = phys_create,
	.page_fault = phys_page_fault,
	.reference = phys_reference,
	.unreference = phys_unreference,
	.resize = phys_resize,
	.split = phys_split,
	.copy = phys_copy,
	.sanity = phys_sanity,
};
