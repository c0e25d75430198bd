/* SYS_KILL: stop a process for good, as a fault would (proc_stop): its
 * manager is told and has VM end it. Only VM and the process's own
 * signal manager may: a right to the call is no right over everyone. */
#include "kernel/system.h"
#include "kernel/lifecycle.h"
#include "kernel/proc.h"
#include "cairn/calls.h"

int do_kill(struct proc *caller, message *m)
{
	struct proc *p = proc_from_endpoint(m->u.exit.ep);

	if (!p)
		return EBADEPT;
	if (p == caller || p->p_nr == VM_PROC_NR)
		return EINVAL;
	if (caller->p_nr != VM_PROC_NR &&
	    p->p_priv.sig_mgr != caller->p_endpoint)
		return EPERM;
	if (p->p_rts_flags & RTS_DYING)
		return ESRCH;	/* stopped already: one report is enough */
	/* VM kills for a fault (a page it cannot or may not give). */
	proc_stop(p, caller->p_nr == VM_PROC_NR ? KSIG_FAULT : KSIG_KILL,
		m->u.exit.status);
	return OK;
}
