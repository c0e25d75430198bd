/*
 * The first high instructions: the pre-init jumps here with paging on and
 * the physical address of its kinfo in %eax. Move to the boot CPU's own
 * stack and enter C: kmain(kinfo, bootstrap directory, stack top).
 */
	.text
	.globl	kernel_high_entry
kernel_high_entry:
	movl	$boot_stack_top, %esp
	xorl	%ebp, %ebp
	movl	%cr3, %ecx
	pushl	$boot_stack_top		/* this stack, for the TSS and sysenter */
	pushl	%ecx			/* the bootstrap page directory */
	pushl	%eax			/* kinfo, physical */
	pushl	$0			/* no return address */
	jmp	kmain

	.bss
	.align	16
	.globl	boot_stack_top
	.space	8192
boot_stack_top:
