/*
 * Hostile cases: the data store (servers/ds). Each case spawns a private
 * store ("hostile role=ds") and ends it. Values, labels, strings, memory
 * and mapped ranges go in and come out; only the publisher replaces or
 * deletes; subscribers see updates and deletes in order; bad requests
 * get their error and the store goes on serving, also after a
 * publisher exits.
 */
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include "cairn/dslib.h"
#include "cairn/ipclib.h"
#include "tests/user/hostile.h"

#define PAGE	4096u

static endpoint_t ds_start(void)
{
	endpoint_t ds = spawn("hostile role=ds");

	if (ds > 0)
		ds_use(ds);
	return ds;
}

static int ds_stop(endpoint_t ds)
{
	int st = -1;

	return kill(ds, 0) == OK && waitpid(ds, &st, 0) == ds;
}

/* A request as a hostile client writes it, past the library's checks. */
static int raw(endpoint_t ds, int type, const char *key, size_t keylen,
	uint32_t dtype, uint32_t value, uint32_t len)
{
	message m;
	int r;

	memset(&m, 0, sizeof m);
	m.m_type = type;
	memcpy(m.u.ds.key, key, keylen);
	m.u.ds.type = dtype;
	m.u.ds.value = value;
	m.u.ds.len = len;
	r = ipc_sendrec(ds, &m);
	return r != OK ? r : m.m_type;
}

static uint8_t blob[PAGE], back[PAGE + 16];

static int values(void)
{
	endpoint_t ds = ds_start();
	uint32_t v = 0;
	endpoint_t ep = 0;
	char s[32];
	size_t len;
	int ok = ds > 0;

	ok &= h_expect("publish u32", ds_publish_u32("a.x", 7, 0), OK);
	ok &= h_expect("retrieve u32", ds_retrieve_u32("a.x", &v), OK);
	ok &= h_expect("u32 value", v, 7);
	ok &= h_expect("again without overwrite", ds_publish_u32("a.x", 8, 0),
		EEXIST);
	ok &= h_expect("overwrite", ds_publish_u32("a.x", 9, DSF_OVERWRITE),
		OK);
	ok &= h_expect("retrieve new", ds_retrieve_u32("a.x", &v), OK);
	ok &= h_expect("new value", v, 9);
	ok &= h_expect("publish label", ds_publish_label("pm", PM_ENDPOINT, 0),
		OK);
	ok &= h_expect("retrieve label", ds_retrieve_label("pm", &ep), OK);
	ok &= h_expect("label", ep, PM_ENDPOINT);
	ok &= h_expect("publish string", ds_publish_str("greeting",
		"hello, store", 0), OK);
	ok &= h_expect("retrieve string", ds_retrieve_str("greeting", s,
		sizeof s), OK);
	ok &= h_expect("string", strcmp(s, "hello, store"), 0);
	ok &= h_expect("string into too little room", ds_retrieve_str(
		"greeting", s, 4), E2BIG);
	for (uint32_t i = 0; i < PAGE; i++)
		blob[i] = (uint8_t)(i * 13 + 1);
	ok &= h_expect("publish 4 KiB", ds_publish_mem("blob", blob, PAGE, 0),
		OK);
	len = sizeof back;
	ok &= h_expect("retrieve 4 KiB", ds_retrieve_mem("blob", back, &len),
		OK);
	ok &= h_expect("its size", len, PAGE);
	ok &= h_expect("its bytes", memcmp(back, blob, PAGE), 0);
	len = 100;
	ok &= h_expect("too little room", ds_retrieve_mem("blob", back, &len),
		E2BIG);
	ok &= h_expect("size needed", len, PAGE);
	ok &= h_expect("wrong type", ds_retrieve_u32("blob", &v), EINVAL);
	ok &= h_expect("missing key", ds_retrieve_u32("nope", &v), ENOENT);
	ok &= h_expect("key too long (library)", ds_publish_u32(
		"0123456789abcdef", 1, 0), E2BIG);
	ok &= h_expect("key too long (raw)", raw(ds, DS_PUBLISH,
		"0123456789abcdef", DS_NAME_LEN, DS_TYPE_U32, 1, 0), E2BIG);
	ok &= h_expect("unknown type", raw(ds, DS_PUBLISH, "t", 2, 99, 1, 0),
		EINVAL);
	ok &= h_expect("unknown request", raw(ds, 0x4099, "t", 2, 1, 1, 0),
		EBADCALL);
	ok &= h_expect("memory through a bogus grant", raw(ds, DS_PUBLISH, "g",
		2, DS_TYPE_MEM, 12345, 64), EINVAL);
	ok &= h_expect("memory too big", raw(ds, DS_PUBLISH, "g", 2,
		DS_TYPE_MEM, 1, 0x7fffffff), E2BIG);
	ok &= h_expect("map not page-sized", raw(ds, DS_PUBLISH, "g", 2,
		DS_TYPE_MAP, 1, 100), EINVAL);
	ok &= h_expect("retrieve through a bogus grant", raw(ds, DS_RETRIEVE,
		"blob", 5, DS_TYPE_MEM, 12345, PAGE), EINVAL);
	ok &= h_expect("delete", ds_delete("a.x"), OK);
	ok &= h_expect("deleted", ds_retrieve_u32("a.x", &v), ENOENT);
	ok &= h_expect("delete twice", ds_delete("a.x"), ENOENT);
	ok &= h_expect("still serving", ds_retrieve_label("pm", &ep), OK);
	ok &= h_expect("store ends", ds_stop(ds), 1);
	return ok ? HOSTILE_OK : 1;
}

static endpoint_t the_ds;

static int child_publishes(void)
{
	ds_use(the_ds);
	if (ds_publish_u32("c.k", 42, 0) != OK ||
	    ds_publish_str("c.s", "left behind", 0) != OK)
		return 1;
	return HOSTILE_OK;
}

/* Only the publisher replaces or deletes; what a publisher left stays
 * after it exits, and nobody else may take it. */
static int owners(void)
{
	endpoint_t ds = ds_start();
	uint32_t v = 0;
	char s[32];
	int ok = ds > 0;

	the_ds = ds;
	ok &= h_expect("child publishes and exits",
		h_child_status(child_publishes), HOSTILE_OK);
	ok &= h_expect("after its exit", ds_retrieve_u32("c.k", &v), OK);
	ok &= h_expect("value", v, 42);
	ok &= h_expect("string after its exit", ds_retrieve_str("c.s", s,
		sizeof s), OK);
	ok &= h_expect("string", strcmp(s, "left behind"), 0);
	ok &= h_expect("overwrite another's", ds_publish_u32("c.k", 1,
		DSF_OVERWRITE), EPERM);
	ok &= h_expect("delete another's", ds_delete("c.k"), EPERM);
	ok &= h_expect("unchanged", ds_retrieve_u32("c.k", &v) == OK && v == 42,
		1);
	ok &= h_expect("store ends", ds_stop(ds), 1);
	return ok ? HOSTILE_OK : 1;
}

static int child_changes(void)
{
	ds_use(the_ds);
	if (ds_publish_u32("s.a", 1, 0) != OK ||
	    ds_publish_u32("s.b", 2, 0) != OK ||
	    ds_publish_u32("t.c", 3, 0) != OK ||
	    ds_publish_u32("s.a", 4, DSF_OVERWRITE) != OK ||
	    ds_delete("s.b") != OK ||
	    ds_publish_u32("s.long", 5, 0) != OK)
		return 1;
	return HOSTILE_OK;
}

/* Updates and deletes of matching keys, in order, from a publisher the
 * subscriber never talked to. */
static int subscribe(void)
{
	static const struct { const char *key; uint32_t ev; } want[] = {
		{ "s.a", DS_EV_UPDATE }, { "s.b", DS_EV_UPDATE },
		{ "s.a", DS_EV_UPDATE }, { "s.b", DS_EV_DELETE },
	};
	endpoint_t ds = ds_start();
	char key[DS_NAME_LEN];
	uint32_t ev = 0, lost = 99;
	message m;
	int ok = ds > 0;

	the_ds = ds;
	ok &= h_expect("subscribe", ds_subscribe("s.?"), OK);
	ok &= h_expect("nothing yet", ds_check(key, &ev, NULL), ENOENT);
	ok &= h_expect("child changes keys", h_child_status(child_changes),
		HOSTILE_OK);
	ok &= h_expect("notified", ipc_receive(ds, &m), OK);
	ok &= h_expect("a notification", m.m_type, NOTIFY_MESSAGE);
	for (unsigned i = 0; i < sizeof want / sizeof want[0] && ok; i++) {
		ok &= h_expect("event", ds_check(key, &ev, &lost), OK);
		ok &= h_expect("its key", strcmp(key, want[i].key), 0);
		ok &= h_expect("its kind", ev, want[i].ev);
		ok &= h_expect("none lost", lost, 0);
	}
	ok &= h_expect("no more (t.c and s.long do not match)",
		ds_check(key, &ev, NULL), ENOENT);
	ok &= h_expect("store ends", ds_stop(ds), 1);
	return ok ? HOSTILE_OK : 1;
}

static volatile uint8_t *mapped;

static int touch(void)
{
	return mapped[0];	/* not reached: the entry took it away */
}

/* A mapped range: the retriever sees the publisher's writes; deleting
 * the entry takes the retriever's mapping away. */
static int map(void)
{
	endpoint_t ds = ds_start();
	uint8_t *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	void *at = NULL;
	size_t len = 0;
	int ok = ds > 0 && p != MAP_FAILED;

	if (!ok)
		return 1;
	p[0] = 0x11;
	p[PAGE + 1] = 0x22;
	ok &= h_expect("unaligned", ds_publish_map("m.bad", p + 1, PAGE, 0),
		EINVAL);
	ok &= h_expect("publish map", ds_publish_map("m.x", p, 2 * PAGE, 0),
		OK);
	ok &= h_expect("retrieve map", ds_retrieve_map("m.x", &at, &len), OK);
	mapped = at;
	ok &= h_expect("its size", len, 2 * PAGE);
	ok &= h_expect("first byte", mapped[0], 0x11);
	ok &= h_expect("second page", mapped[PAGE + 1], 0x22);
	p[PAGE + 2] = 0x33;
	ok &= h_expect("the publisher's later write", mapped[PAGE + 2], 0x33);
	ok &= h_expect("as u32: wrong type", ds_retrieve_u32("m.x",
		(uint32_t *)&len), EINVAL);
	ok &= h_expect("delete", ds_delete("m.x"), OK);
	ok &= h_expect("the mapping is gone", h_child_status(touch), EFAULT);
	ok &= h_expect("the publisher keeps its memory", p[PAGE + 2], 0x33);
	ok &= h_expect("unmap", munmap(p, 2 * PAGE), OK);
	ok &= h_expect("store ends", ds_stop(ds), 1);
	return ok ? HOSTILE_OK : 1;
}

/* DS answers with REPLYRECV (lib/serverloop.c): a client that sends
 * without waiting for the answer, or a notification, or a client that
 * dies before its answer, costs only that answer; the next client is
 * served, in order. */
static int no_wait(void)
{
	endpoint_t ds = ds_start();
	uint32_t v = 0;
	message m;
	int ok = ds > 0;

	ok &= h_expect("publish", ds_publish_u32("w.a", 1, 0), OK);
	for (int i = 0; i < 8; i++) {
		memset(&m, 0, sizeof m);
		m.m_type = DS_RETRIEVE;
		memcpy(m.u.ds.key, "w.a", 4);
		/* SEND: returns once DS has it; I do not wait for the
		 * answer, which DS finds nobody to take. */
		ok &= h_expect("ask, not waiting", ipc_send(ds, &m), OK);
		/* Let DS serve it before I ask again. */
		ok &= h_expect("and then wait", ds_retrieve_u32("w.a", &v),
			OK);
		ok &= h_expect("value", v, 1);
	}
	memset(&m, 0, sizeof m);
	ok &= h_expect("a notification", ipc_notify(ds, &m), OK);
	ok &= h_expect("served after it", ds_publish_u32("w.b", 2, 0), OK);
	ok &= h_expect("bad call", raw(ds, DS_CHECK + 40, "w.a", 4, 0, 0, 0),
		EBADCALL);
	ok &= h_expect("still serving", ds_retrieve_u32("w.b", &v), OK);
	ok &= h_expect("in order", v, 2);
	ok &= h_expect("store exits", ds_stop(ds), 1);
	return ok ? HOSTILE_OK : 1;
}

const struct hostile_case hostile_ds_cases[] = {
	{ "ds.values", values, HOSTILE_OK },
	{ "ds.owners", owners, HOSTILE_OK },
	{ "ds.subscribe", subscribe, HOSTILE_OK },
	{ "ds.map", map, HOSTILE_OK },
	{ "ds.no_wait", no_wait, HOSTILE_OK },
};
const int hostile_ds_count = sizeof hostile_ds_cases /
	sizeof hostile_ds_cases[0];
