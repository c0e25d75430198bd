/*
 * The data store's entries: a fixed table searched by key (a few hundred
 * entries, found by a scan), and what each holds.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "servers/ds/store.h"
#include "cairn/grantlib.h"
#include "cairn/vmlib.h"

/* On the heap, made when DS starts: programs that link DS's code to run
 * a private store (the tests, the benchmarks) carry no table until they
 * do, and their fork costs stay those of the program. */
static struct ds_entry *entries;
static uint32_t mem_bytes;

void store_init(void)
{
	entries = calloc(DS_ENTRIES, sizeof *entries);
	if (entries == NULL)
		panic("ds: no memory for %d entries", DS_ENTRIES);
}

struct ds_entry *store_find(const char *key)
{
	for (int i = 0; i < DS_ENTRIES; i++)
		if (entries[i].key[0] != '\0' &&
		    strncmp(entries[i].key, key, DS_NAME_LEN) == 0)
			return &entries[i];
	return NULL;
}

struct ds_entry *store_free_entry(void)
{
	for (int i = 0; i < DS_ENTRIES; i++)
		if (entries[i].key[0] == '\0')
			return &entries[i];
	return NULL;
}

void store_release(struct ds_entry *e)
{
	if (e->type == DS_TYPE_MEM && e->data != NULL) {
		free(e->data);
		mem_bytes -= e->len;
	}
	if (e->type == DS_TYPE_MAP && e->data != NULL) {
		/* Retrievers' mappings go with the entry. */
		if (cpf_revoke(e->grant) == OK)
			vm_saferevmap(e->grant, NULL);
		munmap(e->data, e->len);
	}
	e->data = NULL;
	e->len = 0;
	e->value = 0;
}

uint32_t store_mem_bytes(void)
{
	return mem_bytes;
}

void store_count_mem(uint32_t add)
{
	mem_bytes += add;
}

int ds_match(const char *p, const char *k)
{
	for (;; p++, k++) {
		if (*p == '*') {
			for (const char *s = k;; s++) {
				if (ds_match(p + 1, s))
					return 1;
				if (*s == '\0')
					return 0;
			}
		}
		if (*p == '\0' || *k == '\0')
			return *p == *k;
		if (*p != '?' && *p != *k)
			return 0;
	}
}

const char *store_label_of(endpoint_t ep)
{
	for (int i = 0; i < DS_ENTRIES; i++) {
		const struct ds_entry *e = &entries[i];

		if (e->key[0] != '\0' && e->type == DS_TYPE_LABEL &&
		    e->owner == RS_ENDPOINT && (endpoint_t)e->value == ep)
			return e->key;
	}
	return NULL;
}
