/*
 * IPC from user space: one kernel-entry primitive per mechanism, the
 * mechanism switch, and the IPC operations and kernel_call on top of it.
 *
 * crt0 calls ipc_init() before main, so programs start on the fastest
 * mechanism the kernel reports (SYS_INFO entry_best). Every operation
 * returns OK or a negative code from cairn/errno.h.
 */
#ifndef CAIRN_IPCLIB_H
#define CAIRN_IPCLIB_H

#include "cairn/ipc.h"

typedef int (*ipc_trap_fn)(int op, endpoint_t ep, message *m);

/* The primitives (lib/arch/i386/ipc_*.S): op in %eax, ep in %ebx, m in
 * %esi, the status back in %eax. Callable directly, e.g. by benchmarks
 * that compare mechanisms; ipc_trap_sysenter/_syscall fault (#UD) where
 * the CPU or the kernel lacks them: check ipc_sysinfo()->entry_mask. */
int ipc_trap_int(int op, endpoint_t ep, message *m);
int ipc_trap_sysenter(int op, endpoint_t ep, message *m);
int ipc_trap_syscall(int op, endpoint_t ep, message *m);

/* The primitive of the selected mechanism. Read it, don't assign it:
 * ipc_set_entry keeps it and ipc_entry() in step. */
extern ipc_trap_fn ipc_trap_current;

/* Asks the kernel (SYS_INFO, through int $0x80) what it offers and
 * selects entry_best. On error nothing changes: int $0x80 stays. */
int ipc_init(void);
/* Selects ENTRY_INT, ENTRY_SYSENTER or ENTRY_SYSCALL; EINVAL if the
 * kernel did not report it available (only ENTRY_INT before ipc_init). */
int ipc_set_entry(int entry);
int ipc_entry(void);
/* The SYS_INFO reply ipc_init got (all zero if it failed). cpu is where
 * the process ran at that moment. */
const struct sys_info *ipc_sysinfo(void);

/* The hot path: one indirect call straight to the primitive. */
static inline int ipc_send(endpoint_t ep, message *m)
{
	return ipc_trap_current(IPC_SEND, ep, m);
}

static inline int ipc_receive(endpoint_t src, message *m)
{
	return ipc_trap_current(IPC_RECEIVE, src, m);
}

static inline int ipc_sendrec(endpoint_t ep, message *m)
{
	return ipc_trap_current(IPC_SENDREC, ep, m);
}

static inline int ipc_notify(endpoint_t ep, message *m)
{
	return ipc_trap_current(IPC_NOTIFY, ep, m);
}

static inline int ipc_sendnb(endpoint_t ep, message *m)
{
	return ipc_trap_current(IPC_SENDNB, ep, m);
}

/* A server's reply to ep and its next receive, in one kernel entry: *m is
 * sent as by ipc_sendnb, then a message from anyone is received into *m.
 * If the reply cannot go, the call returns ipc_sendnb's error and has
 * received nothing (the caller receives on its own). */
static inline int ipc_replyrecv(endpoint_t ep, message *m)
{
	return ipc_trap_current(IPC_REPLYRECV, ep, m);
}

/* A kernel call: m->m_type = call (SYS_*), the payload in m->u; the kernel
 * writes its results back into the same member. %ebx carries KERNEL. */
static inline int kernel_call(int call, message *m)
{
	m->m_type = call;
	return ipc_trap_current(IPC_KERNCALL, KERNEL, m);
}

/* A kernel call and a receive from anyone into *m, in one kernel entry
 * (IPC_KERNCALL_RECV): for a call whose answer is only its status. If
 * the call fails, its error comes back and nothing was received (the
 * caller receives on its own); a receive from ANY into a good buffer
 * does not fail. */
static inline int kernel_call_recv(int call, message *m)
{
	m->m_type = call;
	return ipc_trap_current(IPC_KERNCALL_RECV, KERNEL, m);
}

#endif /* CAIRN_IPCLIB_H */
