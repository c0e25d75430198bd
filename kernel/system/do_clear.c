/* SYS_CLEAR: VM has freed a process's memory; the kernel forgets it
 * (proc_teardown, lifecycle.c). */
#include "kernel/system.h"
#include "kernel/lifecycle.h"
#include "kernel/proc.h"
#include "cairn/calls.h"

int do_clear(struct proc *caller, message *m)
{
	struct proc *p = proc_from_endpoint(m->u.exit.ep);

	if (!p)
		return EBADEPT;
	if (p == caller || p->p_nr == VM_PROC_NR)
		return EINVAL;
	proc_teardown(p);
	return OK;
}
