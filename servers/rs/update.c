/*
 * Live update (rs.h: UPD_*). A client with the admin right asks RS to
 * replace the service called label by another program of the system
 * image (RS_UPDATE). In order:
 *
 *  1. RS asks the running instance to prepare (RS_PREPARE, sent without
 *     blocking, retried while it is busy). It finishes the request in
 *     hand, saves its state (DS), and says it is quiescent with a SENDREC
 *     to RS (RS_QUIESCENT) that RS leaves unanswered: from then on it
 *     serves nothing, and its clients' requests wait in its queue.
 *  2. RS starts the new program under the same label. It takes the
 *     state from DS and says it is ready (RS_READY).
 *  3. Once the new one waits for its first request, VM swaps the two
 *     address spaces and the kernel what runs in the two slots
 *     (VM_RS_UPDATE, SYS_UPDATE): the label's endpoint now runs the new
 *     program, which takes the waiting requests at once; the other slot
 *     holds the old program, which VM ends.
 *
 * Rollback: if the new program cannot be started, dies before it is
 * ready, or the update takes longer than UPD_MS, the new instance is
 * ended and the old one's RS_QUIESCENT is answered: it goes on serving
 * where it stopped, nothing lost. The client gets OK or the reason.
 */
#include <stdio.h>
#include <string.h>
#include "servers/rs/rs.h"
#include "cairn/ipclib.h"
#include "cairn/syslib.h"

/* Does ep hold the admin right (VM keeps service rights)? */
static int is_admin(endpoint_t ep)
{
	message m = { 0 };

	m.m_type = VM_RIGHTS;
	m.u.exit.ep = ep;
	return rs_ask_vm(&m) == OK && (m.u.reply.value[0] & RSV_ADMIN);
}

static void finish(struct service *s, int status)
{
	if (s->upd_by != NONE)
		rs_answer(s->upd_by, status);
	s->upd = UPD_NONE;
	s->upd_ep = NONE;
	s->upd_by = NONE;
}

/* Back to the old instance: the new one (if any) ends, the old one's
 * RS_QUIESCENT is answered and it serves on. */
static void roll_back(struct service *s, int why)
{
	printf("rs: %s: update to %s failed (%d); rolled back\n",
		s->pol->label, s->upd_program, why);
	if (s->upd_ep != NONE)
		svc_end_instance(s->upd_ep, why);
	if (s->upd >= UPD_STARTING)
		rs_answer(s->ep, OK);
	finish(s, why);
}

void upd_request(const message *m)
{
	const struct rs_update *q = &m->u.rs_update;
	char label[RS_LABEL_LEN], program[RS_PROGRAM_LEN];
	struct service *s;
	int r = OK;

	memcpy(label, q->label, sizeof label);
	memcpy(program, q->program, sizeof program);
	if (strnlen(label, sizeof label) == sizeof label ||
	    strnlen(program, sizeof program) == sizeof program ||
	    program[0] == '\0')
		r = E2BIG;
	else if (!is_admin(m->m_source))
		r = EPERM;
	else if ((s = svc_by_label(label)) == NULL)
		r = ENOENT;
	else if (s->state != RSS_RUNNING || s->upd != UPD_NONE)
		r = EBUSY;
	if (r != OK) {
		rs_answer(m->m_source, r);
		return;
	}
	s->upd = UPD_PREPARE;
	s->upd_ep = NONE;
	s->upd_by = m->m_source;
	strlcpy(s->upd_program, program, sizeof s->upd_program);
	s->upd_deadline = rs_now() + UPD_MS;
	printf("rs: %s: update to %s asked by %d\n", label, program,
		m->m_source);
	svc_tick();	/* sends RS_PREPARE now if it can */
}

int upd_quiescent(struct service *s, endpoint_t from)
{
	int r;

	if (s->upd != UPD_QUIESCE || from != s->ep)
		return 0;
	/* It waits for RS's answer from now on: the new one starts. */
	s->upd = UPD_STARTING;
	r = svc_start_program(s, s->upd_program, &s->upd_ep);
	if (r != OK) {
		s->upd_ep = NONE;
		roll_back(s, r);
	}
	return 1;
}

int upd_ready(struct service *s, endpoint_t from)
{
	if (s->upd != UPD_STARTING || from != s->upd_ep)
		return 0;
	rs_answer(from, OK);
	s->upd = UPD_SWAP;
	svc_tick();		/* swaps now if it can */
	return 1;
}

int upd_stopped(struct service *s, endpoint_t ep, int status)
{
	if (s->upd == UPD_NONE)
		return 0;
	if (ep == s->upd_ep) {		/* the new one died: roll back */
		s->upd_ep = NONE;
		svc_end_instance(ep, status);
		roll_back(s, status ? status : EDEADSRCDST);
		return 1;
	}
	if (ep == s->ep) {		/* the old one died: no update */
		if (s->upd_ep != NONE)
			svc_end_instance(s->upd_ep, 0);
		s->upd_ep = NONE;
		finish(s, EDEADSRCDST);
		return 0;		/* and it restarts as usual */
	}
	return 0;
}

/* Both wait now: swap, then end the slot that holds the old program. */
static int swap(struct service *s)
{
	message m = { 0 };
	int r;

	m.m_type = VM_RS_UPDATE;
	m.u.update.old_ep = s->ep;
	m.u.update.new_ep = s->upd_ep;
	if ((r = rs_ask_vm(&m)) != OK)
		return r;
	/* The label's endpoint runs the new program; upd_ep the old one,
	 * still waiting for RS_QUIESCENT's answer: it never gets it. */
	svc_end_instance(s->upd_ep, 0);
	s->updates++;
	printf("rs: %s updated to %s at %d\n", s->pol->label, s->upd_program,
		s->ep);
	finish(s, OK);
	return OK;
}

uint32_t upd_tick(struct service *s, uint32_t now)
{
	message m = { 0 };
	int r;

	if ((int32_t)(now - s->upd_deadline) >= 0) {
		roll_back(s, EAGAIN);
		return 0;
	}
	switch (s->upd) {
	case UPD_PREPARE:
		m.m_type = RS_PREPARE;
		if (ipc_sendnb(s->ep, &m) == OK)
			s->upd = UPD_QUIESCE;
		return 5;
	case UPD_SWAP:
		r = swap(s);
		if (r == OK)
			return 0;
		if (r != EAGAIN)
			roll_back(s, r);
		return r == EAGAIN ? 5 : 0;
	default:
		return 5;	/* waiting: watch the deadline */
	}
}
