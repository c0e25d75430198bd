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

/* The process ep names for SYS_FORK or SYS_EXEC, to be given the new
 * directory pgdir: OK and *out when it is blocked in the RECEIVE half of
 * a SENDREC and nothing else (its registers are those of the call, and
 * no message waits to be copied in), is neither the caller nor VM, and
 * pgdir is a directory no live process runs on (two processes on one
 * directory would see each other's writes: a VM bookkeeping error that
 * must not pass silently). EBADEPT or EINVAL otherwise. */
int proc_pm_waiter(const struct proc *caller, endpoint_t ep,
	phys_bytes pgdir, struct proc **out);

/* p (proc_pm_waiter's, checked by the caller) gets the new image
 * e describes: fresh registers at e->entry and e->stack, the initial FPU
 * state, no grant table, its receive forgotten, runnable again; no CPU
 * keeps its old directory loaded. Endpoint, privileges, priority,
 * queued senders and pending notifications stay. */
void proc_exec(struct proc *p, const struct sys_exec *e);

/* Tears p down: out of every queue, off every CPU, slot freed. */
void proc_teardown(struct proc *p);

/* Stops p for good (how: KSIG_*): out of IPC, never runs again, slot
 * and memory kept; its signal manager is notified and takes it with
 * proc_next_stopped (SYS_GETKSIG), or, without a live manager, VM is
 * told as if p had sent VM_EXIT with status. */
void proc_stop(struct proc *p, uint32_t how, int status);

/* The next process stopped for manager mgr that mgr has not taken, now
 * taken; NULL when none. */
struct proc *proc_next_stopped(const struct proc *mgr);

/* Kills p from the kernel (a fault it cannot survive): reported on the
 * console, then proc_stop(KSIG_FAULT). */
void proc_kill(struct proc *p, const char *why);
/* The same with the exit status its parent sees (proc_kill: EFAULT). */
void proc_kill_status(struct proc *p, const char *why, int status);

/* Live update: a and b swap what they run (registers, address space,
 * entry style, FPU state, name, grant table, alarm, the receive they
 * wait in); endpoint, privileges, queued senders and pending
 * notifications stay with each slot. EAGAIN unless both are blocked
 * receiving with nothing in flight. */
int proc_update(struct proc *a, struct proc *b);

#endif /* CAIRN_LIFECYCLE_H */
