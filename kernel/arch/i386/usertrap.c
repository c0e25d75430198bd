/*
 * Entries from user mode through the common stub (trap_user): the IPC
 * vector, which goes where the fast entries go (kernel_ipc_entry), and
 * exceptions and interrupts, which take the big kernel lock here and
 * leave through the scheduler.
 */
#include "kernel/bkl.h"
#include "kernel/cpulocal.h"
#include "kernel/fastpath.h"
#include "kernel/ipc.h"
#include "kernel/lifecycle.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/switch.h"
#include "kernel/shootdown.h"
#include "kernel/system.h"
#include "kernel/arch/i386/cpu.h"
#include "kernel/arch/i386/fpu.h"
#include "kernel/arch/i386/lapic.h"
#include "kernel/arch/i386/trap.h"

void trap_user(struct proc *p) __attribute__((noreturn));
static void trap_other(struct proc *p, uint32_t v) __attribute__((noreturn));

static const char *const exc_names[32] = {
	"divide error", "debug trap", "NMI", "breakpoint", "overflow",
	"bound range", "invalid opcode", "no FPU", "double fault", "FPU overrun",
	"invalid TSS", "segment not present", "stack fault",
	"general protection fault", "page fault", "exception 15", "FPU error",
	"alignment check", "machine check", "SIMD error", "virtualization",
	"control protection", "exception 22", "exception 23", "exception 24",
	"exception 25", "exception 26", "exception 27", "exception 28",
	"exception 29", "exception 30", "exception 31",
};

/* What a fault of VM's own was. VM maps its own pages read-only only in
 * its sanity build (vm/slab.h): there a write to one is a write to
 * allocator metadata outside a USE() section. */
static const char *vm_fault_why(uint32_t error)
{
	if (!(error & PF_ERR_P))
		return "no page there";
	if (error & PF_ERR_W)
		return "write to a read-only page (VM's sanity build: an "
			"object written outside USE())";
	return "protection";
}

/* A user page fault becomes a message to VM, sent on the faulter's
 * behalf; it waits until VM answers with VMCTL_CLEAR_PAGEFAULT. VM
 * cannot page fault to itself: that is the end. */
static void pagefault(struct proc *p, vir_bytes addr)
{
	struct proc *vm = proc_addr(VM_PROC_NR);
	message *m;

	if (p->p_nr == VM_PROC_NR)
		panic("VM page fault at 0x%08x, eip 0x%08x, error 0x%x: %s",
			addr, p->p_reg.eip, p->p_reg.error,
			vm_fault_why(p->p_reg.error));
	proc_rts_set(p, RTS_PAGEFAULT);
	/* Made where it goes: VM's delivery slot when VM waits. */
	m = ipc_on_behalf_slot(p, vm);
	m->m_type = VM_PAGEFAULT;
	m->u.pagefault.addr = addr;
	m->u.pagefault.err = p->p_reg.error;
	m->u.pagefault.eip = p->p_reg.eip;
	/* The rest of the payload: nothing of an earlier message stays.
	 * Unrolled: a store each, not four instructions a word. */
	_Static_assert(sizeof(struct mess_pagefault) == 3 * sizeof(uint32_t),
		"the page-fault payload is words 0..2");
#pragma GCC unroll 11
	for (unsigned i = 3; i < 14; i++)
		m->u.w[i] = 0;
	ipc_on_behalf_send(p, vm, m);
}

void trap_user(struct proc *p)
{
	uint32_t v = p->p_reg.vector;

	if (__builtin_expect(v == IPC_VECTOR, 1))
		ipc_enter(p, p->p_reg.eax, p->p_reg.ebx, p->p_reg.esi,
			ENTRY_INT);
	trap_other(p, v);
}

/* Exceptions and interrupts from user mode. */
static void trap_other(struct proc *p, uint32_t v)
{
	vir_bytes cr2 = read_cr2();	/* before anything can fault again */

	/* An NMI is the panicking CPU halting this one; it may hold the BKL,
	 * so the NMI is served before the lock, like stop requests. */
	if (v == EXC_NMI)
		trap_dispatch(&p->p_reg);

	if (v == VEC_IPI_STOP || v == VEC_IPI_TLB) {
		shootdown_poll();	/* before waiting for the lock */
		lapic_eoi();
	}
	bkl_lock();
	int current = get_cpulocal_var(proc_ptr) == p;
	if (current)
		p->p_entry = ENTRY_INT;
	if (v >= 32 || v == EXC_NMI) {
		if (v != VEC_IPI_STOP && v != VEC_IPI_TLB && v != EXC_NMI)
			trap_dispatch(&p->p_reg);
	} else if (current && v == EXC_PF) {
		pagefault(p, cr2);
	} else if (current && v == EXC_NM && fpu_nm_trap(p)) {
		/* the lazy FPU switch: p's state is loaded now */
	} else if (current) {
		if (p->p_nr == VM_PROC_NR)
			panic("VM: %s at eip 0x%08x", exc_names[v], p->p_reg.eip);
		/* A #DB (db_task sends it here) is the process's own
		 * single-step or icebp: there is no debugger to take it. */
		proc_kill_status(p, exc_names[v], v == EXC_DB ? EDEBUG :
			EFAULT);
	}
	switch_to_user();
}
