/*
 * x87 and SSE state per process (fpu.c): each process has its own
 * registers, saved with FXSAVE where the CPU has it (FSAVE otherwise).
 *
 * A CPU's registers hold the state of at most one process, its
 * fpu_owner; that process's struct fpu_state names the CPU (live_cpu),
 * and its area is stale until the state is saved. Three policies:
 *   used (default)   a process that has used the FPU is switched eagerly:
 *                    its state is loaded on the way to user mode whenever
 *                    it is not the owner. One that never has runs with
 *                    CR0.TS set on registers that hold the initial state
 *                    (another process's state is saved and wiped first),
 *                    and its first FPU or SSE instruction (#NM) makes it
 *                    eager. Processes that never touch the FPU (servers)
 *                    thus switch for free, and no process ever runs with
 *                    another's registers loaded, not even behind TS;
 *   eager (fpu=eager) every process switched eagerly, TS never set;
 *   lazy (fpu=lazy)  TS set for every non-owner, #NM brings the state
 *                    in (leaves the owner's registers loaded behind TS:
 *                    for measurement only, see kernel/README.md).
 * In all, a process whose state stayed in another CPU's registers (it
 * moved, or that CPU idled) gets it through a flush request to that CPU.
 * The kernel itself never uses the FPU (-mgeneral-regs-only).
 */
#ifndef CAIRN_FPU_H
#define CAIRN_FPU_H

#include <stdint.h>
#include "kernel/cpulocal.h"

struct proc;

#define FPU_AREA_SIZE	512	/* FXSAVE's; FSAVE uses the first 108 */

struct fpu_state {
	uint8_t area[FPU_AREA_SIZE] __attribute__((aligned(16)));
	uint32_t live_cpu;	/* 1 + CPU whose registers hold it; 0: none */
	/* Switched eagerly: always under fpu=eager; under the default
	 * (fpu=used) from its first FPU instruction until FPU_EAGER_TAKES
	 * loads later (then a trap again shows whether it still uses the
	 * FPU); never under lazy. */
	uint32_t eager;
	uint32_t takes;		/* loads while eager (fpu=used) */
};

/* This CPU: CR0 (NE, MP; EM when there is no FPU), CR4 (OSFXSR,
 * OSXMMEXCPT), empty registers. The boot CPU also reads the fpu= boot
 * option and records the initial state every new process starts with. */
void fpu_init_cpu(void);

/* A new process (proc_alloc): the initial state, live nowhere. */
void fpu_proc_init(struct proc *p);
/* A freed process: forgotten by whatever CPU held its state. */
void fpu_proc_drop(struct proc *p);
/* fork: the child gets a copy of the parent's current state. */
void fpu_proc_copy(struct proc *child, struct proc *parent);
/* a and b (neither running) exchange their states (live update). */
void fpu_proc_swap(struct proc *a, struct proc *b);

/* #NM from user mode by p, the process running here: 1 when that was
 * the lazy switch (p's state is now loaded), 0 when it is an error. */
int fpu_nm_trap(struct proc *p);

/* A task switch (the debug task's, taskgate.S) set CR0.TS behind this
 * code's back: clear it and forget how this CPU was set up, so that the
 * next switch to user mode sets it up again. Called from assembly. */
void fpu_task_switched(void);

/* Answers a flush request from another CPU (shootdown_serve). */
void fpu_serve_flush(void);

void fpu_switch_slow(struct proc *p);

/* On the way to user mode with p (BKL held; eager: p->p_fpu.eager).
 * Nothing to do when the CPU was last set up for p (fpu_ready: anything
 * that changes the registers or CR0.TS since clears it), or when p has
 * not used the FPU and the registers hold only the initial state behind
 * TS (fpu_clean), as any such process may find them. */
static inline void fpu_switch(struct proc *p, uint32_t eager)
{
	if (__builtin_expect(get_cpulocal_var(fpu_ready) != p &&
			     (eager || !get_cpulocal_var(fpu_clean)), 0))
		fpu_switch_slow(p);
}

#endif /* CAIRN_FPU_H */
