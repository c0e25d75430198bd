/*
 * malloc for user programs: first fit over one free list kept in address
 * order, so free() merges a block with both neighbours. Memory comes from
 * sbrk, at least MALLOC_GROW bytes at a time; it is never given back,
 * unless malloc_give_back is set (VM's own heap): then the heap grows by
 * whole pages as needed, and malloc_release gives the whole free pages at
 * its top back, so that right after it the break is the page end of the
 * highest block in use, whatever came and went before.
 * With malloc_junk set, free memory is kept filled with that byte and
 * checked when handed out (VM's sanity build: a write after free).
 */
#include <stdlib.h>

#include <assert.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#define MALLOC_ALIGN	16
#define MALLOC_GROW	(64 * 1024)
/* Header tags: catch a free() of something malloc never gave, or twice. */
#define MALLOC_USED	0x55534544u
#define MALLOC_FREE	0x46524545u

struct block {
	size_t size;		/* bytes with this header; MALLOC_ALIGN units */
	uint32_t magic;		/* MALLOC_USED or MALLOC_FREE */
	struct block *next;	/* free blocks: the next free one up */
} __attribute__((aligned(MALLOC_ALIGN)));

#define HDR		sizeof(struct block)
/* A split leaves a free block only if it can hold something. */
#define MIN_SPLIT	(HDR + MALLOC_ALIGN)

#define GIVE_BACK_PAGE	4096

static struct block *free_list;
/* malloc_give_back: something was freed or grown since the last
 * malloc_release, which has nothing to do otherwise. */
static int release_due;

int malloc_junk = -1;
int malloc_give_back;

/* Fills a free block past its header with junk (if on). */
static void junk_fill(struct block *b)
{
	if (malloc_junk >= 0)
		memset(b + 1, malloc_junk, b->size - HDR);
}

/* 1 if the free block b taken for need bytes is still all junk where
 * its payload lies (always 1 with junk off). */
static int junk_intact(const struct block *b)
{
	const unsigned char *p = (const unsigned char *)(b + 1);

	if (malloc_junk < 0)
		return 1;
	for (size_t i = 0; i < b->size - HDR; i++)
		if (p[i] != (unsigned char)malloc_junk)
			return 0;
	return 1;
}

static void *payload(struct block *b)
{
	return b + 1;
}

static struct block *header(void *p)
{
	struct block *b = (struct block *)p - 1;

	assert(b->magic == MALLOC_USED);
	return b;
}

/* Unlinks the first free block of at least need bytes, split to size. */
static struct block *take_fit(size_t need)
{
	struct block **link, *b;

	for (link = &free_list; (b = *link) != NULL; link = &b->next) {
		if (b->size < need)
			continue;
		if (b->size - need >= MIN_SPLIT) {
			struct block *rest = (struct block *)((char *)b + need);

			rest->size = b->size - need;
			rest->magic = MALLOC_FREE;
			rest->next = b->next;
			*link = rest;
			b->size = need;
		} else {
			*link = b->next;
		}
		assert(junk_intact(b) && "a free block was written to");
		b->magic = MALLOC_USED;
		return b;
	}
	return NULL;
}

/* Links b into the free list in address order and merges it with the
 * blocks it touches. */
static void insert_free(struct block *b)
{
	struct block *prev = NULL, *next = free_list;

	while (next != NULL && next < b) {
		prev = next;
		next = next->next;
	}
	junk_fill(b);
	b->magic = MALLOC_FREE;
	b->next = next;
	if (next && (char *)b + b->size == (char *)next) {
		b->size += next->size;
		b->next = next->next;
		if (malloc_junk >= 0)	/* next's header is payload now */
			memset(next, malloc_junk, HDR);
	}
	if (prev && (char *)prev + prev->size == (char *)b) {
		prev->size += b->size;
		prev->next = b->next;
		if (malloc_junk >= 0)
			memset(b, malloc_junk, HDR);
	} else if (prev) {
		prev->next = b;
	} else {
		free_list = b;
	}
}

/* Adds at least need bytes from sbrk to the free list. */
static int grow(size_t need)
{
	size_t chunk = need > MALLOC_GROW ? need : MALLOC_GROW;
	uintptr_t cur = (uintptr_t)sbrk(0);
	size_t pad = (MALLOC_ALIGN - (cur & (MALLOC_ALIGN - 1))) &
		(MALLOC_ALIGN - 1);
	char *p;
	struct block *b;

	if (malloc_give_back) {
		/* Just enough whole pages; the break stays page-aligned. */
		if (need > (size_t)INTPTR_MAX - pad - GIVE_BACK_PAGE)
			return 0;
		chunk = ((cur + pad + need + GIVE_BACK_PAGE - 1) &
			~(uintptr_t)(GIVE_BACK_PAGE - 1)) - cur - pad;
	}
	if (chunk > (size_t)INTPTR_MAX - pad)
		return 0;
	p = sbrk((intptr_t)(pad + chunk));
	if (p == (void *)-1)
		return 0;
	release_due = 1;
	b = (struct block *)(p + pad);
	b->size = chunk;
	insert_free(b);
	return 1;
}

/* The whole pages of a free block at the top of the heap go back to
 * sbrk; a block starting on a page boundary goes altogether, else its
 * part in the first page stays. */
static void __attribute__((noinline)) release_top(void)
{
	struct block *b = free_list, *prev = NULL;
	uintptr_t brk_now, start, cut;

	release_due = 0;
	if (b == NULL)
		return;
	while (b->next != NULL) {
		prev = b;
		b = b->next;
	}
	brk_now = (uintptr_t)sbrk(0);
	start = (uintptr_t)b;
	if (start + b->size != brk_now)
		return;		/* the top block is in use */
	cut = (start + GIVE_BACK_PAGE - 1) & ~(uintptr_t)(GIVE_BACK_PAGE - 1);
	if (cut >= brk_now)
		return;
	if (sbrk(-(intptr_t)(brk_now - cut)) == (void *)-1)
		return;		/* kept: still a valid free block */
	if (cut == start) {
		if (prev != NULL)
			prev->next = NULL;
		else
			free_list = NULL;
	} else {
		b->size = cut - start;
	}
}

/* Called after every request of a server (VM): nothing to do, most of
 * the time, and then only the check, without release_top's frame. */
void malloc_release(void)
{
	if (malloc_give_back && release_due)
		release_top();
}

void *malloc(size_t size)
{
	size_t need;
	struct block *b;

	if (size > SIZE_MAX / 2)
		return NULL;
	need = (size + HDR + MALLOC_ALIGN - 1) & ~(size_t)(MALLOC_ALIGN - 1);
	while ((b = take_fit(need)) == NULL)
		if (!grow(need))
			return NULL;
	return payload(b);
}

void free(void *p)
{
	if (p != NULL) {
		insert_free(header(p));
		release_due = 1;
	}
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t size)
{
	struct block *b;
	void *q;

	if (p == NULL)
		return malloc(size);
	b = header(p);
	if (b->size - HDR >= size)
		return p;
	q = malloc(size);
	if (q) {
		memcpy(q, p, b->size - HDR);
		free(p);
	}
	return q;
}
