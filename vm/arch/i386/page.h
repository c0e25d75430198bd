/*
 * The i386 pieces of VM's generic code: filling and copying whole pages
 * with one string instruction each (what a fault spends most of its
 * instructions on), and a serialised time-stamp read. The same asm
 * builds for the x86-64 host tests.
 */
#ifndef CAIRN_VM_ARCH_PAGE_H
#define CAIRN_VM_ARCH_PAGE_H

#include <stddef.h>
#include <stdint.h>

/* Zeroes n bytes at p (both multiples of 4). */
static inline void arch_zero_words(void *p, size_t n)
{
	size_t words = n / 4;

	__asm__ volatile("rep stosl" : "+D"(p), "+c"(words) : "a"(0)
		: "memory");
}

/* Copies n bytes (a multiple of 4) from src to dst; no overlap. */
static inline void arch_copy_words(void *dst, const void *src, size_t n)
{
	size_t words = n / 4;

	__asm__ volatile("rep movsl" : "+D"(dst), "+S"(src), "+c"(words)
		:: "memory");
}

/* Serialised: nothing before it is still running when it reads. lfence
 * is SSE2; a CPU without it (a Pentium) gets cpuid, which serialises
 * too, only more slowly. */
static inline uint64_t arch_tsc(void)
{
	static int fence = -1;
	uint32_t lo, hi, b, c;

	if (fence < 0) {
		uint32_t a = 1, d;

		__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
		fence = (d >> 26) & 1;
	}
	if (fence) {
		__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)
			:: "memory");
	} else {
		lo = 0;
		__asm__ volatile("cpuid" : "+a"(lo), "=b"(b), "=c"(c), "=d"(hi)
			:: "memory");
		__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	}
	return ((uint64_t)hi << 32) | lo;
}

#endif /* CAIRN_VM_ARCH_PAGE_H */
