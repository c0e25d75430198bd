/*
 * The data store's client side (servers/ds, DS_* in cairn/calls.h). The
 * library talks to the DS named by ds_use(). Strings are memory ranges
 * with their NUL (seed 002: built in the library, not in DS). Every call
 * returns OK or a negative code.
 */
#ifndef CAIRN_DSLIB_H
#define CAIRN_DSLIB_H

#include <stddef.h>
#include "cairn/ipc.h"

void ds_use(endpoint_t ds);

int ds_publish_u32(const char *key, uint32_t value, int flags);
int ds_retrieve_u32(const char *key, uint32_t *value);
int ds_publish_label(const char *key, endpoint_t ep, int flags);
int ds_retrieve_label(const char *key, endpoint_t *ep);
/* The len bytes at buf are copied into DS (through a grant made and
 * revoked here). Retrieve: *len says the room at buf, and comes back as
 * the entry's size (also with E2BIG, when the room was too small). */
int ds_publish_mem(const char *key, const void *buf, size_t len, int flags);
int ds_retrieve_mem(const char *key, void *buf, size_t *len);
int ds_publish_str(const char *key, const char *s, int flags);
int ds_retrieve_str(const char *key, char *buf, size_t size);
/* [addr, +len) (page-aligned) is mapped into DS and offered to anyone;
 * a retriever gets it mapped read-only at *addr. Deleting (or
 * replacing) the entry takes every retriever's mapping away. */
int ds_publish_map(const char *key, void *addr, size_t len, int flags);
int ds_retrieve_map(const char *key, void **addr, size_t *len);
int ds_delete(const char *key);
/* Events of keys matching pattern ('*', '?') come as notifications from
 * DS; ds_check takes the oldest: OK with its key (DS_NAME_LEN bytes) and
 * *event (DS_EV_*), or ENOENT. *lost (may be NULL): events dropped. */
int ds_subscribe(const char *pattern);
int ds_check(char *key, uint32_t *event, uint32_t *lost);

#endif /* CAIRN_DSLIB_H */
