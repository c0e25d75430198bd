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

/* The copy itself: mine may be a kernel address (window_read). A fault
 * is reported in *wf when wf is given. */
static int window_xfer(struct proc *p, vir_bytes other, void *mine_p,
	uint32_t len, int to_other, struct window_fault *wf)
{
	uint32_t *cur = kphystov(read_cr3() & PTE_FRAME);
	const uint32_t *pd = kphystov(p->p_cr3 & PTE_FRAME);
	uint32_t *slot = &cur[PDE_INDEX(WINDOW_AREA)];
	uint8_t *mine = mine_p;
	int r = OK;

	if (!user_range(other, len) ||
	    (p->p_cr3 & PTE_FRAME) >= kinfo.mapped_end)
		return EFAULT;
	while (len > 0 && r == OK) {
		uint32_t pde = pd[PDE_INDEX(other)];
		uint32_t off = other & (BIGPAGE_SIZE - 1);
		uint32_t n = BIGPAGE_SIZE - off < len ? BIGPAGE_SIZE - off : len;
		vir_bytes win = WINDOW_AREA + off;

		if (!(pde & PTE_P)) {
			if (wf) {
				wf->in_other = 1;
				wf->addr = other;
			}
			r = EFAULT;
			break;
		}
		*slot = pde & ~PTE_U;
		invalidate(win, n);
		uint32_t fault = to_other ?
			copy_user((void *)win, mine, n) :
			copy_user(mine, (const void *)win, n);
		if (fault) {
			r = EFAULT;	/* not present: the caller may ask VM */
			if (wf) {
				wf->in_other = fault >= WINDOW_AREA &&
					fault - WINDOW_AREA < BIGPAGE_SIZE;
				wf->addr = wf->in_other ?
					other + (fault - win) : fault;
			}
		}
		other += n;
		mine += n;
		len -= n;
	}
	*slot = 0;
	tlb_invlpg(WINDOW_AREA);
	return r;
}

int window_copy(struct proc *p, vir_bytes other, vir_bytes mine,
	uint32_t len, int to_other)
{
	if (!user_range(mine, len))
		return EFAULT;
	return window_xfer(p, other, (void *)mine, len, to_other, 0);
}

int window_copy_fault(struct proc *p, vir_bytes other, vir_bytes mine,
	uint32_t len, int to_other, struct window_fault *wf)
{
	if (!user_range(mine, len))
		return EFAULT;
	wf->in_other = -1;
	return window_xfer(p, other, (void *)mine, len, to_other, wf);
}

int window_read(struct proc *p, vir_bytes other, void *buf, uint32_t len)
{
	return window_xfer(p, other, buf, len, 0, 0);
}

int window_read_again(struct proc *p, vir_bytes other, void *buf,
	uint32_t len, void *again, uint32_t again_len)
{
	uint32_t *cur = kphystov(read_cr3() & PTE_FRAME);
	const uint32_t *pd = kphystov(p->p_cr3 & PTE_FRAME);
	uint32_t *slot = &cur[PDE_INDEX(WINDOW_AREA)];
	uint32_t off = other & (BIGPAGE_SIZE - 1);
	vir_bytes win = WINDOW_AREA + off;
	uint32_t pde, fault;

	if (again_len > len)
		return EFAULT;
	/* Across two 4 MiB: the general path, twice. */
	if (len > BIGPAGE_SIZE - off) {
		int r = window_xfer(p, other, buf, len, 0, 0);

		return r != OK ? r : window_xfer(p, other, again, again_len,
			0, 0);
	}
	if (!user_range(other, len) ||
	    (p->p_cr3 & PTE_FRAME) >= kinfo.mapped_end)
		return EFAULT;
	pde = pd[PDE_INDEX(other)];
	if (!(pde & PTE_P))
		return EFAULT;
	*slot = pde & ~PTE_U;
	invalidate(win, len);
	fault = copy_user(buf, (const void *)win, len);
	if (!fault)
		fault = copy_user(again, (const void *)win, again_len);
	*slot = 0;
	tlb_invlpg(WINDOW_AREA);
	return fault ? EFAULT : OK;
}
