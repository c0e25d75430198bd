/*
 * int fuzz_trap(int style, int op, endpoint_t ep, message *m,
 *               uint32_t eflags, uint32_t *eflags_back):
 * one kernel entry by style (ENTRY_INT, ENTRY_SYSENTER, ENTRY_SYSCALL)
 * with EFLAGS set to eflags by the instruction before it, as a hostile
 * program would. The flags the kernel returned with go to *eflags_back,
 * then the C ABI's flags (DF clear, nothing odd) come back before any
 * other instruction can trip over them.
 */
#include "cairn/ipc.h"

#define SANE_EFLAGS	0x202		/* IF and the reserved bit 1 */

	.text
	.p2align 4
	.globl	fuzz_trap
	.type	fuzz_trap, @function
fuzz_trap:
	pushl	%ebp
	movl	%esp, %ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	12(%ebp), %eax		/* op */
	movl	16(%ebp), %ebx		/* ep */
	movl	20(%ebp), %esi		/* m */
	movl	8(%ebp), %edi		/* style */
	pushl	24(%ebp)		/* eflags, taken by popfl below */
	cmpl	$ENTRY_SYSENTER, %edi
	je	2f
	cmpl	$ENTRY_SYSCALL, %edi
	je	3f
	popfl
	int	$IPC_VECTOR
	jmp	9f
2:	leal	4(%esp), %ecx	/* sysexit's stack (once popfl ran), */
	movl	$9f, %edx		/* and where it returns */
	popfl
	sysenter
3:	leal	4(%esp), %edx	/* syscall: the stack in %edx */
	popfl
	syscall				/* returns to the next instruction */
9:	pushfl
	pushl	$SANE_EFLAGS
	popfl
	popl	%ecx
	movl	28(%ebp), %edi
	movl	%ecx, (%edi)
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret
	.size	fuzz_trap, . - fuzz_trap

	.section .note.GNU-stack, "", @progbits
