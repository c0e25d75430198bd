/* SYS_UPDATE: VM swaps two services' address spaces for RS's live update
 * and the kernel swaps what runs in the two slots (proc_update,
 * lifecycle.c). Here: the request's checks. */
#include "kernel/system.h"
#include "kernel/lifecycle.h"
#include "kernel/proc.h"
#include "cairn/calls.h"

int do_update(struct proc *caller, message *m)
{
	struct proc *a = proc_from_endpoint(m->u.update.old_ep);
	struct proc *b = proc_from_endpoint(m->u.update.new_ep);

	if (!(caller->p_misc_flags & MF_PRIV_VM))
		return EPERM;
	if (!a || !b)
		return EBADEPT;
	if (a == b || a->p_nr <= RS_PROC_NR || b->p_nr <= RS_PROC_NR ||
	    ((a->p_rts_flags | b->p_rts_flags) & RTS_DYING))
		return EINVAL;
	return proc_update(a, b);
}
