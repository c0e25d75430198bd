/*
 * Requests to other CPUs (shootdown.c): TLB shootdown, stopping a process,
 * and answering such requests on this CPU.
 */
#ifndef CAIRN_SHOOTDOWN_H
#define CAIRN_SHOOTDOWN_H

#include <stdint.h>
#include "cairn/types.h"
#include "kernel/cpulocal.h"

struct proc;

/* Stops a process that may be running on another CPU right now: that CPU
 * leaves its address space at once (IPI) before this returns. */
void shootdown_stop(struct proc *p);
/* Answers pending stop, TLB shootdown and FPU flush requests on this CPU,
 * if any.
 * Called from their IPIs, from the idle loop, and by a CPU waiting for the
 * BKL (its interrupts are off; the requester may hold the lock). The
 * check is inline: it runs on every pass of those loops. */
void shootdown_serve(void);

static inline void shootdown_poll(void)
{
	if (__builtin_expect(get_cpulocal_var(stop_target) != 0 ||
			     get_cpulocal_var(tlb_target) != 0 ||
			     get_cpulocal_var(fpu_flush_target) != 0, 0))
		shootdown_serve();
}

/* 1 if some CPU has p's address space loaded (its TLB may hold entries
 * of it), 0 if none has. */
int shootdown_loaded(const struct proc *p);

/* Invalidates pages [addr, addr + pages*4K) of p's address space on every
 * CPU that has it loaded: this one directly, the others through IPIs
 * naming the pages, waiting until each has done it. Past `flush_over`
 * pages a CPU reloads CR3 instead. */
void shootdown_pages(struct proc *p, vir_bytes addr, uint32_t pages,
	uint32_t flush_over);
/* The same for `count` page addresses at list (kernel memory, page-
 * aligned user addresses): one round of IPIs for the whole list. */
void shootdown_list(struct proc *p, const vir_bytes *list,
	uint32_t count, uint32_t flush_over);

#endif /* CAIRN_SHOOTDOWN_H */
