/*
 * In-guest benchmarks. A benchmark measures `batch` operations per sample
 * between two serialized TSC reads; the runner discards warm-up samples,
 * measures the cost of an empty probe (reported as `overhead`, subtracted
 * by the host) and sends the raw samples as records.
 */
#ifndef CAIRN_BENCH_H
#define CAIRN_BENCH_H

#include <stdint.h>
#include "kernel/arch/i386/cpu.h"

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

/* Serialized TSC reads: nothing before bench_begin() may still be running
 * when the TSC is read, and nothing after bench_end() may start before. */
extern int bench_have_lfence;

static inline uint64_t bench_begin(void)
{
	uint32_t lo, hi;

	if (bench_have_lfence)
		__asm__ volatile("lfence; rdtsc; lfence"
			: "=a"(lo), "=d"(hi) : : "memory");
	else
		__asm__ volatile("xor %%eax, %%eax; cpuid; rdtsc"
			: "=a"(lo), "=d"(hi) : : "ebx", "ecx", "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t bench_end(void)
{
	uint32_t lo, hi;

	if (bench_have_lfence)
		__asm__ volatile("lfence; rdtsc; lfence"
			: "=a"(lo), "=d"(hi) : : "memory");
	else
		__asm__ volatile("rdtsc; mov %%eax, %%esi; mov %%edx, %%edi; "
			"xor %%eax, %%eax; cpuid; mov %%esi, %%eax; "
			"mov %%edi, %%edx"
			: "=a"(lo), "=d"(hi) : : "ebx", "ecx", "esi", "edi",
			  "memory");
	return ((uint64_t)hi << 32) | lo;
}

void bench_run_all(void);

#endif /* CAIRN_BENCH_H */
