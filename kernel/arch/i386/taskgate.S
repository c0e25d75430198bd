/*
 * The task-gate tasks (gdt.h): each starts here on its own stack, in ring
 * 0 with interrupts off, whenever its exception strikes, and runs its C
 * handler (taskgate.c). A handler that returns sends the CPU back to the
 * interrupted context with iret: NT is set in a task entered through a
 * gate, so iret is a task switch through the back link, and the CPU saves
 * this task's own state, %eip at the jmp, for its next start. Every task
 * switch sets CR0.TS: whoever continues after a #DB task clears it.
 */
	.text

	.globl	df_task_entry
df_task_entry:				/* the error code (0) is on the stack */
	xorl	%ebp, %ebp
	call	df_task			/* does not return */
	ud2

	.globl	nmi_task_entry
nmi_task_entry:
	xorl	%ebp, %ebp
	call	nmi_task
	iret
	jmp	nmi_task_entry

	.globl	db_task_entry
db_task_entry:
	xorl	%ebp, %ebp
	call	db_task
	iret
	jmp	db_task_entry

/* Where db_task sends the CPU's main task after a user-mode #DB: ring 0,
 * this CPU's kernel stack, the process (its frame already filled) in
 * %eax. From here on it is an ordinary exception from user mode. */
	.globl	db_user_resume
db_user_resume:
	xorl	%ebp, %ebp
	pushl	%eax
	call	fpu_task_switched	/* CR0.TS, set by the switches */
	call	trap_user		/* does not return */
	ud2
