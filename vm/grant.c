/*
 * The grant table: a fixed array, ids never reused while VM runs (a
 * stale id finds nothing).
 */
#include <stdio.h>
#include "vm/grant.h"
#include "vm/layout.h"
#include "vm/reply.h"
#include "cairn/errno.h"

#define GRANTS_MAX	256
/* One process may hold at most this many: the table is shared, and no
 * process may fill it for all the others. */
#define GRANTS_PER_OWNER	VM_GRANTS_PER_PROC

static struct grant grants[GRANTS_MAX];
static uint32_t next_id = 1;

const struct grant *grant_find(endpoint_t owner, uint32_t id,
	endpoint_t grantee)
{
	for (uint32_t i = 0; i < GRANTS_MAX; i++) {
		const struct grant *g = &grants[i];

		if (g->id == id && id != 0 && g->owner == owner &&
		    (g->grantee == ANY || g->grantee == grantee))
			return g;
	}
	return NULL;
}

void grant_drop_all(endpoint_t owner)
{
	for (uint32_t i = 0; i < GRANTS_MAX; i++)
		if (grants[i].id != 0 && grants[i].owner == owner)
			grants[i].id = 0;
}

static int make_grant(struct vmproc *vmp, const struct vm_grant *rq,
	uint32_t *id)
{
	struct region *r = region_lookup(&vmp->regions, rq->addr);
	struct grant *free_entry = NULL;

	if (rq->addr % VM_PAGE_SIZE != 0 || !user_range_ok(rq->addr, rq->len) ||
	    rq->len % VM_PAGE_SIZE != 0 || (rq->prot & ~(PROT_READ |
	    PROT_WRITE)) != 0)
		return EINVAL;
	/* One region, whole pages, and no more rights than the owner has. */
	if (r == NULL || rq->len > region_end(r) - rq->addr)
		return EFAULT;
	if ((rq->prot & PROT_WRITE) && !(r->flags & REGION_WRITE))
		return EPERM;
	if (r->type == MT_PHYS)
		return EPERM;
	for (uint32_t i = 0, held = 0; i < GRANTS_MAX; i++) {
		if (grants[i].id == 0 && free_entry == NULL)
			free_entry = &grants[i];
		else if (grants[i].id != 0 && grants[i].owner == vmp->ep &&
			 ++held == GRANTS_PER_OWNER)
			return ENOMEM;
	}
	if (free_entry == NULL)
		return ENOMEM;
	*free_entry = (struct grant){ next_id++, vmp->ep, rq->grantee,
		rq->addr, rq->len, rq->prot | PROT_READ };
	*id = free_entry->id;
	return OK;
}

void grant_request(const message *m)
{
	struct vmproc *vmp = vmproc_lookup(m->m_source);
	uint32_t id = 0;
	int err = vmp ? make_grant(vmp, &m->u.vm_grant, &id) : EINVAL;

	reply_to(m->m_source, err, id, 0);
}

void revoke_request(const message *m)
{
	int err = ESRCH;

	for (uint32_t i = 0; i < GRANTS_MAX; i++) {
		if (grants[i].id != 0 && grants[i].id == m->u.vm_grant.id &&
		    grants[i].owner == m->m_source) {
			grants[i].id = 0;
			err = OK;
		}
	}
	reply_to(m->m_source, err, 0, 0);
}
