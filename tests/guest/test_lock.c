/* In-guest test of the ticket lock: every CPU increments one counter
 * under the lock; no increment may be lost. */
#include "kernel/ktest.h"
#include "kernel/kernel.h"
#include "smp/smp.h"
#include "smp/spinlock.h"

/* Rounds per CPU: 5000 up to 8 CPUs, then fewer, 40000 in all. Under
 * TCG all vCPUs take turns in one host thread, and each FIFO handover of
 * the lock can wait for a turn of every spinning CPU: 5000 rounds each on
 * 255 CPUs would take hours, while a few hundred contend just as hard. */
#define ROUNDS_ALL	40000u
#define ROUNDS_MAX	5000u

static unsigned rounds;

static struct spinlock lock = SPINLOCK_INIT;
static volatile uint32_t counter;
static volatile uint32_t last_owner_ticket;

static void hammer(void *arg)
{
	(void)arg;
	for (unsigned i = 0; i < rounds; i++) {
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
	rounds = ROUNDS_ALL / n < ROUNDS_MAX ? ROUNDS_ALL / n : ROUNDS_MAX;
	smp_call_all(hammer, 0);
	ktest_result("lock.ticket", counter == n * rounds &&
		lock.next == lock.owner, "%u increments from %u CPUs, "
		"expected %u; tickets %u/%u", counter, n, n * rounds,
		lock.owner, lock.next);
	ktest_result("lock.trylock", spin_trylock(&lock) &&
		!spin_trylock(&lock), "trylock takes a free lock and not a "
		"held one");
	spin_unlock(&lock);
}
