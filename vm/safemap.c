/*
 * Safemap, its revocation, and the copy-on-write safecopy: VM's part of
 * the kernel's grants. The kernel says where a grant leads and whether
 * the caller may use it (SYS_GRANTINFO); VM maps or shares the pages.
 *
 * Revocation removes the grantee's mapping: a private copy would keep
 * the granter's data alive in the grantee after the granter said no, and
 * the grantee could not tell which pages it still shares. Mappings are
 * indexed by granter, so a revocation touches only its own.
 *
 * Copy-on-write (VM_COWCOPY, from the granter or to it) shares the
 * source's private pages read-only on both sides; a page already shared
 * with someone through safemap (PB_SHARED), on either side, is copied
 * byte for byte instead, since the others must keep seeing the writes to
 * it (MINIX's unhandled case, in the seed). The pages are edited a page
 * table at a time, the destination's old pages freed a batch at a time,
 * and the requester's own space is not invalidated when the kernel says
 * it is quiet (waiting for this answer, loaded on no CPU).
 */
#include "vm/safemap.h"
#include "vm/memtype.h"
#include "vm/frame.h"
#include "vm/layout.h"
#include "vm/map.h"
#include "vm/pt.h"
#include "vm/reply.h"
#include "vm/tlb.h"
#include "cairn/errno.h"
#include "cairn/grant.h"
#include "cairn/syslib.h"
#include <stdlib.h>

int safemap_create(struct vmproc *vmp, struct region *r,
	const struct vm_mmap *req)
{
	uint32_t access = GF_MAP | GF_READ |
		((r->flags & REGION_WRITE) ? GF_WRITE : 0);
	struct vmproc *owner;
	struct region *or;
	endpoint_t oep;
	vir_bytes addr;
	int err;

	err = sys_grantinfo(req->owner, (int32_t)req->grant, vmp->ep,
		req->offset, r->length, access, &oep, &addr, NULL);
	if (err != OK)
		return err;
	if (addr % VM_PAGE_SIZE != 0)
		return EINVAL;
	if (oep == vmp->ep)
		return EPERM;
	owner = vmproc_lookup(oep);
	or = owner ? region_lookup(&owner->regions, addr) : NULL;
	if (or == NULL || mem_type_of(or)->reference == NULL ||
	    r->length > region_end(or) - addr)
		return EFAULT;
	if ((access & GF_WRITE) && !(or->flags & REGION_WRITE))
		return EPERM;
	/* Indexed under the granter (the endpoint named in the request,
	 * whose id it is), for its revocation. */
	if ((err = safemap_record(req->owner, vmp->ep, r->start, r->length,
	    req->grant)) != OK)
		return err;
	r->u.shared.owner = oep;
	r->u.shared.addr = addr;
	r->u.shared.granter = req->owner;
	r->u.shared.grant = req->grant;
	return OK;
}

/* --- the index of safemaps by granter ------------------------------------ */

/* Where a grantee has mappings made through a grant. A fork copies
 * them (safemap_fork records the child's); an unmap or an exit of the
 * grantee leaves the record stale, which is harmless: every use checks
 * the grantee's regions again (only regions of that grant in the range
 * count), and stale records are dropped when the list is full and when
 * the grant is revoked. Records of one grantee and grant never overlap
 * (a new one overlapping is merged), so after a compaction there are
 * no more records than live mappings: a grantee mapping and unmapping
 * in a loop cannot make VM's list grow. */
struct smap_rec {
	endpoint_t grantee;
	vir_bytes start;
	vir_bytes len;
	uint32_t grant;
};

/* A granter's mappings, found by its endpoint slot in O(1): revocation
 * touches only these, never the other processes' regions. */
struct smap_list {
	endpoint_t granter;
	uint32_t n, cap;
	struct smap_rec rec[];
};

#define SMAP_FIRST	8

static struct smap_list *by_granter[ENDPOINT_MAX_SLOTS];

static struct smap_list *list_of(endpoint_t granter)
{
	struct smap_list *l;

	if (granter < 0)
		return NULL;
	l = by_granter[endpoint_slot(granter)];
	return l != NULL && l->granter == granter ? l : NULL;
}

void safemap_drop_granter(endpoint_t granter)
{
	if (granter < 0)
		return;
	free(by_granter[endpoint_slot(granter)]);
	by_granter[endpoint_slot(granter)] = NULL;
}

/* Calls fn for each region of rec's grantee, inside rec's range, that is
 * still a mapping of granter's grant; the count of them. */
static uint32_t rec_regions(endpoint_t granter, const struct smap_rec *rec,
	struct tlb_batch *tb)
{
	struct vmproc *vmp = vmproc_lookup(rec->grantee);
	vir_bytes end = rec->start + rec->len;
	struct region *r, *next;
	uint32_t found = 0;

	if (vmp == NULL)
		return 0;
	for (r = region_from(&vmp->regions, rec->start);
	     r != NULL && r->start < end; r = next) {
		next = region_next(&vmp->regions, r);
		if (r->type != MT_SHARED || r->u.shared.granter != granter ||
		    r->u.shared.grant != rec->grant)
			continue;
		found++;
		if (tb != NULL) {
			/* A whole region: no split, so no ENOMEM. */
			map_unmap_range(vmp, r->start, region_end(r), tb);
		}
	}
	return found;
}

/* Keeps the records that still lead to a mapping. */
static void compact(struct smap_list *l)
{
	uint32_t kept = 0;

	for (uint32_t i = 0; i < l->n; i++)
		if (rec_regions(l->granter, &l->rec[i], NULL) > 0)
			l->rec[kept++] = l->rec[i];
	l->n = kept;
}

int safemap_record(endpoint_t granter, endpoint_t grantee, vir_bytes start,
	vir_bytes len, uint32_t grant)
{
	struct smap_list *l = list_of(granter);

	if (granter < 0)
		return EINVAL;
	/* Overlapping one of the same grantee and grant (its old mapping
	 * there was unmapped, or this is the same address again): one
	 * record covers both, so the list never holds two for one place. */
	for (uint32_t i = 0; l != NULL && i < l->n; i++) {
		struct smap_rec *rec = &l->rec[i];
		vir_bytes end = start + len, rend = rec->start + rec->len;

		if (rec->grantee != grantee || rec->grant != grant ||
		    start > rend || rec->start > end)
			continue;
		rec->start = start < rec->start ? start : rec->start;
		rec->len = (end > rend ? end : rend) - rec->start;
		return OK;
	}
	if (l == NULL) {
		/* None yet, or a dead granter's of the same slot. */
		safemap_drop_granter(granter);
		l = malloc(sizeof(*l) + SMAP_FIRST * sizeof(l->rec[0]));
		if (l == NULL)
			return ENOMEM;
		l->granter = granter;
		l->n = 0;
		l->cap = SMAP_FIRST;
		by_granter[endpoint_slot(granter)] = l;
	}
	if (l->n == l->cap) {
		compact(l);
		if (l->n >= l->cap / 2) {
			struct smap_list *bigger = realloc(l, sizeof(*l) +
				2 * l->cap * sizeof(l->rec[0]));

			if (bigger == NULL && l->n == l->cap)
				return ENOMEM;
			if (bigger != NULL) {
				bigger->cap *= 2;
				l = bigger;
				by_granter[endpoint_slot(granter)] = l;
			}
		}
	}
	l->rec[l->n++] = (struct smap_rec){ grantee, start, len, grant };
	return OK;
}

void safemap_fork(struct vmproc *child)
{
	struct region *r, *next;
	struct tlb_batch tb;

	tlb_init(&tb, child->ep);
	for (r = region_first(&child->regions); r != NULL; r = next) {
		next = region_next(&child->regions, r);
		if (r->type != MT_SHARED || r->u.shared.granter == 0 ||
		    safemap_record(r->u.shared.granter, child->ep, r->start,
		    r->length, r->u.shared.grant) == OK)
			continue;
		/* No room to index it: the child loses the mapping rather
		 * than keep one its granter could not take back. */
		map_unmap_range(child, r->start, region_end(r), &tb);
	}
	tlb_flush(&tb);
}

void saferevmap_request(const message *m)
{
	struct smap_list *l = list_of(m->m_source);
	uint32_t removed = 0, kept = 0;

	for (uint32_t i = 0; l != NULL && i < l->n; i++) {
		struct smap_rec *rec = &l->rec[i];
		struct tlb_batch tb;

		if (rec->grant != m->u.vm_grant.id) {
			l->rec[kept++] = *rec;
			continue;
		}
		tlb_init(&tb, rec->grantee);
		removed += rec_regions(m->m_source, rec, &tb);
		tlb_flush(&tb);
	}
	if (l != NULL)
		l->n = kept;
	reply_to(m->m_source, OK, removed, 0);
}

/* The destination page dva of dr becomes a private copy of frame src
 * (its own frame, or the one it shares through safemap: whoever maps
 * that sees the new bytes, as after a byte copy). */
static int copy_page(struct vmproc *vmp, struct region *dr, vir_bytes dva,
	phys_bytes src, struct tlb_batch *dtb)
{
	struct phys_block **dslot = region_slot(dr, dva);
	int err;

	if (*dslot == NULL || !pb_writable(*dslot)) {
		err = anon_page_fault(vmp, dr, dva, 1, dtb);
		if (err != OK)
			return err;
	}
	frame_copy((*dslot)->phys, src);
	return OK;
}

/* One page the quick loop of cow_range does not take: the source is not
 * anonymous memory, was never touched, is shared through safemap, or
 * its count is full; or the destination page is shared through safemap.
 * Copied or zeroed as a byte copy would leave it. */
static __attribute__((noinline)) int cow_page_slow(struct vmproc *o,
	struct region *sr, vir_bytes sva, struct vmproc *vmp,
	struct region *dr, vir_bytes dva, struct tlb_batch *otb,
	struct tlb_batch *dtb)
{
	struct phys_block **sslot = region_slot(sr, sva);
	struct phys_block **dslot = region_slot(dr, dva);
	int err;

	if (*sslot == NULL && sr->type == MT_ANON &&
	    (*dslot == NULL || !((*dslot)->flags & PB_SHARED))) {
		/* Never touched: zero. The destination reads zero too. */
		if (*dslot != NULL)
			map_release(vmp, dr, (dva - dr->start) / VM_PAGE_SIZE,
				1, dtb);
		return OK;
	}
	if (*sslot == NULL) {
		err = mem_type_of(sr)->page_fault(o, sr, sva, 0, otb);
		if (err != OK)
			return err;
	}
	return copy_page(vmp, dr, dva, (*sslot)->phys, dtb);
}

/* pages pages from sva of sr (o's) replace those from dva of dr (vmp's),
 * shared copy-on-write: a page-table run at a time, each entry written
 * in place. The destination's old pages were in use (a buffer written
 * since its last fill): each goes, and is invalidated if it was
 * present; the source loses write access where it had it. A page that
 * became present needs no invalidation (no TLB holds a non-present
 * entry), and a source page that is read-only already costs nothing.
 * dtb NULL: the destination's pages need no invalidation (a quiet space,
 * SYS_GRANTINFO). */
#define COW_BATCH	64	/* pages per pass of cow_range */

static int cow_range(struct vmproc *o, struct region *sr, vir_bytes sva,
	struct vmproc *vmp, struct region *dr, vir_bytes dva, uint32_t pages,
	struct tlb_batch *otb, struct tlb_batch *dtb)
{
	const uint32_t span = BIGPAGE_SIZE / VM_PAGE_SIZE;
	struct phys_block **sslot = region_slot(sr, sva);
	struct phys_block **dslot = region_slot(dr, dva);
	/* The destination's old blocks that lose their last reference,
	 * freed a batch at a time. */
	struct phys_block *gone[COW_BATCH];
	struct tlb_batch scratch;
	int quick = sr->type == MT_ANON;
	uint32_t ngone = 0;
	int err = OK;

	tlb_init(&scratch, vmp->ep);
	while (pages > 0 && err == OK) {
		/* A run inside one page table on both sides. */
		uint32_t n = span - (sva / VM_PAGE_SIZE) % span;
		uint32_t dn = span - (dva / VM_PAGE_SIZE) % span;
		uint32_t *spte = pt_entry(o->pgdir, sva), *dpte;

		if (dn < n)
			n = dn;
		if (pages < n)
			n = pages;
		if (n > COW_BATCH)
			n = COW_BATCH;
		if ((err = pt_table(vmp->pgdir, dva, &dpte)) != OK)
			break;
		dpte += PTE_INDEX(dva);
		for (uint32_t i = 0; i < n; i++) {
			struct phys_block *pb = sslot[i], *old = dslot[i];
			uint32_t e;

			if (!quick || pb == NULL || (pb->flags & PB_SHARED) ||
			    (old != NULL && (old->flags & PB_SHARED)) ||
			    pb_ref(pb) != OK) {
				err = cow_page_slow(o, sr,
					sva + i * VM_PAGE_SIZE, vmp, dr,
					dva + i * VM_PAGE_SIZE, otb,
					dtb ? dtb : &scratch);
				if (err != OK)
					break;
				/* It may have given the source a table. */
				spte = pt_entry(o->pgdir, sva);
				continue;
			}
			dslot[i] = pb;
			e = dpte[i];
			/* Two holders now: read-only, whatever the region. */
			dpte[i] = (pb->phys & PTE_FRAME) | PTE_P | PTE_U;
			if (dtb != NULL && (e & PTE_P))
				tlb_add(dtb, dva + i * VM_PAGE_SIZE);
			if (old != NULL) {
				if (old->refs == 1)
					gone[ngone++] = old;
				else
					pb_unref(old);
			}
			/* A present source entry maps pb (sanity checks it). */
			if (spte != NULL && (spte[i] & PTE_W)) {
				spte[i] &= ~PTE_W;
				tlb_add(otb, sva + i * VM_PAGE_SIZE);
			}
		}
		/* Their entries are gone: no one reaches them any more (the
		 * invalidation follows before anyone could run). */
		pb_free_last(gone, ngone);
		ngone = 0;
		sslot += n;
		dslot += n;
		sva += n * VM_PAGE_SIZE;
		dva += n * VM_PAGE_SIZE;
		pages -= n;
	}
	return err;
}

/* The copy: from the granter's memory into the caller's (VSCP_FROM) or
 * the reverse (VSCP_TO). The destination must be anonymous and
 * writable, since its pages are replaced; the source may be any memory
 * (what is not anonymous is copied). */
static int cowcopy(struct vmproc *vmp, const struct vm_cowcopy *c)
{
	int to = c->dir == VSCP_TO;
	struct vmproc *o, *sp, *dp;
	struct region *sr, *dr;
	struct tlb_batch otb, dtb;
	endpoint_t oep;
	vir_bytes gaddr, sa, da;
	uint32_t quiet;
	int err;

	if (c->dir != VSCP_FROM && c->dir != VSCP_TO)
		return EINVAL;
	if (c->addr % VM_PAGE_SIZE != 0 || c->len % VM_PAGE_SIZE != 0 ||
	    c->len == 0 || !user_range_ok(c->addr, c->len))
		return EINVAL;
	err = sys_grantinfo(c->granter, c->grant, vmp->ep, c->offset, c->len,
		to ? GF_WRITE : GF_READ, &oep, &gaddr, &quiet);
	if (err != OK)
		return err;
	if (gaddr % VM_PAGE_SIZE != 0)
		return EINVAL;
	if ((o = vmproc_lookup(oep)) == NULL)
		return EFAULT;
	sp = to ? vmp : o;
	dp = to ? o : vmp;
	sa = to ? c->addr : gaddr;
	da = to ? gaddr : c->addr;
	dr = region_lookup(&dp->regions, da);
	sr = region_lookup(&sp->regions, sa);
	if (dr == NULL || dr->type != MT_ANON || !(dr->flags & REGION_WRITE) ||
	    c->len > region_end(dr) - da ||
	    sr == NULL || c->len > region_end(sr) - sa)
		return EFAULT;
	if (sp == dp && sa < da + c->len && da < sa + c->len)
		return EINVAL;	/* onto itself */
	tlb_init(&otb, sp->ep);
	tlb_init(&dtb, dp->ep);
	/* The caller's own side needs none while it is quiet: it waits for
	 * this answer and no CPU has its space loaded (SYS_GRANTINFO). */
	err = cow_range(sp, sr, sa, dp, dr, da, c->len / VM_PAGE_SIZE, &otb,
		quiet && dp == vmp ? NULL : &dtb);
	if (!quiet || sp != vmp)
		tlb_flush(&otb);
	tlb_flush(&dtb);
	return err;
}

void cowcopy_request(const message *m)
{
	struct vmproc *vmp = vmproc_lookup(m->m_source);
	int err = vmp ? cowcopy(vmp, &m->u.vm_cowcopy) : EINVAL;

	reply_to(m->m_source, err, 0, 0);
}
