/*
 * AP start-up. Copied to TRAMPOLINE_PHYS; a Startup IPI starts the AP here
 * in real mode with CS:IP = (TRAMPOLINE_PHYS >> 4):0. It switches to
 * protected mode with a temporary flat GDT, turns on paging with the
 * page directory the boot CPU prepared (kernel high, low 4 MiB identity),
 * and calls the high kernel on its own stack.
 */
#include "kernel/arch/i386/vm_layout.h"
#include "asm-offsets.h"

#define ABS(sym)	((sym) - trampoline_start + TRAMPOLINE_PHYS)
#define ARG(off)	(TRAMPOLINE_PHYS + TRAMP_ARGS_OFF + (off))

	.section .rodata
	.globl	trampoline_start, trampoline_end
	.code16
trampoline_start:
	cli
	cld
	xorw	%ax, %ax
	movw	%ax, %ds
	lgdtl	ARG(TA_GDTR)
	movl	%cr0, %eax
	orl	$1, %eax		/* PE */
	movl	%eax, %cr0
	ljmpl	$0x08, $ABS(tramp_32)

	.code32
tramp_32:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movl	$1, %eax		/* PGE only if the CPU has it */
	cpuid				/* (a Pentium has not: #GP) */
	movl	$0x10, %eax		/* PSE */
	testl	$0x2000, %edx		/* CPUID.1 EDX.PGE */
	jz	1f
	orl	$0x80, %eax		/* PGE */
1:	movl	%cr4, %ecx
	orl	%eax, %ecx
	movl	%ecx, %cr4
	movl	ARG(TA_CR3), %eax
	movl	%eax, %cr3
	movl	%cr0, %eax
	orl	$0x80010000, %eax	/* PG | WP */
	movl	%eax, %cr0
	movl	ARG(TA_STACK), %esp
	xorl	%ebp, %ebp
	pushl	ARG(TA_CPU)
	pushl	$0			/* no return address */
	movl	ARG(TA_ENTRY), %eax
	jmp	*%eax
trampoline_end:
	.code32
