/* SYS_EXEC: VM has built a new address space for a process that waits
 * in its SENDREC to PM; the kernel switches the process over to it
 * (proc_exec, lifecycle.c). Only VM may ask: the call's privilege bit,
 * and VM's own mark, since a directory is VM's to hand out. */
#include "kernel/system.h"
#include "kernel/lifecycle.h"
#include "kernel/proc.h"
#include "kernel/arch.h"

int do_exec(struct proc *caller, message *m)
{
	const struct sys_exec *e = &m->u.exec;
	struct proc *p;

	if (!(caller->p_misc_flags & MF_PRIV_VM))
		return EPERM;
	if (!(p = proc_from_endpoint(e->ep)))
		return EBADEPT;
	if (p == caller || p->p_nr == VM_PROC_NR ||
	    !proc_in_sendrec_receive(p))
		return EINVAL;
	if (!pgdir_ok(e->pgdir) || proc_pgdir_in_use(e->pgdir))
		return EINVAL;
	if (e->entry >= KERNEL_BASE || e->stack > KERNEL_BASE)
		return EFAULT;
	proc_exec(p, e);
	return OK;
}
