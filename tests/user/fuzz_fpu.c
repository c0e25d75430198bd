/*
 * The fuzzer's FPU and SSE contents: each call is made with random values
 * in two x87 registers and in xmm0-xmm7, which must be there after it,
 * whoever else ran on the CPU meanwhile. The program is built without
 * FPU or SSE code generation (lib/lib.mk), so nothing but these
 * functions touches the registers.
 */
#include <stdio.h>
#include <string.h>
#include "tests/user/fuzz.h"

#define CPUID_SSE	(1u << 25)

static uint32_t x87_in[2];
static uint32_t xmm_in[32], xmm_out[32];

int fuzz_cpu_has_sse(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return (d & CPUID_SSE) != 0;
}

void fuzz_fpu_load(struct fuzz_worker *w)
{
	x87_in[0] = fuzz_next(&w->rng) >> 1;	/* fits fild's int32 */
	x87_in[1] = fuzz_next(&w->rng) >> 1;
	__asm__ volatile("fninit\n\tfildl %0\n\tfildl %1"
		: : "m"(x87_in[0]), "m"(x87_in[1]));
	if (!w->has_sse)
		return;
	for (int i = 0; i < 32; i++)
		xmm_in[i] = fuzz_next(&w->rng);
	__asm__ volatile(
		"movups 0(%0), %%xmm0\n\tmovups 16(%0), %%xmm1\n\t"
		"movups 32(%0), %%xmm2\n\tmovups 48(%0), %%xmm3\n\t"
		"movups 64(%0), %%xmm4\n\tmovups 80(%0), %%xmm5\n\t"
		"movups 96(%0), %%xmm6\n\tmovups 112(%0), %%xmm7"
		: : "r"(xmm_in) : "memory");
}

int fuzz_fpu_check(struct fuzz_worker *w)
{
	uint32_t top, next;

	__asm__ volatile("fistpl %0\n\tfistpl %1" : "=m"(top), "=m"(next));
	if (top != x87_in[1] || next != x87_in[0]) {
		snprintf(w->why, sizeof w->why, "x87 registers changed: "
			"%u %u, not %u %u", next, top, x87_in[0], x87_in[1]);
		return -1;
	}
	if (!w->has_sse)
		return 0;
	__asm__ volatile(
		"movups %%xmm0, 0(%0)\n\tmovups %%xmm1, 16(%0)\n\t"
		"movups %%xmm2, 32(%0)\n\tmovups %%xmm3, 48(%0)\n\t"
		"movups %%xmm4, 64(%0)\n\tmovups %%xmm5, 80(%0)\n\t"
		"movups %%xmm6, 96(%0)\n\tmovups %%xmm7, 112(%0)"
		: : "r"(xmm_out) : "memory");
	for (int i = 0; i < 32; i++)
		if (xmm_out[i] != xmm_in[i]) {
			snprintf(w->why, sizeof w->why, "xmm%d changed: word "
				"%d is 0x%x, not 0x%x", i / 4, i % 4,
				xmm_out[i], xmm_in[i]);
			return -1;
		}
	return 0;
}
