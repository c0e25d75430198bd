/*
 * A process's life in the kernel: made from the address space VM
 * prepared (SYS_NEWPROC), given a new image (SYS_EXEC), killed by the
 * kernel for a fault it cannot survive, torn down once VM has freed its
 * memory (SYS_EXIT). The kernel calls in system/ only check their
 * requests and call these.
 */
#include "kernel/lifecycle.h"
#include "kernel/ipc.h"
#include "kernel/ipc_peer.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/shootdown.h"
#include "kernel/system.h"
#include "kernel/arch.h"
#include "kernel/lib/string.h"

/* The rights VM asks for, never more than bound has (rights never grow
 * from parent to child, whatever role VM's policy found). */
static void set_priv(struct priv *pr, const struct sys_newproc *n,
	const struct priv *bound)
{
	pr->calls = n->calls;
	pr->ipc_all = n->ipc_to[0] == PRIV_IPC_ALL;
	for (int i = 0; i < PRIV_MAX_TARGETS; i++)
		pr->ipc_to[i] = pr->ipc_all ? NONE : (endpoint_t)n->ipc_to[i];
	if (!bound)
		return;
	pr->calls &= bound->calls;
	if (bound->ipc_all)
		return;
	if (pr->ipc_all) {	/* asked for all: the parent's list */
		pr->ipc_all = 0;
		for (int i = 0; i < PRIV_MAX_TARGETS; i++)
			pr->ipc_to[i] = bound->ipc_to[i];
		return;
	}
	for (int i = 0; i < PRIV_MAX_TARGETS; i++)
		if (!priv_may_send(bound, pr->ipc_to[i]))
			pr->ipc_to[i] = NONE;
}

int proc_create(const struct sys_newproc *n, const struct proc *parent,
	endpoint_t *ep)
{
	struct proc *p = proc_alloc();

	if (!p)
		return EBUSY;
	proc_setup_user(p, n->pgdir, n->entry, n->stack);
	memcpy(p->p_name, n->name, sizeof(n->name));
	p->p_name[sizeof(n->name)] = '\0';
	set_priv(&p->p_priv, n, parent ? &parent->p_priv : 0);
	p->p_cpu = n->cpu == NEWPROC_ANY_CPU ? sched_place() : n->cpu;
	p->p_rts_flags = RTS_BOOTINHIBIT;	/* live, not yet runnable */
	if (vm_paging_enabled)
		proc_rts_unset(p, RTS_BOOTINHIBIT);
	*ep = p->p_endpoint;
	return OK;
}

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

static int in_sendrec_receive(const struct proc *p)
{
	return p->p_rts_flags == RTS_RECEIVING &&
		(p->p_misc_flags & (MF_SENDREC | MF_DELIVERMSG | MF_RESTART)) ==
		MF_SENDREC;
}

static int pgdir_in_use(phys_bytes pgdir)
{
	for (int i = 0; i < NR_PROCS; i++) {
		const struct proc *p = proc_addr(i);

		if (!(p->p_rts_flags & RTS_SLOT_FREE) && p->p_cr3 == pgdir)
			return 1;
	}
	return 0;
}

int proc_pm_waiter(const struct proc *caller, endpoint_t ep,
	phys_bytes pgdir, struct proc **out)
{
	struct proc *p = proc_from_endpoint(ep);

	if (!p)
		return EBADEPT;
	if (p == caller || p->p_nr == VM_PROC_NR || !in_sendrec_receive(p))
		return EINVAL;
	if (!pgdir_ok(pgdir) || pgdir_in_use(pgdir))
		return EINVAL;
	*out = p;
	return OK;
}

void proc_exec(struct proc *p, const struct sys_exec *e)
{
	/* No CPU may keep the old directory loaded: VM frees it next. */
	shootdown_stop(p);
	fpu_proc_drop(p);
	fpu_proc_init(p);
	proc_setup_user(p, e->pgdir, e->entry, e->stack);
	memcpy(p->p_name, e->name, sizeof(e->name));
	p->p_name[sizeof(e->name)] = '\0';
	/* The grant table was in the old memory. */
	p->p_grant_table = 0;
	p->p_grant_slots = 0;
	/* The SENDREC to PM is over without an answer: nothing may be
	 * delivered into the new image on its behalf. */
	p->p_getfrom_e = NONE;
	p->p_recvbuf = 0;
	p->p_misc_flags &= ~(MF_SENDREC | MF_DELIVERMSG | MF_RESTART);
	proc_rts_unset(p, RTS_RECEIVING);
}
