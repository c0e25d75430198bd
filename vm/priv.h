/*
 * The privileges VM gives each boot program: which kernel calls it may
 * make and to whom it may send.
 */
#ifndef CAIRN_VM_PRIV_H
#define CAIRN_VM_PRIV_H

#include "cairn/calls.h"

/* Fills np->calls, np->ipc_to and np->parent for a program called name
 * whose command had role=<role> (role NULL if none). The role's entry
 * wins over the name's; the default applies when neither has one.
 * parent is NONE for a boot program, else the process that asked for
 * it: the kernel then bounds calls and ipc_to by the parent's, and the
 * record right (PRIV_RECORD) is never given. */
void priv_for(const char *name, const char *role, endpoint_t parent,
	struct sys_newproc *np);

/* The VMP_* rights such a program has with VM (VMP_MAYPHYS), at most
 * the parent's (none if VM does not know it). */
uint32_t priv_vm_flags(const char *name, const char *role, endpoint_t parent);

/* VMP_* rights flags asked for a process of parent: at most parent's
 * VMP_MAYPHYS (nothing else passes on). */
uint32_t priv_bound_vm_flags(uint32_t flags, endpoint_t parent);

#endif /* CAIRN_VM_PRIV_H */
