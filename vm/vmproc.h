/*
 * VM's table of the processes whose memory it manages, indexed by the
 * slot part of the endpoint. An entry is found only by the exact endpoint
 * (generation included), so a stale endpoint never reaches a slot's new
 * owner.
 */
#ifndef CAIRN_VM_VMPROC_H
#define CAIRN_VM_VMPROC_H

#include <stdint.h>
#include "cairn/types.h"
#include "vm/region.h"

#define VMP_INUSE	0x1
#define VMP_MAYPHYS	0x2	/* may map physical ranges (a driver) */
#define VMP_BENCH	0x4	/* may make the lab's benchmark-only requests */
#define VMP_ADMIN	0x8	/* may ask RS to update services */

#define VMP_NAME_LEN	12	/* as struct sys_newproc names it */

struct vmproc {
	uint32_t flags;		/* VMP_* */
	endpoint_t ep;
	phys_bytes pgdir;	/* physical address of its page directory */
	struct region_set regions;
	vir_bytes heap_start;	/* where the heap region starts */
	vir_bytes brk;		/* the exact break, unrounded */
	char name[VMP_NAME_LEN];
	endpoint_t manager;	/* its signal manager: PM, or RS (a service) */
};

/* The process with exactly this endpoint, or NULL. */
struct vmproc *vmproc_lookup(endpoint_t ep);

/* Enters a process built elsewhere (regions and directory move into the
 * table) under the endpoint the kernel gave it. Panics when the slot is
 * taken: the kernel reused a slot VM still manages. */
struct vmproc *vmproc_enter(endpoint_t ep, const struct vmproc *built);

/* Iteration over the processes in the table: the first after prev
 * (NULL: the first of all), or NULL at the end. */
struct vmproc *vmproc_next(struct vmproc *prev);

/* Empties the entry (its memory must have been freed already). */
void vmproc_remove(struct vmproc *vmp);

#endif /* CAIRN_VM_VMPROC_H */
