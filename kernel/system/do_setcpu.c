/* SYS_SETCPU: move a process to another CPU. A process running on some
 * CPU right now can move only itself (its state is live there). */
#include "kernel/system.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "smp/smp.h"

int do_setcpu(struct proc *caller, message *m)
{
	struct sys_setcpu *s = &m->u.setcpu;
	struct proc *p = s->ep == SELF ? caller : proc_from_endpoint(s->ep);

	if (!p)
		return EBADEPT;
	if (p != caller && !(caller->p_misc_flags & MF_PRIV_VM))
		return EPERM;
	if (s->cpu >= smp_cpus_online())
		return EINVAL;
	for (uint32_t c = 0; c < smp_cpus_online(); c++)
		if (p != caller && get_cpu_var(c, proc_ptr) == p)
			return EBUSY;
	sched_migrate(p, s->cpu);
	return OK;
}
