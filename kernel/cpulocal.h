/*
 * CPU-local variables: every CPU has its own copy of everything declared
 * between DECLARE_CPULOCAL_START and DECLARE_CPULOCAL_END.
 *
 * Each CPU's copy is one cache-line-aligned structure, so no two CPUs
 * share a line. %fs holds, on every CPU, a selector of its own GDT whose
 * base is that CPU's copy: reading a local variable is one %fs-relative
 * load (GCC's __seg_fs address space), e.g. get_cpulocal_var(cpu_id) is
 * `mov %fs:4,%eax`. Other CPUs' copies are reached by index.
 *
 * Use only the four accessors below; the layout may change.
 */
#ifndef CAIRN_CPULOCAL_H
#define CAIRN_CPULOCAL_H

#include <stdint.h>
#include "cairn/types.h"
#include "kernel/kernel.h"

struct cpulocal_vars;
struct proc;
typedef void (*cpu_work_fn)(void *arg);

#define CPU_SCHED_QUEUES	8	/* = NR_SCHED_QUEUES (proc.h) */

#define DECLARE_CPULOCAL_START	struct cpulocal_vars {
#define DECLARE_CPULOCAL(type, name)	type name
#define DECLARE_CPULOCAL_END	} __attribute__((aligned(CACHE_LINE)));

DECLARE_CPULOCAL_START
	/* Linear address of this very structure, for get_cpulocal_var_ptr. */
	DECLARE_CPULOCAL(struct cpulocal_vars *, self);
	DECLARE_CPULOCAL(uint32_t, cpu_id);		/* 0 = boot CPU */
	DECLARE_CPULOCAL(uint32_t, apic_id);
	DECLARE_CPULOCAL(volatile uint32_t, online);
	DECLARE_CPULOCAL(uint32_t, kstack_top);
	/* Cross-CPU work: the function the idle loop runs next. */
	DECLARE_CPULOCAL(cpu_work_fn volatile, work_fn);
	DECLARE_CPULOCAL(void *volatile, work_arg);
	DECLARE_CPULOCAL(volatile uint64_t, timer_ticks);
	/* CPU 0's tick found an alarm due while no BKL was held: its idle
	 * loop rings it (kernel/timer.c). */
	DECLARE_CPULOCAL(volatile uint32_t, alarm_kick);
	DECLARE_CPULOCAL(volatile uint32_t, ipis_received);
	DECLARE_CPULOCAL(uint32_t, exception_depth);
	/* Written by the CPU-local self-test through %fs. */
	DECLARE_CPULOCAL(uint32_t, selftest_word);
	/* Scheduling: the process running here (NULL when idle), the one
	 * whose page directory is loaded, and this CPU's run queues. */
	DECLARE_CPULOCAL(struct proc *, proc_ptr);
	DECLARE_CPULOCAL(struct proc *, ptproc);
	DECLARE_CPULOCAL(struct proc *, run_q_head[CPU_SCHED_QUEUES]);
	DECLARE_CPULOCAL(struct proc *, run_q_tail[CPU_SCHED_QUEUES]);
	DECLARE_CPULOCAL(uint32_t, run_q_bits);	/* bit q: queue q non-empty */
	DECLARE_CPULOCAL(volatile uint32_t, idle);	/* halted, no BKL */
	/* A process (VM) that asked for one NOTIFY_KERNEL_IDLE the next
	 * time this CPU has nothing to run (VMCTL_IDLE_NOTIFY), or NULL. */
	DECLARE_CPULOCAL(struct proc *, idle_watcher);
	DECLARE_CPULOCAL(uint32_t *, tss_esp0);	/* this CPU's TSS.esp0 */
	/* A process this CPU must stop running and whose page directory it
	 * must drop (shootdown_stop), and how many such requests it took. */
	DECLARE_CPULOCAL(struct proc *volatile, stop_target);
	DECLARE_CPULOCAL(volatile uint32_t, stop_acks);
	/* A TLB shootdown for this CPU: pages of tlb_target's address space
	 * to invalidate if it still has that space loaded: tlb_pages from
	 * tlb_addr on, or the tlb_pages addresses at tlb_list (on the
	 * requester's kernel stack, which waits for the ack); tlb_pages
	 * ~0: all of them. */
	DECLARE_CPULOCAL(struct proc *volatile, tlb_target);
	DECLARE_CPULOCAL(volatile uint32_t, tlb_addr);
	DECLARE_CPULOCAL(volatile uint32_t, tlb_pages);
	DECLARE_CPULOCAL(const vir_bytes *volatile, tlb_list);
	DECLARE_CPULOCAL(volatile uint32_t, tlb_acks);
	/* FPU (kernel/arch/i386/fpu.c): the process whose x87/SSE state is
	 * in this CPU's registers (NULL: none), whether CR0.TS is set, and
	 * a request from another CPU to save fpu_flush_target's state. */
	DECLARE_CPULOCAL(struct proc *, fpu_owner);
	DECLARE_CPULOCAL(uint32_t, fpu_ts);
	/* The registers may hold a process's state (1), or only the
	 * initial one (0: after fninit or a wipe). */
	DECLARE_CPULOCAL(uint32_t, fpu_dirty);
	/* The process the registers and TS were last set up for (0: none,
	 * or something changed since). */
	DECLARE_CPULOCAL(struct proc *, fpu_ready);
	/* TS set, no owner, only the initial state in the registers: fit
	 * for any process that has not used the FPU (fpu=used). */
	DECLARE_CPULOCAL(uint32_t, fpu_clean);
	DECLARE_CPULOCAL(struct proc *volatile, fpu_flush_target);
	DECLARE_CPULOCAL(volatile uint32_t, fpu_flush_acks);
DECLARE_CPULOCAL_END

_Static_assert(sizeof(struct cpulocal_vars) % CACHE_LINE == 0,
	"CPU-local areas must not share cache lines");

extern struct cpulocal_vars cpulocal_vars[CONFIG_MAX_CPUS];

#define get_cpu_var(cpu, name)		(cpulocal_vars[(cpu)].name)
#define get_cpu_var_ptr(cpu, name)	(&cpulocal_vars[(cpu)].name)

/* The %fs segment's base is this CPU's structure: offset 0 is its start. */
#define __cpulocal	((__seg_fs struct cpulocal_vars *)0)
#define get_cpulocal_var(name)		(__cpulocal->name)
#define get_cpulocal_var_ptr(name)	(&get_cpulocal_var(self)->name)

#define cpu_self()	get_cpulocal_var(cpu_id)

#endif /* CAIRN_CPULOCAL_H */
