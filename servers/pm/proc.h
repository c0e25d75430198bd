/*
 * PM's table of processes: who is whose parent, who is a zombie waiting
 * to be reaped, who waits for a child. A pid is an endpoint, so an entry
 * is found by the exact endpoint; a zombie keeps its entry while the
 * kernel may already have given its slot (with a new generation) to
 * someone else, hence a plain table searched by endpoint, not one
 * indexed by slot.
 */
#ifndef CAIRN_PM_PROC_H
#define CAIRN_PM_PROC_H

#include <stdint.h>
#include "cairn/types.h"

#define PM_MAX_PROCS	512	/* the kernel's slots, plus zombies */

#define PMF_ZOMBIE	0x1	/* dead; status kept for the parent */
#define PMF_WAITING	0x2	/* blocked in PM_WAIT for wait_pid */

struct pm_proc {
	endpoint_t ep;		/* NONE: a free entry */
	endpoint_t parent;	/* NONE: none (boot program, orphan) */
	uint32_t flags;		/* PMF_* */
	int32_t status;		/* a zombie's exit status */
	int32_t wait_pid;	/* PMF_WAITING: -1 (any child) or a pid */
};

void pm_table_init(void);

/* The entry of ep, zombie or live, or NULL. */
struct pm_proc *pm_lookup(endpoint_t ep);

/* A new live entry; NULL when the table is full. */
struct pm_proc *pm_add(endpoint_t ep, endpoint_t parent);

void pm_remove(struct pm_proc *p);

/* No entry left for a new process. */
int pm_full(void);

/* Iteration over the entries in use: pm_next(NULL) is the first. */
struct pm_proc *pm_next(struct pm_proc *p);

/* Does p's child c match a wait for pid (-1: any)? */
static inline int pm_wait_matches(int32_t pid, const struct pm_proc *c)
{
	return pid == -1 || (endpoint_t)pid == c->ep;
}

#endif /* CAIRN_PM_PROC_H */
