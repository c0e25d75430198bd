/*
 * A process's first user context on i386: where it starts, on which
 * stack, with flat user segments and interrupts on.
 */
#ifndef CAIRN_USERCTX_H
#define CAIRN_USERCTX_H

#include "cairn/types.h"

struct proc;

/* Gives p a fresh user context: entry, stack, flat user segments, and
 * pgdir as its address space. */
void proc_setup_user(struct proc *p, phys_bytes pgdir, vir_bytes entry,
	vir_bytes stack);

#endif /* CAIRN_USERCTX_H */
