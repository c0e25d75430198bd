/*
 * The data store: publish, retrieve, delete and subscribe (DS_* in
 * cairn/calls.h). Anyone may publish; only the publisher (its endpoint,
 * generation included) replaces or deletes its entry. Values and labels
 * live in the request; memory ranges are copied in and out through the
 * caller's grants (safecopy); mapped ranges are mapped into DS through
 * the publisher's grant (safemap) and offered to retrievers through a
 * grant of DS's own, revoked with the entry. Bad input gets an error
 * code and DS goes on serving. Its loop is lib/serverloop.c's: the
 * answer and the next receive go in one kernel entry (REPLYRECV), and
 * answers never block, so a client that does not wait for its answer
 * loses only that answer.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "servers/ds/ds.h"
#include "servers/ds/store.h"
#include "cairn/complain.h"
#include "cairn/grantlib.h"
#include "cairn/ipclib.h"
#include "cairn/serverloop.h"
#include "cairn/vmlib.h"

#define PAGE	4096u

static int key_ok(const struct ds_req *rq)
{
	return strnlen(rq->key, DS_NAME_LEN) < DS_NAME_LEN;
}

/* The value of a new MEM or MAP entry, fetched through the publisher's
 * grant into e (not yet named). */
static int take_mem(struct ds_entry *e, endpoint_t from,
	const struct ds_req *rq)
{
	int r;

	if (rq->len > DS_MEM_MAX)
		return E2BIG;
	if (rq->len > DS_MEM_TOTAL - store_mem_bytes())
		return ENOMEM;
	if ((e->data = malloc(rq->len ? rq->len : 1)) == NULL)
		return ENOMEM;
	if ((r = sys_safecopyfrom(from, rq->value, 0, e->data, rq->len))
	    != OK) {
		free(e->data);
		e->data = NULL;
		return r;
	}
	e->len = rq->len;
	store_count_mem(rq->len);
	return OK;
}

static int take_map(struct ds_entry *e, endpoint_t from,
	const struct ds_req *rq)
{
	void *at = NULL;
	int r;

	if (rq->len == 0 || rq->len % PAGE != 0)
		return EINVAL;
	if (rq->len > DS_MAP_MAX)
		return E2BIG;
	if ((r = vm_safemap(from, rq->value, 0, rq->len, PROT_READ, &at))
	    != OK)
		return r;
	/* Every page referenced now: the entry outlives its publisher. */
	for (uint32_t i = 0; i < rq->len; i += PAGE)
		(void)*(volatile uint8_t *)((uint8_t *)at + i);
	e->grant = cpf_grant_direct(ANY, (vir_bytes)at, rq->len,
		GF_READ | GF_MAP);
	if (e->grant < 0) {
		munmap(at, rq->len);
		return e->grant;
	}
	e->data = at;
	e->len = rq->len;
	return OK;
}

/* Has RS published a service's label here? Until it has (and always in
 * a private store of a test or benchmark) no key belongs to a service,
 * and publishing pays no search for one. */
static int services_known;

/* The label RS published for ep, or NULL. */
static const char *label_of(endpoint_t ep)
{
	return services_known ? store_label_of(ep) : NULL;
}

/* Only the publisher changes an entry, or a later instance of the same
 * service: RS publishes each service's label, so a service restarted
 * under a new endpoint still owns what its old instance published. */
static int may_change(const struct ds_entry *e, endpoint_t from)
{
	const char *label;

	if (e->owner == from)
		return 1;
	label = label_of(from);
	return label != NULL && e->owner_label[0] != '\0' &&
		strncmp(label, e->owner_label, DS_NAME_LEN) == 0;
}

/* Keys named after a service ("demo", "demo.state") are that service's:
 * a new one may be made only by an instance of it (or by RS, which
 * publishes the labels), so nobody can take a service's place or its
 * state before it publishes them. */
static int may_create(const char *key, endpoint_t from)
{
	char prefix[DS_NAME_LEN];
	const struct ds_entry *label;
	const char *mine;
	size_t n = 0;

	if (!services_known)
		return 1;
	while (n < DS_NAME_LEN - 1 && key[n] != '\0' && key[n] != '.') {
		prefix[n] = key[n];
		n++;
	}
	prefix[n] = '\0';
	label = store_find(prefix);
	if (label == NULL || label->type != DS_TYPE_LABEL ||
	    label->owner != RS_ENDPOINT || from == RS_ENDPOINT)
		return 1;
	mine = label_of(from);
	return mine != NULL && strncmp(mine, prefix, DS_NAME_LEN) == 0;
}

static int publish(endpoint_t from, struct ds_req *rq)
{
	struct ds_entry *e = store_find(rq->key), fresh;
	const char *label;
	int r = OK;

	if (rq->type < DS_TYPE_U32 || rq->type > DS_TYPE_MAP)
		return EINVAL;
	if (e != NULL && !may_change(e, from))
		return EPERM;
	if (e == NULL && !may_create(rq->key, from))
		return EPERM;
	if (e != NULL && !(rq->flags & DSF_OVERWRITE))
		return EEXIST;
	if (e == NULL && (e = store_free_entry()) == NULL)
		return ENOMEM;
	/* The new value is taken first: a failure leaves the old one. */
	memset(&fresh, 0, sizeof fresh);
	fresh.type = rq->type;
	fresh.owner = from;
	if ((label = label_of(from)) != NULL)
		memcpy(fresh.owner_label, label, DS_NAME_LEN);
	fresh.value = rq->value;
	if (rq->type == DS_TYPE_MEM)
		r = take_mem(&fresh, from, rq);
	else if (rq->type == DS_TYPE_MAP)
		r = take_map(&fresh, from, rq);
	if (r != OK)
		return r;
	if (e->key[0] != '\0')
		store_release(e);
	memcpy(fresh.key, rq->key, DS_NAME_LEN);
	*e = fresh;
	if (from == RS_ENDPOINT && rq->type == DS_TYPE_LABEL)
		services_known = 1;
	subs_event(e->key, DS_EV_UPDATE);
	return OK;
}

static int retrieve(endpoint_t from, struct ds_req *rq)
{
	struct ds_entry *e = store_find(rq->key);
	int r = OK;

	if (e == NULL)
		return ENOENT;
	if (rq->type != e->type)
		return EINVAL;
	if (e->type == DS_TYPE_MEM) {
		if (rq->len < e->len)
			r = E2BIG;
		else
			r = sys_safecopyto(from, rq->value, 0, e->data, e->len);
		rq->value = 0;
	} else if (e->type == DS_TYPE_MAP) {
		rq->value = (uint32_t)e->grant;
	} else {
		rq->value = e->value;
	}
	rq->len = e->len;
	rq->owner = e->owner;
	return r;
}

static int delete(endpoint_t from, const struct ds_req *rq)
{
	struct ds_entry *e = store_find(rq->key);
	char key[DS_NAME_LEN];

	if (e == NULL)
		return ENOENT;
	if (!may_change(e, from))
		return EPERM;
	memcpy(key, e->key, DS_NAME_LEN);
	store_release(e);
	e->key[0] = '\0';
	subs_event(key, DS_EV_DELETE);
	return OK;
}

static int check(endpoint_t from, struct ds_req *rq)
{
	uint32_t lost = 0;
	int r = subs_take(from, rq->key, &rq->type, &lost);

	rq->flags = lost;
	return r;
}

static int serve(message *m)
{
	struct ds_req *rq = &m->u.ds;

	if (m->m_type < DS_PUBLISH || m->m_type > DS_CHECK)
		return EBADCALL;
	if (m->m_type != DS_CHECK && !key_ok(rq))
		return E2BIG;
	switch (m->m_type) {
	case DS_PUBLISH:	return publish(m->m_source, rq);
	case DS_RETRIEVE:	return retrieve(m->m_source, rq);
	case DS_DELETE:		return delete(m->m_source, rq);
	case DS_SUBSCRIBE:	return subs_add(m->m_source, rq->key);
	default:		return check(m->m_source, rq);
	}
}

void ds_main(void)
{
	message m;
	int r;

	store_init();
	r = server_receive(&m);
	for (;;) {
		if (r == OK && m.m_type != NOTIFY_MESSAGE) {
			endpoint_t from = m.m_source;

			m.m_type = serve(&m);
			server_reply(from, &m);
		}
		r = server_next(&m);
	}
}
