/*
 * Rate picking for the clock calibration (see calib.h).
 */
#include "kernel/arch/i386/calib.h"

uint32_t calib_khz(uint64_t ticks, uint32_t ref, uint32_t ref_hz)
{
	uint64_t khz;

	if (ref == 0 || ticks > UINT64_MAX / ref_hz)
		return 0;
	/* ticks / (ref / ref_hz s) / 1000, rounded to nearest */
	khz = (ticks * ref_hz + (uint64_t)ref * 500) / ((uint64_t)ref * 1000);
	return khz > UINT32_MAX ? 0 : (uint32_t)khz;
}

int calib_agree(uint32_t a, uint32_t b)
{
	uint32_t big = a > b ? a : b, diff = a > b ? a - b : b - a;

	return (uint64_t)diff * CALIB_TOLERANCE <= big;
}

uint32_t calib_median(uint32_t *v, int n)
{
	for (int i = 1; i < n; i++) {
		uint32_t x = v[i];
		int j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	if (n == 0)
		return 0;
	if (n % 2)
		return v[n / 2];
	return (uint32_t)(((uint64_t)v[n / 2 - 1] + v[n / 2] + 1) / 2);
}

int calib_pick(const struct calib_window *w, int n, struct calib_result *out)
{
	uint32_t rate[CALIB_MAX];
	int used = 0;

	out->khz = 0;
	out->used = out->agree = 0;
	out->lo = out->hi = 0;
	if (n > CALIB_MAX)
		n = CALIB_MAX;
	for (int i = 0; i < n; i++) {
		uint32_t r = calib_khz(w[i].ticks, w[i].ref, w[i].ref_hz);

		if (r == 0 || w[i].span == 0 ||
		    w[i].slack > w[i].span / CALIB_TOLERANCE)
			continue;
		rate[used++] = r;
	}
	if (used == 0)
		return CALIB_ENONE;
	out->used = used;
	out->khz = calib_median(rate, used);
	out->lo = rate[0];
	out->hi = rate[used - 1];
	for (int i = 0; i < used; i++)
		if (calib_agree(rate[i], out->khz))
			out->agree++;
	return out->agree * 2 > n ? 0 : CALIB_ESPREAD;
}
