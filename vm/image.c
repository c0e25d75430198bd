/*
 * Building a program's address space from its ELF image (image.h): the
 * segments' regions and pages, the heap, and the stack with the
 * arguments and environment. Used by boot programs, VM_SPAWN and
 * VM_EXEC alike; none of them sees a process until it is complete.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm/image.h"
#include "vm/frame.h"
#include "vm/layout.h"
#include "vm/map.h"
#include "vm/memtype.h"
#include "vm/pt.h"
#include "cairn/errno.h"

int image_parse(const char *name, const uint8_t *bytes, uint32_t size,
	struct elf_image *img)
{
	int err = elf_parse_limit(bytes, size,
		USER_STACK_TOP - USER_STACK_SIZE, img);

	if (err != 0) {
		printf("vm: %s: not a program: %s\n", name, elf_strerror(err));
		return ENOEXEC;
	}
	return OK;
}

/* The block in the slot of va (a page of r), a zeroed one if the slot is
 * empty, mapped as r allows: a read fault of anonymous memory. */
static int image_page(struct vmproc *vmp, struct region *r, vir_bytes va,
	struct phys_block **out)
{
	int err = anon_page_fault(vmp, r, va, 0, NULL);

	if (err == OK)
		*out = *region_slot(r, va);
	return err;
}

/* Fills [s->vaddr, +memsz) with its file bytes; the regions are there.
 * A first page shared with the previous segment is filled, not
 * replaced. */
static int load_segment(struct vmproc *vmp, const uint8_t *bytes,
	const struct elf_segment *s)
{
	vir_bytes start = page_trunc(s->vaddr);
	vir_bytes end = page_round(s->vaddr + s->memsz);
	vir_bytes file_end = s->vaddr + s->filesz;

	for (vir_bytes va = start; va < end; va += VM_PAGE_SIZE) {
		vir_bytes lo = va > s->vaddr ? va : s->vaddr;
		vir_bytes hi = va + VM_PAGE_SIZE < file_end ? va + VM_PAGE_SIZE
							    : file_end;
		struct region *r = region_lookup(&vmp->regions, va);
		struct phys_block *pb;
		int err;

		if (r == NULL)
			panic("vm: segment page 0x%x has no region", va);
		if ((err = image_page(vmp, r, va, &pb)) != OK)
			return err;
		if (lo < hi)
			memcpy((uint8_t *)frame_map(pb->phys) + (lo - va),
				bytes + s->offset + (lo - s->vaddr), hi - lo);
	}
	return OK;
}

/* The region of a segment. When it starts in the last page of the
 * previous segment's region, that page (and its block) goes to whichever
 * of the two may be written, else stays with the earlier one. */
static int add_segment_region(struct vmproc *vmp, const struct elf_segment *s)
{
	vir_bytes start = page_trunc(s->vaddr);
	vir_bytes end = page_round(s->vaddr + s->memsz);
	uint32_t flags = s->flags & ELF_SEG_W ? REGION_WRITE : 0;
	struct region *prev = region_lookup(&vmp->regions, start);
	struct phys_block *moved = NULL;
	struct region *r;
	int err;

	if (prev != NULL && (flags & REGION_WRITE) &&
	    !(prev->flags & REGION_WRITE)) {
		moved = *region_slot(prev, start);
		*region_slot(prev, start) = NULL;
		if (prev->length == VM_PAGE_SIZE) {
			region_remove(&vmp->regions, prev);
		} else if ((err = region_resize(&vmp->regions, prev,
				prev->length - VM_PAGE_SIZE)) != OK) {
			*region_slot(prev, start) = moved;
			return err;
		}
	} else if (prev != NULL) {
		start += VM_PAGE_SIZE;
	}
	if (start == end)
		return OK;
	err = region_insert(&vmp->regions, start, end - start, MT_ANON,
		flags, &r);
	if (err != OK) {
		if (moved != NULL)
			pb_unref(moved);
		return err;
	}
	r->slots[0] = moved;
	return OK;
}

/* Bytes of a's strings, NULs included. */
static uint32_t strings_size(const struct image_args *a)
{
	uint32_t n = 0;

	for (int i = 0; i < a->argc; i++)
		n += (uint32_t)strlen(a->argv[i]) + 1;
	for (int i = 0; i < a->envc; i++)
		n += (uint32_t)strlen(a->envp[i]) + 1;
	return n;
}

/* argc, argv[], NULL, envp[], NULL: the words at the stack pointer. */
static uint32_t vector_words(const struct image_args *a)
{
	return (uint32_t)a->argc + (uint32_t)a->envc + 3;
}

int image_args_fit(const struct image_args *a)
{
	/* Counts first: each string is a byte at least, so a count past
	 * a page is too big before its strings are looked at. */
	if (a->argc < 0 || a->envc < 0 || a->argc > (int)VM_PAGE_SIZE ||
	    a->envc > (int)VM_PAGE_SIZE)
		return 0;
	return strings_size(a) + vector_words(a) * 4 + 15 <= VM_PAGE_SIZE;
}

/* Copies n strings to page + *at, downwards from the end of what is
 * already there, and their addresses into w. */
static void put_strings(uint8_t *page, vir_bytes page_va, uint32_t *at,
	char *const *s, int n, uint32_t *w)
{
	for (int i = 0; i < n; i++) {
		uint32_t len = (uint32_t)strlen(s[i]) + 1;

		memcpy(page + *at, s[i], len);
		w[i] = page_va + *at;
		*at += len;
	}
	w[n] = 0;
}

/* argc, the argv pointers, NULL, the envp pointers, NULL at the new
 * stack pointer (16-byte aligned), the strings above them, all in the
 * stack's top page. */
static int build_stack(struct vmproc *vmp, const struct image_args *a,
	vir_bytes *sp)
{
	vir_bytes page_va = USER_STACK_TOP - VM_PAGE_SIZE;
	struct region *stack = region_lookup(&vmp->regions, page_va);
	struct phys_block *pb;
	uint8_t *page;
	uint32_t *w, at, base;
	int err;

	if (!image_args_fit(a))
		return E2BIG;
	if ((err = image_page(vmp, stack, page_va, &pb)) != OK)
		return err;
	page = frame_map(pb->phys);
	at = VM_PAGE_SIZE - strings_size(a);
	base = (at - vector_words(a) * 4) & ~15u;
	w = (uint32_t *)(page + base);
	w[0] = (uint32_t)a->argc;
	put_strings(page, page_va, &at, a->argv, a->argc, w + 1);
	put_strings(page, page_va, &at, a->envp, a->envc, w + 2 + a->argc);
	*sp = page_va + base;
	return OK;
}

int image_build(struct vmproc *vmp, const uint8_t *bytes,
	const struct elf_image *img, const struct image_args *a,
	vir_bytes *sp)
{
	vir_bytes heap;
	int err;

	if ((err = pt_new(&vmp->pgdir)) != OK)
		return err;
	for (uint32_t i = 0; i < img->nsegs; i++) {
		if ((err = add_segment_region(vmp, &img->seg[i])) != OK ||
		    (err = load_segment(vmp, bytes, &img->seg[i])) != OK)
			return err;
	}
	heap = page_round(img->seg[img->nsegs - 1].vaddr +
		img->seg[img->nsegs - 1].memsz);
	err = region_insert(&vmp->regions, heap, 0, MT_ANON,
		REGION_WRITE | REGION_HEAP, NULL);
	if (err != OK)
		return err;
	vmp->heap_start = vmp->brk = heap;
	err = region_insert(&vmp->regions, USER_STACK_TOP - USER_STACK_SIZE,
		USER_STACK_SIZE, MT_ANON, REGION_WRITE | REGION_STACK, NULL);
	if (err != OK)
		return err;
	return build_stack(vmp, a, sp);
}

void image_discard(struct vmproc *vmp)
{
	if (vmp->pgdir != 0)
		map_free_all(vmp);
	else
		region_set_clear(&vmp->regions);
}
