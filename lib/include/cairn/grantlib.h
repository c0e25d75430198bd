/*
 * Grants from user space: the caller's grant table (in its own memory,
 * grown on demand, registered with SYS_SETGRANT) and copies through
 * other processes' grants. Grant ids are positive; every function here
 * returns a negative cairn/errno.h code on failure.
 */
#ifndef CAIRN_GRANTLIB_H
#define CAIRN_GRANTLIB_H

#include "cairn/ipc.h"
#include "cairn/grant.h"

/* Lets grantee (ANY: anyone) reach [addr, +len) of the caller's memory
 * with access GF_READ and/or GF_WRITE, plus GF_MAP for a grant that may
 * be mapped (then addr and len must be page-aligned: EINVAL). */
cp_grant_id_t cpf_grant_direct(endpoint_t grantee, vir_bytes addr,
	uint32_t len, uint32_t access);
/* Forwards [offset, +len) of grant id that from made to the caller, to
 * grantee. The kernel checks every hop at each use: the forward gives at
 * most what the caller received, and dies with the grant it names. */
cp_grant_id_t cpf_grant_indirect(endpoint_t grantee, endpoint_t from,
	cp_grant_id_t id, uint32_t offset, uint32_t len, uint32_t access);
/* The grant is gone: its id (and every id of the slot before it) is
 * refused from now on. EINVAL: not a live grant of the caller's. */
int cpf_revoke(cp_grant_id_t id);
/* Live grants in the caller's table, and slots it has room for. */
uint32_t cpf_count(uint32_t *slots);
/* In a fork's child: the parent's grants are not the child's. */
void cpf_forget_after_fork(void);
/* Every grant revoked at once and the table given back (its memory
 * unmapped, the kernel told there is none): OK, or SYS_SETGRANT's
 * error (nothing changed then). */
int cpf_reset(void);

int sys_setgrant(vir_bytes table, uint32_t slots);
int sys_safecopyfrom(endpoint_t granter, cp_grant_id_t id, uint32_t offset,
	void *to, uint32_t bytes);
int sys_safecopyto(endpoint_t granter, cp_grant_id_t id, uint32_t offset,
	const void *from, uint32_t bytes);
/* *done (may be NULL): elements complete before a failure. */
int sys_vsafecopy(const struct vscp_vec *vec, uint32_t count,
	uint32_t *done);

/* SYS_SAFECOPYFROM / SYS_SAFECOPYTO, but a page-aligned copy of
 * SAFECOPY_COW_MIN bytes or more into anonymous memory is asked of VM
 * as a copy-on-write share (VM_COWCOPY, either direction); where VM
 * cannot share (or refuses for any reason), the kernel copies the bytes
 * and says what is wrong. The kernel calls themselves always copy bytes
 * (kernel/grant.c says why). */
#define SAFECOPY_COW_MIN	(4 * 4096u)
int safecopyfrom(endpoint_t granter, cp_grant_id_t id, uint32_t offset,
	void *to, uint32_t bytes);
int safecopyto(endpoint_t granter, cp_grant_id_t id, uint32_t offset,
	const void *from, uint32_t bytes);

#endif /* CAIRN_GRANTLIB_H */
