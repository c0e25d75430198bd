/*
 * Starting, watching and restarting services (rs.h).
 *
 * A service that dies (the kernel stopped it: a fault, its own exit or
 * panic, or RS killed it for a missed heartbeat) is started again from
 * the same program under the same label. The dead instance stays
 * stopped, its slot and memory kept, until the new one says it is ready
 * (RS_READY): then VM ends it. Deaths in a row wait longer each time
 * (back-off from 0 doubling to a second), and after `limit` of them
 * without a healthy second between RS gives up on the service.
 */
#include <stdio.h>
#include <string.h>
#include "servers/rs/rs.h"
#include "cairn/dslib.h"
#include "cairn/ipclib.h"
#include "cairn/syslib.h"

#define HEALTHY_MS	1000	/* up this long: the deaths in a row reset */
#define BACKOFF_FIRST	10
#define BACKOFF_MAX	1000

static struct service table[POLICY_MAX_SERVICES];
static int count;
static uint32_t tsc_khz;

uint32_t rs_now(void)
{
	uint32_t lo, hi;

	if (tsc_khz == 0) {
		struct sys_info info;

		if (sys_info(&info) != OK || info.tsc_khz == 0)
			return 0;
		tsc_khz = info.tsc_khz;
	}
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint32_t)((((uint64_t)hi << 32) | lo) / tsc_khz);
}

struct service *svc_by_ep(endpoint_t ep)
{
	for (int i = 0; i < count; i++)
		if (table[i].ep == ep || table[i].old_ep == ep ||
		    (table[i].upd != UPD_NONE && table[i].upd_ep == ep))
			return &table[i];
	return NULL;
}

struct service *svc_by_label(const char *label)
{
	for (int i = 0; i < count; i++)
		if (strncmp(table[i].pol->label, label, RS_LABEL_LEN) == 0)
			return &table[i];
	return NULL;
}

/* The endpoint a label or server name stands for now (NONE if none). */
static endpoint_t target(const char *label)
{
	struct service *s;

	if (strcmp(label, "pm") == 0)
		return PM_ENDPOINT;
	s = svc_by_label(label);
	return s != NULL ? s->ep : NONE;
}

/* Tells DS (once it runs) where a label is now; DS itself learns its own
 * label too. Nothing to do before DS is up. */
static void publish(const struct service *s)
{
	struct service *ds = svc_by_label("ds");

	if (ds == NULL || ds->ep == NONE || ds->state != RSS_RUNNING)
		return;
	ds_use(ds->ep);
	ds_publish_label(s->pol->label, s->ep, DSF_OVERWRITE);
}

int svc_start_program(struct service *s, const char *program,
	endpoint_t *ep)
{
	const struct policy_service *p = s->pol;
	message m = { 0 };
	int n = 2, r;

	m.m_type = VM_RS_START;
	/* The program, then its name: the label (argv[0]), then its word. */
	r = snprintf(m.u.vm_rs_start.cmd, VM_RS_CMD_LEN, "%s %s%s%s",
		program, p->label, p->arg[0] ? " " : "", p->arg);
	if (r < 0 || r >= VM_RS_CMD_LEN) {
		printf("rs: %s: command too long\n", p->label);
		return EINVAL;
	}
	m.u.vm_rs_start.calls = p->calls;
	if (p->ipc_all) {
		m.u.vm_rs_start.ipc_to[0] = PRIV_IPC_ALL;
	} else {
		m.u.vm_rs_start.ipc_to[0] = (uint32_t)VM_ENDPOINT;
		m.u.vm_rs_start.ipc_to[1] = (uint32_t)RS_ENDPOINT;
		for (int i = 0; i < POLICY_MAX_IPC; i++)
			if (p->ipc[i][0] != '\0')
				m.u.vm_rs_start.ipc_to[n++] =
					(uint32_t)target(p->ipc[i]);
	}
	m.u.vm_rs_start.vm_flags = p->vm_flags;
	m.u.vm_rs_start.flags = NEWPROC_MGR_PARENT | NEWPROC_SYSTEM;
	r = rs_ask_vm(&m);
	if (r != OK) {
		printf("rs: %s: start of %s failed: %d\n", p->label, program,
			r);
		return r;
	}
	*ep = (endpoint_t)m.u.reply.value[0];
	return OK;
}

static int start(struct service *s)
{
	int r = svc_start_program(s, s->pol->program, &s->ep);

	if (r != OK)
		return r;
	s->state = RSS_STARTING;
	s->started_ms = rs_now();
	s->ping_open = 0;
	s->ping_ms = s->started_ms;
	return OK;
}

/* Has VM end a stopped instance (its memory goes back). */
void svc_end_instance(endpoint_t ep, int status)
{
	message m = { 0 };
	int r;

	m.m_type = VM_EXIT;
	m.u.exit.ep = ep;
	m.u.exit.status = status;
	r = rs_ask_vm(&m);
	if (r != OK && r != ESRCH)
		printf("rs: end of %d: %d\n", ep, r);
}

void svc_start_all(const struct policy *pol)
{
	for (int i = 0; i < pol->count; i++) {
		struct service *s = &table[count++];

		memset(s, 0, sizeof *s);
		s->pol = &pol->svc[i];
		s->ep = s->old_ep = NONE;
		s->backoff_ms = 0;
		if (start(s) != OK)
			s->state = RSS_FAILED;
	}
}

void svc_ready(struct service *s)
{
	if (s->state != RSS_STARTING)
		return;
	s->state = RSS_RUNNING;
	if (s->old_ep != NONE) {
		svc_end_instance(s->old_ep, 0);
		s->old_ep = NONE;
	}
	printf("rs: %s ready at %d%s\n", s->pol->label, s->ep,
		s->restarts ? " (restarted)" : "");
	publish(s);
	if (strcmp(s->pol->label, "ds") == 0)	/* everyone DS missed */
		for (int i = 0; i < count; i++)
			if (table[i].state == RSS_RUNNING && &table[i] != s)
				publish(&table[i]);
}

int svc_all_started(void)
{
	for (int i = 0; i < count; i++)
		if (table[i].state == RSS_STARTING ||
		    (table[i].state == RSS_WAITING && table[i].restarts == 0))
			return 0;
	return 1;
}

void svc_pong(struct service *s)
{
	s->ping_open = 0;
}

void svc_stopped(endpoint_t ep, uint32_t how, int status)
{
	struct service *s = svc_by_ep(ep);
	uint32_t now = rs_now();

	if (s == NULL) {
		/* Not a service of ours (cannot happen: only they have RS
		 * as manager); end it anyway so nothing is kept. */
		svc_end_instance(ep, status);
		return;
	}
	if (upd_stopped(s, ep, status))
		return;
	if (ep == s->old_ep) {	/* the old one, stopped again? */
		svc_end_instance(ep, status);
		s->old_ep = NONE;
		return;
	}
	printf("rs: %s (%d) %s, status %d, after %u ms\n", s->pol->label, ep,
		how == KSIG_EXIT ? "exited" : how == KSIG_KILL ? "was killed" :
		"crashed", status, now - s->started_ms);
	/* Only one dead instance is kept: an older one goes now. */
	if (s->old_ep != NONE)
		svc_end_instance(s->old_ep, 0);
	s->old_ep = ep;
	s->ep = NONE;
	if ((how == KSIG_EXIT && status == 0) ||
	    s->pol->restart == RESTART_NEVER) {
		svc_end_instance(ep, status);
		s->old_ep = NONE;
		s->state = RSS_STOPPED;
		return;
	}
	if (now - s->started_ms >= HEALTHY_MS) {
		s->in_a_row = 0;
		s->backoff_ms = 0;
	}
	if (++s->in_a_row > s->pol->limit) {
		printf("rs: %s: %u deaths in a row; not restarted again\n",
			s->pol->label, s->in_a_row);
		svc_end_instance(ep, status);
		s->old_ep = NONE;
		s->state = RSS_FAILED;
		return;
	}
	s->state = RSS_WAITING;
	s->restart_ms = now + s->backoff_ms;
	s->backoff_ms = s->backoff_ms == 0 ? BACKOFF_FIRST :
		s->backoff_ms * 2 > BACKOFF_MAX ? BACKOFF_MAX :
		s->backoff_ms * 2;
	svc_tick();
}

/* The sooner of the next alarm (0: none yet) and one wait ms from now;
 * a wait of 0 (due now) asks for the next tick. */
static uint32_t sooner(uint32_t next, uint32_t wait)
{
	if (wait == 0)
		wait = 1;
	return next == 0 || wait < next ? wait : next;
}

/* ms until t (0 when it has passed). */
static uint32_t until(uint32_t t, uint32_t now)
{
	return (int32_t)(t - now) > 0 ? t - now : 0;
}

void svc_tick(void)
{
	uint32_t now = rs_now(), next = 0;

	for (int i = 0; i < count; i++) {
		struct service *s = &table[i];
		uint32_t hb = s->pol->heartbeat_ms, wait;
		message m = { 0 };

		if (s->state == RSS_WAITING && until(s->restart_ms, now) == 0) {
			s->restarts++;
			if (start(s) != OK) {
				s->state = RSS_FAILED;
				if (s->old_ep != NONE)
					svc_end_instance(s->old_ep, 0);
				s->old_ep = NONE;
			}
		}
		if (s->state == RSS_WAITING) {
			wait = until(s->restart_ms, now);
			next = sooner(next, wait);
		}
		if (s->upd != UPD_NONE) {	/* no pings while it updates */
			wait = upd_tick(s, now);
			if (wait)
				next = sooner(next, wait);
			s->ping_open = 0;
			s->ping_ms = now;
			continue;
		}
		if (hb == 0 || (s->state != RSS_RUNNING &&
				s->state != RSS_STARTING))
			continue;
		/* A ping is answered within two periods, or the service is
		 * taken for hung (one period would punish a service that
		 * was merely slow to be scheduled). */
		if (s->ping_open && until(s->ping_ms + 2 * hb, now) == 0) {
			printf("rs: %s (%d) missed its heartbeat\n",
				s->pol->label, s->ep);
			sys_kill(s->ep, EDEADSRCDST);
			continue;	/* the stop comes next */
		}
		if (!s->ping_open && until(s->ping_ms + hb, now) == 0) {
			s->ping_ms = now;
			s->ping_open = 1;
			ipc_notify(s->ep, &m);
		}
		wait = until(s->ping_ms + (s->ping_open ? 2 : 1) * hb, now);
		next = sooner(next, wait);
	}
	sys_setalarm(next, NULL);
}
