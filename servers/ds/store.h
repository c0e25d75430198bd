/*
 * The data store's entries (store.c) and subscriptions (subs.c).
 */
#ifndef CAIRN_DS_STORE_H
#define CAIRN_DS_STORE_H

#include "cairn/ipc.h"
#include "cairn/grant.h"

#define DS_ENTRIES	256
#define DS_MEM_MAX	(64 * 1024u)	/* one MEM entry's bytes */
#define DS_MEM_TOTAL	(1024 * 1024u)	/* all MEM entries' bytes */
#define DS_MAP_MAX	(1024 * 1024u)	/* one MAP entry's bytes */

struct ds_entry {
	char key[DS_NAME_LEN];		/* "": a free entry */
	uint32_t type;			/* DS_TYPE_* */
	endpoint_t owner;		/* the publisher */
	char owner_label[DS_NAME_LEN];	/* its service label; "" none */
	uint32_t value;			/* U32, LABEL */
	uint32_t len;			/* MEM, MAP */
	uint8_t *data;			/* MEM: a copy; MAP: DS's mapping */
	cp_grant_id_t grant;		/* MAP: DS's grant of data to ANY */
};

/* The entry named key, or NULL. */
struct ds_entry *store_find(const char *key);
/* A free entry, or NULL when the store is full. */
struct ds_entry *store_free_entry(void);
/* The label RS published for ep (a service instance), or NULL. */
const char *store_label_of(endpoint_t ep);
/* Gives back what e holds (memory, mapping, grant); e stays named. */
void store_release(struct ds_entry *e);
/* Bytes MEM entries hold now; a new MEM entry adds its own. */
uint32_t store_mem_bytes(void);
void store_count_mem(uint32_t add);

/* Subscriptions. Adds pattern for ep: OK, ENOMEM when full. */
int subs_add(endpoint_t ep, const char *pattern);
/* key had event ev (DS_EV_*): every matching subscriber gets it queued
 * and a notification. */
void subs_event(const char *key, uint32_t ev);
/* ep's oldest queued event into key and *ev: OK, or ENOENT; *lost: how
 * many were dropped (queue full) since the last check. */
int subs_take(endpoint_t ep, char *key, uint32_t *ev, uint32_t *lost);

/* Does key match pattern ('*' any run of characters, '?' one)? */
int ds_match(const char *pattern, const char *key);

/* The entry table, on the heap (DS's start). */
void store_init(void);

#endif /* CAIRN_DS_STORE_H */
