/*
 * The fast ways into the kernel for IPC, and the three ways back out.
 *
 * sysenter and syscall enter with interrupts off; each saves only what the
 * user side expects back (the callee-saved registers, flags, stack and
 * return address) into the process's frame and calls kernel_ipc_entry.
 * The way back matches the way in (restore_user_*), except that iret is
 * used whenever the whole context was saved or rewritten. User %ds/%es
 * come back as the flat user data segment and %fs as null on the fast
 * paths (user code does not use them); %gs is never touched.
 *
 * No instruction runs in ring 0 on a user stack: syscall leaves %esp
 * alone, so its first instructions replace it without touching memory
 * through it; sysret loads the user %esp only as the last step before the
 * return. Interrupts stay off until the return itself: sysexit follows
 * sti (whose one-instruction shadow covers it) and sysret turns IF on as
 * it returns.
 */
#include "kernel/arch/i386/gdt.h"
#include "asm-offsets.h"
#include "cairn/ipc.h"

#define EFLAGS_IF	0x200

	.text

/* Saves the fast-path user state of the current process (%eax) and calls
 * kernel_ipc_entry(p, op, ep, msg, entry). Expects the op on the stack. */
	.macro	fast_save entry
	movl	%ebx, TF_EBX(%eax)
	movl	%esi, TF_ESI(%eax)
	movl	%edi, TF_EDI(%eax)
	movl	%ebp, TF_EBP(%eax)
	pushfl
	popl	%edi
	orl	$EFLAGS_IF, %edi
	movl	%edi, TF_EFLAGS(%eax)
	popl	%edi			/* the operation */
	movl	%edi, TF_EAX(%eax)
	cld
	xorl	%ebp, %ebp
	pushl	$\entry
	pushl	%esi
	pushl	%ebx
	pushl	%edi
	pushl	%eax
	call	kernel_ipc_entry	/* does not return */
	ud2
	.endm

	.globl	sysenter_entry
	.align	16
sysenter_entry:				/* %esp = this CPU's kernel stack */
	pushl	%eax
	movl	$SEL_KDATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	$SEL_CPULOCAL, %eax
	movl	%eax, %fs
	movl	%fs:CL_PROC_PTR, %eax
	movl	%ecx, TF_ESP(%eax)
	movl	%edx, TF_EIP(%eax)
	fast_save ENTRY_SYSENTER

	.globl	syscall_entry
	.align	16
syscall_entry:				/* %esp is still the user's */
	movl	$SEL_CPULOCAL, %esp
	movl	%esp, %fs
	movl	%fs:CL_KSTACK_TOP, %esp
	pushl	%eax
	movl	$SEL_KDATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%fs:CL_PROC_PTR, %eax
	movl	%edx, TF_ESP(%eax)	/* the user put its %esp there */
	movl	%ecx, TF_EIP(%eax)	/* the CPU put the return address */
	fast_save ENTRY_SYSCALL

/* void restore_user_int(struct proc *p): the whole frame, with iret. */
	.globl	restore_user_int
restore_user_int:
	movl	4(%esp), %esp
	popl	%gs
	popl	%fs
	popl	%es
	popl	%ds
	popal
	addl	$(TF_EIP - TF_VECTOR), %esp
	iret

/* Loads the fast-path user state of process %eax except %eax itself,
 * %ecx, %edx and %esp; flags come back with IF still clear. */
	.macro	fast_restore
	movl	TF_EFLAGS(%eax), %ecx
	andl	$~EFLAGS_IF, %ecx
	pushl	%ecx
	popfl
	movl	TF_EBX(%eax), %ebx
	movl	TF_ESI(%eax), %esi
	movl	TF_EDI(%eax), %edi
	movl	TF_EBP(%eax), %ebp
	movl	$SEL_UDATA, %ecx
	movl	%ecx, %ds
	movl	%ecx, %es
	xorl	%ecx, %ecx
	movl	%ecx, %fs		/* no %fs: access after this */
	.endm

/* void restore_user_sysenter(struct proc *p) */
	.globl	restore_user_sysenter
restore_user_sysenter:
	movl	4(%esp), %eax
	fast_restore
	movl	TF_ESP(%eax), %ecx
	movl	TF_EIP(%eax), %edx
	movl	TF_EAX(%eax), %eax
	sti
	sysexit

/* void restore_user_syscall(struct proc *p) */
	.globl	restore_user_syscall
restore_user_syscall:
	movl	4(%esp), %eax
	fast_restore
	movl	TF_EIP(%eax), %ecx
	movl	TF_ESP(%eax), %esp	/* ring 0, IF clear, stack unused */
	movl	TF_EAX(%eax), %eax
	sysret
