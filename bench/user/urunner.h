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
	/* Optional. setup runs before the warm-up, told how many samples
	 * will be taken (warm-up included); a negative code leaves the
	 * metric unmeasured (it fails, as below). teardown runs after the
	 * last sample, also after a failure. */
	int (*setup)(const struct ubench *b, unsigned count);
	void (*teardown)(const struct ubench *b);
};

void ubench_run(const struct ubench *list, unsigned count, unsigned samples,
	unsigned warmup);

/* The operation being measured could not be done (what, and the code it
 * got; the first failure is kept). The runner stops sampling, sends no
 * samples for the metric, and sends a failed `test` record named
 * ubench.<metric> instead, which fails the boot. */
void ubench_fail(const char *what, int code);

#endif /* CAIRN_URUNNER_H */
