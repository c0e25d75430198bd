/*
 * Entry stubs for all 256 vectors. Each pushes a zero error code where the
 * CPU does not push one, then its vector, and joins trap_common, which
 * saves the rest of the frame (struct trapframe), switches to the kernel's
 * data and CPU-local segments and clean flags (the gate cleared only TF,
 * NT, RF, VM and IF; from user mode AC, DF and IOPL are still the user's;
 * in the kernel they are clean already) and calls trap_dispatch. (#DB,
 * NMI and #DF come through task gates instead.)
 *
 * A fault in ring 0 whose frame landed inside the process table (the
 * kernel's stack pointer was in a process's frame: at restore_user_int's
 * iret, or before from_user moved off it) is a kernel bug, dumped from
 * this CPU's kernel stack so that the dump and panic do not overwrite the
 * other processes below that frame. (The frame can start a few words
 * below its process: hence the 64 bytes before the table.)
 */
#include "kernel/arch/i386/gdt.h"
#include "asm-offsets.h"

/* Exceptions for which the CPU pushes an error code. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
	(v) == 21 || (v) == 29 || (v) == 30)

	.text
	.align 16
trap_common:
	pushal
	pushl	%ds
	pushl	%es
	pushl	%fs
	pushl	%gs
	movl	$SEL_KDATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	$SEL_CPULOCAL, %eax
	movl	%eax, %fs
	cld
	testl	$3, TF_CS(%esp)
	jnz	from_user
	cmpl	$(proc_table - 64), %esp
	jb	1f
	cmpl	$(proc_table + PROC_TABLE_SIZE), %esp
	jb	in_proc_table
1:	pushl	%esp			/* struct trapframe * */
	call	trap_dispatch
	addl	$4, %esp
	popl	%gs
	popl	%fs
	popl	%es
	popl	%ds
	popal
	addl	$(TF_EIP - TF_VECTOR), %esp	/* vector and error code */
	iret

	/* From user mode the frame was built inside the process's struct
	 * proc (the TSS's esp0 points at its end): continue on this CPU's
	 * kernel stack with the process as the argument. */
from_user:
	movl	%esp, %eax
	movl	%fs:CL_KSTACK_TOP, %esp
	pushl	$0x2			/* not before: below the frame is */
	popfl				/* the previous process */
	xorl	%ebp, %ebp
	pushl	%eax
	call	trap_user		/* does not return */
	ud2

in_proc_table:
	movl	%esp, %eax
	movl	%fs:CL_KSTACK_TOP, %esp
	xorl	%ebp, %ebp
	pushl	%eax
	call	exception_handle	/* does not return */
	ud2

	.macro	stub v
	.align 8
trap_stub_\v:
	.if	HAS_ERROR(\v)
	.else
	pushl	$0
	.endif
	pushl	$\v
	jmp	trap_common
	.endm

	.altmacro
	.macro	stubs from, to
	stub	\from
	.if	\to-\from
	stubs	%(\from+1), \to
	.endif
	.endm

	/* Recursion depth of .altmacro is limited: four runs of 64. */
	stubs	0, 63
	stubs	64, 127
	stubs	128, 191
	stubs	192, 255

	.macro	stubref v
	.long	trap_stub_\v
	.endm
	.macro	stubrefs from, to
	stubref	\from
	.if	\to-\from
	stubrefs %(\from+1), \to
	.endif
	.endm

	.section .rodata
	.globl	trap_stubs
	.align 4
trap_stubs:
	stubrefs 0, 63
	stubrefs 64, 127
	stubrefs 128, 191
	stubrefs 192, 255
