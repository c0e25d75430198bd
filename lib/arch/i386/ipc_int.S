/*
 * int ipc_trap_int(int op, endpoint_t ep, message *m): enter the kernel
 * with a software interrupt (register ABI in include/cairn/ipc.h). The
 * vector 0x80 is IPC_VECTOR; lib/ipc.c checks that the two agree.
 */
	.text
	.p2align 4
	.globl	ipc_trap_int
	.type	ipc_trap_int, @function
ipc_trap_int:
	pushl	%ebx			/* the C ABI wants %ebx %esi back; */
	pushl	%esi			/* the kernel keeps them for us */
	movl	12(%esp), %eax		/* op */
	movl	16(%esp), %ebx		/* ep */
	movl	20(%esp), %esi		/* m */
	int	$0x80
	popl	%esi
	popl	%ebx
	ret
	.size	ipc_trap_int, . - ipc_trap_int

	.section .note.GNU-stack, "", @progbits
