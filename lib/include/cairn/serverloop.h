/*
 * A server's loop on REPLYRECV: the reply to the request just served
 * and the wait for the next one go in one kernel entry.
 *
 *	message m;
 *	int r = server_receive(&m);
 *	for (;;) {
 *		if (r == OK)
 *			serve(&m);		// calls server_reply()
 *		r = server_next(&m);
 *	}
 *
 * server_reply() holds the reply back until server_next() sends it with
 * the receive (server_kcall() a kernel call the same way); a second reply in the same request sends the first one at
 * once (ipc_sendnb), so replies keep their order. Replies never block: a
 * client that is not waiting for its answer loses it, with a complaint.
 */
#ifndef CAIRN_SERVERLOOP_H
#define CAIRN_SERVERLOOP_H

#include <stdint.h>
#include "cairn/ipc.h"

/* The first receive (from ANY). */
int server_receive(message *m);
/* Queues *reply for `to`, sending one queued before. */
void server_reply(endpoint_t to, const message *reply);
/* What a failed queued kernel call makes the server do (call is the
 * message made, r the call's error): it may queue a reply. */
typedef void (*server_kcall_failed)(const message *call, int r);
/* Queues the kernel call `call` (SYS_*) whose payload is the len bytes
 * at payload (the start of the message's u, at most all of it) and
 * whose only answer is its status (VM's CLEAR_PAGEFAULT), in place of a
 * reply: made with the next receive in one kernel entry
 * (IPC_KERNCALL_RECV); anything queued before goes first. The rest of
 * the message is whatever the buffer held. If the call fails,
 * failed(call, r) runs then. */
void server_kcall(int call, const void *payload, uint32_t len,
	server_kcall_failed failed);
/* Sends the queued reply or makes the queued kernel call, if any, and
 * receives the next message (from ANY) into *m: the receive's status. */
int server_next(message *m);

#endif /* CAIRN_SERVERLOOP_H */
