/*
 * Anonymous contiguous memory: one physically contiguous run, aligned
 * and below 16 MiB when asked, allocated and mapped whole at creation
 * (for DMA). It cannot grow, and a fork gives the child a run of its own
 * with a copy, so it is never copy-on-write.
 */
#include <string.h>
#include "vm/memtype.h"
#include "vm/arch/i386/page.h"
#include "vm/frame.h"
#include "vm/layout.h"
#include "vm/map.h"
#include "cairn/errno.h"

#define LOWER16M_LIMIT	0x1000000u

/* Fills r's slots with blocks over the run at base and maps them. */
static int install_run(struct vmproc *vmp, struct region *r, phys_bytes base)
{
	for (uint32_t i = 0; i < region_pages(r); i++) {
		struct phys_block *pb = pb_new(base + i * VM_PAGE_SIZE,
			PB_CONTIG);
		int err;

		if (pb == NULL) {
			/* Frames without a block yet go back here. */
			for (uint32_t j = i; j < region_pages(r); j++)
				frame_free(base + j * VM_PAGE_SIZE);
			return ENOMEM;
		}
		err = map_page(vmp, r, r->start + i * VM_PAGE_SIZE, pb);
		if (err != OK) {
			pb_unref(pb);
			for (uint32_t j = i + 1; j < region_pages(r); j++)
				frame_free(base + j * VM_PAGE_SIZE);
			return err;
		}
		r->slots[i] = pb;
	}
	r->u.phys = base;
	return OK;
}

/* A zeroed run for r, as its flags and align ask. */
static phys_bytes take_run(const struct region *r, uint32_t align)
{
	return frame_alloc_run(region_pages(r), align / VM_PAGE_SIZE,
		(r->flags & REGION_LOWER16M) ? LOWER16M_LIMIT : 0);
}

static void contig_unreference(struct vmproc *vmp, struct region *r,
	uint32_t first, uint32_t n);

static int contig_create(struct vmproc *vmp, struct region *r,
	const struct vm_mmap *req)
{
	uint32_t align = req->align ? req->align : VM_PAGE_SIZE;
	phys_bytes base;
	int err;

	if ((align & (align - 1)) != 0 || align < VM_PAGE_SIZE)
		return EINVAL;
	if ((base = take_run(r, align)) == 0)
		return ENOMEM;
	if ((err = install_run(vmp, r, base)) != OK) {
		struct tlb_batch tb;

		/* Nothing ran on these pages: no invalidation to do. */
		tlb_init(&tb, vmp->ep);
		map_release(vmp, r, 0, region_pages(r), &tb);
	}
	return err;
}

static int contig_page_fault(struct vmproc *vmp, struct region *r,
	vir_bytes va, int write, struct tlb_batch *tb)
{
	struct phys_block *pb = *region_slot(r, va);

	(void)write;
	(void)tb;
	/* Every page is there from creation; only a lost mapping (never
	 * expected) is restored. */
	return pb == NULL ? EFAULT : map_page(vmp, r, va, pb);
}

static int contig_reference(struct vmproc *vmp, struct region *r,
	vir_bytes va, int write, struct tlb_batch *tb, struct phys_block **out)
{
	struct phys_block *pb = *region_slot(r, va);
	int err;

	(void)vmp;
	(void)write;
	(void)tb;
	if (pb == NULL)
		return EFAULT;
	if ((err = pb_ref(pb)) != OK)
		return err;
	pb_set_shared(pb);
	*out = pb;
	return OK;
}

static void contig_unreference(struct vmproc *vmp, struct region *r,
	uint32_t first, uint32_t n)
{
	anon_unreference(vmp, r, first, n);
}

static int contig_resize(struct region *r, vir_bytes len)
{
	return len == r->length ? OK : EINVAL;
}

static void contig_split(struct region *r, struct region *tail)
{
	tail->u.phys = r->u.phys + r->length;
}

static int contig_copy(struct vmproc *parent, struct region *r,
	struct vmproc *child, struct region *cr, struct tlb_batch *tb)
{
	phys_bytes base = take_run(r, VM_PAGE_SIZE);
	int err;

	(void)parent;
	(void)tb;
	if (base == 0)
		return ENOMEM;
	for (uint32_t i = 0; i < region_pages(r); i++)
		frame_copy(base + i * VM_PAGE_SIZE, r->slots[i]->phys);
	err = install_run(child, cr, base);
	return err;
}

const struct mem_type mem_contig = {
	.name = "contiguous",
	.create = contig_create,
	.page_fault = contig_page_fault,
	.reference = contig_reference,
	.unreference = contig_unreference,
	.resize = contig_resize,
	.split = contig_split,
	.copy = contig_copy,
	.sanity = anon_sanity,
};
