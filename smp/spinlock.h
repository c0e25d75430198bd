/*
 * A fair spinlock: a ticket lock. CPUs get the lock in the order they
 * asked for it, so none starves. Waiters spin with `pause`, which also
 * lets QEMU's round-robin icount mode switch to the holder.
 */
#ifndef CAIRN_SPINLOCK_H
#define CAIRN_SPINLOCK_H

#include <stdint.h>
#include "kernel/arch.h"

struct spinlock {
	volatile uint32_t next;		/* the ticket the next asker gets */
	volatile uint32_t owner;	/* the ticket now served */
};

#define SPINLOCK_INIT	{ 0, 0 }

static inline void spin_lock(struct spinlock *l)
{
	uint32_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_pause();
}

static inline int spin_trylock(struct spinlock *l)
{
	uint32_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	uint32_t want = owner;

	return __atomic_compare_exchange_n(&l->next, &want, owner + 1, 0,
		__ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

static inline int spin_is_locked(const struct spinlock *l)
{
	return __atomic_load_n(&l->next, __ATOMIC_RELAXED) !=
		__atomic_load_n(&l->owner, __ATOMIC_RELAXED);
}

/* Spinlocks that interrupt handlers also take: interrupts stay off while
 * the lock is held; the caller's interrupt flag comes back on unlock. */
static inline uint32_t spin_lock_irqsave(struct spinlock *l)
{
	uint32_t flags = read_eflags();

	intr_disable();
	spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(struct spinlock *l, uint32_t flags)
{
	spin_unlock(l);
	if (flags & EFLAGS_IF)
		intr_enable();
}

#endif /* CAIRN_SPINLOCK_H */
