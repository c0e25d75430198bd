/* SYS_EXIT: a system process ends itself. It never runs again; its
 * signal manager (RS for a service) takes the stop and decides (restart
 * or not), then has VM end it. No reply. */
#include "kernel/system.h"
#include "kernel/lifecycle.h"
#include "kernel/proc.h"
#include "cairn/calls.h"

int do_exit(struct proc *caller, message *m)
{
	if (caller->p_nr == VM_PROC_NR)
		return EPERM;
	proc_stop(caller, KSIG_EXIT, m->u.exit.status);
	return EDONTREPLY;
}
