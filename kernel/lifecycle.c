/*
 * A process's life in the kernel: made from the address space VM
 * prepared (SYS_NEWPROC); given a new image (SYS_EXEC); stopped for good
 * (a fault it cannot survive, SYS_EXIT, SYS_KILL), which its signal
 * manager learns; torn down once VM has freed its memory (SYS_CLEAR);
 * or swapped with another in a live update (SYS_UPDATE). The kernel
 * calls in system/ only check their requests and call these.
 *
 * The signal manager is named in the privilege slot (priv.sig_mgr): PM
 * for user processes, RS for the services it starts. The kernel assumes
 * neither: it stops the process, keeps its slot and memory, and notifies
 * the manager (NOTIFY_KERNEL_KSIG), which takes the stop with
 * SYS_GETKSIG and has VM end the process. Without a live manager (PM or
 * RS gone, or a process managing itself) VM is told directly, as if the
 * process had sent VM_EXIT, and its exit reaches PM through VM's queue.
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
	p->p_priv.sig_mgr = (n->flags & NEWPROC_MGR_PARENT) && parent ?
		parent->p_endpoint : PM_ENDPOINT;
	if ((n->flags & NEWPROC_SYSTEM) &&
	    (!parent || parent->p_priority <= SYSTEM_Q))
		p->p_priority = SYSTEM_Q;
	p->p_cpu = n->cpu == NEWPROC_ANY_CPU ? sched_place() : n->cpu;
	p->p_rts_flags = RTS_BOOTINHIBIT;	/* live, not yet runnable */
	if (vm_paging_enabled)
		proc_rts_unset(p, RTS_BOOTINHIBIT);
	*ep = p->p_endpoint;
	return OK;
}

/* VM learns of p's end as if p had sent it VM_EXIT (no manager). */
static void tell_vm(struct proc *p, int status)
{
	message m;

	for (unsigned i = 0; i < 14; i++)
		m.u.w[i] = 0;
	m.m_type = VM_EXIT;
	m.u.exit.ep = p->p_endpoint;
	m.u.exit.status = status;
	ipc_send_on_behalf(p, proc_addr(VM_PROC_NR), &m);
}

/* p's manager, if it can take p's stop: alive, not stopping itself,
 * not p. */
static struct proc *manager_of(const struct proc *p)
{
	struct proc *mgr = proc_from_endpoint(p->p_priv.sig_mgr);

	if (!mgr || mgr == p || (mgr->p_rts_flags & RTS_DYING))
		return 0;
	return mgr;
}

void proc_teardown(struct proc *p)
{
	struct proc *q;

	/* Stops p had not taken yet go to VM, or they would wait forever. */
	while ((q = proc_next_stopped(p)) != 0)
		tell_vm(q, q->p_ksig_status);
	ipc_cancel(p);
	if (proc_is_runnable(p))
		sched_dequeue(p);
	p->p_rts_flags |= RTS_DYING;
	p->p_misc_flags &= ~MF_KSIG;
	p->p_alarm = 0;
	shootdown_stop(p);		/* no CPU runs it or has it loaded */
	proc_free(p);
}

void proc_stop(struct proc *p, uint32_t how, int status)
{
	struct proc *mgr;

	ipc_cancel(p);
	proc_rts_set(p, RTS_DYING);
	p->p_alarm = 0;
	if ((mgr = manager_of(p)) == 0) {
		tell_vm(p, status);
		return;
	}
	p->p_ksig_status = status;
	p->p_ksig_how = how;
	p->p_misc_flags |= MF_KSIG;
	ipc_notify_kernel(mgr, NOTIFY_KERNEL_KSIG);
}

struct proc *proc_next_stopped(const struct proc *mgr)
{
	for (int i = 0; i < NR_PROCS; i++) {
		struct proc *q = proc_addr(i);

		if ((q->p_misc_flags & MF_KSIG) &&
		    q->p_priv.sig_mgr == mgr->p_endpoint) {
			q->p_misc_flags &= ~MF_KSIG;
			return q;
		}
	}
	return 0;
}

void proc_kill(struct proc *p, const char *why)
{
	proc_kill_status(p, why, EFAULT);
}

void proc_kill_status(struct proc *p, const char *why, int status)
{
	kprintf("kernel: killed %s (endpoint %d): %s at eip=0x%08x\n",
		p->p_name, p->p_endpoint, why, p->p_reg.eip);
	proc_stop(p, KSIG_FAULT, status);
}

/* Exchanges two values of the same type. */
#define SWAP(x, y) do { __typeof__(x) t_ = (x); (x) = (y); (y) = t_; } \
	while (0)

int proc_update(struct proc *a, struct proc *b)
{
	const uint32_t in_flight = MF_DELIVERMSG | MF_RESTART | MF_KSEND |
		MF_KSIG;
	uint32_t sendrec_a = a->p_misc_flags & MF_SENDREC;

	if (a->p_rts_flags != RTS_RECEIVING || b->p_rts_flags != RTS_RECEIVING ||
	    ((a->p_misc_flags | b->p_misc_flags) & in_flight))
		return EAGAIN;
	shootdown_stop(a);	/* no CPU has either space loaded */
	shootdown_stop(b);
	SWAP(a->p_reg, b->p_reg);
	SWAP(a->p_cr3, b->p_cr3);
	SWAP(a->p_entry, b->p_entry);
	SWAP(a->p_recvbuf, b->p_recvbuf);
	SWAP(a->p_getfrom_e, b->p_getfrom_e);
	SWAP(a->p_grant_table, b->p_grant_table);
	SWAP(a->p_grant_slots, b->p_grant_slots);
	SWAP(a->p_alarm, b->p_alarm);
	for (unsigned i = 0; i < sizeof(a->p_name); i++)
		SWAP(a->p_name[i], b->p_name[i]);
	a->p_misc_flags = (a->p_misc_flags & ~MF_SENDREC) |
		(b->p_misc_flags & MF_SENDREC);
	b->p_misc_flags = (b->p_misc_flags & ~MF_SENDREC) | sendrec_a;
	fpu_proc_swap(a, b);
	/* Each now waits in the other's receive: what its slot has queued
	 * may match it at once. */
	ipc_rematch(a);
	ipc_rematch(b);
	return OK;
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
	/* The grant table was in the old memory; the alarm was the old
	 * program's. */
	p->p_grant_table = 0;
	p->p_grant_slots = 0;
	p->p_alarm = 0;
	/* The SENDREC to PM is over without an answer: nothing may be
	 * delivered into the new image on its behalf. */
	p->p_getfrom_e = NONE;
	p->p_recvbuf = 0;
	p->p_misc_flags &= ~(MF_SENDREC | MF_DELIVERMSG | MF_RESTART);
	proc_rts_unset(p, RTS_RECEIVING);
}
