/*
 * A process's life in the kernel (lifecycle.c).
 */
#ifndef CAIRN_LIFECYCLE_H
#define CAIRN_LIFECYCLE_H

#include "cairn/calls.h"

struct proc;

/* Makes a process of the address space and request n (checked by the
 * caller), its rights bounded by parent's (NULL: none); held until VM
 * enables paging at boot. EBUSY when the table is full. */
int proc_create(const struct sys_newproc *n, const struct proc *parent,
	endpoint_t *ep);

/* Tears p down: out of every queue, off every CPU, slot freed. */
void proc_teardown(struct proc *p);

/* Kills p from the kernel (a fault it cannot survive): reported on the
 * console, and VM is told as if p had exited. */
void proc_kill(struct proc *p, const char *why);
/* The same with the exit status its parent sees (proc_kill: EFAULT). */
void proc_kill_status(struct proc *p, const char *why, int status);

#endif /* CAIRN_LIFECYCLE_H */
