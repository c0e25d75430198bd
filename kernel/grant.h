/*
 * Grants as the kernel sees them: a process's grant table lives in its
 * own memory (cairn/grant.h); the kernel reads the one slot a grant id
 * names, follows indirect grants to the memory, and copies.
 */
#ifndef CAIRN_KERNEL_GRANT_H
#define CAIRN_KERNEL_GRANT_H

#include "cairn/grant.h"
#include "cairn/ipc.h"

struct proc;

/* Copies bytes between [addr, +bytes) of the caller (whose space is
 * loaded) and [offset, +bytes) of the memory grant id of granter names:
 * into the granter's memory when to_granter. OK, an error code (see
 * struct sys_safecopy), or EDONTREPLY when a page on either side must
 * first be made present by VM (the call is then run again). */
int grant_copy(struct proc *caller, endpoint_t granter, cp_grant_id_t id,
	uint32_t offset, vir_bytes addr, uint32_t bytes, int to_granter);

/* Checks grant id of granter for grantee's use of [offset, +bytes) with
 * access (GF_READ, GF_WRITE, GF_MAP) and says whose memory, at which
 * address, it reaches: OK, or the error a copy would get. */
int grant_lookup(endpoint_t grantee, endpoint_t granter, cp_grant_id_t id,
	uint32_t offset, uint32_t bytes, uint32_t access, endpoint_t *owner,
	vir_bytes *addr);

#endif /* CAIRN_KERNEL_GRANT_H */
