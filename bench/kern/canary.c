/*
 * The canary: a fixed amount of plain work, the same in every boot and
 * every commit. Under icount its count never changes (if it does, QEMU or
 * the host changed what is being counted); on real time it shows how
 * noisy and how fast the machine was during the boot.
 */
#include "bench/kern/bench.h"

#define CANARY_ITERATIONS	1000

/* Four dependent register operations and a branch per iteration, nothing
 * that touches memory, TLBs or devices. */
static uint64_t canary_loop(const struct bench *b)
{
	uint32_t x = 1, n = b->arg;
	uint64_t t0 = bench_begin();

	__asm__ volatile(
		"1:\n\t"
		"addl %0, %0\n\t"
		"xorl $0x5a5a, %0\n\t"
		"roll $3, %0\n\t"
		"incl %0\n\t"
		"decl %1\n\t"
		"jnz 1b"
		: "+r"(x), "+r"(n));
	return bench_end() - t0;
}

BENCH(canary) = { "canary.loop", "tsc", "a fixed loop of 1000 iterations "
	"of 4 dependent register operations and a branch: the same work in "
	"every boot", 1, CANARY_ITERATIONS, 0, canary_loop };
