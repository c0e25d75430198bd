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
	int r;

	if (!(caller->p_misc_flags & MF_PRIV_VM))
		return EPERM;
	if ((r = proc_pm_waiter(caller, e->ep, e->pgdir, &p)) != OK)
		return r;
	if (e->entry >= KERNEL_BASE || e->stack > KERNEL_BASE)
		return EFAULT;
	proc_exec(p, e);
	return OK;
}
