/*
 * The IPC fast path: a call (SENDREC) or a server's reply-and-receive
 * (REPLYRECV) whose peer already waits for it on this CPU and would be
 * the scheduler's next choice anyway, with nothing else to do on the way.
 * In that case, and only that one, the kernel
 *
 *   - checks the peer and the caller's right to send to it,
 *   - copies the message from the caller's buffer into the peer's
 *     delivery slot (one copy in; one copy out once the peer's space is
 *     loaded: the kernel never maps a foreign address space for this),
 *   - blocks the caller in its RECEIVE and puts the peer first in its
 *     run queue: at the same priority in the caller's place and on the
 *     caller's remaining time slice; at another priority (a client and
 *     VM or PM) the caller leaves the head of its queue and the peer
 *     keeps its own slice (no queue is searched either way),
 *   - loads the peer and returns to it.
 *
 * Every test that fails returns to the caller of fastpath(), before
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

/* Would dst be this CPU's choice once caller, the head of its queue,
 * blocks and dst goes first in its own? The same priority always; a
 * higher one (a server: VM, PM) always; a lower one (a client answered by
 * its server) when nothing else of a higher priority is ready. */
static inline int would_pick(const struct proc *caller, const struct proc *dst)
{
	uint32_t qc = caller->p_priority, qd = dst->p_priority;
	uint32_t bits = get_cpulocal_var(run_q_bits);

	if (get_cpulocal_var(run_q_head)[qc] != caller)
		return 0;
	if (qd == qc)
		return 1;
	if (!caller->p_nextready)
		bits &= ~(1u << qc);
	return (bits & ((1u << qd) - 1)) == 0;
}

/* Is dst waiting for a message from caller, and would the scheduler run
 * it next once caller blocks? */
static inline int can_switch(const struct proc *caller, const struct proc *dst,
	vir_bytes msg)
{
	return dst->p_cpu == cpu_self() && dst->p_rts_flags == RTS_RECEIVING &&
		!(dst->p_misc_flags & (MF_DELIVERMSG | MF_RESTART)) &&
		(dst->p_getfrom_e == ANY ||
		 dst->p_getfrom_e == caller->p_endpoint) &&
		would_pick(caller, dst) &&
		user_range(msg, sizeof(message)) &&
		ipc_may_send(caller, dst);
}

/* Caller has blocked (its run state set); dst gets the message it waited
 * for and goes first in its queue: at the same priority it takes caller's
 * place and the rest of its time slice, at another one caller leaves the
 * head of its queue and dst keeps its own slice. Then dst runs. */
static inline void __attribute__((noreturn)) switch_to(struct proc *caller,
	struct proc *dst)
{
	uint32_t qc = caller->p_priority, qd = dst->p_priority;
	struct proc *next = caller->p_nextready;

	dst->p_delivermsg.m_source = caller->p_endpoint;
	dst->p_misc_flags &= ~MF_SENDREC;
	dst->p_getfrom_e = NONE;
	dst->p_reg.eax = OK;
	dst->p_rts_flags = 0;

	caller->p_nextready = 0;
	if (qd == qc) {
		dst->p_nextready = next;
		get_cpulocal_var(run_q_head)[qc] = dst;
		if (get_cpulocal_var(run_q_tail)[qc] == caller)
			get_cpulocal_var(run_q_tail)[qc] = dst;
		dst->p_ticks_left = caller->p_ticks_left;
	} else {
		/* sched_dequeue(caller) and sched_enqueue_first(dst), for
		 * this CPU and a caller at its queue's head. Inline, about 60
		 * instructions less a switch than the two calls
		 * (vm.mmap_munmap, four switches: 3443 against 3679). */
		if (!(get_cpulocal_var(run_q_head)[qc] = next))
			get_cpulocal_var(run_q_bits) &= ~(1u << qc);
		if (!(dst->p_nextready = get_cpulocal_var(run_q_head)[qd]))
			get_cpulocal_var(run_q_tail)[qd] = dst;
		get_cpulocal_var(run_q_head)[qd] = dst;
		get_cpulocal_var(run_q_bits) |= 1u << qd;
	}

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
	if (copy_msg(&dst->p_delivermsg, (const void *)msg) != 0 ||
	    dst->p_delivermsg.m_type == NOTIFY_MESSAGE)
		return;		/* the general path says why */
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
