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

/* The CPU a new process goes to: the one with the fewest ready processes. */
uint32_t sched_place(void);
/* Moves p to another CPU. */
void sched_migrate(struct proc *p, uint32_t cpu);

/* Timer tick on this CPU (BKL held): charges the running process and
 * rotates it when its quantum is used up. */
void sched_tick(void);

/* Starts the periodic timer on every CPU. */
void sched_start_timers(void);

/* Picks the next process for this CPU and returns to it in user mode, or
 * idles until there is one. BKL held on entry; released on the way out. */
void sched_return_to_user(void) __attribute__((noreturn));

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

/* Stops a process that may be running on another CPU right now: that CPU
 * leaves its address space at once (IPI) before this returns. */
void sched_stop_remote(struct proc *p);
/* Answers pending stop, TLB shootdown and FPU flush requests on this CPU,
 * if any.
 * Called from their IPIs, from the idle loop, and by a CPU waiting for the
 * BKL (its interrupts are off; the requester may hold the lock). The
 * check is inline: it runs on every pass of those loops. */
void sched_serve_requests(void);

static inline void sched_handle_stop(void)
{
	if (__builtin_expect(get_cpulocal_var(stop_target) != 0 ||
			     get_cpulocal_var(tlb_target) != 0 ||
			     get_cpulocal_var(fpu_flush_target) != 0, 0))
		sched_serve_requests();
}

/* Invalidates pages [addr, addr + pages*4K) of p's address space on every
 * CPU that has it loaded: this one directly, the others through IPIs
 * naming the pages, waiting until each has done it. Past `flush_over`
 * pages a CPU reloads CR3 instead. */
void sched_shootdown(struct proc *p, vir_bytes addr, uint32_t pages,
	uint32_t flush_over);
/* The same for `count` page addresses at list (kernel memory, page-
 * aligned user addresses): one round of IPIs for the whole list. */
void sched_shootdown_list(struct proc *p, const vir_bytes *list,
	uint32_t count, uint32_t flush_over);

void sched_init_cpu(void);

#endif /* CAIRN_SCHED_H */
