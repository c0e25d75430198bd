/*
 * Time: the TSC and local APIC timer rates, measured against the PIT, and
 * delays built on the TSC.
 */
#ifndef CAIRN_CLOCK_H
#define CAIRN_CLOCK_H

#include <stdint.h>

struct clock_rates {
	uint32_t tsc_khz;	/* TSC ticks per millisecond */
	uint32_t lapic_khz;	/* APIC timer ticks (divide 16) per ms; 0 if none */
};

extern struct clock_rates clock_rates;

/* Measures both rates over a PIT interval. Boot CPU, interrupts off. */
void clock_calibrate(void);
void clock_udelay(uint32_t us);
/* TSC ticks to nanoseconds with the calibrated rate. */
uint64_t clock_tsc_to_ns(uint64_t ticks);

#endif /* CAIRN_CLOCK_H */
