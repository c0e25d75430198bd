/*
 * The timer tick and alarms (timer.h). Processes with an alarm are few
 * (RS and its heartbeats), so the kernel keeps only the earliest
 * deadline and scans the table when it passes: nothing is paid per tick
 * while no alarm is due.
 */
#include "kernel/timer.h"
#include "kernel/ipc.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/arch.h"
#include "smp/smp.h"

#define MS_PER_TICK	(1000u / SCHED_HZ)

/* The earliest deadline; valid only while `armed`. */
static volatile uint32_t next_deadline;
static volatile int armed;

/* CPU 0's tick count, low half: wraps after about 497 days at 100 Hz,
 * and every comparison is of differences, so a wrap is harmless. */
static uint32_t alarm_now(void)
{
	return *(volatile uint32_t *)get_cpu_var_ptr(0, timer_ticks);
}

static int passed(uint32_t deadline, uint32_t now)
{
	return (int32_t)(now - deadline) >= 0;
}

static void rearm(void)
{
	int any = 0;
	uint32_t now = alarm_now(), best = 0;

	for (int i = 0; i < NR_PROCS; i++) {
		const struct proc *p = proc_addr(i);

		if (!p->p_alarm || (p->p_rts_flags & RTS_SLOT_FREE))
			continue;
		if (!any || (int32_t)(p->p_alarm - now) <
			    (int32_t)(best - now))
			best = p->p_alarm;
		any = 1;
	}
	next_deadline = best;
	armed = any;
}

uint32_t alarm_set(struct proc *p, uint32_t ms)
{
	uint32_t now = alarm_now(), left = 0;

	if (p->p_alarm && !passed(p->p_alarm, now)) {
		uint32_t ticks = p->p_alarm - now;

		left = ticks > 0xffffffffu / MS_PER_TICK ? 0xffffffffu :
			ticks * MS_PER_TICK;
	}
	p->p_alarm = 0;
	if (ms) {
		/* At least one whole tick from now; no wrap to "none". */
		uint32_t ticks = ms / MS_PER_TICK + 1;

		if (ticks > 0x40000000u)
			ticks = 0x40000000u;
		p->p_alarm = (now + ticks) | (now + ticks == 0);
	}
	rearm();
	return left;
}

int alarm_due(void)
{
	return armed && passed(next_deadline, alarm_now());
}

void alarm_ring(void)
{
	uint32_t now = alarm_now();

	if (!alarm_due())
		return;
	for (int i = 0; i < NR_PROCS; i++) {
		struct proc *p = proc_addr(i);

		if (!p->p_alarm || !passed(p->p_alarm, now))
			continue;
		p->p_alarm = 0;
		if (!(p->p_rts_flags & (RTS_SLOT_FREE | RTS_DYING)))
			ipc_notify_kernel(p, NOTIFY_KERNEL_ALARM);
	}
	rearm();
}

/* --- the tick ------------------------------------------------------------ */

static void timer_interrupt(struct trapframe *tf)
{
	get_cpulocal_var(timer_ticks)++;
	lapic_eoi();
	if (!(tf->cs & 3)) {	/* the BKL is held only from user mode */
		if (get_cpulocal_var(cpu_id) == 0 && alarm_due())
			get_cpulocal_var(alarm_kick) = 1;
		return;
	}
	if (alarm_due())
		alarm_ring();
	sched_tick();
}

static void start_timer(void *arg)
{
	(void)arg;
	uint32_t count = clock_rates.lapic_khz * 1000 / SCHED_HZ;

	lapic_timer_periodic(count ? count : 100000, VEC_LAPIC_TIMER);
}

void timer_start_all(void)
{
	smp_call_all(start_timer, 0);
}

void timer_init_cpu(void)
{
	trap_set_handler(VEC_LAPIC_TIMER, timer_interrupt);
}
