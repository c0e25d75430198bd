/*
 * The privileges VM gives each boot program: which kernel calls it may
 * make and to whom it may send.
 */
#ifndef CAIRN_VM_PRIV_H
#define CAIRN_VM_PRIV_H

#include "cairn/calls.h"

/* Fills np->calls and np->ipc_to for a program called name whose module
 * string had role=<role> (role NULL if none). The role's entry wins over
 * the name's; the default applies when neither has one. */
void priv_for(const char *name, const char *role, struct sys_newproc *np);

/* The VMP_* rights such a program has with VM (VMP_MAYPHYS). */
uint32_t priv_vm_flags(const char *name, const char *role);

#endif /* CAIRN_VM_PRIV_H */
