/*
 * The block cache. Every entry belongs to the process that yielded it:
 * each process has its own id space (a tree per endpoint slot, entries
 * also carry the exact endpoint), so no process can take an id before its
 * owner, find another's block, or get it back. A list by age across all
 * owners says what to forget first under memory pressure, and an owner's
 * exit drops all its entries.
 *
 * An entry keeps only the pages that hold a block (index and reference,
 * moved from the region's slots); a page never touched is not stored and
 * comes back as zero fill. A yield of pages none of which was touched
 * stores nothing at all: the block is forgotten at once, as VM may
 * forget any block, so a process cannot grow VM's memory with yields of
 * untouched address space.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm/cache.h"
#include "vm/avl.h"
#include "vm/layout.h"
#include "vm/map.h"
#include "vm/pt.h"
#include "vm/reply.h"
#include "cairn/errno.h"

struct cache_page {
	uint32_t index;			/* page of the block */
	struct phys_block *pb;		/* the reference the slot held */
};

struct cache_entry {
	struct avl_node node;		/* key: id, in the owner's tree */
	struct cache_entry *older, *newer;
	endpoint_t owner;
	uint32_t npages;		/* the block's length in pages */
	uint32_t nheld;			/* pages stored below */
	struct cache_page held[];
};

/* Entries by owner: the tree of endpoint slot s holds only entries of
 * the process in that slot (they go when it exits). */
static struct avl_tree by_owner[ENDPOINT_MAX_SLOTS];
static struct cache_entry *oldest, *newest;
static uint32_t nblocks, forgotten;

uint32_t cache_blocks(void)
{
	return nblocks;
}

uint32_t cache_forgotten(void)
{
	return forgotten;
}

static struct avl_tree *tree_of(endpoint_t owner)
{
	return &by_owner[endpoint_slot(owner)];
}

/* owner's block id, or NULL. */
static struct cache_entry *find(endpoint_t owner, uint32_t id)
{
	struct avl_node *n = avl_find(tree_of(owner), id);
	struct cache_entry *e = n ? avl_entry(n, struct cache_entry, node)
				  : NULL;

	return e != NULL && e->owner == owner ? e : NULL;
}

static void unlink_entry(struct cache_entry *e)
{
	avl_remove(tree_of(e->owner), &e->node);
	nblocks--;
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		oldest = e->newer;
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		newest = e->older;
}

/* Drops an entry and its references; returns the frames that freed. */
static uint32_t drop_entry(struct cache_entry *e)
{
	uint32_t freed = 0;

	unlink_entry(e);
	for (uint32_t i = 0; i < e->nheld; i++) {
		if (e->held[i].pb == NULL)
			continue;
		freed += e->held[i].pb->refs == 1;
		pb_unref(e->held[i].pb);
	}
	free(e);
	return freed;
}

uint32_t cache_reclaim(uint32_t pages)
{
	uint32_t freed = 0, dropped = 0;

	while (oldest != NULL && freed < pages) {
		freed += drop_entry(oldest);
		dropped++;
	}
	if (dropped > 0) {
		forgotten += dropped;
		printf("vm: memory short: forgot %u cached block(s), %u "
			"page(s) freed\n", dropped, freed);
	}
	return freed;
}

void cache_drop_owner(endpoint_t owner)
{
	struct avl_tree *t = tree_of(owner);
	struct avl_node *n;

	while ((n = avl_first(t)) != NULL)
		drop_entry(avl_entry(n, struct cache_entry, node));
}

/* Whose ids a request names: 0, SELF or the caller itself is the
 * caller's own; anyone else's is refused (no sharing of cached blocks,
 * grants or otherwise, yet). */
static int own_space(endpoint_t caller, endpoint_t owner)
{
	return owner == 0 || owner == SELF || owner == caller;
}

/* The private region holding all of [addr, +len), or NULL. */
static struct region *yield_region(struct vmproc *vmp, vir_bytes addr,
	uint32_t len)
{
	struct region *r = region_lookup(&vmp->regions, addr);

	if (r == NULL || len > region_end(r) - addr)
		return NULL;
	if (r->type != MT_ANON && r->type != MT_CACHE)
		return NULL;
	return r;
}

static int yield(struct vmproc *vmp, const struct vm_cache *rq)
{
	uint32_t npages = rq->len / VM_PAGE_SIZE, first, end, held = 0, k;
	struct region *r;
	struct cache_entry *e;
	struct tlb_batch tb;

	if (rq->addr % VM_PAGE_SIZE || rq->len % VM_PAGE_SIZE ||
	    rq->id == 0 || !user_range_ok(rq->addr, rq->len))
		return EINVAL;
	if (!own_space(vmp->ep, rq->owner))
		return EPERM;
	if ((r = yield_region(vmp, rq->addr, rq->len)) == NULL)
		return EFAULT;
	/* An id names one block: the first stays until got or forgotten. */
	if (find(vmp->ep, rq->id) != NULL)
		return EEXIST;
	first = (rq->addr - r->start) / VM_PAGE_SIZE;
	end = first + npages;
	for (uint32_t i = map_next_used(vmp, r, first, end); i < end;
	     i = map_next_used(vmp, r, i + 1, end))
		held++;
	if (held == 0)
		return OK;	/* nothing to keep: forgotten at once */
	e = malloc(sizeof(*e) + held * sizeof(e->held[0]));
	if (e == NULL)
		return ENOMEM;
	tlb_init(&tb, vmp->ep);
	k = 0;
	for (uint32_t i = map_next_used(vmp, r, first, end); i < end;
	     i = map_next_used(vmp, r, i + 1, end)) {
		vir_bytes va = r->start + i * VM_PAGE_SIZE;

		/* The reference moves from the slot into the entry. */
		e->held[k].index = i - first;
		e->held[k].pb = r->slots[i];
		r->slots[i] = NULL;
		k++;
		if (pt_unmap(vmp->pgdir, va) != 0)
			tlb_add(&tb, va);
	}
	tlb_flush(&tb);
	e->owner = vmp->ep;
	e->npages = npages;
	e->nheld = held;
	e->node.key = rq->id;
	avl_insert(tree_of(vmp->ep), &e->node);
	nblocks++;
	e->older = newest;
	e->newer = NULL;
	if (newest != NULL)
		newest->newer = e;
	else
		oldest = e;
	newest = e;
	return OK;
}

/* Block id back in a new region at addr (0: anywhere); *at its address. */
static int get(struct vmproc *vmp, endpoint_t owner, uint32_t id,
	vir_bytes addr, uint32_t len, vir_bytes *at)
{
	struct cache_entry *e;
	struct region *r;
	int err = OK;

	if (id == 0 || addr % VM_PAGE_SIZE != 0 ||
	    (addr != 0 && !user_range_ok(addr, len)))
		return EINVAL;
	if (!own_space(vmp->ep, owner))
		return EPERM;
	if ((e = find(vmp->ep, id)) == NULL)
		return ENOENT;
	if (len != e->npages * VM_PAGE_SIZE)
		return EINVAL;
	if (addr == 0 && region_find_free(&vmp->regions, len, MAP_AREA_START,
			MAP_AREA_END, &addr) != OK)
		return ENOMEM;
	err = map_region_new(vmp, addr, len, MT_CACHE, REGION_WRITE, NULL, &r);
	if (err != OK)
		return err;
	vmp->regions.hint = region_end(r);
	for (uint32_t k = 0; k < e->nheld; k++) {
		uint32_t i = e->held[k].index;

		r->slots[i] = e->held[k].pb;
		e->held[k].pb = NULL;
		if ((err = map_page(vmp, r, r->start + i * VM_PAGE_SIZE,
				r->slots[i])) != OK) {
			pb_unref(r->slots[i]);
			r->slots[i] = NULL;
			break;
		}
	}
	/* The entry gives up what it still holds (after a failure) with
	 * the entry itself: the block is gone either way. */
	drop_entry(e);
	if (err != OK) {
		struct tlb_batch tb;

		tlb_init(&tb, vmp->ep);
		map_unmap_range(vmp, r->start, region_end(r), &tb);
		tlb_flush(&tb);
		return err;
	}
	*at = r->start;
	return OK;
}

void cache_yield_request(const message *m)
{
	const struct vm_cache *rq = &m->u.vm_cache;
	struct vmproc *vmp = vmproc_lookup(m->m_source);
	vir_bytes at = 0;
	int err = vmp ? yield(vmp, rq) : EINVAL;

	if (err == OK && rq->get_id != 0)
		err = get(vmp, rq->owner, rq->get_id, rq->get_addr, rq->len,
			&at);
	reply_to(m->m_source, err, at, 0);
}

void cache_get_request(const message *m)
{
	const struct vm_cache *rq = &m->u.vm_cache;
	struct vmproc *vmp = vmproc_lookup(m->m_source);
	vir_bytes at = 0;
	int err = vmp ? get(vmp, rq->owner, rq->id, rq->addr, rq->len, &at)
		      : EINVAL;

	reply_to(m->m_source, err, at, 0);
}

void cache_walk(void (*fn)(struct phys_block *pb))
{
	for (struct cache_entry *e = oldest; e != NULL; e = e->newer)
		for (uint32_t i = 0; i < e->nheld; i++)
			if (e->held[i].pb != NULL)
				fn(e->held[i].pb);
}
