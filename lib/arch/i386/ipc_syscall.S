/*
 * int ipc_trap_syscall(int op, endpoint_t ep, message *m): enter the
 * kernel with syscall (AMD CPUs in 32-bit mode). The CPU puts the return
 * address in %ecx but leaves %esp alone, so the user stack travels in %edx
 * (ABI in include/cairn/ipc.h); both are scratch in the C ABI.
 */
	.text
	.p2align 4
	.globl	ipc_trap_syscall
	.type	ipc_trap_syscall, @function
ipc_trap_syscall:
	pushl	%ebx
	pushl	%esi
	movl	12(%esp), %eax		/* op */
	movl	16(%esp), %ebx		/* ep */
	movl	20(%esp), %esi		/* m */
	movl	%esp, %edx		/* the kernel returns with this stack */
	syscall				/* %ecx = the popl below */
	popl	%esi
	popl	%ebx
	ret
	.size	ipc_trap_syscall, . - ipc_trap_syscall

	.section .note.GNU-stack, "", @progbits
