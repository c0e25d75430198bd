/*
 * int ipc_trap_sysenter(int op, endpoint_t ep, message *m): enter the
 * kernel with sysenter. The CPU saves neither stack nor return address, so
 * they travel in %ecx and %edx (ABI in include/cairn/ipc.h) and sysexit
 * puts them back; both are scratch registers in the C ABI anyway.
 */
	.text
	.p2align 4
	.globl	ipc_trap_sysenter
	.type	ipc_trap_sysenter, @function
ipc_trap_sysenter:
	pushl	%ebx
	pushl	%esi
	movl	12(%esp), %eax		/* op */
	movl	16(%esp), %ebx		/* ep */
	movl	20(%esp), %esi		/* m */
	movl	%esp, %ecx		/* where sysexit returns the stack */
	movl	$1f, %edx		/* and the instruction */
	sysenter
1:	popl	%esi
	popl	%ebx
	ret
	.size	ipc_trap_sysenter, . - ipc_trap_sysenter

	.section .note.GNU-stack, "", @progbits
