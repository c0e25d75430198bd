/*
 * Model-specific registers for sysenter (IA32_SYSENTER_*) and syscall
 * (EFER.SCE, STAR). The GDT's order (kernel code, kernel data, user code,
 * user data) is the one both instructions derive their selectors from.
 */
#include "kernel/arch/i386/fastentry.h"
#include "kernel/arch/i386/cpu.h"
#include "kernel/arch/i386/gdt.h"
#include "cairn/ipc.h"

#define MSR_SYSENTER_CS		0x174
#define MSR_SYSENTER_ESP	0x175
#define MSR_SYSENTER_EIP	0x176
#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_FMASK		0xc0000084
#define EFER_SCE		0x1
/* What syscall should clear: TF IF DF IOPL NT RF AC. */
#define FMASK_FLAGS		0x00047700

void sysenter_entry(void);
void syscall_entry(void);

static uint32_t mask;
static int long_mode;		/* the CPU has IA32_FMASK */

static uint32_t detect(void)
{
	uint32_t a, b, c, d, m = 1u << ENTRY_INT;

	cpuid(1, &a, &b, &c, &d);
	if (d & (1u << 11))
		m |= 1u << ENTRY_SYSENTER;
	cpuid(0x80000000, &a, &b, &c, &d);
	if (a >= 0x80000001) {
		cpuid(0x80000001, &a, &b, &c, &d);
		if (d & (1u << 11))
			m |= 1u << ENTRY_SYSCALL;
		long_mode = (d >> 29) & 1;
	}
	return m;
}

void fastentry_init_cpu(uint32_t kstack_top)
{
	if (!mask)
		mask = detect();
	if (mask & (1u << ENTRY_SYSENTER)) {
		wrmsr(MSR_SYSENTER_CS, SEL_KCODE);
		wrmsr(MSR_SYSENTER_ESP, kstack_top);
		wrmsr(MSR_SYSENTER_EIP, (uint32_t)sysenter_entry);
	}
	if (mask & (1u << ENTRY_SYSCALL)) {
		/* sysret: CS = STAR[63:48] | 3, SS = that + 8; syscall:
		 * CS = STAR[47:32], SS = that + 8. */
		uint64_t star = ((uint64_t)(GDT_UCODE << 3) << 48) |
			((uint64_t)SEL_KCODE << 32) | (uint32_t)syscall_entry;
		wrmsr(MSR_STAR, star);
		/* The CPU applies the mask in long mode only; in this
		 * (legacy) mode syscall clears IF, VM and RF and nothing
		 * else, so syscall_entry cleans the flags itself. Set anyway:
		 * it costs nothing and says what the entry needs. */
		if (long_mode)
			wrmsr(MSR_FMASK, FMASK_FLAGS);
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	}
}

uint32_t fastentry_mask(void)
{
	return mask;
}

uint32_t fastentry_best(void)
{
	if (mask & (1u << ENTRY_SYSCALL))
		return ENTRY_SYSCALL;
	if (mask & (1u << ENTRY_SYSENTER))
		return ENTRY_SYSENTER;
	return ENTRY_INT;
}
