/*
 * Scheduling on every CPU: per-CPU run queues with priorities and quanta,
 * preemption from the local APIC timer, placement and migration, and the
 * way back to user mode.
 */
#ifndef CAIRN_SCHED_H
#define CAIRN_SCHED_H

#include <stdint.h>
#include "cairn/types.h"
#include "kernel/cpulocal.h"

struct proc;

#define SCHED_HZ	100	/* timer interrupts per second per CPU */

/* Queue and dequeue a process on its CPU (p_cpu); a process queued on
 * another CPU wakes that CPU with an IPI when it idles or runs something
 * less urgent. */
void sched_enqueue(struct proc *p);
void sched_dequeue(struct proc *p);
/* Queues p first among its priority (second, behind the process that
 * woke it when that one runs here at the same priority): a process that
 * waited for a server (VM) in the middle of its time slice resumes with
 * the rest of it before those that used theirs up. Another CPU running
 * a process of the same priority is interrupted for it. */
void sched_enqueue_first(struct proc *p);

/* Run state: set or clear RTS bits, queuing and dequeuing as needed. */
void proc_rts_set(struct proc *p, uint32_t flags);
void proc_rts_unset(struct proc *p, uint32_t flags);
/* The same, but a process that becomes runnable goes first in its queue
 * (sched_enqueue_first): for one whose page fault or memory request VM
 * has just served. */
void proc_rts_unset_first(struct proc *p, uint32_t flags);

/* The CPU a new process goes to: the one with the fewest ready processes. */
uint32_t sched_place(void);
/* Moves p to another CPU. */
void sched_migrate(struct proc *p, uint32_t cpu);

/* Timer tick on this CPU (BKL held): charges the running process and
 * rotates it when its quantum is used up. */
void sched_tick(void);


/* The process this CPU would run now: the head of its most urgent
 * non-empty queue (the bitmap has a bit for every non-empty queue, so
 * that head is never NULL), or NULL. Only runnable processes are queued. */
static inline struct proc *sched_pick(void)
{
	uint32_t bits = get_cpulocal_var(run_q_bits);

	if (!bits)
		return 0;
	return get_cpulocal_var(run_q_head)[__builtin_ctz(bits)];
}

void sched_init_cpu(void);

#endif /* CAIRN_SCHED_H */
