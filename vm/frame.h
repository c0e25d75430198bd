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

/* A zeroed frame for the given use, or 0 when memory is out. User
 * frames make the block cache give memory back before giving up. */
phys_bytes frame_alloc(enum pmem_use use);

/* The same without zeroing: the caller fills the whole frame. */
phys_bytes frame_alloc_dirty(enum pmem_use use);

/* npages zeroed contiguous frames starting at a multiple of align pages
 * (0 or 1: any), ending at or below limit (0: anywhere); 0 when none. */
phys_bytes frame_alloc_run(uint32_t npages, uint32_t align, phys_bytes limit);

/* 1 if any page of [pa, +len) is RAM: what kinfo.ram lists (all RAM
 * the loader reported), VM's free list, the kernel image or a module.
 * Direct physical mappings are for device ranges only, whoever asks. */
int frame_range_is_ram(phys_bytes pa, uint32_t len);

/* Gives back a frame frame_alloc returned; panics on a frame that is not
 * allocated (a broken invariant of VM's own bookkeeping). */
void frame_free(phys_bytes pa);

void frame_stats(struct pmem_stats *st);

/* 1 if the frame holding pa is free (unmanaged memory is not). */
int frame_is_free(phys_bytes pa);

/* The end of the physical memory VM knows of: managed pages, and the
 * kernel's mapped_end, lie below it. */
phys_bytes frame_top(void);

/* pmem_check of the allocator: 0, or its negative code. */
int frame_check(void);

#endif /* CAIRN_VM_FRAME_H */
