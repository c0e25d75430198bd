/*
 * Copies to and from the current address space that survive a page
 * fault: the page-fault handler sees a fault inside [copy_user_start,
 * copy_user_end) or [copy_msg_start, copy_msg_end) and resumes at
 * copy_user_fixup with the faulting address in %eax. Ranges are never checked for presence beforehand; the callers
 * only check that they lie below the kernel.
 */
	.text
/* uint32_t copy_user(void *dst, const void *src, uint32_t len):
 * 0 on success, else the faulting address (never 0 for a user range). */
	.globl	copy_user, copy_user_start, copy_user_end, copy_user_fixup
copy_user:
	pushl	%esi
	pushl	%edi
	movl	12(%esp), %edi
	movl	16(%esp), %esi
	movl	20(%esp), %ecx
	movl	%ecx, %edx
	shrl	$2, %ecx
	andl	$3, %edx
copy_user_start:
	rep movsl
	movl	%edx, %ecx
	rep movsb
copy_user_end:
	xorl	%eax, %eax
	popl	%edi
	popl	%esi
	ret

/* uint32_t copy_msg(void *dst, const void *src), regparm(2): one message
 * (64 bytes) from %edx to %eax, both ranges checked by the caller; 0, or
 * the faulting address as copy_user returns it. The IPC paths' copy. */
	.globl	copy_msg, copy_msg_start, copy_msg_end
copy_msg:
	pushl	%esi
	pushl	%edi
	movl	%eax, %edi
	movl	%edx, %esi
	movl	$16, %ecx
copy_msg_start:
	rep movsl
copy_msg_end:
	xorl	%eax, %eax
	popl	%edi
	popl	%esi
	ret

/* Both copies resume here with the page in %eax (trap.c). */
copy_user_fixup:
	popl	%edi
	popl	%esi
	ret
