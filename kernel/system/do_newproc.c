/* SYS_NEWPROC: VM hands over a prepared address space and the kernel makes
 * a process of it (proc_create, lifecycle.c), with the privileges VM
 * chose, bounded by its parent's. Here: the request's checks. */
#include "kernel/system.h"
#include "kernel/lifecycle.h"
#include "kernel/proc.h"
#include "kernel/arch.h"
#include "smp/smp.h"

int do_newproc(struct proc *caller, message *m)
{
	struct sys_newproc *n = &m->u.newproc;
	const struct proc *parent = 0;
	(void)caller;

	if (!pgdir_ok(n->pgdir))
		return EINVAL;
	if (n->entry >= KERNEL_BASE || n->stack > KERNEL_BASE)
		return EINVAL;
	if (n->cpu != NEWPROC_ANY_CPU && n->cpu >= smp_cpus_online())
		return EINVAL;
	if (n->parent != NONE &&
	    (parent = proc_from_endpoint(n->parent)) == 0)
		return EBADEPT;
	return proc_create(n, parent, &n->endpoint);
}
