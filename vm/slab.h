/*
 * VM's allocator for its own fixed-size objects (physical blocks, regions,
 * ...): one struct slab_cache per object size, pages from vm_mmap_self,
 * O(1) slab_alloc and slab_free; pages that became empty are kept until
 * slab_release_all_empty (VM: after every request) gives them back.
 * Portable: also built and tested on the host.
 *
 * In the sanity build (VM_SANITY) slab pages are mapped read-only and
 * every write to an object goes inside USE():
 *
 *	r = slab_alloc(&region_cache);
 *	USE(r, {
 *		r->start = start;
 *		r->length = len;
 *	});
 *
 * USE opens the object's page for writing and closes it after; sections
 * nest. A write outside USE faults (VM's own fault: the kernel panics
 * and says so). Leave a section only at its end: a return, break or goto
 * out of it leaves the page open, which the next slab_check_closed()
 * reports. Outside slab pages USE does nothing. In the normal build USE
 * is just the statement: no call, no code.
 *
 * The sanity build also fills freed objects with SLAB_JUNK and checks
 * the pattern when they are handed out again (a write after free).
 */
#ifndef CAIRN_VM_SLAB_H
#define CAIRN_VM_SLAB_H

#include <stddef.h>
#include <stdint.h>

#define SLAB_PAGE	4096u
#define SLAB_ALIGN	8u	/* object alignment and size granule */
#define SLAB_JUNK	0xdb	/* a freed object's bytes, sanity build */

struct slab_page;

struct slab_cache {
	const char *name;
	uint32_t size;		/* object bytes, a multiple of SLAB_ALIGN */
	uint32_t per_page;	/* objects in one page */
	uint32_t obj_off;	/* first object's offset in a page */
	struct slab_page *partial;	/* pages with used and free objects */
	struct slab_page *full;	/* pages with no free object */
	struct slab_page *empty;	/* pages with no object in use */
	uint32_t in_use;	/* objects handed out */
	uint32_t pages;		/* pages held, the empty ones included */
	struct slab_cache *next_cache;	/* every cache, for the checks */
};

struct slab_stats {
	uint32_t size;		/* object bytes */
	uint32_t per_page;
	uint32_t in_use;	/* objects handed out */
	uint32_t pages;		/* pages held */
};

/* An empty cache of objects of size bytes (at least 1, and small enough
 * that one fits a page with its bookkeeping: panics otherwise). name is
 * kept, for messages. The cache joins the list slab_check_all walks. */
void slab_init(struct slab_cache *c, const char *name, size_t size);

/* Leaves the list and gives back its empty pages; no object may be in
 * use (panics otherwise). */
void slab_fini(struct slab_cache *c);

/* A zeroed object, or NULL when no page can be had. */
void *slab_alloc(struct slab_cache *c);

/* Gives back an object slab_alloc returned from c. Panics on anything
 * else (another cache's object, an address inside an object, a second
 * free): the caller's bookkeeping is broken. */
void slab_free(struct slab_cache *c, void *obj);

/* Gives back c's empty pages; of every cache. VM calls the latter after
 * each request, so that between requests no empty page is held and the
 * pages VM holds depend only on what is in use. */
void slab_release_empty(struct slab_cache *c);
void slab_release_caches_empty(void);
/* Pages on the empty lists of all caches (slab.c's to change). */
extern uint32_t slab_empty_pages;
/* Inline: after most requests there is none, and that is one test. */
static inline void slab_release_all_empty(void)
{
	if (slab_empty_pages > 0)
		slab_release_caches_empty();
}

void slab_stats(const struct slab_cache *c, struct slab_stats *st);

/* Recounts every page of c against the cache's counters, lists and each
 * page's free stack and live bits: 0 when they agree, else a negative
 * code saying which promise is broken. For tests and the sanity build. */
int slab_check(const struct slab_cache *c);

/* slab_check of every cache: 0, or the first failure's code with *which
 * set to that cache. */
int slab_check_all(const struct slab_cache **which);

#ifdef VM_SANITY
/* The page holding obj becomes writable until the matching use_end;
 * nothing happens for memory outside slab pages. */
void use_begin(const void *obj);
void use_end(const void *obj);
/* Panics if a USE section was left open (after each request). */
void slab_check_closed(void);

#define USE(obj, ...)							\
	do {								\
		const void *use_obj_ = (obj);				\
		use_begin(use_obj_);					\
		__VA_ARGS__						\
		use_end(use_obj_);					\
	} while (0)
#else
#define USE(obj, ...)	do { (void)(obj); __VA_ARGS__ } while (0)
static inline void slab_check_closed(void)
{
}
#endif

#endif /* CAIRN_VM_SLAB_H */
