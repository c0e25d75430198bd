/*
 * Replies to requesters, never blocking.
 */
#include <stdio.h>
#include "vm/reply.h"
#include "cairn/ipclib.h"

void reply_msg(endpoint_t ep, message *reply)
{
	int r;

	reply->m_type = reply->u.reply.status;
	r = ipc_sendnb(ep, reply);
	if (r != OK)
		printf("vm: reply to %d failed: %d\n", ep, r);
}

void reply_to(endpoint_t ep, int status, uint32_t value)
{
	message reply = { 0 };

	reply.u.reply.status = status;
	reply.u.reply.value[0] = value;
	reply_msg(ep, &reply);
}
