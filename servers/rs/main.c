/*
 * The reincarnation server: starts the system services its policy
 * (system.conf in the system image) names, is their signal manager, and
 * restarts them when they die (service.c). VM starts RS from the system
 * image right after PM; a policy that does not parse stops the boot.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "servers/rs/rs.h"
#include "cairn/complain.h"
#include "cairn/ipclib.h"
#include "cairn/serverloop.h"
#include "cairn/syslib.h"

#define POLICY_FILE	"system.conf"
#define POLICY_MAX	4096

static struct policy policy;

int rs_ask_vm(message *m)
{
	int r = ipc_sendrec(VM_ENDPOINT, m);

	return r == OK ? m->u.reply.status : r;
}

void rs_answer(endpoint_t to, int status)
{
	message m = { 0 };

	m.m_type = status;
	m.u.reply.status = status;
	ipc_sendnb(to, &m);
}

static void reply(endpoint_t to, int status, uint32_t v0, uint32_t v1,
	uint32_t v2)
{
	message m = { 0 };

	m.m_type = status;
	m.u.reply.status = status;
	m.u.reply.value[0] = v0;
	m.u.reply.value[1] = v1;
	m.u.reply.value[2] = v2;
	server_reply(to, &m);
}

/* A policy RS cannot follow ends the boot: said on the console (file and
 * line), then the boot's end with a failure (panic if that is refused). */
static void __attribute__((noreturn)) stop_boot(const char *fmt, ...);

/* Reads and parses the policy; any fault ends the boot, named. */
static void load_policy(void)
{
	static char text[POLICY_MAX];
	message m = { 0 };
	char why[96];
	int r, line;

	m.m_type = VM_BOOTFILE;
	strlcpy(m.u.vm_bootfile.name, POLICY_FILE, VM_BOOTFILE_NAME_LEN);
	m.u.vm_bootfile.buf = (vir_bytes)text;
	m.u.vm_bootfile.len = sizeof text;
	r = rs_ask_vm(&m);
	if (r != OK)
		stop_boot("rs: %s: cannot read it from the system image (%d)",
			POLICY_FILE, r);
	if (m.u.reply.value[0] > sizeof text)
		stop_boot("rs: %s: larger than %u bytes", POLICY_FILE,
			(unsigned)sizeof text);
	if (policy_parse(text, m.u.reply.value[0], &policy, &line, why,
			sizeof why) != OK)
		stop_boot("rs: %s:%d: %s", POLICY_FILE, line, why);
	printf("rs: %s: %d service(s)\n", POLICY_FILE, policy.count);
}

static void stop_boot(const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	printf("%s\nrs: the boot stops here\n", msg);
	sys_shutdown(0, 1);
	panic("%s", msg);
}

/* The kernel stopped services of ours. */
static void take_stops(void)
{
	endpoint_t ep;
	int status, r;
	uint32_t how;

	while ((r = sys_getksig(&ep, &status, &how)) == OK)
		svc_stopped(ep, how, status);
	if (r != ESRCH)
		printf("rs: SYS_GETKSIG: %d\n", r);
}

/* Exits VM queued for us (a service whose manager was gone, or that
 * sent VM_EXIT itself): VM has ended them already. */
static void take_exits(void)
{
	for (;;) {
		message m = { 0 };
		struct service *s;
		int r;

		m.m_type = VM_GETEXIT;
		if ((r = rs_ask_vm(&m)) != OK)
			break;
		s = svc_by_ep((endpoint_t)m.u.reply.value[0]);
		if (s != NULL)
			svc_stopped(s->ep, KSIG_EXIT,
				(int)m.u.reply.value[1]);
	}
}

static void request(const message *m)
{
	struct service *s;
	char label[RS_LABEL_LEN];

	switch (m->m_type) {
	case RS_UPDATE:
		upd_request(m);
		return;
	case RS_QUIESCENT:
		s = svc_by_ep(m->m_source);
		if (s == NULL || !upd_quiescent(s, m->m_source))
			reply(m->m_source, EINVAL, 0, 0, 0);
		return;		/* else answered when the update ends */
	case RS_READY:
		s = svc_by_ep(m->m_source);
		if (s != NULL && upd_ready(s, m->m_source))
			return;
		if (s == NULL || s->ep != m->m_source) {
			reply(m->m_source, EPERM, 0, 0, 0);
			return;
		}
		/* Answered at once, not with the next receive: being ready,
		 * RS publishes its label in DS, and DS itself must not be
		 * waiting for RS then. */
		rs_answer(m->m_source, OK);
		svc_ready(s);
		return;
	case RS_BOOTED:
		reply(m->m_source, svc_all_started() ? OK : EAGAIN, 0, 0, 0);
		return;
	case RS_LOOKUP:
	case RS_STATUS:
		memcpy(label, m->u.rs.label, RS_LABEL_LEN);
		if (strnlen(label, RS_LABEL_LEN) == RS_LABEL_LEN) {
			reply(m->m_source, E2BIG, 0, 0, 0);
			return;
		}
		if ((s = svc_by_label(label)) == NULL) {
			reply(m->m_source, ENOENT, 0, 0, 0);
			return;
		}
		if (m->m_type == RS_STATUS)
			reply(m->m_source, OK, (uint32_t)s->ep, s->restarts,
				(uint32_t)s->state);
		else if (s->state == RSS_RUNNING)
			reply(m->m_source, OK, (uint32_t)s->ep, 0, 0);
		else
			reply(m->m_source, s->state == RSS_FAILED ||
				s->state == RSS_STOPPED ? EDEADSRCDST : EAGAIN,
				0, 0, 0);
		return;
	default:
		complain("rs: message type 0x%x from %d refused\n",
			m->m_type, m->m_source);
		reply(m->m_source, EINVAL, 0, 0, 0);
	}
}

int main(int argc, char **argv)
{
	message m;

	(void)argc;
	(void)argv;
	load_policy();
	svc_start_all(&policy);
	svc_tick();
	for (int r = server_receive(&m);; r = server_next(&m)) {
		if (r != OK)
			continue;
		if (m.m_type != NOTIFY_MESSAGE) {
			request(&m);
			continue;
		}
		if (m.m_source == KERNEL) {
			if (m.u.notify.pending & NOTIFY_KERNEL_KSIG)
				take_stops();
			if (m.u.notify.pending & NOTIFY_KERNEL_ALARM)
				svc_tick();
		} else if (m.m_source == VM_ENDPOINT) {
			take_exits();
		} else {
			struct service *s = svc_by_ep(m.m_source);

			if (s != NULL && s->ep == m.m_source)
				svc_pong(s);
		}
	}
}
