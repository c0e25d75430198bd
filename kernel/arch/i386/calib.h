/*
 * Choosing a clock rate from several calibration windows: pure code (no
 * hardware), so the host tests run it. A window is rejected when reading
 * the clocks around it took too long (the CPU was away: an interrupt, or
 * under a hypervisor the host's scheduler), the rest give a median, and
 * the median counts only if most windows agree with it.
 */
#ifndef CAIRN_CALIB_H
#define CAIRN_CALIB_H

#include <stdint.h>

#define CALIB_PIT_HZ	1193182u	/* the PC's PIT input clock */
#define CALIB_MAX	16		/* windows per round, at most */
/* Agreement: within 1/CALIB_TOLERANCE (about 1.6%) of each other. */
#define CALIB_TOLERANCE	64

/* Errors (negative). */
#define CALIB_ENONE	(-1)	/* no window was usable */
#define CALIB_ESPREAD	(-2)	/* no majority agrees with the median */

/* One window: ticks of the counted clock (the TSC, or the APIC timer)
 * between two reads of the reference, and how many TSC ticks the two
 * reads' brackets took (the uncertainty of where the window's ends are). */
struct calib_window {
	uint64_t ticks;		/* counted clock, between bracket midpoints */
	uint64_t slack;		/* TSC ticks inside the two brackets, summed */
	uint64_t span;		/* TSC ticks of the whole window */
	uint32_t ref;		/* reference clock ticks (PIT: 1193182 Hz) */
	uint32_t ref_hz;	/* the reference's rate */
};

struct calib_result {
	uint32_t khz;		/* the median, ticks per millisecond */
	int used;		/* windows with a tight bracket */
	int agree;		/* of those, within tolerance of the median */
	uint32_t lo, hi;	/* smallest and largest rate of those used */
};

/* ticks per millisecond, ticks counted over ref ticks at ref_hz; 0 when
 * ref is 0 or the rate does not fit 32 bits. */
uint32_t calib_khz(uint64_t ticks, uint32_t ref, uint32_t ref_hz);

/* Whether a and b are within 1/CALIB_TOLERANCE of the larger. */
int calib_agree(uint32_t a, uint32_t b);

/* Median of v[0..n) (sorted in place); the mean of the middle two for
 * even n; 0 for n = 0. */
uint32_t calib_median(uint32_t *v, int n);

/* Picks the rate of n windows (n <= CALIB_MAX): windows whose slack is
 * more than 1/CALIB_TOLERANCE of their span, or whose rate is 0, are
 * left out; the rest give the median. Returns 0 if more than half of
 * the n windows agree with it, CALIB_ESPREAD if not (out is filled in
 * all the same), CALIB_ENONE if no window was usable. */
int calib_pick(const struct calib_window *w, int n, struct calib_result *out);

#endif /* CAIRN_CALIB_H */
