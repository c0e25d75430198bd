/*
 * A process's first user context: the registers a new process (VM at boot,
 * SYS_NEWPROC later) leaves the kernel with the first time it runs.
 */
#include "kernel/arch/i386/userctx.h"
#include "kernel/arch/i386/cpu.h"
#include "kernel/arch/i386/gdt.h"
#include "kernel/proc.h"
#include "kernel/lib/string.h"

void proc_setup_user(struct proc *p, phys_bytes pgdir, vir_bytes entry,
	vir_bytes stack)
{
	memset(&p->p_reg, 0, sizeof(p->p_reg));
	p->p_reg.eip = entry;
	p->p_reg.esp = stack;
	p->p_reg.cs = SEL_UCODE;
	p->p_reg.ss = p->p_reg.ds = p->p_reg.es = SEL_UDATA;
	p->p_reg.eflags = EFLAGS_IF | 0x2;
	p->p_entry = ENTRY_INT;		/* first return: the whole frame */
	p->p_cr3 = pgdir;
}
