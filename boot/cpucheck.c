/*
 * The pre-init's CPU check. Runs first, with paging off, in code built for
 * the 386 (no instruction the CPU might lack): it finds out whether CPUID
 * exists (EFLAGS.ID toggles) before using it, and asks CPUID for each
 * feature the kernel needs.
 *
 * Essential: CPUID, PSE (the kernel maps itself with 4 MiB pages), the TSC
 * (clock calibration, udelay, IPC timestamps) and a local APIC (the only
 * timer and interrupt controller the kernel drives). Without one of them
 * the CPU is refused: the missing features are named on COM1 and on the
 * VGA text screen, then QEMU's isa-debug-exit gets EXIT_UNSUPPORTED_CPU
 * (a real machine halts with the message on screen).
 *
 * Optional, and asked for again where used: PGE (global pages: only here),
 * SEP/syscall (kernel/arch/i386/fastentry.c: int 0x80-style entry always
 * works), FXSR/SSE/FPU (kernel/arch/i386/fpu.c).
 */
#include "boot/cpucheck.h"
#include "kernel/arch/i386/cpu.h"

#define EFLAGS_ID	(1u << 21)

#define CPUID1_PSE	(1u << 3)
#define CPUID1_TSC	(1u << 4)
#define CPUID1_APIC	(1u << 9)
#define CPUID1_PGE	(1u << 13)


#define COM1		0x3f8
#define VGA_TEXT	((volatile uint16_t *)0xb8000)
#define VGA_COLS	80
#define VGA_ROWS	25
#define VGA_ATTR	0x4f00		/* white on red */

/* Whether EFLAGS bit `bit` can be flipped (ID: CPUID exists). */
static int eflags_bit_toggles(uint32_t bit)
{
	uint32_t before, after;

	__asm__ volatile(
		"pushfl\n\t"
		"popl %0\n\t"
		"movl %0, %1\n\t"
		"xorl %2, %1\n\t"
		"pushl %1\n\t"
		"popfl\n\t"
		"pushfl\n\t"
		"popl %1\n\t"
		"pushl %0\n\t"
		"popfl"			/* as it was */
		: "=&r"(before), "=&r"(after) : "ri"(bit) : "cc");
	return ((before ^ after) & bit) != 0;
}


/* --- saying why not ---------------------------------------------------- */

static uint32_t vga_pos;

static void put(char ch)
{
	for (uint32_t spin = 0; spin < 100000; spin++)
		if (inb(COM1 + 5) & 0x20)	/* transmitter empty */
			break;
	outb(COM1, (uint8_t)ch);
	if (ch == '\r')
		return;
	if (ch == '\n')
		vga_pos += VGA_COLS - vga_pos % VGA_COLS;
	else if (vga_pos < VGA_COLS * VGA_ROWS)
		VGA_TEXT[vga_pos++] = VGA_ATTR | (uint8_t)ch;
}

static void puts_both(const char *s)
{
	while (*s) {
		if (*s == '\n')
			put('\r');
		put(*s++);
	}
}

static void __attribute__((noreturn)) refuse(const char *const *missing,
	int n)
{
	/* COM1: 115200 8N1, as kernel/arch/i386/serial.c sets it later. */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x80);
	outb(COM1 + 0, 0x01);
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);
	outb(COM1 + 2, 0xc7);
	outb(COM1 + 4, 0x03);
	for (uint32_t i = 0; i < VGA_COLS * VGA_ROWS; i++)
		VGA_TEXT[i] = 0x0700 | ' ';

	puts_both("\ncairn: unsupported CPU, it lacks: ");
	for (int i = 0; i < n; i++) {
		puts_both(missing[i]);
		puts_both(i + 1 < n ? ", " : "\n");
	}
	puts_both("cairn: needs CPUID, PSE, TSC and a local APIC "
		  "(a Pentium with an APIC, or later); halted\n");
	outl(0xf4, EXIT_UNSUPPORTED_CPU);	/* isa-debug-exit */
	for (;;)
		__asm__ volatile("cli; hlt");
}

uint32_t cpu_check(void)
{
	const char *missing[4];
	uint32_t max, b, c, d = 0;
	int n = 0;

	if (!eflags_bit_toggles(EFLAGS_ID)) {
		missing[n++] = "CPUID (a 386 or an early 486)";
		refuse(missing, n);
	}
	cpuid(0, &max, &b, &c, &d);
	if (max >= 1)
		cpuid(1, &max, &b, &c, &d);
	else
		d = 0;
	if (!(d & CPUID1_PSE))
		missing[n++] = "PSE (4 MiB pages)";
	if (!(d & CPUID1_TSC))
		missing[n++] = "TSC (time-stamp counter)";
	if (!(d & CPUID1_APIC))
		missing[n++] = "local APIC";
	if (n)
		refuse(missing, n);
	return CR4_PSE | (d & CPUID1_PGE ? CR4_PGE : 0);
}
