/* In-guest test of the ticket lock: every CPU increments one counter
 * under the lock; no increment may be lost. */
#include "kernel/ktest.h"
#include "kernel/kernel.h"
#include "smp/smp.h"
#include "smp/spinlock.h"

#define ROUNDS	5000

static struct spinlock lock = SPINLOCK_INIT;
static volatile uint32_t counter;
static volatile uint32_t last_owner_ticket;

static void hammer(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		spin_lock(&lock);
		uint32_t v = counter;	/* read-modify-write, not atomic */
		cpu_pause();
		counter = v + 1;
		last_owner_ticket = lock.owner;
		spin_unlock(&lock);
	}
}

KTEST(lock_ticket)
{
	unsigned n = smp_cpus_online();

	counter = 0;
	smp_call_all(hammer, 0);
	ktest_result("lock.ticket", counter == n * ROUNDS &&
		lock.next == lock.owner, "%u increments from %u CPUs, "
		"expected %u; tickets %u/%u", counter, n, n * ROUNDS,
		lock.owner, lock.next);
	ktest_result("lock.trylock", spin_trylock(&lock) &&
		!spin_trylock(&lock), "trylock takes a free lock and not a "
		"held one");
	spin_unlock(&lock);
}
