/* SYS_FORK: VM has copied a process's address space to a new directory;
 * the kernel makes a process of it that waits, as its parent does, for
 * the answer to the SENDREC the parent made (to PM), so that each returns
 * from that one call with its own reply. */
#include "kernel/system.h"
#include "kernel/lifecycle.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/arch.h"
#include "kernel/lib/string.h"

int do_fork(struct proc *caller, message *m)
{
	struct sys_fork *f = &m->u.fork;
	struct proc *parent;
	int r;

	if ((r = proc_pm_waiter(caller, f->parent, f->pgdir, &parent)) != OK)
		return r;
	struct proc *child = proc_alloc();
	if (!child)
		return EBUSY;
	child->p_reg = parent->p_reg;
	child->p_entry = parent->p_entry;
	child->p_cr3 = f->pgdir;
	memcpy(child->p_name, parent->p_name, sizeof(child->p_name));
	child->p_priv = parent->p_priv;
	child->p_priority = parent->p_priority;
	fpu_proc_copy(child, parent);
	/* The same pending receive: from the same peer, into the same
	 * buffer (at the same address in the copied space). */
	child->p_getfrom_e = parent->p_getfrom_e;
	child->p_recvbuf = parent->p_recvbuf;
	child->p_misc_flags = MF_SENDREC;
	child->p_cpu = sched_place();
	child->p_rts_flags = RTS_RECEIVING;	/* live, not runnable: no queue */
	f->child = child->p_endpoint;
	return OK;
}
