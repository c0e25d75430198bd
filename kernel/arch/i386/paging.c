/*
 * The kernel's page directory template, built from the bootstrap one; the
 * ranges of it VM must copy into every directory, and the check that a
 * directory VM built did; the physical-memory window used to read
 * firmware tables.
 */
#include "kernel/arch/i386/paging.h"
#include "kernel/arch/i386/gdt.h"
#include "kernel/kernel.h"
#include "kernel/bootmem.h"
#include "cairn/calls.h"
#include "cairn/errno.h"
#include "kernel/lib/string.h"

uint32_t kernel_pgdir[1024] __attribute__((aligned(PAGE_SIZE)));

void paging_init(const struct kinfo *ki, uint32_t boot_cr3)
{
	const uint32_t *boot = kphystov(boot_cr3 & PTE_FRAME);
	uint32_t first = PDE_INDEX(KERNEL_BASE);
	uint32_t last = PDE_INDEX(KERNEL_BASE + ki->mapped_end - 1);

	memset(kernel_pgdir, 0, sizeof(kernel_pgdir));
	for (uint32_t i = first; i <= last; i++)
		kernel_pgdir[i] = boot[i];
	/* I/O APICs and the local APIC: identity, uncached, global. */
	kernel_pgdir[PDE_INDEX(DEVICE_AREA)] = DEVICE_AREA | PTE_P | PTE_W |
		PTE_PS | PTE_PCD | PTE_PWT | PTE_G;
	write_cr3(kvtophys(kernel_pgdir));
	/* The identity half was not global: the reload dropped it. */
	gdt_set_task_cr3(kvtophys(kernel_pgdir));
}

void paging_set_page_table(vir_bytes va, phys_bytes table, uint32_t flags)
{
	kernel_pgdir[PDE_INDEX(va)] = (table & PTE_FRAME) | PTE_P | flags;
	tlb_invlpg(va);
}

void *phys_window_map(phys_bytes pa, uint32_t len)
{
	phys_bytes base = pa & ~(BIGPAGE_SIZE - 1);
	uint32_t slot = PDE_INDEX(PHYS_WINDOW);

	if (len > BIGPAGE_SIZE || pa + len < pa)
		return 0;
	/* Large pages are invalidated by any address inside them. */
	kernel_pgdir[slot] = base | PTE_P | PTE_PS;
	kernel_pgdir[slot + 1] = (base + BIGPAGE_SIZE) | PTE_P | PTE_PS;
	tlb_invlpg(PHYS_WINDOW);
	tlb_invlpg(PHYS_WINDOW + BIGPAGE_SIZE);
	return (void *)(PHYS_WINDOW + (pa - base));
}

int kern_physmap(uint32_t index, phys_bytes *phys, uint32_t *len,
	vir_bytes *vaddr, uint32_t *flags)
{
	switch (index) {
	case 0:		/* the kernel, and every frame it may touch */
		*phys = 0;
		*len = kinfo.mapped_end;
		*vaddr = KERNEL_BASE;
		*flags = KPM_WRITABLE;
		return OK;
	case 1:		/* local and I/O APIC registers */
		*phys = DEVICE_AREA;
		*len = BIGPAGE_SIZE;
		*vaddr = DEVICE_AREA;
		*flags = KPM_WRITABLE | KPM_UNCACHED;
		return OK;
	default:
		return ESRCH;
	}
}

/* The kernel part of a page directory VM built must be the kernel's,
 * except for the accessed and dirty bits the CPU sets by itself. */
static int kernel_part_ok(phys_bytes pgdir)
{
	const uint32_t *pd = kphystov(pgdir);
	const uint32_t mask = ~(uint32_t)0x60;

	for (uint32_t i = 0;; i++) {
		phys_bytes ph;
		uint32_t len, flags;
		vir_bytes va;

		if (kern_physmap(i, &ph, &len, &va, &flags) != OK)
			return 1;
		for (uint32_t off = 0; off < len; off += BIGPAGE_SIZE)
			if ((pd[PDE_INDEX(va + off)] ^
			     kernel_pgdir[PDE_INDEX(va + off)]) & mask)
				return 0;
	}
}

int pgdir_ok(phys_bytes pgdir)
{
	return !(pgdir & (PAGE_SIZE - 1)) && pgdir < kinfo.mapped_end &&
		kernel_part_ok(pgdir);
}
