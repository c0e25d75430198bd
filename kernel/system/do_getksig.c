/* SYS_GETKSIG: a signal manager takes the next of its processes the
 * kernel stopped (lifecycle.c: proc_stop). */
#include "kernel/system.h"
#include "kernel/lifecycle.h"
#include "kernel/proc.h"
#include "cairn/calls.h"

int do_getksig(struct proc *caller, message *m)
{
	struct proc *p = proc_next_stopped(caller);

	if (!p)
		return ESRCH;
	m->u.getksig.ep = p->p_endpoint;
	m->u.getksig.status = p->p_ksig_status;
	m->u.getksig.how = p->p_ksig_how;
	return OK;
}
