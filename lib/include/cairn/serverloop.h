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
 * the receive; a second reply in the same request sends the first one at
 * once (ipc_sendnb), so replies keep their order. Replies never block: a
 * client that is not waiting for its answer loses it, with a complaint.
 */
#ifndef CAIRN_SERVERLOOP_H
#define CAIRN_SERVERLOOP_H

#include "cairn/ipc.h"

/* The first receive (from ANY). */
int server_receive(message *m);
/* Queues *reply for `to`, sending one queued before. */
void server_reply(endpoint_t to, const message *reply);
/* Sends the queued reply, if any, and receives the next message (from
 * ANY) into *m: the receive's status. */
int server_next(message *m);

#endif /* CAIRN_SERVERLOOP_H */
