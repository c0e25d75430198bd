/*
 * Running a process on this CPU: loading it and returning to it (inline:
 * the way back to user mode below and the IPC fast path's direct switch
 * share them), and the way back to user mode itself (switch.c).
 */
#ifndef CAIRN_SWITCH_H
#define CAIRN_SWITCH_H

#include "kernel/bkl.h"
#include "kernel/cpulocal.h"
#include "kernel/proc.h"
#include "kernel/arch.h"

/* The way back out for each way in (p_entry: ENTRY_*), entry.S. */
void restore_user_int(struct proc *p) __attribute__((noreturn));
void restore_user_sysenter(struct proc *p) __attribute__((noreturn));
void restore_user_syscall(struct proc *p) __attribute__((noreturn));

/* Makes p this CPU's running process, with its address space loaded. */
static inline void switch_load(struct proc *p)
{
	get_cpulocal_var(proc_ptr) = p;
	if (get_cpulocal_var(ptproc) != p) {
		write_cr3(p->p_cr3);
		get_cpulocal_var(ptproc) = p;
	}
}

/* Returns to p, loaded, with nothing left to do for it (its message
 * delivered), in user mode: its kernel stack, its FPU state, the BKL
 * released, and out the way it came in. */
static inline void __attribute__((noreturn)) switch_run(struct proc *p)
{
	*get_cpulocal_var(tss_esp0) = (uint32_t)(&p->p_reg + 1);
	fpu_switch(p, p->p_fpu.eager);
	bkl_unlock();
	if (__builtin_expect(p->p_entry == ENTRY_SYSENTER, 1))
		restore_user_sysenter(p);
	if (p->p_entry == ENTRY_SYSCALL)
		restore_user_syscall(p);
	restore_user_int(p);
}

/* Picks the next process for this CPU and returns to it in user mode, or
 * idles until there is one. BKL held on entry; released on the way out. */
void switch_to_user(void) __attribute__((noreturn));

/* p gets one NOTIFY_KERNEL_IDLE (from KERNEL) the next time its CPU
 * finds nothing ready to run: work it does then (VM zeroing frames for
 * its pool) uses time the CPU would have spent halted, never a ready
 * process's. One-shot: p asks again for the next. BKL held. */
void switch_idle_watch(struct proc *p);

/* A CPU with nothing to do yet (an AP just started, the boot CPU without
 * user space) takes the BKL and waits for a process. */
void switch_idle_cpu(void) __attribute__((noreturn));

#endif /* CAIRN_SWITCH_H */
