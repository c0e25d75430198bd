/*
 * In-guest tests of the FPU set-up (kernel/arch/i386/fpu.c): every CPU,
 * the APs included, reports x87 errors as #MF (CR0.NE), has no FPU
 * emulation, and enables FXSAVE and #XM where CPUID offers them. User
 * space cannot see these bits, and QEMU's TCG raises no #XM at all, so
 * they are checked here.
 */
#include "kernel/ktest.h"
#include "kernel/kernel.h"
#include "kernel/cpulocal.h"
#include "kernel/lib/format.h"
#include "kernel/arch.h"
#include "smp/smp.h"

#define CPUID1_EDX_FPU	(1u << 0)
#define CPUID1_EDX_SSE	(1u << 25)

static uint32_t seen_cr0[CONFIG_MAX_CPUS], seen_cr4[CONFIG_MAX_CPUS];

static void read_control(void *arg)
{
	(void)arg;
	seen_cr0[cpu_self()] = read_cr0();
	seen_cr4[cpu_self()] = read_cr4();
}

KTEST(fpu_setup)
{
	uint32_t a, b, c, d, want4 = 0;

	cpuid(1, &a, &b, &c, &d);
	/* OSFXSR is set wherever there is FXSAVE, but only SSE needs it
	 * (QEMU keeps the bit clear on a CPU without SSE). */
	if (d & CPUID1_EDX_SSE)
		want4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	smp_call_all(read_control, 0);
	for (unsigned i = 0; i < smp_cpus_online(); i++) {
		char name[32];
		uint32_t cr0 = seen_cr0[i], cr4 = seen_cr4[i];
		int ok = (d & CPUID1_EDX_FPU) ?
			(cr0 & (CR0_NE | CR0_MP | CR0_EM)) == (CR0_NE | CR0_MP) :
			(cr0 & CR0_EM) != 0;

		ksnprintf(name, sizeof name, "fpu.setup.cpu%u", i);
		ktest_result(name, ok && (cr4 & want4) == want4,
			"cr0=0x%08x cr4=0x%08x (cpuid.1 edx 0x%08x)", cr0, cr4,
			d);
	}
}
