/*
 * IPC between processes, and messages the kernel sends on a process's
 * behalf (page faults to VM, a killed process's exit).
 */
#ifndef CAIRN_IPC_KERNEL_H
#define CAIRN_IPC_KERNEL_H

#include "cairn/ipc.h"
#include "kernel/kernel.h"

struct proc;

/* The operations, for ipc_call. */
int ipc_op_send(struct proc *caller, int op, endpoint_t ep, vir_bytes msg);
int ipc_op_receive(struct proc *caller, endpoint_t ep, vir_bytes msg);
int ipc_op_replyrecv(struct proc *caller, endpoint_t ep, vir_bytes msg);
int ipc_op_notify(struct proc *caller, endpoint_t ep);
int ipc_op_kernel_call(struct proc *caller, vir_bytes msg);
/* A server's kernel call and its next RECEIVE (from ANY, into the same
 * buffer) in one entry, as REPLYRECV is its reply and receive: VM
 * answering a page fault (CLEAR_PAGEFAULT) and waiting for the next
 * request. The call's answer message is dropped (only its status is
 * wanted); a call that fails returns its error and nothing is received;
 * a call that waits for VM is made again with its receive when the
 * caller runs again. */
int ipc_op_kernel_call_recv(struct proc *caller, vir_bytes msg);

/* An IPC operation (IPC_*) from `caller`, whose address space is loaded.
 * Returns the status for %eax, or EDONTREPLY. Inline, a switch with a
 * direct call per operation: no table of function pointers between the
 * entry and the operation. */
static inline int ipc_call(struct proc *caller, int op, endpoint_t ep,
	vir_bytes msg)
{
	switch (op) {
	case IPC_SEND:
	case IPC_SENDREC:
	case IPC_SENDNB:	return ipc_op_send(caller, op, ep, msg);
	case IPC_RECEIVE:	return ipc_op_receive(caller, ep, msg);
	case IPC_NOTIFY:	return ipc_op_notify(caller, ep);
	case IPC_KERNCALL:	return ipc_op_kernel_call(caller, msg);
	case IPC_NULL:		return OK;
	case IPC_REPLYRECV:	return ipc_op_replyrecv(caller, ep, msg);
	case IPC_KERNCALL_RECV:	return ipc_op_kernel_call_recv(caller, msg);
	default:		return EBADCALL;
	}
}

/* Called with p's address space loaded just before it returns to user
 * mode: re-runs a call that waited for VM, copies in a pending message.
 * Returns 1 if p may return now, 0 if it blocked again. */
int ipc_resume(struct proc *p);

/* Sends m to dst as if `from` had sent it (from is blocked by its caller,
 * e.g. with RTS_PAGEFAULT): delivered at once or queued, never refused. */
void ipc_send_on_behalf(struct proc *from, struct proc *dst,
	const message *m);
/* The same in two steps, without copying the message: the kernel builds
 * it (every field) where ipc_on_behalf_slot says, dst's delivery slot
 * when dst already waits for from (the page fault's usual case) or else
 * from's send slot, and sends it with ipc_on_behalf_send; nothing in
 * between may change dst's or from's state. */
message *ipc_on_behalf_slot(struct proc *from, struct proc *dst);
void ipc_on_behalf_send(struct proc *from, struct proc *dst, message *m);

/* p is blocked in a plain RECEIVE it entered with another process's
 * context (live update): if a queued sender or pending notification
 * matches it now, it takes it and becomes runnable, as if it had just
 * made the call. */
void ipc_rematch(struct proc *p);

/* Posts kernel events (NOTIFY_KERNEL_*) to dst as a notification. */
void ipc_notify_kernel(struct proc *dst, uint32_t bits);

/* A process leaves: it leaves every queue, and everybody waiting on it
 * gets EDEADSRCDST. */
void ipc_cancel(struct proc *p);

/* The copy of `len` bytes at user address `addr` into or out of the
 * current address space faulted: p waits (RTS_VMREQUEST) until VM has made
 * the range present and answered. Queued (memreq.c), and VM notified. */
void memreq_post(struct proc *p, vir_bytes addr, uint32_t len, int write);

#endif /* CAIRN_IPC_KERNEL_H */
