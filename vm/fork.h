/*
 * VM_FORK (from PM only): a child address space sharing every private
 * page of the parent copy-on-write, and the kernel's copy of the parent
 * process on it.
 */
#ifndef CAIRN_VM_FORK_H
#define CAIRN_VM_FORK_H

#include "cairn/ipc.h"
#include "vm/vmproc.h"

/* Builds child's regions and directory from parent's: private pages
 * shared read-only (the parent's writable mappings downgraded, one
 * invalidation call for all), contiguous memory copied, shared and
 * device memory mapped as it is. OK or ENOMEM/EOVERFLOW, and then child
 * holds nothing. */
int fork_space(struct vmproc *parent, struct vmproc *child);

void fork_request(const message *m);

#endif /* CAIRN_VM_FORK_H */
