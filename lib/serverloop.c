/*
 * A server's loop on REPLYRECV (cairn/serverloop.h).
 */
#include "cairn/serverloop.h"
#include "cairn/complain.h"
#include "cairn/ipclib.h"

static message queued;
static endpoint_t queued_to;
static int have_queued;

static message kcall;		/* m_type and the first kcall_words words */
static uint32_t kcall_words;
static server_kcall_failed kcall_failed;
static int have_kcall;

/* n words (a few: a kernel call's payload). */
static inline void copy_words(uint32_t *d, const uint32_t *s, uint32_t n)
{
	while (n-- > 0)
		*d++ = *s++;
}

/* The queued call's type and payload into m; the rest of m stays as it
 * was (the call reads only its payload). Word by word: a few words, not
 * the whole message, on every page fault. */
static inline void kcall_into(message *m)
{
	m->m_type = kcall.m_type;
	copy_words(m->u.w, kcall.u.w, kcall_words);
}

int server_receive(message *m)
{
	return ipc_receive(ANY, m);
}

static void sent(endpoint_t to, int r)
{
	if (r != OK)
		complain("reply to %d failed: %d\n", to, r);
}

/* A kernel call queued before: made now, on its own. */
static void kcall_now(void)
{
	message m = { 0 };
	int r;

	have_kcall = 0;
	kcall_into(&m);
	if ((r = kernel_call(m.m_type, &m)) != OK && kcall_failed)
		kcall_failed(&kcall, r);
}

void server_reply(endpoint_t to, const message *reply)
{
	if (have_kcall)
		kcall_now();
	if (have_queued)
		sent(queued_to, ipc_sendnb(queued_to, &queued));
	queued = *reply;
	queued_to = to;
	have_queued = 1;
}

void server_kcall(int call, const void *payload, uint32_t len,
	server_kcall_failed failed)
{
	const uint32_t *w = payload;

	if (have_queued) {
		have_queued = 0;
		sent(queued_to, ipc_sendnb(queued_to, &queued));
	}
	if (have_kcall)
		kcall_now();
	kcall.m_type = call;
	kcall_words = (len + 3) / 4;
	if (kcall_words > sizeof kcall.u.w / sizeof kcall.u.w[0])
		kcall_words = sizeof kcall.u.w / sizeof kcall.u.w[0];
	copy_words(kcall.u.w, w, kcall_words);
	kcall_failed = failed;
	have_kcall = 1;
}

int server_next(message *m)
{
	int r;

	if (have_kcall) {
		have_kcall = 0;
		kcall_into(m);
		if ((r = kernel_call_recv(kcall.m_type, m)) == OK)
			return OK;
		/* The call failed; nothing was received. What the failure
		 * makes the server answer goes with the receive. */
		if (kcall_failed)
			kcall_failed(&kcall, r);
		return server_next(m);
	}
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
