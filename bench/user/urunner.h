/*
 * Running benchmarks in a user program: the same method and records as
 * the kernel's runner (bench/kern/bench.c): warm-up dropped, the empty
 * probe's median sent as overhead, raw samples sent as records.
 */
#ifndef CAIRN_URUNNER_H
#define CAIRN_URUNNER_H

#include <stdint.h>
#include "bench/timer.h"

struct ubench {
	const char *name;
	const char *desc;
	uint32_t batch;		/* operations per sample */
	/* Returns one sample: TSC ticks of `batch` operations, or for a
	 * latency read off two clocks (no probe involved), the ticks. */
	uint64_t (*sample)(const struct ubench *b);
	uint32_t arg;
	int latency;		/* the sample has no probe overhead */
};

void ubench_run(const struct ubench *list, unsigned count, unsigned samples,
	unsigned warmup);

#endif /* CAIRN_URUNNER_H */
