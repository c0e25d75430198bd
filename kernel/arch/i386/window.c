/*
 * Windows onto foreign address spaces. The kernel installs the other
 * process's page-directory entry for the 4 MiB around the address into
 * the reserved slot of the current directory, without the user bit so
 * the running process cannot use it, invalidates just the pages it is
 * about to touch with INVLPG, copies with the fault-tolerant copy, and
 * clears the slot again.
 */
#include "kernel/arch/i386/window.h"
#include "kernel/arch/i386/paging.h"
#include "kernel/bootmem.h"
#include "kernel/proc.h"
#include "kernel/usercopy.h"


static void invalidate(vir_bytes start, uint32_t len)
{
	for (vir_bytes va = start & ~(PAGE_SIZE - 1); va < start + len;
	     va += PAGE_SIZE)
		tlb_invlpg(va);
}

int window_copy(struct proc *p, vir_bytes other, vir_bytes mine,
	uint32_t len, int to_other)
{
	uint32_t *cur = kphystov(read_cr3() & PTE_FRAME);
	const uint32_t *pd = kphystov(p->p_cr3 & PTE_FRAME);
	uint32_t *slot = &cur[PDE_INDEX(WINDOW_AREA)];
	int r = OK;

	if (!user_range(other, len) || !user_range(mine, len) ||
	    (p->p_cr3 & PTE_FRAME) >= kinfo.mapped_end)
		return EFAULT;
	while (len > 0 && r == OK) {
		uint32_t pde = pd[PDE_INDEX(other)];
		uint32_t off = other & (BIGPAGE_SIZE - 1);
		uint32_t n = BIGPAGE_SIZE - off < len ? BIGPAGE_SIZE - off : len;
		vir_bytes win = WINDOW_AREA + off;

		if (!(pde & PTE_P))
			return EFAULT;
		*slot = pde & ~PTE_U;
		invalidate(win, n);
		uint32_t fault = to_other ?
			copy_user((void *)win, (const void *)mine, n) :
			copy_user((void *)mine, (const void *)win, n);
		if (fault)
			r = EFAULT;	/* not present: VM is not asked (yet) */
		other += n;
		mine += n;
		len -= n;
	}
	*slot = 0;
	tlb_invlpg(WINDOW_AREA);
	return r;
}
