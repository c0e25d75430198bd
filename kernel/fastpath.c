/*
 * The IPC fast path: a call (SENDREC) or a server's reply-and-receive
 * (REPLYRECV) whose peer already waits for it on this CPU, at the same
 * priority, with nothing else to do on the way. In that case, and only
 * that one, the kernel
 *
 *   - checks the peer and the caller's right to send to it,
 *   - copies the message from the caller's buffer into the peer's
 *     delivery slot (one copy in; one copy out once the peer's space is
 *     loaded: the kernel never maps a foreign address space for this),
 *   - blocks the caller in its RECEIVE and puts the peer in its place at
 *     the head of the run queue, on the caller's remaining time slice
 *     (no queue is searched, nothing is enqueued or dequeued),
 *   - loads the peer and returns to it.
 *
 * Every test that fails returns to the caller of fastpath_*(), before
 * anything has changed, and the call takes the general path (ipc.c),
 * which handles every case, these included. The only state the fast
 * path may leave behind when it gives up is the content of a delivery
 * slot no one is waiting for (a message that faulted half-way in): the
 * general path copies it again.
 */
#include "kernel/fastpath.h"
#include "kernel/bkl.h"
#include "kernel/cpulocal.h"
#include "kernel/ipc.h"
#include "kernel/ipc_peer.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/switch.h"
#include "kernel/usercopy.h"

/* Is dst waiting for a message from caller, and may the two trade places
 * on this CPU's run queue without changing whom the scheduler favours? */
static inline int can_switch(const struct proc *caller, const struct proc *dst,
	vir_bytes msg)
{
	uint32_t q = caller->p_priority;

	return dst->p_rts_flags == RTS_RECEIVING &&
		!(dst->p_misc_flags & (MF_DELIVERMSG | MF_RESTART)) &&
		(dst->p_getfrom_e == ANY ||
		 dst->p_getfrom_e == caller->p_endpoint) &&
		dst->p_cpu == cpu_self() && dst->p_priority == q &&
		get_cpulocal_var(run_q_head)[q] == caller &&
		user_range(msg, sizeof(message)) &&
		ipc_may_send(caller, dst);
}

/* Caller has blocked (its run state set); dst gets the message it waited
 * for, caller's place in the run queue and the rest of its time slice,
 * and runs. */
static inline void __attribute__((noreturn)) switch_to(struct proc *caller,
	struct proc *dst)
{
	uint32_t q = caller->p_priority;

	dst->p_delivermsg.m_source = caller->p_endpoint;
	dst->p_misc_flags &= ~MF_SENDREC;
	dst->p_getfrom_e = NONE;
	dst->p_reg.eax = OK;
	dst->p_rts_flags = 0;

	dst->p_nextready = caller->p_nextready;
	caller->p_nextready = 0;
	get_cpulocal_var(run_q_head)[q] = dst;
	if (get_cpulocal_var(run_q_tail)[q] == caller)
		get_cpulocal_var(run_q_tail)[q] = dst;
	dst->p_ticks_left = caller->p_ticks_left;

	switch_load(dst);
	if (__builtin_expect(copy_msg((void *)dst->p_recvbuf,
			&dst->p_delivermsg) != 0, 0)) {
		/* Its buffer is not present: VM first (ipc_resume). */
		dst->p_misc_flags |= MF_DELIVERMSG;
		switch_to_user();
	}
	switch_run(dst);
}

/* SENDREC to dst, or (replyrecv) REPLYRECV's reply to dst followed by a
 * RECEIVE from ANY; returns if the fast path does not apply. */
void fastpath(struct proc *caller, endpoint_t ep, vir_bytes msg,
	int replyrecv)
{
	struct proc *dst = proc_from_endpoint(ep);

	/* REPLYRECV's RECEIVE must block: nothing queued or pending. */
	if (replyrecv && (caller->p_caller_q || caller->p_kernel_pending ||
			  caller->p_notify_summary))
		return;
	if (!dst || dst == caller || !can_switch(caller, dst, msg))
		return;
	if (copy_msg(&dst->p_delivermsg, (const void *)msg) != 0)
		return;
	caller->p_recvbuf = msg;
	if (replyrecv) {
		caller->p_getfrom_e = ANY;
	} else {	/* blocked in the RECEIVE half, for dst's answer */
		caller->p_getfrom_e = ep;
		caller->p_misc_flags |= MF_SENDREC;
	}
	caller->p_rts_flags = RTS_RECEIVING;
	switch_to(caller, dst);
}

void kernel_ipc_entry(struct proc *p, int op, endpoint_t ep, vir_bytes msg,
	uint32_t entry)
{
	ipc_enter(p, op, ep, msg, entry);
}
