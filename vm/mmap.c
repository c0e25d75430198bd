/*
 * mmap and munmap. A mapping asks for a memory type (MAP_TYPE_MASK) and
 * a place: exactly addr with MAP_FIXED (old memory there goes first),
 * else the first free range from the address hint. A new anonymous
 * mapping right after an anonymous region with the same rights grows
 * that region instead of adding one.
 */
#include <stdio.h>
#include "vm/mmap.h"
#include "vm/layout.h"
#include "vm/map.h"
#include "vm/reply.h"
#include "cairn/errno.h"

static const uint32_t type_of_map[] = {
	[MAP_ANON] = MT_ANON,
	[MAP_CONTIG] = MT_CONTIG,
	[MAP_PHYS] = MT_PHYS,
	[MAP_SHARED] = MT_SHARED,
};

#define MAP_KNOWN	(MAP_TYPE_MASK | MAP_FIXED | MAP_LOWER16M | \
	MAP_PREALLOC | MAP_UNCACHED | MAP_GRANT)

static uint32_t region_flags(const struct vm_mmap *rq)
{
	uint32_t f = 0;

	if (rq->prot & PROT_WRITE)
		f |= REGION_WRITE;
	if (rq->flags & MAP_LOWER16M)
		f |= REGION_LOWER16M;
	if (rq->flags & MAP_UNCACHED)
		f |= REGION_UNCACHED;
	return f;
}

static int check(const struct vmproc *vmp, const struct vm_mmap *rq)
{
	uint32_t type = rq->flags & MAP_TYPE_MASK;

	if (rq->len == 0 || rq->len > USER_LIMIT ||
	    (rq->flags & ~MAP_KNOWN) != 0 || type > MAP_SHARED ||
	    (rq->prot & ~(PROT_READ | PROT_WRITE)) != 0 ||
	    ((rq->flags & MAP_GRANT) && type != MAP_SHARED))
		return EINVAL;
	/* Exactly there: page-aligned, never page 0, never the kernel's
	 * part, never wrapping. */
	if ((rq->flags & MAP_FIXED) && (rq->addr % VM_PAGE_SIZE != 0 ||
	    !user_range_ok(rq->addr, page_round64(rq->len))))
		return EINVAL;
	if (type == MAP_PHYS && !(vmp->flags & VMP_MAYPHYS))
		return EPERM;
	return OK;
}

/* The anonymous region ending at start that a new mapping may extend. */
static struct region *extendable(struct vmproc *vmp, vir_bytes start,
	uint32_t flags)
{
	struct region *prev;

	if (start == 0)
		return NULL;
	prev = region_lookup(&vmp->regions, start - 1);
	if (prev == NULL || prev->type != MT_ANON || prev->flags != flags)
		return NULL;
	return prev;
}

/* Makes every page of [start, +len) of r present (MAP_PREALLOC). */
static int prealloc(struct vmproc *vmp, struct region *r, vir_bytes start,
	vir_bytes len)
{
	struct tlb_batch tb;

	tlb_init(&tb, vmp->ep);	/* zero fill only: stays empty */
	for (vir_bytes va = start; va < start + len; va += VM_PAGE_SIZE) {
		int err = anon_page_fault(vmp, r, va, 1, &tb);

		if (err != OK)
			return err;
	}
	return OK;
}

/* Where a mapping without MAP_FIXED goes: at the hint if that range is
 * free, else the first free range of the map area, else anywhere below
 * the stack. 1 and *start set, or 0 when the space is full. */
static int place(struct vmproc *vmp, vir_bytes hint, vir_bytes len,
	vir_bytes *start)
{
	const struct region_set *rs = &vmp->regions;

	hint = page_trunc(hint);
	if (hint != 0 && user_range_ok(hint, len) &&
	    region_find_free(rs, len, hint, hint + len, start) == OK)
		return 1;
	return region_find_free(rs, len, MAP_AREA_START, MAP_AREA_END,
			start) == OK ||
	       region_find_free(rs, len, USER_FLOOR,
			USER_STACK_TOP - USER_STACK_SIZE, start) == OK;
}

static int do_mmap(struct vmproc *vmp, const struct vm_mmap *rq,
	vir_bytes *at)
{
	vir_bytes len = page_round(rq->len), start;
	uint32_t type = type_of_map[rq->flags & MAP_TYPE_MASK];
	uint32_t flags = region_flags(rq);
	struct region *r;
	struct tlb_batch tb;
	int err = check(vmp, rq);

	if (err != OK)
		return err;
	tlb_init(&tb, vmp->ep);
	if (rq->flags & MAP_FIXED) {
		start = rq->addr;
		err = map_unmap_range(vmp, start, start + len, &tb);
		tlb_flush(&tb);
		if (err != OK)
			return err;
	} else if (!place(vmp, rq->addr, len, &start)) {
		return ENOMEM;
	}
	if (type == MT_ANON && !(rq->flags & MAP_PREALLOC) &&
	    (r = extendable(vmp, start, flags)) != NULL) {
		err = map_resize(vmp, r, region_end(r) + len -
			r->start);
	} else {
		err = map_region_new(vmp, start, len, type, flags, rq, &r);
		if (err == OK && (rq->flags & MAP_PREALLOC) && type == MT_ANON &&
		    (err = prealloc(vmp, r, start, len)) != OK) {
			map_unmap_range(vmp, start, start + len, &tb);
			tlb_flush(&tb);
		}
	}
	if (err != OK)
		return err;
	vmp->regions.hint = start + len;
	*at = start;
	return OK;
}

void mmap_request(const message *m)
{
	struct vmproc *vmp = vmproc_lookup(m->m_source);
	vir_bytes at = 0;
	int err = vmp ? do_mmap(vmp, &m->u.vm_mmap, &at) : EINVAL;

	reply_to(m->m_source, err, at, 0);
}

static int do_munmap(struct vmproc *vmp, vir_bytes addr, uint32_t len)
{
	uint64_t len64 = page_round64(len);
	vir_bytes end = (vir_bytes)(addr + len64);
	struct tlb_batch tb;
	int err;

	/* Rounded in 64 bits: a length just under 4 GiB must not round to
	 * an empty range that passes. */
	if (addr % VM_PAGE_SIZE != 0 || !user_range_ok(addr, len64))
		return EINVAL;
	tlb_init(&tb, vmp->ep);
	err = map_unmap_range(vmp, addr, end, &tb);
	tlb_flush(&tb);
	return err;
}

void munmap_request(const message *m)
{
	struct vmproc *vmp = vmproc_lookup(m->m_source);
	int err = vmp ? do_munmap(vmp, m->u.vm_munmap.addr,
		m->u.vm_munmap.len) : EINVAL;

	reply_to(m->m_source, err, 0, 0);
}
