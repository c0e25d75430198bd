/*
 * In-guest tests of time: the PIT calibration gave rates, and every CPU's
 * local APIC timer interrupts arrive (at the scheduler's handler).
 */
#include "kernel/ktest.h"
#include "kernel/kernel.h"
#include "kernel/cpulocal.h"
#include "kernel/arch.h"
#include "smp/smp.h"

/* How long a CPU may take for its 5 ticks before the test gives up on
 * it: far more than the 5 ms they take, as only a timer that never
 * fires should end the wait. */
#define TICK_GIVE_UP_MS	2000

/* Runs on each CPU: 5 periodic ticks of about 1 ms, waited for with
 * interrupts on, then the timer stops. */
static void tick_five(void *arg)
{
	(void)arg;
	uint32_t period = clock_rates.lapic_khz ? clock_rates.lapic_khz : 1000;
	uint64_t start = get_cpulocal_var(timer_ticks);
	uint64_t deadline = rdtsc() +
		(uint64_t)clock_rates.tsc_khz * TICK_GIVE_UP_MS;

	lapic_timer_periodic(period, VEC_LAPIC_TIMER);
	while (get_cpulocal_var(timer_ticks) - start < 5u && rdtsc() < deadline)
		cpu_idle_wait();
	lapic_timer_stop();
}

KTEST(clock_timer)
{
	ktest_result("clock.calibrated", clock_rates.tsc_khz > 1000 &&
		clock_rates.lapic_khz > 0, "TSC %u kHz, APIC timer %u kHz",
		clock_rates.tsc_khz, clock_rates.lapic_khz);

	/* The scheduler's own timer handler counts the ticks: the test must
	 * not replace it (preemption would be gone for user space). One CPU
	 * after the other: 255 CPUs taking 1000 interrupts a second each at
	 * once are more than TCG, running them all in one host thread, gets
	 * through, and the ticks would come late by seconds. */
	unsigned n = smp_cpus_online(), ok = 0;
	for (unsigned c = 0; c < n; c++)
		smp_call_on(c, tick_five, 0);
	for (unsigned c = 0; c < n; c++)
		if (get_cpu_var(c, timer_ticks) >= 5)
			ok++;
	ktest_result("clock.lapic_timer", ok == n,
		"%u of %u CPUs took 5 timer interrupts", ok, n);
}
