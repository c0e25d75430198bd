/*
 * The task-gate handlers (gdt.h, taskgate.S): double fault, NMI and debug
 * exception, each in its own task on its own stack. The context they
 * interrupted is in the TSS their own TSS's back link names (the CPU's
 * main TSS, or another task's); they read it from there and, for #DB, may
 * change it before the task switch back.
 */
#include "kernel/arch/i386/cpu.h"
#include "kernel/arch/i386/gdt.h"
#include "kernel/arch/i386/trap.h"
#include "kernel/cpulocal.h"
#include "kernel/kernel.h"
#include "kernel/proc.h"

void df_task(void) __attribute__((noreturn));
void nmi_task(void) __attribute__((noreturn));
void db_task(void);

/* entry.S: the instructions a user's TF single-steps through after
 * sysenter or syscall, up to and including the one after the popfl that
 * clears it; taskgate.S: where a user-mode #DB continues. */
extern const char sysenter_entry[], sysenter_stepped[];
extern const char syscall_entry[], syscall_stepped[];
void db_user_resume(void);

/* The context a task interrupted, as a trap frame. */
static struct tss *interrupted(uint16_t self, struct trapframe *tf,
	unsigned vector)
{
	struct tss *t = gdt_tss(gdt_tss(self)->link & 0xffff);

	if (!t)
		panic("%s task: back link 0x%x is no TSS of this CPU",
			vector == EXC_DF ? "double-fault" : vector == EXC_NMI ?
			"NMI" : "debug", gdt_tss(self)->link);
	tf->gs = t->gs & 0xffff;
	tf->fs = t->fs & 0xffff;
	tf->es = t->es & 0xffff;
	tf->ds = t->ds & 0xffff;
	tf->edi = t->edi;
	tf->esi = t->esi;
	tf->ebp = t->ebp;
	tf->kesp = t->esp;
	tf->ebx = t->ebx;
	tf->edx = t->edx;
	tf->ecx = t->ecx;
	tf->eax = t->eax;
	tf->vector = vector;
	tf->error = 0;
	tf->eip = t->eip;
	tf->cs = t->cs & 0xffff;
	tf->eflags = t->eflags;
	tf->esp = t->esp;
	tf->ss = t->ss & 0xffff;
	return t;
}

/* A double fault: the stack, or the IDT, or a handler is broken. Say
 * where each stack of this CPU lies, dump, panic. */
void df_task(void)
{
	struct trapframe tf;
	struct tss *t = interrupted(SEL_TSS_DF, &tf, EXC_DF);
	uint32_t top = get_cpulocal_var(kstack_top);

	kprintf("\n*** double fault on cpu %u: the context below is the one "
		"TSS 0x%x saved; this CPU's kernel stack is 0x%08x..0x%08x, "
		"esp 0x%08x is %s it\n", cpu_self(),
		gdt_tss(SEL_TSS_DF)->link & 0xffff, top - 8192, top, t->esp,
		t->esp > top - 8192 && t->esp <= top ? "inside" : "outside");
	exception_handle_task(&tf);
}

/* An NMI: the panicking CPU halting this one (its handler never
 * returns), else nothing the kernel expects. It may strike in the middle
 * of a page-directory switch, so no way back is known: it never returns. */
void nmi_task(void)
{
	struct trapframe tf;

	interrupted(SEL_TSS_NMI, &tf, EXC_NMI);
	if (trap_has_handler(EXC_NMI)) {
		trap_dispatch(&tf);
		panic("NMI handler returned at eip=0x%08x", tf.eip);
	}
	exception_handle_task(&tf);
}

static int in(uint32_t eip, const char *from, const char *to)
{
	return eip >= (uint32_t)from && eip <= (uint32_t)to;
}

/* #DB: the kernel never single-steps itself and sets no breakpoints, so
 * a #DB is a user's: its TF (or icebp) in user mode, or its TF carried
 * into ring 0 by sysenter or syscall, which do not clear it. Either way
 * the running process's page directory is loaded: the way back (the
 * switch to the main TSS) loads it from there. */
void db_task(void)
{
	struct trapframe tf;
	struct tss *t = interrupted(SEL_TSS_DB, &tf, EXC_DB);
	struct proc *p = get_cpulocal_var(proc_ptr);

	if (!p || p != get_cpulocal_var(ptproc) || t != gdt_tss(SEL_TSS))
		exception_handle_task(&tf);	/* no process: a kernel bug */
	t->cr3 = p->p_cr3;

	if (!(tf.cs & 3)) {
		/* The fast entries' first instructions: let them step on
		 * until their popfl clears TF. The user's flags, TF and all,
		 * are saved by then, and the way back out is iret. */
		if (in(tf.eip, sysenter_entry, sysenter_stepped) ||
		    in(tf.eip, syscall_entry, syscall_stepped))
			return;
		exception_handle_task(&tf);	/* a kernel bug */
	}
	/* The process's own trap, as if it had come through an interrupt
	 * gate: its whole context in its frame, then the main task resumes
	 * in ring 0 on this CPU's (idle) kernel stack, at db_user_resume. */
	p->p_reg = tf;
	t->eip = (uint32_t)db_user_resume;
	t->cs = SEL_KCODE;
	t->eflags = 0x2;
	t->esp = get_cpulocal_var(kstack_top);
	t->ss = t->ds = t->es = SEL_KDATA;
	t->fs = SEL_CPULOCAL;
	t->gs = 0;
	t->eax = (uint32_t)p;
	t->ebp = 0;
}
