/*
 * VM_FORK: the child's address space, a copy of its parent's, and the
 * kernel's process for it (SYS_FORK).
 */
#ifndef CAIRN_VM_FORK_H
#define CAIRN_VM_FORK_H

#include "cairn/ipc.h"
#include "vm/vmproc.h"

/* Builds into *child (zeroed by the caller) a copy of parent's address
 * space: a new directory, the same regions, break and name, and a copy
 * of every page present in the parent. OK, or ENOMEM with nothing left
 * allocated. */
int fork_space(struct vmproc *parent, struct vmproc *child);

/* VM_FORK (PM only): u.vm_fork.parent, blocked in its SENDREC to PM,
 * gets a child; the reply's value[0] is the child's endpoint. ESRCH
 * for a parent VM does not know; the kernel's refusal as it comes. */
void fork_request(const message *m);

#endif /* CAIRN_VM_FORK_H */
