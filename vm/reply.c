/*
 * Replies to requesters, never blocking (see reply.h).
 */
#include <stdio.h>
#include "vm/reply.h"
#include "cairn/complain.h"
#include "cairn/ipclib.h"
#include "cairn/serverloop.h"

void reply_msg(endpoint_t to, message *reply)
{
	reply->m_type = reply->u.reply.status;
	server_reply(to, reply);
}

void reply_to(endpoint_t to, int status, uint32_t v0, uint32_t v1)
{
	message reply = { 0 };

	reply.u.reply.status = status;
	reply.u.reply.value[0] = v0;
	reply.u.reply.value[1] = v1;
	reply_msg(to, &reply);
}

int reply_unless_pm(const message *m)
{
	if (m->m_source == PM_ENDPOINT)
		return 1;
	complain("vm: request 0x%x from %d refused: only PM may make it\n",
		m->m_type, m->m_source);
	reply_to(m->m_source, EPERM, 0, 0);
	return 0;
}
