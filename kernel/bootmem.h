/*
 * The kernel's copy of kinfo and its free-memory list, which the kernel
 * draws from only while it boots (later, VM owns free memory).
 */
#ifndef CAIRN_BOOTMEM_H
#define CAIRN_BOOTMEM_H

#include "kernel/kinfo.h"

extern struct kinfo kinfo;

/* Takes `bytes` (whole pages) aligned to `align` from the free list and
 * returns its physical address, or 0 when no free range can hold it. */
phys_bytes bootmem_take(uint32_t bytes, uint32_t align);

/* The same, ending at or below `limit` (page tables and directories must
 * lie where the kernel can reach them). */
phys_bytes bootmem_take_below(uint32_t bytes, uint64_t limit);

#endif /* CAIRN_BOOTMEM_H */
