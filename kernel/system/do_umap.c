/* SYS_UMAP: the physical address behind a virtual one in a process's
 * address space, read from its page tables. */
#include "kernel/system.h"
#include "kernel/bootmem.h"
#include "kernel/proc.h"
#include "kernel/arch.h"

int do_umap(struct proc *caller, message *m)
{
	struct sys_umap *u = &m->u.umap;
	struct proc *p = u->ep == SELF ? caller : proc_from_endpoint(u->ep);

	if (!p)
		return EBADEPT;
	if (u->vaddr >= KERNEL_BASE || p->p_cr3 >= kinfo.mapped_end)
		return EFAULT;
	const uint32_t *pd = kphystov(p->p_cr3 & PTE_FRAME);
	uint32_t pde = pd[PDE_INDEX(u->vaddr)];
	if (!(pde & PTE_P))
		return EFAULT;
	if (pde & PTE_PS) {
		u->phys = (pde & ~(BIGPAGE_SIZE - 1)) |
			(u->vaddr & (BIGPAGE_SIZE - 1));
		return OK;
	}
	if ((pde & PTE_FRAME) >= kinfo.mapped_end)
		return EFAULT;
	const uint32_t *pt = kphystov(pde & PTE_FRAME);
	uint32_t pte = pt[PTE_INDEX(u->vaddr)];
	if (!(pte & PTE_P))
		return EFAULT;
	u->phys = (pte & PTE_FRAME) | (u->vaddr & (PAGE_SIZE - 1));
	return OK;
}
