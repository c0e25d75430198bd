/* SYS_NEWPROC: VM hands over a prepared address space and the kernel makes
 * a process of it, with the privileges VM chose, bounded by its parent's. */
#include "kernel/system.h"
#include "kernel/bootmem.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/arch.h"
#include "kernel/lib/string.h"
#include "smp/smp.h"

static int may_send_to(const struct priv *pr, endpoint_t to)
{
	if (pr->ipc_all)
		return 1;
	for (int i = 0; i < PRIV_MAX_TARGETS; i++)
		if (pr->ipc_to[i] == to)
			return 1;
	return 0;
}

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
		if (!may_send_to(bound, pr->ipc_to[i]))
			pr->ipc_to[i] = NONE;
}

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
	n->endpoint = p->p_endpoint;
	return OK;
}
