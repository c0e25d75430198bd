/*
 * The timer tick and alarms. Every CPU's local APIC timer ticks SCHED_HZ
 * times a second: a tick from user mode charges the running process
 * (sched_tick) and rings the alarms that are due.
 *
 * Alarms: one per process, a kernel notification (NOTIFY_KERNEL_ALARM)
 * when it rings. Their clock is CPU 0's tick count; any CPU that holds
 * the BKL rings what is due on its own tick from user mode; a tick of
 * CPU 0 that finds one due without the BKL (idle, or in the kernel)
 * leaves it to CPU 0's idle loop (switch.c: alarm_kick), so alarms ring
 * while every CPU idles and other CPUs' idle loops pay nothing.
 */
#ifndef CAIRN_TIMER_H
#define CAIRN_TIMER_H

#include <stdint.h>

struct proc;

/* Sets p's alarm ms milliseconds from now (0: none); returns the
 * milliseconds its previous alarm still had (0: none). */
uint32_t alarm_set(struct proc *p, uint32_t ms);

/* Whether an alarm is due (no lock needed: a hint). */
int alarm_due(void);

/* Rings every alarm that is due (BKL held). */
void alarm_ring(void);

/* This CPU's timer interrupt handler (before its timer starts). */
void timer_init_cpu(void);

/* Starts the periodic timer on every CPU. */
void timer_start_all(void);

#endif /* CAIRN_TIMER_H */
