/*
 * Memory grants: a process lets another map part of its memory
 * (VM_GRANT), which the other then does with mmap MAP_SHARED. A grant
 * names one region's range; revoking it stops new mappings, and the
 * pages already mapped stay shared.
 */
#ifndef CAIRN_VM_GRANT_H
#define CAIRN_VM_GRANT_H

#include "cairn/ipc.h"
#include "vm/vmproc.h"

struct grant {
	uint32_t id;		/* 0: free entry */
	endpoint_t owner;
	endpoint_t grantee;	/* ANY: anyone */
	vir_bytes addr;
	uint32_t len;
	uint32_t prot;		/* PROT_* the grantee may have */
};

/* The live grant id of owner that grantee may use, or NULL. */
const struct grant *grant_find(endpoint_t owner, uint32_t id,
	endpoint_t grantee);

/* Drops every grant of owner (it exits). */
void grant_drop_all(endpoint_t owner);

/* VM_GRANT and VM_REVOKE: serve and reply. */
void grant_request(const message *m);
void revoke_request(const message *m);

#endif /* CAIRN_VM_GRANT_H */
