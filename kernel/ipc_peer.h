/*
 * The two questions every send asks of its peer, shared by the general
 * IPC path (ipc.c) and the fast path (fastpath.c) so that both answer
 * them the same way.
 */
#ifndef CAIRN_IPC_PEER_H
#define CAIRN_IPC_PEER_H

#include "kernel/proc.h"

/* May `from` send to `to` (its privilege's IPC targets)? */
static inline int ipc_may_send(const struct proc *from, const struct proc *to)
{
	if (from->p_priv.ipc_all)
		return 1;
	for (int i = 0; i < PRIV_MAX_TARGETS; i++)
		if (from->p_priv.ipc_to[i] == to->p_endpoint)
			return 1;
	return 0;
}

/* Is dst blocked in RECEIVE for a message from src, with room for it? */
static inline int ipc_waiting_for(const struct proc *dst, endpoint_t src)
{
	return (dst->p_rts_flags & RTS_RECEIVING) &&
		!(dst->p_rts_flags & RTS_SENDING) &&
		!(dst->p_misc_flags & MF_DELIVERMSG) &&
		(dst->p_getfrom_e == ANY || dst->p_getfrom_e == src);
}

#endif /* CAIRN_IPC_PEER_H */
