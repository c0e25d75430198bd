/*
 * Region making and unmapping, the same for every memory type: the type
 * decides what its pages are, this file places and removes them.
 */
#include <stdio.h>
#include <stdlib.h>
#include "vm/map.h"
#include "vm/layout.h"
#include "vm/pt.h"
#include "vm/sanity.h"
#include "cairn/errno.h"

int map_page(struct vmproc *vmp, const struct region *r, vir_bytes va,
	const struct phys_block *pb)
{
	uint32_t flags = PTE_U;

	if ((r->flags & REGION_WRITE) && pb_writable(pb))
		flags |= PTE_W;
	return pt_map(vmp->pgdir, va, pb->phys, flags);
}

uint32_t map_next_used(const struct vmproc *vmp, const struct region *r,
	uint32_t i, uint32_t n)
{
	const uint32_t span = BIGPAGE_SIZE / VM_PAGE_SIZE;

	while (i < n) {
		vir_bytes va = r->start + i * VM_PAGE_SIZE;
		/* Index of the first page of the next 4 MiB. */
		uint32_t stop = i + (span - (va / VM_PAGE_SIZE) % span);

		if (stop > n)
			stop = n;
		if (pt_has_table(vmp->pgdir, va)) {
			while (i < stop && r->slots[i] == NULL)
				i++;
			if (i < stop)
				return i;
		}
		i = stop;
	}
	return n;
}

int map_region_new(struct vmproc *vmp, vir_bytes start, vir_bytes len,
	uint32_t type, uint32_t flags, const struct vm_mmap *req,
	struct region **out)
{
	const struct mem_type *mt = mem_types[type];
	struct region *r;
	int err;

	/* Whoever asked (mmap, a cache get, a spawn), no region covers
	 * page 0, the kernel's part or wraps. */
	if (!user_range_ok(start, len))
		return EINVAL;
	err = region_insert(&vmp->regions, start, len, type, flags, &r);
	if (err != OK)
		return err;
	if (mt->create != NULL && (err = mt->create(vmp, r, req)) != OK) {
		region_remove(&vmp->regions, r);
		return err;
	}
	*out = r;
	return OK;
}

int map_resize(struct vmproc *vmp, struct region *r, vir_bytes len)
{
	int err;

	if (len != 0 && !user_range_ok(r->start, len))
		return EINVAL;
	err = mem_type_of(r)->resize(r, len);

	return err != OK ? err : region_resize(&vmp->regions, r, len);
}

void map_release(struct vmproc *vmp, struct region *r, uint32_t first,
	uint32_t n, struct tlb_batch *tb)
{
	for (uint32_t i = first; i < first + n; i++) {
		vir_bytes va = r->start + i * VM_PAGE_SIZE;

		if (!pt_has_table(vmp->pgdir, va)) {
			/* Nothing mapped in these 4 MiB: skip to their end. */
			uint32_t last = (va | (BIGPAGE_SIZE - 1)) - r->start;

			i = last / VM_PAGE_SIZE;
			continue;
		}
		if (pt_unmap(vmp->pgdir, va) != 0)
			tlb_add(tb, va);
	}
	mem_type_of(r)->unreference(vmp, r, first, n);
}

/* Cuts [lo, hi) (inside r, not all of it) out of r. */
static int cut(struct vmproc *vmp, struct region *r, vir_bytes lo,
	vir_bytes hi, struct tlb_batch *tb)
{
	const struct mem_type *mt = mem_type_of(r);
	struct region *tail;
	int err;

	if (hi < region_end(r)) {
		/* Keep [hi, end) as a region of its own. */
		err = region_split(&vmp->regions, r, hi - r->start, &tail);
		if (err != OK)
			return err;
		if (mt->split != NULL)
			mt->split(r, tail);
	}
	map_release(vmp, r, (lo - r->start) / VM_PAGE_SIZE,
		(hi - lo) / VM_PAGE_SIZE, tb);
	if (lo == r->start) {
		region_remove(&vmp->regions, r);
		return OK;
	}
	return region_resize(&vmp->regions, r, lo - r->start);
}

int map_unmap_range(struct vmproc *vmp, vir_bytes start, vir_bytes end,
	struct tlb_batch *tb)
{
	struct region *r = region_from(&vmp->regions, start);

	while (r != NULL && r->start < end) {
		struct region *next = region_next(&vmp->regions, r);
		vir_bytes lo = r->start > start ? r->start : start;
		vir_bytes hi = region_end(r) < end ? region_end(r) : end;
		int err;

		if (r->length == 0) {
			r = next;
			continue;
		}
		if (lo == r->start && hi == region_end(r)) {
			map_release(vmp, r, 0, region_pages(r), tb);
			region_remove(&vmp->regions, r);
		} else if ((err = cut(vmp, r, lo, hi, tb)) != OK) {
			return err;
		}
		r = next;
	}
	return OK;
}

void map_free_all(struct vmproc *vmp)
{
	struct region *r;

	while ((r = region_first(&vmp->regions)) != NULL) {
		if (r->length > 0)
			mem_type_of(r)->unreference(vmp, r, 0,
				region_pages(r));
		region_remove(&vmp->regions, r);
	}
	pt_destroy(vmp->pgdir);
	vmp->pgdir = 0;
}

/* --- the sanity check's view of regions (vm/sanity.c) --------------------- */

/* A present entry must be what its region says the page is, and
 * writable only where the region and the block allow it. */
static void check_entry(void *arg, vir_bytes va, uint32_t pte)
{
	struct vmproc *vmp = arg;
	struct region *r = region_lookup(&vmp->regions, va);
	const struct phys_block *pb;

	if (r == NULL)
		panic("vm: sanity: %s (%d) maps 0x%x outside its regions",
			vmp->name, vmp->ep, va);
	if ((pte & PTE_W) && !(r->flags & REGION_WRITE))
		panic("vm: sanity: %s (%d) may write 0x%x of a read-only "
			"region", vmp->name, vmp->ep, va);
	if (r->type == MT_PHYS) {
		if ((pte & PTE_FRAME) != r->u.phys + (va - r->start))
			panic("vm: sanity: %s (%d) maps 0x%x to 0x%x, not its "
				"physical range", vmp->name, vmp->ep, va,
				pte & PTE_FRAME);
		return;
	}
	pb = *region_slot(r, va);
	if (pb == NULL || pb->phys != (pte & PTE_FRAME))
		panic("vm: sanity: %s (%d) maps 0x%x to 0x%x, its slot "
			"holds %s 0x%x", vmp->name, vmp->ep, va,
			pte & PTE_FRAME, pb ? "frame" : "nothing",
			pb ? pb->phys : 0);
	if ((pte & PTE_W) && !pb_writable(pb))
		panic("vm: sanity: %s (%d) may write 0x%x, shared "
			"copy-on-write (%u references)", vmp->name, vmp->ep,
			va, pb->refs);
}

void sanity_mark_regions(struct vmproc *vmp)
{
	const struct pt_visitor v = { NULL, check_entry, vmp };

	for (struct region *r = region_first(&vmp->regions); r != NULL;
	     r = region_next(&vmp->regions, r))
		if (r->length > 0)
			mem_type_of(r)->sanity(vmp, r);
	pt_walk(vmp->pgdir, 0, USER_LIMIT, &v);
}

void sanity_verify_regions(struct vmproc *vmp)
{
	for (struct region *r = region_first(&vmp->regions); r != NULL;
	     r = region_next(&vmp->regions, r)) {
		for (uint32_t i = 0; i < region_pages(r); i++) {
			uint32_t pte;

			if (r->slots[i] == NULL)
				continue;
			pb_walk_verify(r->slots[i]);
			/* map_next_used relies on it. */
			if (pt_lookup(vmp->pgdir, r->start + i * VM_PAGE_SIZE,
					&pte) != OK)
				panic("vm: sanity: %s (%d) holds a block at "
					"0x%x without mapping it", vmp->name,
					vmp->ep, r->start + i * VM_PAGE_SIZE);
		}
	}
}
