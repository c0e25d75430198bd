/* SYS_INFO: what any process may know about itself and the machine,
 * including the fastest way into the kernel on this CPU. */
#include "kernel/system.h"
#include "kernel/proc.h"
#include "kernel/arch.h"
#include "smp/smp.h"

int do_info(struct proc *caller, message *m)
{
	struct sys_info *i = &m->u.info;

	i->self = caller->p_endpoint;
	i->cpu = cpu_self();
	i->cpus = smp_cpus_online();
	i->entry_mask = fastentry_mask();
	i->entry_best = fastentry_best();
	i->tsc_khz = clock_rates.tsc_khz;
	return OK;
}
