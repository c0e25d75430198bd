/* SYS_VMCTL: VM's interface to the kernel (page faults, memory requests,
 * address spaces, the kernel's own mappings, TLB invalidation). */
#include "kernel/system.h"
#include "kernel/bootmem.h"
#include "kernel/cpulocal.h"
#include "kernel/ipc.h"
#include "kernel/memreq.h"
#include "kernel/proc.h"
#include "kernel/usercopy.h"
#include "kernel/sched.h"
#include "kernel/shootdown.h"
#include "kernel/switch.h"
#include "kernel/arch.h"
#include "kernel/lib/string.h"

int vm_paging_enabled;

/* Invalidates pages of p's address space on every CPU that has it
 * loaded (a CPU that loads it later starts with a fresh TLB anyway).
 * Past VMCTL_INVLPG_MAX pages one CR3 reload is cheaper than INVLPG per
 * page (see BENCHMARKS.md: the TLB benchmarks measure the crossover). */
static int invalidate(struct proc *p, vir_bytes addr, uint32_t pages)
{
	if (addr >= KERNEL_BASE || pages > (KERNEL_BASE - addr) / PAGE_SIZE)
		return EINVAL;
	shootdown_pages(p, addr & ~(PAGE_SIZE - 1), pages, VMCTL_INVLPG_MAX);
	return OK;
}

/* The same for a list of pages in VM's memory, read in chunks of
 * VMCTL_INVLPG_MAX onto this stack. A longer list ends in a full flush,
 * but is read and checked all the same: a bad list is refused whatever
 * its length. VM's memory is always present, so a fault reading it is a
 * bad pointer (EFAULT), never a memory request. */
static int invalidate_list(struct proc *p, vir_bytes list, uint32_t count)
{
	vir_bytes pages[VMCTL_INVLPG_MAX];
	uint32_t n;

	if (count > VMCTL_INVLPG_LIST_LIMIT)
		return EINVAL;
	int r = user_range_check(list, count * sizeof(vir_bytes));
	if (r != OK)
		return r;
	for (uint32_t done = 0; done < count; done += n) {
		n = count - done < VMCTL_INVLPG_MAX ? count - done :
			VMCTL_INVLPG_MAX;
		if (copy_from_current(pages, list + done * sizeof(vir_bytes),
				n * sizeof(vir_bytes)) != 0)
			return EFAULT;
		for (uint32_t i = 0; i < n; i++) {
			if (pages[i] >= KERNEL_BASE)
				return EINVAL;
			pages[i] &= ~(PAGE_SIZE - 1);
		}
	}
	if (count > VMCTL_INVLPG_MAX)
		shootdown_pages(p, 0, count, VMCTL_INVLPG_MAX);
	else if (count > 0)
		shootdown_list(p, pages, count, VMCTL_INVLPG_MAX);
	return OK;
}

/* The faulting process may run again, first among its priority with the
 * rest of its time slice; the pages VM took away from it
 * while serving the fault (clear.pages of them) are invalidated first.
 * VM may ask for its idle notification in the same call. */
static int clear_pagefault(struct proc *caller, struct proc *p,
	const struct sys_vmctl *v)
{
	if (!(p->p_rts_flags & RTS_PAGEFAULT))
		return EINVAL;
	if (v->v.clear.pages != 0) {
		int r = invalidate(p, v->v.clear.addr, v->v.clear.pages);
		if (r != OK)
			return r;
	}
	if (v->v.clear.flags & VMCTL_CLEAR_IDLE)
		switch_idle_watch(caller);
	proc_rts_unset_first(p, RTS_PAGEFAULT);
	return OK;
}

static int memreq_get(struct sys_vmctl *v)
{
	struct proc *p = memreq_next();

	if (!p)
		return ESRCH;
	v->v.memreq.requestor = p->p_endpoint;
	v->v.memreq.addr = p->p_memreq.addr;
	v->v.memreq.len = p->p_memreq.len;
	v->v.memreq.write = p->p_memreq.write;
	v->v.memreq.space = p->p_memreq.space;
	return OK;
}

static int memreq_reply(struct proc *p, int32_t result)
{
	if (!(p->p_rts_flags & RTS_VMREQUEST))
		return EINVAL;
	p->p_memreq.result = result == OK ? OK : EFAULT;
	proc_rts_unset_first(p, RTS_VMREQUEST);
	return OK;
}

static int enable_paging(void)
{
	vm_paging_enabled = 1;
	for (int i = 0; i < NR_PROCS; i++) {
		struct proc *p = proc_addr(i);
		if (!(p->p_rts_flags & RTS_SLOT_FREE) &&
		    (p->p_rts_flags & RTS_BOOTINHIBIT))
			proc_rts_unset(p, RTS_BOOTINHIBIT);
	}
	return OK;
}

int do_vmctl(struct proc *caller, message *m)
{
	struct sys_vmctl *v = &m->u.vmctl;
	struct proc *p = v->ep == SELF ? caller : proc_from_endpoint(v->ep);

	switch (v->op) {
	case VMCTL_MEMREQ_GET:
		return memreq_get(v);
	case VMCTL_ENABLE_PAGING:
		return enable_paging();
	case VMCTL_IDLE_NOTIFY:
		switch_idle_watch(caller);
		return OK;
	case VMCTL_KERN_PHYSMAP:
		return kern_physmap(v->v.physmap.index, &v->v.physmap.phys,
			&v->v.physmap.len, &v->v.physmap.vaddr,
			&v->v.physmap.flags);
	case VMCTL_KERN_MAP_REPLY: {
		phys_bytes ph;
		uint32_t len, fl;
		vir_bytes va;
		if (kern_physmap(v->v.physmap.index, &ph, &len, &va, &fl) != OK)
			return EINVAL;
		/* The kernel's ranges live at fixed addresses. */
		return v->v.physmap.vaddr == va ? OK : EINVAL;
	}
	case VMCTL_GET_KINFO:
		if (v->v.kinfo.size < sizeof(kinfo))
			return EINVAL;
		if (user_range_check(v->v.kinfo.buf, sizeof(kinfo)) != OK)
			return user_range_check(v->v.kinfo.buf, sizeof(kinfo));
		if (copy_to_current(v->v.kinfo.buf, &kinfo, sizeof(kinfo)) != 0)
			return EFAULT;
		return OK;
	}
	if (!p)
		return EBADEPT;
	switch (v->op) {
	case VMCTL_CLEAR_PAGEFAULT:
		return clear_pagefault(caller, p, v);
	case VMCTL_MEMREQ_REPLY:
		return memreq_reply(p, v->v.memreq_reply.result);
	case VMCTL_SET_ADDRSPACE:
		if ((v->v.addrspace.pgdir & (PAGE_SIZE - 1)) ||
		    v->v.addrspace.pgdir >= kinfo.mapped_end)
			return EINVAL;
		p->p_cr3 = v->v.addrspace.pgdir;
		if (get_cpulocal_var(ptproc) == p)
			write_cr3(p->p_cr3);
		return OK;
	case VMCTL_INVLPG:
		return invalidate(p, v->v.invlpg.addr, v->v.invlpg.pages);
	case VMCTL_INVLPG_LIST:
		return invalidate_list(p, v->v.invlpg_list.list,
			v->v.invlpg_list.count);
	case VMCTL_GET_PGDIR:	/* VM maps its own heap in its own space */
		v->v.addrspace.pgdir = p->p_cr3;
		return OK;
	default:
		return EINVAL;
	}
}
