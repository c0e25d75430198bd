/*
 * Tests of kernel/arch/i386/calib.c: the rate of a calibration window,
 * the median, and the choice among windows some of which the CPU was
 * taken away during (their brackets are wide, or their rates are off).
 */
#include "check.h"

#include <stdint.h>
#include "kernel/arch/i386/calib.h"

#define PIT	CALIB_PIT_HZ
#define MS	(PIT / 1000)		/* PIT ticks in about a millisecond */

/* A window of ms PIT-milliseconds of a clock at khz, slack TSC ticks of
 * brackets (the TSC at 2 GHz). */
static struct calib_window win(uint32_t khz, uint32_t ms, uint64_t slack)
{
	struct calib_window w;

	w.ref = MS * ms;
	w.ref_hz = PIT;
	w.ticks = (uint64_t)khz * 1000 * w.ref / PIT;
	w.span = 2000000ull * ms;
	w.slack = slack;
	return w;
}

TEST(calib, khz)
{
	CHECK_EQ(calib_khz(2000000000ull, PIT, PIT), 2000000);
	CHECK_EQ(calib_khz(2000000ull * 4, 4 * PIT / 1000, PIT), 2000305);
	CHECK_EQ(calib_khz(PIT, PIT, PIT), 1193);	/* rounded: 1193.182 */
	CHECK_EQ(calib_khz(62500 * 4, 4000, 1000000), 62500);
	CHECK_EQ(calib_khz(1, 0, PIT), 0);		/* no reference ticks */
	CHECK_EQ(calib_khz(UINT64_MAX, 1, PIT), 0);	/* overflow */
	CHECK_EQ(calib_khz(0xffffffffull * 1000 * 2, PIT, PIT), 0);
}

TEST(calib, agree)
{
	CHECK(calib_agree(1000000, 1000000));
	CHECK(calib_agree(1000000, 1015625));		/* exactly 1/64 */
	CHECK(calib_agree(1015625, 1000000));
	CHECK(!calib_agree(1000000, 1016000));
	CHECK(!calib_agree(2000000, 1000000));		/* half speed */
	CHECK(!calib_agree(0, 1000));
	CHECK(calib_agree(0, 0));
	CHECK(calib_agree(0xffffffffu, 0xffffffffu - 1000));
}

TEST(calib, median)
{
	uint32_t odd[] = { 9, 1, 5, 3, 7 }, even[] = { 4, 1, 3, 2 };
	uint32_t one[] = { 42 }, big[] = { 0xffffffffu, 0xfffffffdu };

	CHECK_EQ(calib_median(odd, 5), 5);
	CHECK_EQ(odd[0], 1);
	CHECK_EQ(odd[4], 9);
	CHECK_EQ(calib_median(even, 4), 3);		/* (2 + 3) / 2 up */
	CHECK_EQ(calib_median(one, 1), 42);
	CHECK_EQ(calib_median(one, 0), 0);
	CHECK_EQ_U(calib_median(big, 2), 0xfffffffeu);	/* no overflow */
}

TEST(calib, all_good)
{
	struct calib_window w[7];
	struct calib_result r;

	for (int i = 0; i < 7; i++)
		w[i] = win(2000000 + 100 * (uint32_t)i, 4, 50);
	CHECK_EQ(calib_pick(w, 7, &r), 0);
	CHECK_EQ(r.used, 7);
	CHECK_EQ(r.agree, 7);
	CHECK_GE(r.khz, 2000299);
	CHECK(r.khz <= 2000301);
	CHECK(r.lo <= 2000001 && r.lo >= 1999999);
	CHECK(r.hi <= 2000601 && r.hi >= 2000599);
}

/* The failure once seen: the CPU was away for part of a window, which
 * then showed the TSC at half its speed. The median does not move. */
TEST(calib, outliers_rejected)
{
	struct calib_window w[7];
	struct calib_result r;

	for (int i = 0; i < 7; i++)
		w[i] = win(2000000, 4, 50);
	w[1] = win(1000000, 4, 50);		/* half speed */
	w[4] = win(3100000, 4, 50);		/* too fast */
	w[6] = win(1990000, 4, 50);		/* off by 0.5%: agrees */
	CHECK_EQ(calib_pick(w, 7, &r), 0);
	CHECK_EQ(r.used, 7);
	CHECK_EQ(r.agree, 5);
	CHECK_EQ(r.khz, 2000000);
	CHECK_EQ(r.lo, 1000000);
	CHECK_EQ(r.hi, 3100000);
}

/* Wide brackets (the CPU was away while reading the clocks) leave a
 * window out before the median is taken, whatever its rate. */
TEST(calib, wide_brackets_left_out)
{
	struct calib_window w[7];
	struct calib_result r;

	for (int i = 0; i < 7; i++)
		w[i] = win(2000000, 4, 50);
	w[0] = win(1000000, 4, 8000000);	/* 4 ms of slack */
	w[2] = win(1000000, 4, 8000000);
	w[5] = win(2000000, 4, 2000000 * 4 / 64 + 1);	/* just too wide */
	CHECK_EQ(calib_pick(w, 7, &r), 0);
	CHECK_EQ(r.used, 4);
	CHECK_EQ(r.agree, 4);
	CHECK_EQ(r.khz, 2000000);
	CHECK_EQ(r.lo, 2000000);
	w[5] = win(2000000, 4, 2000000 * 4 / 64);	/* just narrow enough */
	CHECK_EQ(calib_pick(w, 7, &r), 0);
	CHECK_EQ(r.used, 5);
}

/* Without a majority on the median's side the round is not trusted
 * (the caller measures again), though the median is still given. */
TEST(calib, no_majority)
{
	struct calib_window w[7];
	struct calib_result r;

	for (int i = 0; i < 7; i++)
		w[i] = win(1000000 + 100000 * (uint32_t)i, 4, 50);
	CHECK_EQ(calib_pick(w, 7, &r), CALIB_ESPREAD);
	CHECK_EQ(r.khz, 1300000);
	CHECK_EQ(r.agree, 1);

	/* 3 good of 7 usable ones agree, but that is not more than half of
	 * the 7 windows measured: wide brackets count against. */
	for (int i = 0; i < 7; i++)
		w[i] = win(2000000, 4, i < 3 ? 50 : 8000000);
	CHECK_EQ(calib_pick(w, 7, &r), CALIB_ESPREAD);
	CHECK_EQ(r.khz, 2000000);
	CHECK_EQ(r.used, 3);

	/* Two camps, 4 against 3: the median is in the larger one. */
	for (int i = 0; i < 7; i++)
		w[i] = win(i < 4 ? 2000000 : 1000000, 4, 50);
	CHECK_EQ(calib_pick(w, 7, &r), 0);
	CHECK_EQ(r.khz, 2000000);
	CHECK_EQ(r.agree, 4);
}

TEST(calib, nothing_usable)
{
	struct calib_window w[3] = { { 0, 0, 0, 0, 0 } };
	struct calib_result r;

	CHECK_EQ(calib_pick(w, 0, &r), CALIB_ENONE);
	CHECK_EQ(r.khz, 0);
	for (int i = 0; i < 3; i++)
		w[i] = win(2000000, 4, 50);
	w[0].ref = 0;			/* no PIT ticks */
	w[1].span = 0;
	w[2].slack = w[2].span;
	CHECK_EQ(calib_pick(w, 3, &r), CALIB_ENONE);
	CHECK_EQ(r.used, 0);
}

TEST(calib, more_windows_than_max_are_cut)
{
	struct calib_window w[CALIB_MAX + 4];
	struct calib_result r;

	for (int i = 0; i < CALIB_MAX + 4; i++)
		w[i] = win(i < CALIB_MAX ? 2000000 : 1, 4, 50);
	CHECK_EQ(calib_pick(w, CALIB_MAX + 4, &r), 0);
	CHECK_EQ(r.used, CALIB_MAX);
	CHECK_EQ(r.lo, 2000000);
}

int main(int argc, char **argv)
{
	return check_main(argc, argv);
}
