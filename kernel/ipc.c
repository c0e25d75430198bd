/*
 * SEND, RECEIVE, SENDREC, NOTIFY and SENDNB. A message is copied into the
 * kernel when it is sent (the sender's address space is loaded then) and
 * out to the receiver when the receiver next runs (its space is loaded
 * then): no window onto a foreign address space is ever needed for
 * messages. Both copies may fault; VM then makes the page present and the
 * step is retried (memory requests).
 */
#include "kernel/ipc.h"
#include "kernel/ipc_peer.h"
#include "kernel/memreq.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/system.h"
#include "kernel/usercopy.h"
#include "kernel/arch.h"

/* --- memory requests -------------------------------------------------------- */

void memreq_post(struct proc *p, vir_bytes addr, uint32_t len, int write)
{
	memreq_queue(p, addr, len, write);
	ipc_notify_kernel(proc_addr(VM_PROC_NR), NOTIFY_KERNEL_MEMREQ);
}

/* --- helpers ------------------------------------------------------------------ */

/* Why e names no live peer: EBADSRCDST for the special endpoints,
 * EBADEPT for what can never be an endpoint, EDEADSRCDST for one whose
 * process is gone or going. */
static int __attribute__((noinline)) peer_error(endpoint_t e)
{
	if (e == ANY || e == NONE || e == SELF || e == KERNEL)
		return EBADSRCDST;
	if (e <= 0 || endpoint_slot(e) >= NR_PROCS || endpoint_gen(e) == 0)
		return EBADEPT;
	return EDEADSRCDST;
}

/* Resolves a peer for SEND/RECEIVE/NOTIFY. */
static inline int peer(endpoint_t e, struct proc **out)
{
	struct proc *p = proc_from_endpoint(e);

	if (__builtin_expect(!p || (p->p_rts_flags & RTS_DYING), 0))
		return peer_error(e);
	*out = p;
	return OK;
}

/* May a notification go straight to dst? Not in the RECEIVE half of a
 * SENDREC: that call waits for the peer's reply, and a notification
 * taken as the reply would lose the real one. It stays pending. */
static int waiting_for_notify(const struct proc *dst, endpoint_t src)
{
	return ipc_waiting_for(dst, src) && !(dst->p_misc_flags & MF_SENDREC);
}

/* A blocked receiver whose delivery slot was just filled: it wakes up,
 * and the message is copied in when it runs. One that waited for the
 * answer to its SENDREC (a client whose server has replied) goes first
 * in its queue, with the rest of its time slice: a CPU-bound process
 * beside it must not make every request cost a time slice. */
static void hand_over(struct proc *dst)
{
	uint32_t answer = dst->p_misc_flags & MF_SENDREC;

	dst->p_misc_flags = (dst->p_misc_flags | MF_DELIVERMSG) & ~MF_SENDREC;
	dst->p_getfrom_e = NONE;
	dst->p_reg.eax = OK;
	if (answer)
		proc_rts_unset_first(dst, RTS_RECEIVING);
	else
		proc_rts_unset(dst, RTS_RECEIVING);
}

/* Would blocking on `start` close a cycle of processes each waiting for
 * the next, back to caller? */
static int would_deadlock(const struct proc *caller, struct proc *start)
{
	struct proc *xp = start;

	for (int hops = 0; xp && hops < NR_PROCS; hops++) {
		endpoint_t next;

		if (xp->p_rts_flags & RTS_SENDING)
			next = xp->p_sendto_e;
		else if ((xp->p_rts_flags & RTS_RECEIVING) &&
			 xp->p_getfrom_e != ANY && xp->p_getfrom_e != KERNEL)
			next = xp->p_getfrom_e;
		else
			return 0;
		if (next == caller->p_endpoint)
			return 1;
		xp = proc_from_endpoint(next);
	}
	return 0;
}

static void queue_sender(struct proc *dst, struct proc *sender)
{
	struct proc **pp = &dst->p_caller_q;

	while (*pp)
		pp = &(*pp)->p_q_link;
	*pp = sender;
	sender->p_q_link = 0;
}

static inline __attribute__((always_inline)) void unqueue_sender(struct proc *dst, struct proc *sender)
{
	for (struct proc **pp = &dst->p_caller_q; *pp; pp = &(*pp)->p_q_link)
		if (*pp == sender) {
			*pp = sender->p_q_link;
			sender->p_q_link = 0;
			return;
		}
}

static void set_notify(struct proc *p, int slot)
{
	p->p_notify_pending[slot / 32] |= 1u << (slot % 32);
	p->p_notify_summary |= 1u << (slot / 32);
}

static void clear_notify(struct proc *p, int slot)
{
	uint32_t *word = &p->p_notify_pending[slot / 32];

	*word &= ~(1u << (slot % 32));
	if (!*word)
		p->p_notify_summary &= ~(1u << (slot / 32));
}

static void notify_message(message *m, endpoint_t from, uint32_t pending)
{
	m->m_source = from;
	m->m_type = NOTIFY_MESSAGE;
	for (unsigned i = 0; i < 14; i++)
		m->u.w[i] = 0;
	m->u.notify.pending = pending;
	m->u.notify.timestamp = (uint32_t)rdtsc();
}

/* A queued sender's message was taken by `receiver`. */
static inline __attribute__((always_inline)) void sender_done(struct proc *s, const struct proc *receiver)
{
	s->p_sendto_e = NONE;
	if (s->p_misc_flags & MF_KSEND) {
		/* Sent by the kernel on its behalf: s stays blocked for the
		 * reason the kernel gave (a page fault, dying). */
		s->p_misc_flags &= ~MF_KSEND;
		proc_rts_unset(s, RTS_SENDING);
	} else if (s->p_misc_flags & MF_SENDREC) {
		s->p_getfrom_e = receiver->p_endpoint;
		s->p_rts_flags = (s->p_rts_flags & ~RTS_SENDING) |
			RTS_RECEIVING;	/* blocked either way: no requeue */
	} else {
		s->p_reg.eax = OK;
		proc_rts_unset(s, RTS_SENDING);
	}
}

/* --- the operations ---------------------------------------------------------- */

/* Takes a pending kernel event or notification for a RECEIVE from src_e
 * (src its process, or NULL for ANY/KERNEL) into the delivery slot:
 * 1 if there was one. */
static inline __attribute__((always_inline)) int take_pending(struct proc *caller, endpoint_t src_e,
	const struct proc *src)
{
	message *m = &caller->p_delivermsg;

	if ((src_e == ANY || src_e == KERNEL) && caller->p_kernel_pending) {
		notify_message(m, KERNEL, caller->p_kernel_pending);
		caller->p_kernel_pending = 0;
		caller->p_misc_flags |= MF_DELIVERMSG;
		return 1;
	}
	for (uint32_t sum = src_e == KERNEL ? 0 : caller->p_notify_summary;
	     sum; sum &= sum - 1) {
		int w = __builtin_ctz(sum);
		uint32_t bits = caller->p_notify_pending[w];

		if (src)
			bits &= (src->p_nr / 32 == w) ? 1u << (src->p_nr % 32) : 0;
		if (!bits)
			continue;
		int slot = w * 32 + __builtin_ctz(bits);
		clear_notify(caller, slot);
		notify_message(m, proc_addr(slot)->p_endpoint, 0);
		caller->p_misc_flags |= MF_DELIVERMSG;
		return 1;
	}
	return 0;
}

/* A RECEIVE, or (sendrec) the RECEIVE half of a SENDREC, which takes
 * only a message from the peer: pending notifications wait for the next
 * RECEIVE, or the reply would be lost behind one. */
static int do_receive(struct proc *caller, endpoint_t src_e, int sendrec)
{
	message *m = &caller->p_delivermsg;
	struct proc *src = 0;

	if (src_e != ANY && src_e != KERNEL) {
		int r = peer(src_e, &src);
		if (r != OK)
			return r;
	}
	if (!user_range(caller->p_recvbuf, sizeof(message)))
		return EFAULT;

	if (!sendrec && take_pending(caller, src_e, src))
		return OK;
	for (struct proc *s = caller->p_caller_q; s && src_e != KERNEL;
	     s = s->p_q_link) {
		if (src && s != src)
			continue;
		unqueue_sender(caller, s);
		*m = s->p_sendmsg;
		caller->p_misc_flags |= MF_DELIVERMSG;
		sender_done(s, caller);
		return OK;
	}
	if (src && would_deadlock(caller, src))
		return ELOCKED;
	caller->p_getfrom_e = src_e;
	proc_rts_set(caller, RTS_RECEIVING);
	return EDONTREPLY;
}

/* Copies the caller's message in; a fault becomes a memory request and
 * the whole call is redone once VM has answered. A message of type
 * NOTIFY_MESSAGE is refused (EINVAL): that type is the kernel's, so a
 * receiver can trust it is a notification. */
static inline __attribute__((always_inline)) int message_in(struct proc *caller,
	vir_bytes msg, message *to)
{
	if (!user_range(msg, sizeof(message)))
		return EFAULT;
	uint32_t r = copy_msg(to, (const void *)msg);
	if (r == 0)
		return __builtin_expect(to->m_type == NOTIFY_MESSAGE, 0) ?
			EINVAL : OK;
	caller->p_misc_flags |= MF_RESTART;
	memreq_post(caller, msg, sizeof(message), 0);
	return EDONTREPLY;
}

/* A receiver waiting for it gets the message copied straight from the
 * sender's buffer into its delivery slot; otherwise the sender keeps a
 * copy in the kernel and waits in the receiver's queue. */
static int do_send(struct proc *caller, endpoint_t dst_e, int op,
	vir_bytes msg)
{
	struct proc *dst = 0;
	int r = peer(dst_e, &dst);

	if (r != OK)
		return r;
	if (dst == caller)
		return ELOCKED;
	if (!ipc_may_send(caller, dst))
		return ECALLDENIED;

	if (ipc_waiting_for(dst, caller->p_endpoint)) {
		if ((r = message_in(caller, msg, &dst->p_delivermsg)) != OK)
			return r;
		dst->p_delivermsg.m_source = caller->p_endpoint;
		hand_over(dst);
		if (op != IPC_SENDREC)
			return OK;
		/* Blocked in the RECEIVE half: say so, as the queued path
		 * does (SYS_FORK relies on it). */
		r = do_receive(caller, dst_e, 1);
		if (r == EDONTREPLY)
			caller->p_misc_flags |= MF_SENDREC;
		return r;
	}
	if (op == IPC_SENDNB)
		return ENOTREADY;
	if (would_deadlock(caller, dst))
		return ELOCKED;
	if ((r = message_in(caller, msg, &caller->p_sendmsg)) != OK)
		return r;
	caller->p_sendmsg.m_source = caller->p_endpoint;
	caller->p_sendto_e = dst_e;
	if (op == IPC_SENDREC)
		caller->p_misc_flags |= MF_SENDREC;
	proc_rts_set(caller, RTS_SENDING);
	queue_sender(dst, caller);
	return EDONTREPLY;
}

static int do_notify(struct proc *caller, endpoint_t dst_e)
{
	struct proc *dst = 0;
	int r = peer(dst_e, &dst);

	if (r != OK)
		return r;
	if (!ipc_may_send(caller, dst))
		return ECALLDENIED;
	if (waiting_for_notify(dst, caller->p_endpoint)) {
		/* Made in place: dst's delivery slot is free. */
		notify_message(&dst->p_delivermsg, caller->p_endpoint, 0);
		hand_over(dst);
	} else {
		set_notify(dst, caller->p_nr);
	}
	return OK;
}

int ipc_op_send(struct proc *caller, int op, endpoint_t ep, vir_bytes msg)
{
	caller->p_recvbuf = msg;
	return do_send(caller, ep, op, msg);
}

int ipc_op_receive(struct proc *caller, endpoint_t ep, vir_bytes msg)
{
	caller->p_recvbuf = msg;
	return do_receive(caller, ep, 0);
}

/* The reply of a server and its next RECEIVE (from ANY) in one call: the
 * reply goes as SENDNB does, and only once it is delivered does the
 * RECEIVE start. A reply that cannot go (the client died, or does not
 * wait) ends the call with SENDNB's error and nothing received. */
int ipc_op_replyrecv(struct proc *caller, endpoint_t ep, vir_bytes msg)
{
	int r;

	caller->p_recvbuf = msg;
	if ((r = do_send(caller, ep, IPC_SENDNB, msg)) != OK)
		return r;
	return do_receive(caller, ANY, 0);
}

int ipc_op_notify(struct proc *caller, endpoint_t ep)
{
	return do_notify(caller, ep);
}

int ipc_op_kernel_call(struct proc *caller, vir_bytes msg)
{
	int r = message_in(caller, msg, &caller->p_sendmsg);

	if (r != OK)
		return r;
	caller->p_recvbuf = msg;
	return kernel_call(caller);
}

int ipc_op_kernel_call_recv(struct proc *caller, vir_bytes msg)
{
	int r = ipc_op_kernel_call(caller, msg);

	/* EDONTREPLY too: the call blocked the caller, and its restart
	 * (MF_RESTART) runs this operation again, receive included. */
	if (r != OK || (caller->p_rts_flags & (RTS_SLOT_FREE | RTS_DYING)))
		return r;
	caller->p_misc_flags &= ~MF_DELIVERMSG;
	return do_receive(caller, ANY, 0);
}

int ipc_resume(struct proc *p)
{
	if (p->p_memreq.result != OK) {
		/* VM could not make the range present: the call fails. */
		p->p_memreq.result = OK;
		p->p_misc_flags &= ~(MF_RESTART | MF_DELIVERMSG);
		p->p_reg.eax = EFAULT;
		return 1;
	}
	if (p->p_misc_flags & MF_RESTART) {
		p->p_misc_flags &= ~MF_RESTART;
		int r = ipc_call(p, p->p_reg.eax, p->p_reg.ebx, p->p_reg.esi);
		if (r == EDONTREPLY)
			return 0;
		p->p_reg.eax = r;
	}
	if (p->p_misc_flags & MF_DELIVERMSG) {
		if (!user_range(p->p_recvbuf, sizeof(message))) {
			p->p_reg.eax = EFAULT;	/* the message is lost */
		} else if (copy_msg((void *)p->p_recvbuf, &p->p_delivermsg)) {
			memreq_post(p, p->p_recvbuf, sizeof(message), 1);
			return 0;
		}
		p->p_misc_flags &= ~MF_DELIVERMSG;
	}
	return 1;
}

message *ipc_on_behalf_slot(struct proc *from, struct proc *dst)
{
	return ipc_waiting_for(dst, from->p_endpoint) ? &dst->p_delivermsg
						      : &from->p_sendmsg;
}

void ipc_on_behalf_send(struct proc *from, struct proc *dst, message *m)
{
	m->m_source = from->p_endpoint;
	if (m == &dst->p_delivermsg) {
		hand_over(dst);
		return;
	}
	from->p_misc_flags |= MF_KSEND;
	from->p_sendto_e = dst->p_endpoint;
	proc_rts_set(from, RTS_SENDING);
	queue_sender(dst, from);
}

void ipc_send_on_behalf(struct proc *from, struct proc *dst, const message *m)
{
	message *slot = ipc_on_behalf_slot(from, dst);

	*slot = *m;
	ipc_on_behalf_send(from, dst, slot);
}

void ipc_notify_kernel(struct proc *dst, uint32_t bits)
{
	dst->p_kernel_pending |= bits;
	if (waiting_for_notify(dst, KERNEL)) {
		notify_message(&dst->p_delivermsg, KERNEL,
			dst->p_kernel_pending);
		dst->p_kernel_pending = 0;
		hand_over(dst);
	}
}

void ipc_rematch(struct proc *p)
{
	struct proc *src = 0;
	endpoint_t src_e = p->p_getfrom_e;
	int got = 0;

	if (p->p_rts_flags != RTS_RECEIVING || (p->p_misc_flags & MF_SENDREC))
		return;
	if (src_e != ANY && src_e != KERNEL && peer(src_e, &src) != OK)
		return;
	got = take_pending(p, src_e, src);
	for (struct proc *s = p->p_caller_q; !got && s && src_e != KERNEL;
	     s = s->p_q_link) {
		if (src && s != src)
			continue;
		unqueue_sender(p, s);
		p->p_delivermsg = s->p_sendmsg;
		p->p_misc_flags |= MF_DELIVERMSG;
		sender_done(s, p);
		got = 1;
	}
	if (!got)
		return;
	p->p_getfrom_e = NONE;
	p->p_reg.eax = OK;
	proc_rts_unset(p, RTS_RECEIVING);
}

void ipc_cancel(struct proc *p)
{
	if (p->p_rts_flags & RTS_SENDING) {
		struct proc *dst = proc_from_endpoint(p->p_sendto_e);
		if (dst)
			unqueue_sender(dst, p);
	}
	memreq_forget(p);
	while (p->p_caller_q) {
		struct proc *s = p->p_caller_q;
		p->p_caller_q = s->p_q_link;
		s->p_q_link = 0;
		s->p_misc_flags &= ~(MF_SENDREC | MF_KSEND);
		s->p_reg.eax = EDEADSRCDST;
		proc_rts_unset(s, RTS_SENDING);
	}
	for (int i = 0; i < NR_PROCS; i++) {
		struct proc *x = proc_addr(i);

		clear_notify(x, p->p_nr);
		if ((x->p_rts_flags & RTS_RECEIVING) &&
		    x->p_getfrom_e == p->p_endpoint) {
			x->p_misc_flags &= ~MF_SENDREC;
			x->p_reg.eax = EDEADSRCDST;
			proc_rts_unset(x, RTS_RECEIVING);
		}
	}
}
