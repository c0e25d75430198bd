/*
 * The benchmarks' clock: TSC reads between serializing instructions, the
 * same in the kernel's benchmarks (bench/kern) and in user programs'
 * (bench/user), so both series mean the same thing.
 */
#ifndef CAIRN_BENCH_TIMER_H
#define CAIRN_BENCH_TIMER_H

#include <stdint.h>

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

/* The median cost of an empty probe (bench_begin, then bench_end): the
 * overhead every sample carries and the host subtracts. */
static inline uint64_t bench_probe_overhead(void)
{
	uint64_t probe[101];

	for (unsigned i = 0; i < 101; i++) {
		uint64_t t0 = bench_begin();
		probe[i] = bench_end() - t0;
	}
	for (unsigned i = 1; i < 101; i++)	/* insertion sort */
		for (unsigned j = i; j > 0 && probe[j - 1] > probe[j]; j--) {
			uint64_t t = probe[j];
			probe[j] = probe[j - 1];
			probe[j - 1] = t;
		}
	return probe[50];
}

/* Decides which serialization this CPU supports (SSE2: lfence). */
static inline void bench_timer_init(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
		: "a"(1), "c"(0));
	bench_have_lfence = (d >> 26) & 1;
}

#endif /* CAIRN_BENCH_TIMER_H */
