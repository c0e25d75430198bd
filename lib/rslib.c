/* The reincarnation server's client side (cairn/rslib.h). */
#include <string.h>
#include "cairn/rslib.h"
#include "cairn/ipclib.h"
#include "cairn/syslib.h"

/* A request of type to RS, answered: the IPC error or RS's status. */
static int rs_call(message *m, int type)
{
	int r;

	m->m_type = type;
	r = ipc_sendrec(RS_ENDPOINT, m);
	return r == OK ? m->u.reply.status : r;
}

int rs_lookup(const char *label, endpoint_t *ep)
{
	message m = { 0 };
	int r;

	if (strlen(label) >= RS_LABEL_LEN)
		return E2BIG;
	strlcpy(m.u.rs.label, label, RS_LABEL_LEN);
	r = rs_call(&m, RS_LOOKUP);
	if (r == OK)
		*ep = (endpoint_t)m.u.reply.value[0];
	return r;
}

int rs_find(const char *label, endpoint_t *ep, int tries)
{
	int r = EAGAIN;

	for (int i = 0; i < tries && r == EAGAIN; i++) {
		r = rs_lookup(label, ep);
		if (r == EAGAIN)
			sys_sleep(10);
	}
	return r;
}

int rs_wait_booted(void)
{
	int r = EAGAIN;

	for (int i = 0; i < 500 && r == EAGAIN; i++) {
		message m = { 0 };

		r = rs_call(&m, RS_BOOTED);
		if (r == EAGAIN)
			sys_sleep(10);
	}
	return r;
}

int rs_ready(void)
{
	message m = { 0 };

	return rs_call(&m, RS_READY);
}

int rs_quiescent(void)
{
	message m = { 0 };

	return rs_call(&m, RS_QUIESCENT);
}

int rs_heartbeat(const message *m)
{
	message pong = { 0 };

	if (m->m_type != NOTIFY_MESSAGE || m->m_source != RS_ENDPOINT)
		return 0;
	ipc_notify(RS_ENDPOINT, &pong);
	return 1;
}
