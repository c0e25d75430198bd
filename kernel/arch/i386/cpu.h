/*
 * Thin wrappers around the i386 instructions the kernel uses: port I/O,
 * control registers, MSRs, the TSC, CPUID and TLB control.
 */
#ifndef CAIRN_CPU_H
#define CAIRN_CPU_H

#include <stdint.h>

#define CR0_PE		0x00000001
#define CR0_MP		0x00000002	/* WAIT honours TS */
#define CR0_EM		0x00000004	/* no FPU: x87 instructions raise #NM */
#define CR0_TS		0x00000008	/* task switched: next FPU use raises #NM */
#define CR0_NE		0x00000020	/* x87 errors as #MF, not the FERR# pin */
#define CR0_WP		0x00010000
#define CR0_PG		0x80000000
#define CR4_PSE		0x00000010
#define CR4_PGE		0x00000080
#define CR4_OSFXSR	0x00000200	/* FXSAVE/FXRSTOR and SSE enabled */
#define CR4_OSXMMEXCPT	0x00000400	/* SIMD errors as #XM, not #UD */

#define EFLAGS_TF	0x00000100
#define EFLAGS_IF	0x00000200
#define EFLAGS_NT	0x00004000

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t read_cr0(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint32_t read_cr2(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint32_t read_cr3(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint32_t read_cr4(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void invlpg(uint32_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b,
	uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid"
		: "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
		: "a"(leaf), "c"(0));
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
		"d"((uint32_t)(v >> 32)));
}

static inline void cpu_pause(void)
{
	__asm__ volatile("pause" ::: "memory");
}

static inline void intr_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

static inline void intr_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

static inline uint32_t read_eflags(void)
{
	uint32_t v;
	__asm__ volatile("pushfl; popl %0" : "=r"(v));
	return v;
}

/* Wait for an interrupt with interrupts enabled. sti's one-instruction
 * shadow makes "sti; hlt" atomic: a wake-up cannot slip in between. */
static inline void cpu_idle_wait(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

static inline void __attribute__((noreturn)) cpu_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

#endif /* CAIRN_CPU_H */
