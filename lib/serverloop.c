/*
 * A server's loop on REPLYRECV (cairn/serverloop.h).
 */
#include "cairn/serverloop.h"
#include "cairn/complain.h"
#include "cairn/ipclib.h"

static message queued;
static endpoint_t queued_to;
static int have_queued;

int server_receive(message *m)
{
	return ipc_receive(ANY, m);
}

static void sent(endpoint_t to, int r)
{
	if (r != OK)
		complain("reply to %d failed: %d\n", to, r);
}

void server_reply(endpoint_t to, const message *reply)
{
	if (have_queued)
		sent(queued_to, ipc_sendnb(queued_to, &queued));
	queued = *reply;
	queued_to = to;
	have_queued = 1;
}

int server_next(message *m)
{
	int r;

	if (!have_queued)
		return ipc_receive(ANY, m);
	have_queued = 0;
	*m = queued;
	/* Only a reply that did not go fails the call: then nothing was
	 * received yet. */
	if ((r = ipc_replyrecv(queued_to, m)) == OK)
		return OK;
	sent(queued_to, r);
	return ipc_receive(ANY, m);
}
