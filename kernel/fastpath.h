/*
 * The C half of every IPC entry (fastpath.c): the fast path for SENDREC
 * and REPLYRECV to a peer already waiting on this CPU, and the general
 * path (ipc_call) for everything else.
 */
#ifndef CAIRN_FASTPATH_H
#define CAIRN_FASTPATH_H

#include "cairn/ipc.h"

struct proc;

/* IPC operation op from p, which entered by `entry` (ENTRY_*) with its
 * user context saved: takes the BKL, performs the operation and leaves
 * through the scheduler, or straight to the peer on the fast path. */
void kernel_ipc_entry(struct proc *p, int op, endpoint_t ep, vir_bytes msg,
	uint32_t entry) __attribute__((noreturn));

#endif /* CAIRN_FASTPATH_H */
