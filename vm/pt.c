/*
 * Page tables through the direct map: a directory and its tables live in
 * frames below the kernel's mapped_end (the kernel reaches them there);
 * user directory entries allow everything and the page entries decide.
 */
#include <string.h>
#include "vm/pt.h"
#include "vm/frame.h"
#include "vm/layout.h"
#include "cairn/errno.h"

#define USER_PDES	PDE_INDEX(USER_LIMIT)

/* The kernel part every directory starts with; user part unused. */
static uint32_t kern_template[PT_ENTRIES];

static uint32_t *table_at(phys_bytes pa)
{
	return phys_ptr(pa & PTE_FRAME);
}

int pt_kern_map(phys_bytes phys, uint32_t len, vir_bytes vaddr,
	int writable, int uncached)
{
	uint32_t skew = vaddr & (BIGPAGE_SIZE - 1);
	uint64_t end = (uint64_t)vaddr + len;
	uint32_t flags = PTE_P | PTE_PS | PTE_G;

	if ((phys & (BIGPAGE_SIZE - 1)) != skew || vaddr < USER_LIMIT ||
	    len == 0 || end > 1ull << 32)
		return EINVAL;
	if (writable)
		flags |= PTE_W;
	if (uncached)
		flags |= PTE_PCD | PTE_PWT;
	phys -= skew;
	for (uint64_t va = vaddr - skew; va < end; va += BIGPAGE_SIZE) {
		kern_template[PDE_INDEX(va)] = phys | flags;
		phys += BIGPAGE_SIZE;
	}
	return OK;
}

int pt_new(phys_bytes *pgdir)
{
	phys_bytes pa = frame_alloc(PMEM_PT);
	uint32_t *pd;

	if (pa == 0)
		return ENOMEM;
	pd = table_at(pa);
	memcpy(&pd[USER_PDES], &kern_template[USER_PDES],
		(PT_ENTRIES - USER_PDES) * sizeof(uint32_t));
	*pgdir = pa;
	return OK;
}

int pt_table(phys_bytes pgdir, vir_bytes va, uint32_t **table)
{
	uint32_t *pde = &table_at(pgdir)[PDE_INDEX(va)];

	if (va >= USER_LIMIT)
		return EINVAL;
	if (!(*pde & PTE_P)) {
		phys_bytes pt = frame_alloc(PMEM_PT);

		if (pt == 0)
			return ENOMEM;
		*pde = pt | PTE_P | PTE_W | PTE_U;
	}
	*table = table_at(*pde);
	return OK;
}

int pt_map(phys_bytes pgdir, vir_bytes va, phys_bytes frame, uint32_t flags)
{
	uint32_t *pt;
	int err = pt_table(pgdir, va, &pt);

	if (err != OK)
		return err;
	pt[PTE_INDEX(va)] = (frame & PTE_FRAME) | PTE_P |
		(flags & (PTE_W | PTE_U | PTE_PWT | PTE_PCD));
	return OK;
}

int pt_lookup(phys_bytes pgdir, vir_bytes va, uint32_t *pte)
{
	uint32_t pde = table_at(pgdir)[PDE_INDEX(va)];
	uint32_t e;

	if (va >= USER_LIMIT || !(pde & PTE_P))
		return ESRCH;
	e = table_at(pde)[PTE_INDEX(va)];
	if (!(e & PTE_P))
		return ESRCH;
	*pte = e;
	return OK;
}

uint32_t *pt_entry(phys_bytes pgdir, vir_bytes va)
{
	uint32_t pde = table_at(pgdir)[PDE_INDEX(va)];

	if (va >= USER_LIMIT || !(pde & PTE_P) || (pde & PTE_PS))
		return NULL;
	return &table_at(pde)[PTE_INDEX(va)];
}

int pt_has_table(phys_bytes pgdir, vir_bytes va)
{
	return va < USER_LIMIT && (table_at(pgdir)[PDE_INDEX(va)] & PTE_P);
}

phys_bytes pt_unmap(phys_bytes pgdir, vir_bytes va)
{
	uint32_t pde = table_at(pgdir)[PDE_INDEX(va)];
	uint32_t *e;
	phys_bytes frame;

	if (va >= USER_LIMIT || !(pde & PTE_P))
		return 0;
	e = &table_at(pde)[PTE_INDEX(va)];
	if (!(*e & PTE_P))
		return 0;
	frame = *e & PTE_FRAME;
	*e = 0;
	return frame;
}

phys_bytes pt_take_empty_table(phys_bytes pgdir, vir_bytes va)
{
	uint32_t *pde = &table_at(pgdir)[PDE_INDEX(va)];
	const uint32_t *pt;

	if (va >= USER_LIMIT || !(*pde & PTE_P) || (*pde & PTE_PS))
		return 0;
	pt = table_at(*pde);
	for (uint32_t i = 0; i < PT_ENTRIES; i++)
		if (pt[i] != 0)
			return 0;
	va = *pde & PTE_FRAME;
	*pde = 0;
	return va;
}

void pt_walk(phys_bytes pgdir, vir_bytes from, vir_bytes to,
	const struct pt_visitor *v)
{
	uint32_t *pd = table_at(pgdir);

	if (to > USER_LIMIT)
		to = USER_LIMIT;
	for (uint64_t base = from & ~(BIGPAGE_SIZE - 1); base < to;
	     base += BIGPAGE_SIZE) {
		uint32_t pde = pd[PDE_INDEX(base)];
		uint32_t *pt;

		if (!(pde & PTE_P) || (pde & PTE_PS))
			continue;
		if (v->table != NULL)
			v->table(v->arg, (vir_bytes)base, pde & PTE_FRAME);
		if (v->page == NULL)
			continue;
		pt = table_at(pde);
		for (uint32_t j = 0; j < PT_ENTRIES; j++) {
			uint64_t va = base + (uint64_t)j * VM_PAGE_SIZE;

			if (va >= from && va < to && (pt[j] & PTE_P))
				v->page(v->arg, (vir_bytes)va, pt[j]);
		}
	}
}

void pt_destroy(phys_bytes pgdir)
{
	uint32_t *pd = table_at(pgdir);

	for (uint32_t i = 0; i < USER_PDES; i++) {
		if (!(pd[i] & PTE_P))
			continue;
		frame_free(pd[i] & PTE_FRAME);
		pd[i] = 0;
	}
	frame_free(pgdir);
}
