/*
 * The way back to user mode: pick this CPU's next process, finish what
 * waits for its address space (a message to copy in, a call to redo) and
 * return to it; or idle, without the BKL, until there is one.
 */
#include "kernel/switch.h"
#include "kernel/bkl.h"
#include "kernel/ipc.h"
#include "kernel/sched.h"
#include "kernel/shootdown.h"
#include "kernel/timer.h"
#include "smp/smp.h"

static int queue_nonempty(void)
{
	return *(volatile uint32_t *)get_cpulocal_var_ptr(run_q_bits) != 0;
}

void switch_idle_watch(struct proc *p)
{
	get_cpu_var(p->p_cpu, idle_watcher) = p;
}

/* Nothing is ready here: the process watching for that hears of it
 * first (1), and the CPU halts only when that wakes nobody. */
static int idle_tell_watcher(void)
{
	struct proc *w = get_cpulocal_var(idle_watcher);

	if (!w)
		return 0;
	get_cpulocal_var(idle_watcher) = 0;
	if ((w->p_rts_flags & (RTS_SLOT_FREE | RTS_DYING)) ||
	    w->p_cpu != get_cpulocal_var(cpu_id))
		return 0;
	ipc_notify_kernel(w, NOTIFY_KERNEL_IDLE);
	return queue_nonempty();
}

/* Without the BKL: serve cross-CPU work and halt until something may be
 * ready here. A dead process's directory is never left loaded. The
 * process watching for an idle moment hears of it first, and then the
 * CPU does not halt. */
static void idle(void)
{
	struct proc *pt = get_cpulocal_var(ptproc);

	if (idle_tell_watcher())
		return;
	if (pt && (pt->p_rts_flags & (RTS_SLOT_FREE | RTS_DYING))) {
		write_cr3(kvtophys(kernel_pgdir));
		get_cpulocal_var(ptproc) = 0;
	}
	get_cpulocal_var(proc_ptr) = 0;
	get_cpulocal_var(idle) = 1;
	bkl_unlock();
	for (;;) {
		shootdown_poll();
		if (get_cpulocal_var(work_fn))
			smp_run_queued_work();
		if (get_cpulocal_var(alarm_kick)) {	/* CPU 0 only */
			get_cpulocal_var(alarm_kick) = 0;
			bkl_lock();
			alarm_ring();
			bkl_unlock();
		}
		if (queue_nonempty())
			break;
		cpu_idle_wait();
	}
	get_cpulocal_var(idle) = 0;
	bkl_lock();
}

void switch_to_user(void)
{
	for (;;) {
		struct proc *p = sched_pick();

		if (!p) {
			idle();
			continue;
		}
		switch_load(p);
		/* Work left for the moment its address space is loaded. */
		if ((p->p_misc_flags & (MF_RESTART | MF_DELIVERMSG)) &&
		    !ipc_resume(p))
			continue;	/* blocked again, or waits for VM */
		switch_run(p);
	}
}

void switch_idle_cpu(void)
{
	bkl_lock();
	switch_to_user();
}
