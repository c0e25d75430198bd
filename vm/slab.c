/*
 * The slab allocator: each page starts with its header (its cache, list
 * links, a stack of free object indexes and a bit per live object), then
 * holds objects of one size. Nothing is kept inside free objects, so a
 * write after free cannot corrupt the allocator, and the sanity build can
 * check every freed byte.
 */
#include <stdlib.h>
#include <string.h>
#include "vm/slab.h"
#include "vm/self.h"

#define SLAB_MAGIC	0x534c4142u	/* "SLAB" */

struct slab_page {
	uint32_t magic;		/* SLAB_MAGIC while the page is the cache's */
	struct slab_cache *cache;
	struct slab_page *prev;	/* in the partial or the full list */
	struct slab_page *next;
	uint16_t nfree;		/* free objects: stack()[0, nfree) */
	uint16_t pad;
	/* uint16_t stack[per_page], free object indexes, top last;
	 * uint32_t live[], a set bit per object handed out;
	 * the objects, from obj_off. */
};

static uint16_t *stack(struct slab_page *pg)
{
	return (uint16_t *)(pg + 1);
}

static uint32_t live_off(uint32_t per_page)
{
	return (sizeof(struct slab_page) + 2 * per_page + 3) & ~3u;
}

static uint32_t *live(const struct slab_cache *c, struct slab_page *pg)
{
	return (uint32_t *)((char *)pg + live_off(c->per_page));
}

static uint32_t layout_end(uint32_t per_page)
{
	uint32_t end = live_off(per_page) + 4 * ((per_page + 31) / 32);

	return (end + SLAB_ALIGN - 1) & ~(SLAB_ALIGN - 1);
}

static struct slab_page *page_of(const void *obj)
{
	return (struct slab_page *)((uintptr_t)obj & ~(uintptr_t)(SLAB_PAGE - 1));
}

static char *obj_at(const struct slab_cache *c, struct slab_page *pg,
	uint32_t i)
{
	return (char *)pg + c->obj_off + i * c->size;
}

static int is_live(const struct slab_cache *c, struct slab_page *pg,
	uint32_t i)
{
	return (live(c, pg)[i / 32] >> (i % 32)) & 1;
}

static struct slab_cache *caches;	/* every initialised cache */
uint32_t slab_empty_pages;	/* on the empty lists of all */
#define empty_pages slab_empty_pages

static void unlink_cache(const struct slab_cache *c)
{
	for (struct slab_cache **l = &caches; *l != NULL;
	     l = &(*l)->next_cache) {
		if (*l == c) {
			*l = c->next_cache;
			return;
		}
	}
}

void slab_init(struct slab_cache *c, const char *name, size_t size)
{
	uint32_t n;

	unlink_cache(c);	/* initialised again */
	memset(c, 0, sizeof(*c));
	c->name = name;
	if (size == 0)
		size = 1;
	if (size > SLAB_PAGE)
		panic("slab %s: objects of %u bytes do not fit a page", name,
			(uint32_t)size);
	c->size = ((uint32_t)size + SLAB_ALIGN - 1) & ~(SLAB_ALIGN - 1);
	for (n = SLAB_PAGE / c->size; n > 0; n--)
		if (layout_end(n) + n * c->size <= SLAB_PAGE)
			break;
	if (n == 0)
		panic("slab %s: objects of %u bytes do not fit a page", name,
			(uint32_t)size);
	c->per_page = n;
	c->obj_off = layout_end(n);
	c->next_cache = caches;
	caches = c;
}

/* --- the sanity build: write-protected pages, USE sections -------------- */

#ifdef VM_SANITY

#define USE_MAX_OPEN	8	/* distinct pages open at once */

static struct {
	struct slab_page *page;
	uint32_t depth;
} open_pages[USE_MAX_OPEN];
static uint32_t nopen;

static int open_index(const struct slab_page *pg)
{
	for (uint32_t i = 0; i < nopen; i++)
		if (open_pages[i].page == pg)
			return (int)i;
	return -1;
}

void use_begin(const void *obj)
{
	struct slab_page *pg = page_of(obj);
	int i = open_index(pg);

	if (i >= 0) {
		open_pages[i].depth++;
		return;
	}
	if (!vm_mmap_owns(pg) || pg->magic != SLAB_MAGIC)
		return;		/* not a slab page: always writable */
	if (nopen == USE_MAX_OPEN)
		panic("slab: USE sections open more than %d pages at once",
			USE_MAX_OPEN);
	vm_protect_self(pg, 1);
	open_pages[nopen].page = pg;
	open_pages[nopen].depth = 1;
	nopen++;
}

/* Forgets an open page without touching it (it is being given back). */
static void use_forget(int i)
{
	open_pages[i] = open_pages[--nopen];
}

void use_end(const void *obj)
{
	struct slab_page *pg = page_of(obj);
	int i = open_index(pg);

	if (i < 0)
		return;		/* not a slab page, or given back inside */
	if (--open_pages[i].depth > 0)
		return;
	use_forget(i);
	vm_protect_self(pg, 0);
}

void slab_check_closed(void)
{
	if (nopen > 0)
		panic("slab: page %p (cache %s) still open for writing: a "
			"USE section was left by return, break or goto",
			(void *)open_pages[0].page,
			open_pages[0].page->cache->name);
}

static void fill_junk(void *obj, uint32_t size)
{
	memset(obj, SLAB_JUNK, size);
}

/* A freed object must still be junk when it is handed out again. */
static void check_junk(const struct slab_cache *c, const void *obj)
{
	const unsigned char *b = obj;

	for (uint32_t i = 0; i < c->size; i++)
		if (b[i] != SLAB_JUNK)
			panic("slab %s: object %p was written after it was "
				"freed (byte %u is 0x%02x, not junk 0x%02x)",
				c->name, obj, i, b[i], SLAB_JUNK);
}

static int junk_intact(const struct slab_cache *c, const void *obj)
{
	const unsigned char *b = obj;

	for (uint32_t i = 0; i < c->size; i++)
		if (b[i] != SLAB_JUNK)
			return 0;
	return 1;
}

#else

static void fill_junk(void *obj, uint32_t size)
{
	(void)obj;
	(void)size;
}

static void check_junk(const struct slab_cache *c, const void *obj)
{
	(void)c;
	(void)obj;
}

#endif /* VM_SANITY */

/* --- pages and their lists ---------------------------------------------- */

/* Pushes pg (open) onto a list. */
static void list_push(struct slab_page **head, struct slab_page *pg)
{
	struct slab_page *old = *head;

	pg->prev = NULL;
	pg->next = old;
	if (old != NULL)
		USE(old, { old->prev = pg; });
	*head = pg;
}

/* Takes pg (open) off a list. */
static void list_unlink(struct slab_page **head, struct slab_page *pg)
{
	struct slab_page *prev = pg->prev, *next = pg->next;

	if (prev != NULL)
		USE(prev, { prev->next = next; });
	else
		*head = next;
	if (next != NULL)
		USE(next, { next->prev = prev; });
	pg->prev = pg->next = NULL;
}

/* A new page of free objects, on no list; NULL when memory is out. */
static struct slab_page *page_new(struct slab_cache *c)
{
	struct slab_page *pg = vm_mmap_self(SLAB_PAGE);

	if (pg == NULL)
		return NULL;
	pg->magic = SLAB_MAGIC;
	pg->cache = c;
	pg->nfree = (uint16_t)c->per_page;
	/* Object 0 on top: a fresh page fills from its start. */
	for (uint32_t i = 0; i < c->per_page; i++)
		stack(pg)[i] = (uint16_t)(c->per_page - 1 - i);
	for (uint32_t i = 0; i < c->per_page; i++)
		fill_junk(obj_at(c, pg, i), c->size);
#ifdef VM_SANITY
	vm_protect_self(pg, 0);
#endif
	c->pages++;
	return pg;
}

/* Gives back an empty page that is on no list. */
static void page_release(struct slab_cache *c, struct slab_page *pg)
{
#ifdef VM_SANITY
	int i = open_index(pg);

	if (i >= 0)
		use_forget(i);	/* freed inside a USE of this page */
	vm_protect_self(pg, 1);
#endif
	pg->magic = 0;
	vm_munmap_self(pg, SLAB_PAGE);
	c->pages--;
}

/* --- objects ------------------------------------------------------------ */

/* An object's bytes zeroed: a multiple of SLAB_ALIGN, aligned to it, so
 * two words a round (memset's general loop is several times the
 * instructions for the 16 or 64 bytes of a block or a region, on every
 * page fault and mmap). */
static inline void zero_object(char *obj, uint32_t size)
{
	uint32_t *w = (uint32_t *)(void *)obj;

	for (uint32_t n = size / SLAB_ALIGN; n > 0; n--, w += 2) {
		w[0] = 0;
		w[1] = 0;
	}
}

void *slab_alloc(struct slab_cache *c)
{
	struct slab_page *pg = c->partial;
	char *obj;
	uint32_t i;

	if (pg == NULL) {
		if (c->empty != NULL) {
			pg = c->empty;
			USE(pg, { list_unlink(&c->empty, pg); });
			empty_pages--;
		} else if ((pg = page_new(c)) == NULL) {
			return NULL;
		}
		USE(pg, { list_push(&c->partial, pg); });
	}
	i = stack(pg)[pg->nfree - 1];
	obj = obj_at(c, pg, i);
	check_junk(c, obj);	/* before any change: a panic leaves all */
	USE(pg, {
		pg->nfree--;
		live(c, pg)[i / 32] |= 1u << (i % 32);
		zero_object(obj, c->size);
		if (pg->nfree == 0) {
			list_unlink(&c->partial, pg);
			list_push(&c->full, pg);
		}
	});
	c->in_use++;
	return obj;
}

/* A page's first free object (it was full) or its last live one went:
 * the page changes list. */
static void moved(struct slab_cache *c, struct slab_page *pg)
{
	uint32_t empty = 0;

	USE(pg, {
		if (pg->nfree == 1) {
			list_unlink(&c->full, pg);
			list_push(&c->partial, pg);
		}
		if (pg->nfree == c->per_page) {
			list_unlink(&c->partial, pg);
			list_push(&c->empty, pg);
			empty = 1;
		}
	});
	empty_pages += empty;
}

void slab_free(struct slab_cache *c, void *obj)
{
	struct slab_page *pg = page_of(obj);
	/* Below obj_off this wraps, and fails the index check. */
	uint32_t off = (uint32_t)((char *)obj - (char *)pg) - c->obj_off;
	uint32_t i = off / c->size, *word, bit;

	if (pg->magic != SLAB_MAGIC || pg->cache != c)
		panic("slab %s: free of %p, which is not one of its objects",
			c->name, obj);
	if (i >= c->per_page || i * c->size != off)
		panic("slab %s: free of %p, inside a page but not at an "
			"object", c->name, obj);
	word = &live(c, pg)[i / 32];
	bit = 1u << (i % 32);
	if (!(*word & bit))
		panic("slab %s: object %p freed twice", c->name, obj);
	USE(pg, {
		*word &= ~bit;
		stack(pg)[pg->nfree++] = (uint16_t)i;
		fill_junk(obj, c->size);
	});
	c->in_use--;
	if (pg->nfree == 1 || pg->nfree == c->per_page)
		moved(c, pg);
}

void slab_release_empty(struct slab_cache *c)
{
	struct slab_page *pg;

	while ((pg = c->empty) != NULL) {
		USE(pg, { list_unlink(&c->empty, pg); });
		empty_pages--;
		page_release(c, pg);
	}
}

void slab_release_caches_empty(void)
{
	for (struct slab_cache *c = caches; c != NULL && empty_pages > 0;
	     c = c->next_cache)
		slab_release_empty(c);
}

void slab_fini(struct slab_cache *c)
{
	if (c->in_use != 0)
		panic("slab %s: %u objects still in use at slab_fini", c->name,
			c->in_use);
	slab_release_empty(c);
	unlink_cache(c);
}

void slab_stats(const struct slab_cache *c, struct slab_stats *st)
{
	st->size = c->size;
	st->per_page = c->per_page;
	st->in_use = c->in_use;
	st->pages = c->pages;
}

/* --- checking ------------------------------------------------------------ */

/* One page against its header: 0, or a negative code. */
static int check_page(const struct slab_cache *c, struct slab_page *pg,
	const struct slab_page *prev)
{
	uint32_t seen[(SLAB_PAGE / SLAB_ALIGN + 31) / 32] = { 0 };
	uint32_t nlive = 0;

	if (((uintptr_t)pg & (SLAB_PAGE - 1)) != 0 || pg->magic != SLAB_MAGIC ||
	    pg->cache != c)
		return -1;	/* not a page of this cache */
	if (pg->prev != prev || pg->nfree > c->per_page)
		return -2;	/* broken links or count */
	for (uint32_t k = 0; k < pg->nfree; k++) {
		uint32_t i = stack(pg)[k];

		if (i >= c->per_page || ((seen[i / 32] >> (i % 32)) & 1) ||
		    is_live(c, pg, i))
			return -3;	/* a free index twice, or live */
		seen[i / 32] |= 1u << (i % 32);
#ifdef VM_SANITY
		if (!junk_intact(c, obj_at(c, pg, i)))
			return -4;	/* written after free */
#endif
	}
	for (uint32_t i = 0; i < c->per_page; i++)
		nlive += is_live(c, pg, i);
	if (nlive + pg->nfree != c->per_page)
		return -5;	/* live bits and free stack disagree */
	return 0;
}

/* Checks a list whose pages must all have nfree in [lo, hi]; adds its
 * pages and live objects to the counts. */
static int check_list(const struct slab_cache *c, struct slab_page *head,
	uint32_t lo, uint32_t hi, uint32_t *pages, uint32_t *objs)
{
	const struct slab_page *prev = NULL;

	for (struct slab_page *pg = head; pg != NULL; pg = pg->next) {
		int err = check_page(c, pg, prev);

		if (err != 0)
			return err;
		if (pg->nfree < lo || pg->nfree > hi)
			return -6;	/* on the wrong list */
		if (++*pages > c->pages)
			return -7;	/* more pages than counted: a loop? */
		*objs += c->per_page - pg->nfree;
		prev = pg;
	}
	return 0;
}

int slab_check(const struct slab_cache *c)
{
	uint32_t pages = 0, objs = 0;
	int err;

	if (c->per_page == 0 || c->obj_off + c->per_page * c->size > SLAB_PAGE)
		return -8;	/* not initialised */
	if ((err = check_list(c, c->partial, 1, c->per_page - 1, &pages,
			&objs)) != 0 ||
	    (err = check_list(c, c->full, 0, 0, &pages, &objs)) != 0 ||
	    (err = check_list(c, c->empty, c->per_page, c->per_page, &pages,
			&objs)) != 0)
		return err;
	if (pages != c->pages || objs != c->in_use)
		return -9;	/* counters disagree with the pages */
	return 0;
}

int slab_check_all(const struct slab_cache **which)
{
	for (const struct slab_cache *c = caches; c != NULL; c = c->next_cache) {
		int err = slab_check(c);

		if (err != 0) {
			*which = c;
			return err;
		}
	}
	return 0;
}
