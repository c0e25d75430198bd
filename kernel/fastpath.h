/*
 * The C half of every IPC entry: the fast path (fastpath.c) for SENDREC
 * and REPLYRECV to a peer already waiting on this CPU, and the general
 * path (ipc_call) for everything else.
 */
#ifndef CAIRN_FASTPATH_H
#define CAIRN_FASTPATH_H

#include "cairn/ipc.h"
#include "kernel/bkl.h"
#include "kernel/cpulocal.h"
#include "kernel/ipc.h"
#include "kernel/proc.h"
#include "kernel/switch.h"

/* SENDREC to ep, or (replyrecv) REPLYRECV's reply to ep and RECEIVE from
 * ANY, on the fast path: does not return when it applies; returns with
 * nothing changed when it does not. Not inline: the other operations'
 * way through ipc_enter stays short. */
void fastpath(struct proc *caller, endpoint_t ep, vir_bytes msg,
	int replyrecv);

/* The C half of every IPC entry (BKL not held, p's user context saved):
 * the fast path's cases first, then the general path, then back to user
 * mode. Inline into both the fast entries' kernel_ipc_entry and the int
 * vector's trap_user. */
static inline void __attribute__((noreturn, always_inline)) ipc_enter(
	struct proc *p, int op, endpoint_t ep, vir_bytes msg, uint32_t entry)
{
	bkl_lock();
	if (__builtin_expect(get_cpulocal_var(proc_ptr) == p, 1)) {
		p->p_entry = entry;
		if (op == IPC_SENDREC || op == IPC_REPLYRECV)
			fastpath(p, ep, msg, op == IPC_REPLYRECV);
		int r = ipc_call(p, op, ep, msg);
		if (r != EDONTREPLY)
			p->p_reg.eax = r;
	}
	switch_to_user();
}

/* ipc_enter for the sysenter and syscall entries (entry.S). */
void kernel_ipc_entry(struct proc *p, int op, endpoint_t ep, vir_bytes msg,
	uint32_t entry) __attribute__((noreturn));

#endif /* CAIRN_FASTPATH_H */
