/*
 * Memory reached through the kernel's grants (cairn/grant.h): safemap
 * (mmap MAP_SHARED | MAP_GRANT), its revocation (VM_SAFEREVMAP) and the
 * copy-on-write safecopy (VM_COWCOPY). The kernel checks every grant
 * (SYS_GRANTINFO); VM only acts on the memory it leads to.
 */
#ifndef CAIRN_VM_SAFEMAP_H
#define CAIRN_VM_SAFEMAP_H

#include "cairn/ipc.h"
#include "vm/vmproc.h"

struct region;

/* mem_shared's create for MAP_GRANT: r (new, of vmp) gets the owner's
 * memory the grant leads to. OK, or the kernel's error for the grant,
 * EINVAL (memory not page-aligned), EFAULT (not one region of the
 * owner's that can be shared), EPERM (the owner's own memory). */
int safemap_create(struct vmproc *vmp, struct region *r,
	const struct vm_mmap *req);

/* Safemaps are indexed by granter (the endpoint whose grant id made
 * them), so that VM_SAFEREVMAP visits only that granter's mappings.
 * safemap_record adds the mapping [start, +len) of grantee made through
 * granter's grant (safemap_create; safemap_fork for a fork's child):
 * OK or ENOMEM. safemap_drop_granter forgets a granter's index (it
 * exits; its mappings stay, and nobody can revoke them any more). */
int safemap_record(endpoint_t granter, endpoint_t grantee, vir_bytes start,
	vir_bytes len, uint32_t grant);
void safemap_drop_granter(endpoint_t granter);
/* A fork's child (entered, with its endpoint) has copies of its parent's
 * safemaps: each is indexed, or unmapped from the child when there is no
 * memory to index it. */
void safemap_fork(struct vmproc *child);

/* VM_SAFEREVMAP and VM_COWCOPY: serve and reply. */
void saferevmap_request(const message *m);
void cowcopy_request(const message *m);

#endif /* CAIRN_VM_SAFEMAP_H */
