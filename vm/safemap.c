/*
 * Safemap, its revocation, and the copy-on-write safecopy: VM's part of
 * the kernel's grants. The kernel says where a grant leads and whether
 * the caller may use it (SYS_GRANTINFO); VM maps or shares the pages.
 *
 * Revocation removes the grantee's mapping: a private copy would keep
 * the granter's data alive in the grantee after the granter said no, and
 * the grantee could not tell which pages it still shares. Copy-on-write
 * shares a granter's private pages read-only on both sides; a page the
 * granter already shares with someone through safemap (PB_SHARED) is
 * copied byte for byte instead, since the others must keep seeing the
 * granter's writes to it (MINIX's unhandled case, in the seed).
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
		req->offset, r->length, access, &oep, &addr);
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
	r->u.shared.owner = oep;
	r->u.shared.addr = addr;
	r->u.shared.granter = req->owner;
	r->u.shared.grant = req->grant;
	return OK;
}

void saferevmap_request(const message *m)
{
	uint32_t removed = 0;

	for (struct vmproc *vmp = vmproc_next(NULL); vmp != NULL;
	     vmp = vmproc_next(vmp)) {
		struct region *r, *next;
		struct tlb_batch tb;

		tlb_init(&tb, vmp->ep);
		for (r = region_first(&vmp->regions); r != NULL; r = next) {
			next = region_next(&vmp->regions, r);
			if (r->type != MT_SHARED || r->u.shared.granter == 0 ||
			    r->u.shared.granter != m->m_source ||
			    r->u.shared.grant != m->u.vm_grant.id)
				continue;
			/* A whole region: no split, so no ENOMEM. */
			map_unmap_range(vmp, r->start, region_end(r), &tb);
			removed++;
		}
		tlb_flush(&tb);
	}
	reply_to(m->m_source, OK, removed, 0);
}

/* The destination page dva of dr becomes a private copy of frame src. */
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

/* One page: the source's block shared copy-on-write into the
 * destination's slot, or copied when it cannot be shared. */
static int cow_page(struct vmproc *o, struct region *sr, vir_bytes sva,
	struct vmproc *vmp, struct region *dr, vir_bytes dva,
	struct tlb_batch *otb, struct tlb_batch *dtb)
{
	struct phys_block **sslot = region_slot(sr, sva);
	struct phys_block **dslot = region_slot(dr, dva);
	struct phys_block *pb, *old;
	uint32_t pte;
	int err;

	if (sr->type != MT_ANON) {
		if (*sslot == NULL &&
		    (err = mem_type_of(sr)->page_fault(o, sr, sva, 0, otb))
		    != OK)
			return err;
		return copy_page(vmp, dr, dva, (*sslot)->phys, dtb);
	}
	if (*sslot == NULL) {
		/* Never touched: zero. The destination reads zero too. */
		if (*dslot != NULL) {
			map_release(vmp, dr, (dva - dr->start) / VM_PAGE_SIZE,
				1, dtb);
		}
		return OK;
	}
	pb = *sslot;
	if ((pb->flags & PB_SHARED) || pb_ref(pb) != OK)
		return copy_page(vmp, dr, dva, pb->phys, dtb);
	old = *dslot;
	if ((err = map_page(vmp, dr, dva, pb)) != OK) {
		pb_unref(pb);
		return err;
	}
	*dslot = pb;
	if (old != NULL) {
		pb_unref(old);
		tlb_add(dtb, dva);
	}
	/* The source loses write access; a page it has not written since
	 * an earlier copy is read-only already and costs nothing more. */
	if (pt_lookup(o->pgdir, sva, &pte) == OK && (pte & PTE_W)) {
		if ((err = map_page(o, sr, sva, pb)) != OK)
			return err;
		tlb_add(otb, sva);
	}
	return OK;
}

static int cowcopy(struct vmproc *vmp, const struct vm_cowcopy *c)
{
	struct vmproc *o;
	struct region *sr, *dr;
	struct tlb_batch otb, dtb;
	endpoint_t oep;
	vir_bytes src;
	int err = OK;

	if (c->addr % VM_PAGE_SIZE != 0 || c->len % VM_PAGE_SIZE != 0 ||
	    c->len == 0 || !user_range_ok(c->addr, c->len))
		return EINVAL;
	err = sys_grantinfo(c->granter, c->grant, vmp->ep, c->offset, c->len,
		GF_READ, &oep, &src);
	if (err != OK)
		return err;
	if (src % VM_PAGE_SIZE != 0)
		return EINVAL;
	if ((o = vmproc_lookup(oep)) == NULL)
		return EFAULT;
	dr = region_lookup(&vmp->regions, c->addr);
	sr = region_lookup(&o->regions, src);
	if (dr == NULL || dr->type != MT_ANON || !(dr->flags & REGION_WRITE) ||
	    c->len > region_end(dr) - c->addr ||
	    sr == NULL || c->len > region_end(sr) - src)
		return EFAULT;
	if (o == vmp && src < c->addr + c->len && c->addr < src + c->len)
		return EINVAL;	/* onto itself */
	tlb_init(&otb, o->ep);
	tlb_init(&dtb, vmp->ep);
	for (vir_bytes off = 0; off < c->len && err == OK; off += VM_PAGE_SIZE)
		err = cow_page(o, sr, src + off, vmp, dr, c->addr + off, &otb,
			&dtb);
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
