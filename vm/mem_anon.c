/*
 * Anonymous memory: private pages, zero-filled on first touch. Mapped
 * writable at once when the region allows writes (nothing is shared yet,
 * so there is nothing to copy on write).
 */
#include "vm/memtype.h"
#include "vm/frame.h"
#include "vm/pt.h"
#include "cairn/errno.h"

static int anon_page_in(struct vmproc *vmp, struct region *r, vir_bytes va,
	int write)
{
	uint32_t flags = PTE_U | (r->flags & REGION_WRITE ? PTE_W : 0);
	uint32_t pte;
	phys_bytes frame;
	int err;

	(void)write;
	/* Present but read-only: the region allows writes now. */
	if (pt_lookup(vmp->pgdir, va, &pte) == OK)
		return pt_map(vmp->pgdir, va, pte & PTE_FRAME, flags);
	frame = frame_alloc(PMEM_USER);
	if (frame == 0)
		return ENOMEM;
	err = pt_map(vmp->pgdir, va, frame, flags);
	if (err != OK)
		frame_free(frame);
	return err;
}

const struct mem_type mem_anon = {
	.name = "anonymous",
	.page_in = anon_page_in,
};

const struct mem_type *const mem_types[MT_COUNT] = {
	[MT_ANON] = &mem_anon,
};
