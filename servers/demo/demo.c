/*
 * The demo service: a small table and a count of requests served that
 * survive its own restarts. Its state lives in DS ("<label>.state", a
 * memory range) and is written there before each answer that changes
 * it, so a new instance started by RS after a crash carries on where the
 * old one stopped. DEMO_CRASH makes it die in the ways RS must survive:
 * a fault, an invalid opcode, panic(), or silence (no heartbeat answer).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cairn/dslib.h"
#include "cairn/ipclib.h"
#include "cairn/rslib.h"
#include "cairn/serverloop.h"

#ifndef DEMO_VERSION_NUMBER
#define DEMO_VERSION_NUMBER	1
#endif

struct demo_state {
	uint32_t slot[DEMO_SLOTS];
	uint32_t served;
};

static struct demo_state state;
static char key[DS_NAME_LEN];

static void reply(endpoint_t to, int status, uint32_t v0)
{
	message m = { 0 };

	m.m_type = status;
	m.u.reply.status = status;
	m.u.reply.value[0] = v0;
	server_reply(to, &m);
}

static int save(void)
{
	return ds_publish_mem(key, &state, sizeof state, DSF_OVERWRITE);
}

static void __attribute__((noreturn)) crash(uint32_t how)
{
	message m;

	switch (how) {
	case DEMO_CRASH_FAULT:
		*(volatile uint32_t *)0 = 1;
		break;
	case DEMO_CRASH_UD:
		__asm__ volatile("ud2");
		break;
	case DEMO_CRASH_PANIC:
		panic("demo: asked to panic");
	default:
		break;
	}
	/* DEMO_CRASH_HANG: blocked for good, deaf to RS's pings. */
	for (;;)
		ipc_receive(VM_ENDPOINT, &m);
}

int main(int argc, char **argv)
{
	const char *label = argc > 0 ? argv[0] : "demo";	/* its label */
	endpoint_t ds;
	size_t len = sizeof state;
	message m;
	int r;

	snprintf(key, sizeof key, "%s.state", label);
#ifdef DEMO_BROKEN
	panic("demo: version %d is broken", DEMO_VERSION_NUMBER);
#endif
	if ((r = rs_find("ds", &ds, 100)) != OK)
		panic("demo: no data store (%d)", r);
	ds_use(ds);
	r = ds_retrieve_mem(key, &state, &len);
	if (r == OK && len == sizeof state)
		printf("demo: %s: version %d, state restored, %u served\n",
			label, DEMO_VERSION_NUMBER, state.served);
	else
		memset(&state, 0, sizeof state);
	rs_ready();
	for (r = server_receive(&m);; r = server_next(&m)) {
		uint32_t i = m.u.w[0];

		if (r != OK || rs_heartbeat(&m) ||
		    m.m_type == NOTIFY_MESSAGE)
			continue;
		switch (m.m_type) {
		case RS_PREPARE:	/* a live update: state out, then wait */
			if (m.m_source != RS_ENDPOINT) {
				reply(m.m_source, EPERM, 0);
				break;
			}
			save();
			rs_quiescent();	/* back only if it was rolled back */
			break;
		case DEMO_VERSION:
			reply(m.m_source, OK, DEMO_VERSION_NUMBER);
			break;
		case DEMO_PUT:
			if (i >= DEMO_SLOTS) {
				reply(m.m_source, EINVAL, 0);
				break;
			}
			state.slot[i] = m.u.w[1];
			state.served++;
			reply(m.m_source, save(), 0);
			break;
		case DEMO_GET:
			if (i >= DEMO_SLOTS) {
				reply(m.m_source, EINVAL, 0);
				break;
			}
			state.served++;
			reply(m.m_source, save(), state.slot[i]);
			break;
		case DEMO_SERVED:
			reply(m.m_source, OK, state.served);
			break;
		case DEMO_CRASH:
			crash(i);
		default:
			reply(m.m_source, EINVAL, 0);
			break;
		}
	}
}
