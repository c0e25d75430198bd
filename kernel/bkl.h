/*
 * The big kernel lock: one fair ticket lock around the whole kernel.
 * Taken on every entry from user mode and by an idle CPU before it looks
 * at the run queues; released on the way back to user mode and while a
 * CPU halts. Everything between is serialized, which keeps the first SMP
 * kernel simple; the boundaries are these two calls, so finer locks can
 * replace it later.
 */
#ifndef CAIRN_BKL_H
#define CAIRN_BKL_H

#include "smp/spinlock.h"

extern struct spinlock big_kernel_lock;

/* Waits for `ticket`. Waiting, a CPU still answers stop requests (its
 * interrupts are off, so the stop IPI itself would wait): the holder may
 * be waiting for exactly that answer. */
void bkl_wait(uint32_t ticket);

static inline void bkl_lock(void)
{
	uint32_t ticket = __atomic_fetch_add(&big_kernel_lock.next, 1,
		__ATOMIC_RELAXED);

	if (__builtin_expect(__atomic_load_n(&big_kernel_lock.owner,
			__ATOMIC_ACQUIRE) != ticket, 0))
		bkl_wait(ticket);
}

static inline void bkl_unlock(void)
{
	spin_unlock(&big_kernel_lock);
}

#endif /* CAIRN_BKL_H */
