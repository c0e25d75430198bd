/*
 * Cache entries in an AVL tree by id and a list by age. An entry holds
 * the references its pages' slots held (NULL for a page never touched,
 * which comes back as zero fill).
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

struct cache_entry {
	struct avl_node node;		/* key: id */
	struct cache_entry *older, *newer;
	uint32_t npages;
	struct phys_block *pages[];
};

static struct avl_tree by_id;
static struct cache_entry *oldest, *newest;
static uint32_t forgotten;

uint32_t cache_blocks(void)
{
	return by_id.count;
}

uint32_t cache_forgotten(void)
{
	return forgotten;
}

static void unlink_entry(struct cache_entry *e)
{
	avl_remove(&by_id, &e->node);
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
	for (uint32_t i = 0; i < e->npages; i++) {
		if (e->pages[i] == NULL)
			continue;
		freed += e->pages[i]->refs == 1;
		pb_unref(e->pages[i]);
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
	uint32_t npages = rq->len / VM_PAGE_SIZE, first;
	struct region *r;
	struct cache_entry *e;
	struct tlb_batch tb;

	if (rq->addr % VM_PAGE_SIZE || rq->len == 0 ||
	    rq->len % VM_PAGE_SIZE || rq->id == 0)
		return EINVAL;
	if ((r = yield_region(vmp, rq->addr, rq->len)) == NULL)
		return EFAULT;
	/* An id names one block: the first stays until got or forgotten. */
	if (avl_find(&by_id, rq->id) != NULL)
		return EEXIST;
	e = malloc(sizeof(*e) + npages * sizeof(e->pages[0]));
	if (e == NULL)
		return ENOMEM;
	first = (rq->addr - r->start) / VM_PAGE_SIZE;
	tlb_init(&tb, vmp->ep);
	for (uint32_t i = 0; i < npages; i++) {
		vir_bytes va = rq->addr + i * VM_PAGE_SIZE;

		/* The reference moves from the slot into the entry. */
		e->pages[i] = r->slots[first + i];
		r->slots[first + i] = NULL;
		if (pt_has_table(vmp->pgdir, va) &&
		    pt_unmap(vmp->pgdir, va) != 0)
			tlb_add(&tb, va);
	}
	tlb_flush(&tb);
	e->npages = npages;
	e->node.key = rq->id;
	avl_insert(&by_id, &e->node);
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
static int get(struct vmproc *vmp, uint32_t id, vir_bytes addr,
	uint32_t len, vir_bytes *at)
{
	struct avl_node *n = avl_find(&by_id, id);
	struct cache_entry *e;
	struct region *r;
	int err;

	if (id == 0 || addr % VM_PAGE_SIZE != 0)
		return EINVAL;
	if (n == NULL)
		return ENOENT;
	e = avl_entry(n, struct cache_entry, node);
	if (len != e->npages * VM_PAGE_SIZE)
		return EINVAL;
	if (addr == 0 && region_find_free(&vmp->regions, len, MAP_AREA_START,
			MAP_AREA_END, &addr) != OK)
		return ENOMEM;
	err = map_region_new(vmp, addr, len, MT_CACHE, REGION_WRITE, NULL, &r);
	if (err != OK)
		return err;
	vmp->regions.hint = region_end(r);
	for (uint32_t i = 0; i < e->npages; i++) {
		r->slots[i] = e->pages[i];
		e->pages[i] = NULL;
		if (r->slots[i] != NULL &&
		    (err = map_page(vmp, r, r->start + i * VM_PAGE_SIZE,
				r->slots[i])) != OK) {
			pb_unref(r->slots[i]);
			r->slots[i] = NULL;
			break;
		}
	}
	/* The entry is empty now whatever happened: its blocks are r's. */
	drop_entry(e);
	if (err != OK) {
		struct tlb_batch tb;

		tlb_init(&tb, vmp->ep);
		map_unmap_range(vmp, r->start, region_end(r), &tb);
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
		err = get(vmp, rq->get_id, rq->get_addr, rq->len, &at);
	reply_to(m->m_source, err, at, 0);
}

void cache_get_request(const message *m)
{
	const struct vm_cache *rq = &m->u.vm_cache;
	struct vmproc *vmp = vmproc_lookup(m->m_source);
	vir_bytes at = 0;
	int err = vmp ? get(vmp, rq->id, rq->addr, rq->len, &at) : EINVAL;

	reply_to(m->m_source, err, at, 0);
}

void cache_walk(void (*fn)(struct phys_block *pb))
{
	for (struct cache_entry *e = oldest; e != NULL; e = e->newer)
		for (uint32_t i = 0; i < e->npages; i++)
			if (e->pages[i] != NULL)
				fn(e->pages[i]);
}
