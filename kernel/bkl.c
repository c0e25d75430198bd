/*
 * The big kernel lock's slow path (bkl.h).
 */
#include "kernel/bkl.h"
#include "kernel/shootdown.h"
#include "kernel/arch.h"

struct spinlock big_kernel_lock = SPINLOCK_INIT;

void bkl_wait(uint32_t ticket)
{
	while (__atomic_load_n(&big_kernel_lock.owner, __ATOMIC_ACQUIRE) !=
	       ticket) {
		cpu_pause();
		shootdown_poll();
	}
}
