/*
 * Multiboot v1 header and the first instructions: paging off, linked at the
 * physical load address, built for the 386 like the rest of the pre-init
 * (boot/cpucheck.c refuses a CPU that lacks what the kernel needs). Calls
 * the C pre-init, turns paging on with the page
 * directory it built, and jumps to the high kernel. Every symbol here is
 * renamed __k_unpaged_* by the build.
 */
#include "kernel/arch/i386/vm_layout.h"

#define MB_HEADER_MAGIC	0x1BADB002
#define MB_FLAGS	0x00000003	/* page-aligned modules, memory info */

#define CR0_PG		0x80000000
#define CR0_WP		0x00010000

	.section .multiboot, "a"
	.align 4
	.long MB_HEADER_MAGIC
	.long MB_FLAGS
	.long -(MB_HEADER_MAGIC + MB_FLAGS)

	.text
	.globl mb_entry
mb_entry:
	cli
	cld
	movl	$boot_stack_top, %esp
	xorl	%ebp, %ebp
	pushl	$0
	popfl				/* known flags: IF, DF, AC clear */

	pushl	%ebx			/* multiboot information (physical) */
	pushl	%eax			/* loader magic */
	call	pre_init		/* returns the page directory in %eax */
	addl	$8, %esp

	movl	%eax, %cr3
	movl	%cr4, %ecx
	orl	boot_cr4, %ecx		/* PSE, and PGE if the CPU has it */
	movl	%ecx, %cr4
	movl	%cr0, %ecx
	orl	$(CR0_PG | CR0_WP), %ecx
	movl	%ecx, %cr0

	/* Paging is on and [0, mapped_end) is mapped both low and high. Hand
	 * the kernel the physical address of kinfo. */
	movl	$boot_kinfo, %eax
	movl	$kernel_high_entry, %ecx	/* bridge from the linker script */
	jmp	*%ecx

	.bss
	.align 16
	.space 4096
boot_stack_top:
