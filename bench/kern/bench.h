/*
 * In-guest benchmarks. A benchmark measures `batch` operations per sample
 * between two serialized TSC reads; the runner discards warm-up samples,
 * measures the cost of an empty probe (reported as `overhead`, subtracted
 * by the host) and sends the raw samples as records.
 */
#ifndef CAIRN_BENCH_H
#define CAIRN_BENCH_H

#include <stdint.h>
#include "bench/timer.h"

struct bench {
	const char *name;	/* metric name, dotted */
	const char *unit;	/* unit of one operation's cost */
	const char *desc;	/* what one operation is */
	uint32_t batch;		/* operations per sample */
	uint32_t arg;		/* a parameter, e.g. pages touched */
	void (*prepare)(const struct bench *b);
	/* Returns the TSC ticks of one sample (bench_begin to bench_end). */
	uint64_t (*sample)(const struct bench *b);
};

#define BENCH(var) \
	static const struct bench var \
		__attribute__((section(".benches"), used, aligned(4)))

#endif /* CAIRN_BENCH_H */
