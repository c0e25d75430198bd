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
 * it returns. The two things that can still strike in those windows, NMI
 * and #DB, come through task gates onto their own stacks (gdt.h).
 *
 * Flags: neither instruction clears more than IF, VM and RF (syscall's
 * flag mask works in long mode only), so each entry saves the user's
 * flags and loads clean ones (no TF, NT, AC, DF, IOPL) before anything
 * else. A user's TF makes the CPU trap (#DB) on each of those first
 * instructions; the debug task lets them step on (taskgate.c) until the
 * popfl. The saved flags keep only what a user may set (USER_FLAGS), and
 * a TF among them sends the return through iret, which restores TF with
 * the user's context: the single-step then traps in user mode, where it
 * belongs. Coming back, ring 0 never loads a TF, NT or IOPL of the user.
 */
#include "kernel/arch/i386/gdt.h"
#include "asm-offsets.h"
#include "cairn/ipc.h"

#define EFLAGS_TF	0x100
#define EFLAGS_IF	0x200
#define EFLAGS_CLEAN	0x2		/* reserved bit 1 only */
/* What a user's flags may hold: CF PF AF ZF SF TF DF OF, RF, AC, ID; never
 * IF (forced on), IOPL, NT, VM, VIF, VIP. */
#define USER_FLAGS	0x00250dd5
/* What the fast returns load in ring 0 (TF goes out through iret). */
#define FAST_FLAGS	(USER_FLAGS & ~(EFLAGS_TF | 0x10000))

	.text

/* Saves the fast-path user state of the current process (%eax) and calls
 * kernel_ipc_entry(p, op, ep, msg, entry). Expects the op on the stack,
 * the user's flags under it. */
	.macro	fast_save entry
	movl	%ebx, TF_EBX(%eax)
	movl	%esi, TF_ESI(%eax)
	movl	%edi, TF_EDI(%eax)
	movl	%ebp, TF_EBP(%eax)
	popl	%edi			/* the operation */
	movl	%edi, TF_EAX(%eax)
	popl	%ebp			/* the user's flags */
	andl	$USER_FLAGS, %ebp
	orl	$(EFLAGS_IF | EFLAGS_CLEAN), %ebp
	movl	%ebp, TF_EFLAGS(%eax)
	testl	$EFLAGS_TF, %ebp
	jnz	fast_stepping
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
	.globl	sysenter_stepped
	.align	16
sysenter_entry:				/* %esp = this CPU's kernel stack */
	pushfl				/* the user's (IF RF VM now 0) */
	pushl	$EFLAGS_CLEAN
	popfl
sysenter_stepped:			/* a user's TF traps up to here */
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
	.globl	syscall_stepped
	.align	16
syscall_entry:				/* %esp is still the user's */
	movl	$SEL_CPULOCAL, %esp
	movl	%esp, %fs
	movl	%fs:CL_KSTACK_TOP, %esp
	pushfl				/* the user's (IF RF VM now 0) */
	pushl	$EFLAGS_CLEAN
	popfl
syscall_stepped:			/* a user's TF traps up to here */
	pushl	%eax
	movl	$SEL_KDATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%fs:CL_PROC_PTR, %eax
	movl	%edx, TF_ESP(%eax)	/* the user put its %esp there */
	movl	%ecx, TF_EIP(%eax)	/* the CPU put the return address */
	fast_save ENTRY_SYSCALL

/* A fast entry with the user's TF set (%eax = the process, %edi = the
 * op): complete the frame so that the call returns through iret
 * (ENTRY_INT), with the user's flags, TF included, restored by iret
 * itself. %ecx and %edx are the fast entries' scratch registers. The
 * debug task's switches on the way here set CR0.TS: fpu.c clears it. */
fast_stepping:
	pushl	%eax
	call	fpu_task_switched	/* keeps %ebx, %esi, %edi */
	popl	%eax
	movl	$SEL_UCODE, TF_CS(%eax)
	movl	$SEL_UDATA, TF_SS(%eax)
	movl	$SEL_UDATA, TF_DS(%eax)
	movl	$SEL_UDATA, TF_ES(%eax)
	movl	$0, TF_FS(%eax)
	movl	%gs, %ecx
	movl	%ecx, TF_GS(%eax)
	movl	$0, TF_ECX(%eax)
	movl	$0, TF_EDX(%eax)
	xorl	%ebp, %ebp
	pushl	$ENTRY_INT
	pushl	%esi
	pushl	%ebx
	pushl	%edi
	pushl	%eax
	call	kernel_ipc_entry	/* does not return */
	ud2

/* void restore_user_int(struct proc *p): the whole frame, with iret;
 * of the saved flags only what a user may set. */
	.globl	restore_user_int
restore_user_int:
	movl	4(%esp), %esp
	andl	$USER_FLAGS, TF_EFLAGS(%esp)
	orl	$(EFLAGS_IF | EFLAGS_CLEAN), TF_EFLAGS(%esp)
	popl	%gs
	popl	%fs
	popl	%es
	popl	%ds
	popal
	addl	$(TF_EIP - TF_VECTOR), %esp
	iret

/* Loads the fast-path user state of process %eax except %eax itself,
 * %ecx, %edx and %esp; flags come back with IF still clear, and without
 * anything a user may not set (nor TF: that way back is iret's). The
 * flags go last, so the user's arithmetic flags come back untouched. */
	.macro	fast_restore
	movl	TF_EFLAGS(%eax), %ecx
	andl	$FAST_FLAGS, %ecx
	pushl	%ecx
	movl	TF_EBX(%eax), %ebx
	movl	TF_ESI(%eax), %esi
	movl	TF_EDI(%eax), %edi
	movl	TF_EBP(%eax), %ebp
	movl	$SEL_UDATA, %ecx
	movl	%ecx, %ds
	movl	%ecx, %es
	xorl	%ecx, %ecx
	movl	%ecx, %fs		/* no %fs: access after this */
	popfl
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
