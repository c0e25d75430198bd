/*
 * Per-CPU run queues, time slices, the idle loop and the return to user
 * mode. Every CPU picks only from its own queues; a process queued on
 * another CPU wakes it with an IPI.
 */
#include "kernel/sched.h"
#include "kernel/shootdown.h"
#include "kernel/proc.h"
#include "kernel/arch.h"
#include "smp/smp.h"

/* p was queued on another CPU: wake that CPU if it should run p now,
 * before what it runs (first: p goes ahead of its own priority too). */
static void kick_cpu(uint32_t cpu, const struct proc *p, int first)
{
	const struct proc *running = get_cpu_var(cpu, proc_ptr);

	if (get_cpu_var(cpu, idle) || !running ||
	    running->p_priority + (first ? 1 : 0) > p->p_priority)
		lapic_send_ipi(get_cpu_var(cpu, apic_id), VEC_IPI_SCHED);
}

void sched_enqueue(struct proc *p)
{
	uint32_t cpu = p->p_cpu, q = p->p_priority;
	struct proc **head = &get_cpu_var(cpu, run_q_head)[q];
	struct proc **tail = &get_cpu_var(cpu, run_q_tail)[q];

	p->p_nextready = 0;
	if (*head)
		(*tail)->p_nextready = p;
	else
		*head = p;
	*tail = p;
	get_cpu_var(cpu, run_q_bits) |= 1u << q;
	if (cpu != cpu_self())
		kick_cpu(cpu, p, 0);
}

void sched_enqueue_first(struct proc *p)
{
	uint32_t cpu = p->p_cpu, q = p->p_priority;
	struct proc **head = &get_cpu_var(cpu, run_q_head)[q];

	/* Woken by the process running here (a server's reply): behind it,
	 * which goes on until it blocks or its slice ends. */
	if (cpu == cpu_self() && *head && *head == get_cpulocal_var(proc_ptr))
		head = &(*head)->p_nextready;
	if (!(p->p_nextready = *head))
		get_cpu_var(cpu, run_q_tail)[q] = p;
	*head = p;
	get_cpu_var(cpu, run_q_bits) |= 1u << q;
	if (cpu != cpu_self())
		kick_cpu(cpu, p, 1);
}

void sched_dequeue(struct proc *p)
{
	uint32_t cpu = p->p_cpu, q = p->p_priority;
	struct proc **head = &get_cpu_var(cpu, run_q_head)[q];
	struct proc *prev = 0;

	if (*head == p) {	/* the usual case: the running process */
		if (!(*head = p->p_nextready))
			get_cpu_var(cpu, run_q_bits) &= ~(1u << q);
		p->p_nextready = 0;
		return;
	}
	for (struct proc *x = *head; x; prev = x, x = x->p_nextready) {
		if (x != p)
			continue;
		if (prev)
			prev->p_nextready = x->p_nextready;
		else
			*head = x->p_nextready;
		if (get_cpu_var(cpu, run_q_tail)[q] == p)
			get_cpu_var(cpu, run_q_tail)[q] = prev;
		if (!*head)
			get_cpu_var(cpu, run_q_bits) &= ~(1u << q);
		p->p_nextready = 0;
		return;
	}
}

void proc_rts_set(struct proc *p, uint32_t flags)
{
	int was_runnable = proc_is_runnable(p);

	p->p_rts_flags |= flags;
	if (was_runnable && !proc_is_runnable(p))
		sched_dequeue(p);
}

static void rts_unset(struct proc *p, uint32_t flags, int first)
{
	int was_runnable = proc_is_runnable(p);

	p->p_rts_flags &= ~flags;
	if (was_runnable || !proc_is_runnable(p))
		return;
	if (first)
		sched_enqueue_first(p);
	else
		sched_enqueue(p);
}

void proc_rts_unset(struct proc *p, uint32_t flags)
{
	rts_unset(p, flags, 0);
}

void proc_rts_unset_first(struct proc *p, uint32_t flags)
{
	rts_unset(p, flags, 1);
}

static unsigned ready_count(uint32_t cpu)
{
	unsigned n = 0;

	for (int q = 0; q < NR_SCHED_QUEUES; q++)
		for (struct proc *p = get_cpu_var(cpu, run_q_head)[q]; p;
		     p = p->p_nextready)
			n++;
	return n;
}

uint32_t sched_place(void)
{
	uint32_t best = 0;
	unsigned best_n = ~0u;

	for (uint32_t c = 0; c < smp_cpus_online(); c++) {
		unsigned n = ready_count(c);
		if (n < best_n) {
			best = c;
			best_n = n;
		}
	}
	return best;
}

void sched_migrate(struct proc *p, uint32_t cpu)
{
	int runnable = proc_is_runnable(p);

	if (runnable)
		sched_dequeue(p);
	p->p_cpu = cpu;
	if (runnable)
		sched_enqueue(p);
}

void sched_tick(void)
{
	struct proc *p = get_cpulocal_var(proc_ptr);

	if (!p)
		return;
	p->p_user_ticks++;
	if (--p->p_ticks_left > 0)
		return;
	p->p_ticks_left = QUANTUM_TICKS;
	if (proc_is_runnable(p)) {	/* round robin within its priority */
		sched_dequeue(p);
		sched_enqueue(p);
	}
}

/* --- interrupts ----------------------------------------------------------- */

static void ipi_sched(struct trapframe *tf)
{
	(void)tf;
	get_cpulocal_var(ipis_received)++;
	lapic_eoi();
}

static void ipi_stop(struct trapframe *tf)
{
	(void)tf;
	shootdown_poll();	/* stop and TLB requests alike */
	lapic_eoi();
}

void sched_init_cpu(void)
{
	trap_set_handler(VEC_IPI_SCHED, ipi_sched);
	trap_set_handler(VEC_IPI_STOP, ipi_stop);
	trap_set_handler(VEC_IPI_TLB, ipi_stop);
}
