/*
 * Calibration of the TSC and the local APIC timer against PIT channel 2,
 * whose rate (1193182 Hz) is fixed by the PC architecture. Under QEMU's
 * icount mode the TSC counts instructions, so the "rate" measured here is
 * instructions per millisecond of virtual time: it is reported, not
 * trusted as a clock frequency.
 *
 * One long window is not enough: a CPU taken away between starting the
 * PIT and reading the TSC (under a loaded host, QEMU's thread was) sees
 * the TSC run at a fraction of its speed. So each round measures
 * CAL_WINDOWS short windows whose ends are read inside rdtsc brackets; a
 * window whose brackets took long is left out, the rest give a median
 * (calib.c), and the median must have most windows on its side. The
 * TSC rate is then checked against a second source: the APIC timer
 * measured directly against the TSC, and CPUID leaf 0x15 or 0x16 where
 * the CPU has them. A round that fails any of this is run again.
 */
#include "kernel/arch/i386/clock.h"
#include "kernel/arch/i386/calib.h"
#include "kernel/arch/i386/cpu.h"
#include "kernel/arch/i386/lapic.h"
#include "kernel/kernel.h"

#define PIT_HZ		CALIB_PIT_HZ
#define PIT_CMD		0x43
#define PIT_CH2		0x42
#define PORT_B		0x61	/* bit 0: channel 2 gate, bit 5: its output */
#define PIT_LATCH_CH2	0x80	/* counter latch command, channel 2 */
#define PIT_MODE0_CH2	0xb0	/* ch2, lo/hi byte, mode 0, binary */

#define CAL_WINDOWS	7	/* per round */
#define CAL_WINDOW_MS	4
#define CAL_ROUNDS	5	/* at most, before taking the best one */
#define CAL_START_MAX	0xff00u	/* the PIT has loaded its count and runs */
#define CHECK_WINDOWS	3	/* APIC timer against the TSC */

struct clock_rates clock_rates;

/* The PIT's channel 2 count, latched. */
static uint16_t pit_count(void)
{
	uint8_t lo, hi;

	outb(PIT_CMD, PIT_LATCH_CH2);
	lo = inb(PIT_CH2);
	hi = inb(PIT_CH2);
	return (uint16_t)(lo | hi << 8);
}

/* Channel 2 counting down from 0xffff in mode 0 (about 55 ms: its
 * output goes high at zero and stays so: a wrapped window is seen). */
static void pit_start(void)
{
	outb(PORT_B, (inb(PORT_B) & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(PIT_CMD, PIT_MODE0_CH2);
	outb(PIT_CH2, 0xff);
	outb(PIT_CH2, 0xff);
	while (pit_count() > CAL_START_MAX)	/* count loaded, running */
		cpu_pause();
}

/* Reads the PIT and the APIC timer between two rdtscs. */
struct sample {
	uint64_t tsc;		/* the bracket's midpoint */
	uint64_t slack;		/* its width */
	uint16_t pit;
	uint32_t apic;
};

static void sample(struct sample *s)
{
	uint64_t a = rdtsc(), b;

	s->pit = pit_count();
	s->apic = lapic_present() ? lapic_timer_current() : 0;
	b = rdtsc();
	s->tsc = a + (b - a) / 2;
	s->slack = b - a;
}

/* One window of about CAL_WINDOW_MS: the TSC and APIC timer ticks over
 * the PIT ticks. Returns 0 if the PIT wrapped (the window is unusable). */
static int pit_window(struct calib_window *tsc, struct calib_window *apic)
{
	const uint32_t want = PIT_HZ / 1000 * CAL_WINDOW_MS;
	struct sample s0, s1;

	pit_start();
	if (lapic_present())
		lapic_timer_oneshot(0xffffffffu, 0, 1);
	sample(&s0);
	do {
		cpu_pause();
	} while ((uint16_t)(s0.pit - pit_count()) < want &&
		 !(inb(PORT_B) & 0x20));
	sample(&s1);
	if (lapic_present())
		lapic_timer_stop();
	if (inb(PORT_B) & 0x20 || s1.pit > s0.pit)
		return 0;
	tsc->ticks = s1.tsc - s0.tsc;
	tsc->slack = s0.slack + s1.slack;
	tsc->span = tsc->ticks;
	tsc->ref = (uint32_t)(s0.pit - s1.pit);
	tsc->ref_hz = PIT_HZ;
	*apic = *tsc;
	apic->ticks = s0.apic - s1.apic;
	return 1;
}

/* The TSC rate measured against the APIC timer alone (whose rate the
 * PIT windows gave): the second opinion. 0 without an APIC timer. */
static uint32_t tsc_by_apic(uint32_t lapic_khz, uint32_t tsc_khz)
{
	/* A timer that does not run gives up after 16 windows' worth. */
	const uint64_t give_up = (uint64_t)tsc_khz * CAL_WINDOW_MS * 16;
	struct calib_window w[CHECK_WINDOWS];
	struct calib_result r;
	uint32_t want = lapic_khz * CAL_WINDOW_MS;

	if (!lapic_present() || lapic_khz == 0)
		return 0;
	for (int i = 0; i < CHECK_WINDOWS; i++) {
		uint64_t a, b, c, d;
		uint32_t l0, l1;

		lapic_timer_oneshot(0xffffffffu, 0, 1);
		a = rdtsc();
		l0 = lapic_timer_current();
		b = rdtsc();
		do {
			cpu_pause();
		} while (l0 - lapic_timer_current() < want &&
			 rdtsc() - a < give_up);
		c = rdtsc();
		l1 = lapic_timer_current();
		d = rdtsc();
		lapic_timer_stop();
		w[i].ticks = (c + (d - c) / 2) - (a + (b - a) / 2);
		w[i].slack = (b - a) + (d - c);
		w[i].span = w[i].ticks;
		w[i].ref = l0 - l1;
		w[i].ref_hz = lapic_khz * 1000;
	}
	return calib_pick(w, CHECK_WINDOWS, &r) == 0 ? r.khz : 0;
}

/* The TSC rate CPUID states: leaf 0x15 (crystal ratio, exact when the
 * crystal's rate is given), else leaf 0x16 (base frequency in MHz, close
 * to the TSC's on the CPUs that have it). 0 if neither says. */
static uint32_t tsc_by_cpuid(int *exact)
{
	uint32_t max, a, b, c, d;

	*exact = 0;
	cpuid(0, &max, &b, &c, &d);
	if (max >= 0x15) {
		cpuid(0x15, &a, &b, &c, &d);
		if (a != 0 && b != 0 && c != 0) {
			*exact = 1;
			return (uint32_t)((uint64_t)c * b / a / 1000);
		}
	}
	if (max >= 0x16) {
		cpuid(0x16, &a, &b, &c, &d);
		if ((a & 0xffff) != 0)
			return (a & 0xffff) * 1000;
	}
	return 0;
}

/* One round: CAL_WINDOWS PIT windows and the checks. Returns 0 if it
 * can be trusted. */
static int cal_round(struct clock_rates *out)
{
	struct calib_window tw[CAL_WINDOWS], aw[CAL_WINDOWS];
	struct calib_result tr, ar;
	int n = 0, err;

	for (int i = 0; i < CAL_WINDOWS; i++)
		if (pit_window(&tw[n], &aw[n]))
			n++;
	err = calib_pick(tw, n, &tr);
	out->tsc_khz = tr.khz;
	out->windows = CAL_WINDOWS;
	out->windows_agree = tr.agree;
	out->lapic_khz = 0;
	if (lapic_present() && calib_pick(aw, n, &ar) == 0)
		out->lapic_khz = ar.khz;
	else if (lapic_present() && err == 0)
		err = CALIB_ESPREAD;
	if (tr.agree * 2 <= CAL_WINDOWS && err == 0)
		err = CALIB_ESPREAD;	/* wrapped windows count against */
	out->tsc_khz_apic = tsc_by_apic(out->lapic_khz, out->tsc_khz);
	if (err == 0 && lapic_present() &&
	    !calib_agree(out->tsc_khz_apic, out->tsc_khz))
		err = CALIB_ESPREAD;
	return err;
}

void clock_calibrate(void)
{
	struct clock_rates r, best = { 0 };
	int exact, err = CALIB_ENONE;
	uint32_t cpuid_khz = tsc_by_cpuid(&exact);

	for (int round = 0; round < CAL_ROUNDS; round++) {
		err = cal_round(&r);
		if (err == 0 && cpuid_khz && !calib_agree(cpuid_khz, r.tsc_khz))
			err = CALIB_ESPREAD;
		r.rounds = (uint32_t)round + 1;
		if (err == 0 || r.windows_agree > best.windows_agree ||
		    best.tsc_khz == 0)
			best = r;
		if (err == 0)
			break;
	}
	best.tsc_khz_cpuid = cpuid_khz;
	best.source = CLOCK_SRC_PIT;
	if (err != 0) {
		kprintf("clock: no calibration round agreed with itself and "
			"its checks in %d tries (TSC %u kHz by %u of %u windows, "
			"%u kHz by the APIC timer, %u kHz by CPUID)\n",
			CAL_ROUNDS, best.tsc_khz, best.windows_agree,
			best.windows, best.tsc_khz_apic, cpuid_khz);
		if (cpuid_khz && exact) {
			best.tsc_khz = cpuid_khz;
			best.source = CLOCK_SRC_CPUID;
		}
	}
	if (best.tsc_khz == 0)
		best.tsc_khz = 1;	/* keep divisions defined */
	clock_rates = best;
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
