/*
 * The two questions every send asks of its peer, shared by the general
 * IPC path (ipc.c) and the fast path (fastpath.c) so that both answer
 * them the same way.
 */
#ifndef CAIRN_IPC_PEER_H
#define CAIRN_IPC_PEER_H

#include "kernel/proc.h"

/* Do the rights pr allow IPC to endpoint to? */
static inline int priv_may_send(const struct priv *pr, endpoint_t to)
{
	if (pr->ipc_all)
		return 1;
	for (int i = 0; i < PRIV_MAX_TARGETS; i++)
		if (pr->ipc_to[i] == to)
			return 1;
	return 0;
}

/* May `from` send to `to` (its privilege's IPC targets)? */
static inline int ipc_may_send(const struct proc *from, const struct proc *to)
{
	return priv_may_send(&from->p_priv, to->p_endpoint);
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
