/*
 * Time: the TSC and local APIC timer rates, measured against the PIT, and
 * delays built on the TSC.
 */
#ifndef CAIRN_CLOCK_H
#define CAIRN_CLOCK_H

#include <stdint.h>

#define CLOCK_SRC_PIT	0	/* the median of the PIT windows */
#define CLOCK_SRC_CPUID	1	/* CPUID leaf 0x15: the PIT never agreed */

struct clock_rates {
	uint32_t tsc_khz;	/* TSC ticks per millisecond */
	uint32_t lapic_khz;	/* APIC timer ticks (divide 16) per ms; 0 if none */
	/* How the calibration went: of `windows` PIT windows in the last
	 * round, how many agreed with the median; the rounds it took; the
	 * TSC rate by the APIC timer and by CPUID (0: not known). */
	uint32_t windows, windows_agree, rounds;
	uint32_t tsc_khz_apic, tsc_khz_cpuid;
	uint32_t source;	/* CLOCK_SRC_* */
};

extern struct clock_rates clock_rates;

/* Measures both rates over several PIT windows (median, checked against
 * the APIC timer and CPUID). Boot CPU, interrupts off. */
void clock_calibrate(void);
void clock_udelay(uint32_t us);
/* TSC ticks to nanoseconds with the calibrated rate. */
uint64_t clock_tsc_to_ns(uint64_t ticks);

#endif /* CAIRN_CLOCK_H */
