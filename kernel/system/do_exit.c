/* SYS_EXIT: VM has freed a process's memory; the kernel forgets it.
 * Also here: tearing a process down, and the kernel killing one. */
#include "kernel/system.h"
#include "kernel/ipc.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/shootdown.h"
#include "cairn/calls.h"

void proc_teardown(struct proc *p)
{
	ipc_cancel(p);
	if (proc_is_runnable(p))
		sched_dequeue(p);
	p->p_rts_flags |= RTS_DYING;
	shootdown_stop(p);		/* no CPU runs it or has it loaded */
	proc_free(p);
}

void proc_kill(struct proc *p, const char *why)
{
	proc_kill_status(p, why, EFAULT);
}

void proc_kill_status(struct proc *p, const char *why, int status)
{
	message m;

	kprintf("kernel: killed %s (endpoint %d): %s at eip=0x%08x\n",
		p->p_name, p->p_endpoint, why, p->p_reg.eip);
	ipc_cancel(p);
	proc_rts_set(p, RTS_DYING);
	for (unsigned i = 0; i < 14; i++)
		m.u.w[i] = 0;
	m.m_type = VM_EXIT;
	m.u.exit.ep = p->p_endpoint;
	m.u.exit.status = status;
	ipc_send_on_behalf(p, proc_addr(VM_PROC_NR), &m);
}

int do_exit(struct proc *caller, message *m)
{
	struct proc *p = proc_from_endpoint(m->u.exit.ep);

	if (!p)
		return EBADEPT;
	if (p == caller || p->p_nr == VM_PROC_NR)
		return EINVAL;
	proc_teardown(p);
	return OK;
}
