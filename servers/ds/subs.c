/*
 * Subscriptions: a subscriber names key patterns; every publish or
 * delete of a matching key queues an event for it, in order, and
 * notifies it. It takes the events with DS_CHECK. A subscriber that is
 * gone (the notification fails) loses its subscriptions.
 */
#include <stdlib.h>
#include <string.h>
#include "servers/ds/store.h"
#include "cairn/ipclib.h"

#define SUBS_MAX	64	/* patterns, all subscribers */
#define QUEUE_LEN	32	/* events waiting per subscriber */
#define SUBSCRIBERS	16

struct sub {
	endpoint_t ep;		/* NONE: free */
	char pattern[DS_NAME_LEN];
};

struct event {
	char key[DS_NAME_LEN];
	uint32_t ev;
};

struct queue {
	endpoint_t ep;		/* NONE: free */
	uint32_t head, count, lost;
	struct event ev[QUEUE_LEN];
};

static struct sub subs[SUBS_MAX];
static struct queue *queues;	/* on the heap, as store.c's entries */
static int ready;

static void init(void)
{
	queues = calloc(SUBSCRIBERS, sizeof *queues);
	if (queues == NULL)
		panic("ds: no memory for %d subscriber queues", SUBSCRIBERS);
	for (int i = 0; i < SUBS_MAX; i++)
		subs[i].ep = NONE;
	for (int i = 0; i < SUBSCRIBERS; i++)
		queues[i].ep = NONE;
	ready = 1;
}

static struct queue *queue_of(endpoint_t ep, int make)
{
	struct queue *free_q = NULL;

	for (int i = 0; i < SUBSCRIBERS; i++) {
		if (queues[i].ep == ep)
			return &queues[i];
		if (queues[i].ep == NONE && free_q == NULL)
			free_q = &queues[i];
	}
	if (make && free_q != NULL) {
		memset(free_q, 0, sizeof(*free_q));
		free_q->ep = ep;
		return free_q;
	}
	return NULL;
}

static void forget(endpoint_t ep)
{
	struct queue *q = queue_of(ep, 0);

	for (int i = 0; i < SUBS_MAX; i++)
		if (subs[i].ep == ep)
			subs[i].ep = NONE;
	if (q != NULL)
		q->ep = NONE;
}

int subs_add(endpoint_t ep, const char *pattern)
{
	if (!ready)
		init();
	for (int i = 0; i < SUBS_MAX; i++) {
		if (subs[i].ep != NONE)
			continue;
		if (queue_of(ep, 1) == NULL)
			return ENOMEM;
		subs[i].ep = ep;
		memcpy(subs[i].pattern, pattern, DS_NAME_LEN);
		return OK;
	}
	return ENOMEM;
}

void subs_event(const char *key, uint32_t ev)
{
	if (!ready)
		init();
	for (int i = 0; i < SUBSCRIBERS; i++) {
		struct queue *q = &queues[i];
		int match = 0;

		if (q->ep == NONE)
			continue;
		for (int s = 0; s < SUBS_MAX && !match; s++)
			match = subs[s].ep == q->ep &&
				ds_match(subs[s].pattern, key);
		if (!match)
			continue;
		if (q->count == QUEUE_LEN) {
			q->lost++;
		} else {
			struct event *e = &q->ev[(q->head + q->count++) %
				QUEUE_LEN];
			memcpy(e->key, key, DS_NAME_LEN);
			e->ev = ev;
		}
		message m = { 0 };
		if (ipc_notify(q->ep, &m) != OK)
			forget(q->ep);
	}
}

int subs_take(endpoint_t ep, char *key, uint32_t *ev, uint32_t *lost)
{
	struct queue *q;

	if (!ready)
		init();
	q = queue_of(ep, 0);
	if (q == NULL || (q->count == 0 && q->lost == 0))
		return ENOENT;
	*lost = q->lost;
	q->lost = 0;
	if (q->count == 0)
		return ENOENT;
	memcpy(key, q->ev[q->head].key, DS_NAME_LEN);
	*ev = q->ev[q->head].ev;
	q->head = (q->head + 1) % QUEUE_LEN;
	q->count--;
	return OK;
}
