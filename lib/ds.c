/*
 * The data store's client side (cairn/dslib.h): one SENDREC per call,
 * grants made for the one request that needs them and revoked after.
 */
#include <string.h>
#include "cairn/dslib.h"
#include "cairn/grantlib.h"
#include "cairn/ipclib.h"
#include "cairn/vmlib.h"

static endpoint_t ds_ep = NONE;

void ds_use(endpoint_t ds)
{
	ds_ep = ds;
}

/* The request type with key (E2BIG when it does not fit) and the rest of
 * rq; the answer in rq. */
static int ds_call(int type, const char *key, struct ds_req *rq)
{
	message m = { 0 };
	int r;

	if (key != NULL) {
		if (strlen(key) >= DS_NAME_LEN)
			return E2BIG;
		strlcpy(rq->key, key, DS_NAME_LEN);
	}
	m.m_type = type;
	m.u.ds = *rq;
	r = ipc_sendrec(ds_ep, &m);
	if (r != OK)
		return r;
	*rq = m.u.ds;
	return m.m_type;
}

static int publish_value(const char *key, uint32_t type, uint32_t v,
	int flags)
{
	struct ds_req rq = { .type = type, .flags = (uint32_t)flags,
		.value = v };

	return ds_call(DS_PUBLISH, key, &rq);
}

static int retrieve_value(const char *key, uint32_t type, uint32_t *v)
{
	struct ds_req rq = { .type = type };
	int r = ds_call(DS_RETRIEVE, key, &rq);

	if (r == OK)
		*v = rq.value;
	return r;
}

int ds_publish_u32(const char *key, uint32_t value, int flags)
{
	return publish_value(key, DS_TYPE_U32, value, flags);
}

int ds_retrieve_u32(const char *key, uint32_t *value)
{
	return retrieve_value(key, DS_TYPE_U32, value);
}

int ds_publish_label(const char *key, endpoint_t ep, int flags)
{
	return publish_value(key, DS_TYPE_LABEL, (uint32_t)ep, flags);
}

int ds_retrieve_label(const char *key, endpoint_t *ep)
{
	return retrieve_value(key, DS_TYPE_LABEL, (uint32_t *)ep);
}

/* A request carrying a grant of [buf, +len) to DS with access. */
static int with_grant(int type, const char *key, struct ds_req *rq,
	const void *buf, size_t len, uint32_t access)
{
	cp_grant_id_t g = cpf_grant_direct(ds_ep, (vir_bytes)buf, len, access);
	int r;

	if (g < 0)
		return g;
	rq->value = (uint32_t)g;
	rq->len = len;
	r = ds_call(type, key, rq);
	cpf_revoke(g);
	return r;
}

int ds_publish_mem(const char *key, const void *buf, size_t len, int flags)
{
	struct ds_req rq = { .type = DS_TYPE_MEM, .flags = (uint32_t)flags };

	return with_grant(DS_PUBLISH, key, &rq, buf, len, GF_READ);
}

int ds_retrieve_mem(const char *key, void *buf, size_t *len)
{
	struct ds_req rq = { .type = DS_TYPE_MEM };
	int r = with_grant(DS_RETRIEVE, key, &rq, buf, *len, GF_WRITE);

	if (r == OK || r == E2BIG)
		*len = rq.len;
	return r;
}

int ds_publish_str(const char *key, const char *s, int flags)
{
	return ds_publish_mem(key, s, strlen(s) + 1, flags);
}

int ds_retrieve_str(const char *key, char *buf, size_t size)
{
	size_t len = size;
	int r = ds_retrieve_mem(key, buf, &len);

	if (r == OK && (len == 0 || buf[len - 1] != '\0'))
		return EINVAL;	/* published as memory, not as a string */
	return r;
}

int ds_publish_map(const char *key, void *addr, size_t len, int flags)
{
	struct ds_req rq = { .type = DS_TYPE_MAP, .flags = (uint32_t)flags };

	/* DS has mapped it when it answers: the grant is not needed after. */
	return with_grant(DS_PUBLISH, key, &rq, addr, len, GF_READ | GF_MAP);
}

int ds_retrieve_map(const char *key, void **addr, size_t *len)
{
	struct ds_req rq = { .type = DS_TYPE_MAP };
	int r = ds_call(DS_RETRIEVE, key, &rq);

	if (r != OK)
		return r;
	r = vm_safemap(ds_ep, (cp_grant_id_t)rq.value, 0, rq.len, PROT_READ,
		addr);
	if (r == OK)
		*len = rq.len;
	return r;
}

int ds_delete(const char *key)
{
	struct ds_req rq = { 0 };

	return ds_call(DS_DELETE, key, &rq);
}

int ds_subscribe(const char *pattern)
{
	struct ds_req rq = { 0 };

	return ds_call(DS_SUBSCRIBE, pattern, &rq);
}

int ds_check(char *key, uint32_t *event, uint32_t *lost)
{
	struct ds_req rq = { 0 };
	int r = ds_call(DS_CHECK, NULL, &rq);

	if (lost != NULL)
		*lost = r == OK || r == ENOENT ? rq.flags : 0;
	if (r == OK) {
		memcpy(key, rq.key, DS_NAME_LEN);
		*event = rq.type;
	}
	return r;
}
