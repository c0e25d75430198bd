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

/* VM_SAFEREVMAP and VM_COWCOPY: serve and reply. */
void saferevmap_request(const message *m);
void cowcopy_request(const message *m);

#endif /* CAIRN_VM_SAFEMAP_H */
