/*
 * Calibration of the TSC and the local APIC timer against PIT channel 2,
 * whose rate (1193182 Hz) is fixed by the PC architecture. Under QEMU's
 * icount mode the TSC counts instructions, so the "rate" measured here is
 * instructions per millisecond of virtual time: it is reported, not
 * trusted as a clock frequency.
 */
#include "kernel/arch/i386/clock.h"
#include "kernel/arch/i386/cpu.h"
#include "kernel/arch/i386/lapic.h"
#include "kernel/kernel.h"

#define PIT_HZ		1193182u
#define PIT_CMD		0x43
#define PIT_CH2		0x42
#define PORT_B		0x61	/* bit 0: channel 2 gate, bit 5: its output */
#define CAL_MS		10u

struct clock_rates clock_rates;

/* Runs PIT channel 2 in mode 0 for `ms` milliseconds and returns when its
 * output goes high; *tsc and *apic get the elapsed ticks of each. */
static void pit_interval(uint32_t ms, uint64_t *tsc, uint32_t *apic)
{
	uint32_t count = PIT_HZ / 1000 * ms;
	uint8_t b = inb(PORT_B);

	outb(PORT_B, (b & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(PIT_CMD, 0xb0);			/* ch2, lo/hi, mode 0 */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	if (lapic_present())
		lapic_timer_oneshot(0xffffffffu, 0, 1);
	uint64_t t0 = rdtsc();
	while (!(inb(PORT_B) & 0x20))
		cpu_pause();
	*tsc = rdtsc() - t0;
	*apic = lapic_present() ? 0xffffffffu - lapic_timer_current() : 0;
	if (lapic_present())
		lapic_timer_stop();
	outb(PORT_B, b);
}

void clock_calibrate(void)
{
	uint64_t tsc;
	uint32_t apic;

	pit_interval(CAL_MS, &tsc, &apic);
	clock_rates.tsc_khz = (uint32_t)(tsc / CAL_MS);
	clock_rates.lapic_khz = apic / CAL_MS;
	if (clock_rates.tsc_khz == 0)
		clock_rates.tsc_khz = 1;	/* keep divisions defined */
}

void clock_udelay(uint32_t us)
{
	uint64_t end = rdtsc() + (uint64_t)clock_rates.tsc_khz * us / 1000;

	while (rdtsc() < end)
		cpu_pause();
}

uint64_t clock_tsc_to_ns(uint64_t ticks)
{
	return ticks * 1000000u / clock_rates.tsc_khz;
}
