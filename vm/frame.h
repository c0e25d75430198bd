/*
 * VM's physical frames: the one page allocator, filled from kinfo, with
 * every frame handed out zeroed through the direct map.
 */
#ifndef CAIRN_VM_FRAME_H
#define CAIRN_VM_FRAME_H

#include "cairn/types.h"
#include "kernel/kinfo.h"
#include "vm/pmem.h"

/* Takes over the free memory kinfo lists; page tables will come from
 * below ki->mapped_end. */
void frame_init(const struct kinfo *ki);

/* A zeroed frame for the given use, or 0 when memory is out. */
phys_bytes frame_alloc(enum pmem_use use);

/* Gives back a frame frame_alloc returned; panics on a frame that is not
 * allocated (a broken invariant of VM's own bookkeeping). */
void frame_free(phys_bytes pa);

void frame_stats(struct pmem_stats *st);

#endif /* CAIRN_VM_FRAME_H */
