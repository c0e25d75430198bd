/*
 * Regions and their pages in one place: making a region of a memory
 * type, mapping a block at a page, and taking any range of an address
 * space away. Every way memory leaves a process (munmap, MAP_FIXED over
 * old memory, a shrinking break, exit) goes through map_unmap_range or
 * map_free_all, so blocks are released and TLBs invalidated one way.
 */
#ifndef CAIRN_VM_MAP_H
#define CAIRN_VM_MAP_H

#include "vm/memtype.h"

/* Where mmap puts regions when no address is asked for. */
#define MAP_AREA_START	0x40000000u
#define MAP_AREA_END	0xE0000000u

/* Maps block pb at va (a page of r) in vmp's directory: writable when r
 * allows writes and the block may be written (pb_writable). OK or
 * ENOMEM (no page table). A present page becoming writable, or a page
 * becoming present, needs no invalidation. */
int map_page(struct vmproc *vmp, const struct region *r, vir_bytes va,
	const struct phys_block *pb);

/* A new region [start, +len) of type with flags, created by the type
 * (req may be NULL for types that need nothing from it). OK, *out set;
 * or an error and no region. */
int map_region_new(struct vmproc *vmp, vir_bytes start, vir_bytes len,
	uint32_t type, uint32_t flags, const struct vm_mmap *req,
	struct region **out);

/* A process moves r's end (brk, an mmap extending r): its type says
 * whether r may take length len, then the set makes room. OK, EINVAL
 * (the type refuses) or region_resize's error. */
int map_resize(struct vmproc *vmp, struct region *r, vir_bytes len);

/* Unmaps and releases the pages [first, first + n) of r. */
void map_release(struct vmproc *vmp, struct region *r, uint32_t first,
	uint32_t n, struct tlb_batch *tb);

/* Takes [start, end) (page-aligned) out of vmp's space: regions inside
 * go, regions across an end are cut (split or shrunk). Empty regions
 * (the unused heap) stay. OK or ENOMEM (a split found no memory; what
 * was done stays done). The invalidations are added to tb. */
int map_unmap_range(struct vmproc *vmp, vir_bytes start, vir_bytes end,
	struct tlb_batch *tb);

/* The first slot of r at or after index i, below n, that holds a block,
 * or n. A slot holds a block only where the page is mapped, so the 4 MiB
 * spans without a page table are skipped whole: a sparse region (the
 * 8 MiB stack) costs its page tables, not its length. */
uint32_t map_next_used(const struct vmproc *vmp, const struct region *r,
	uint32_t i, uint32_t n);

/* Exit: every region's blocks released, the regions, page tables and
 * directory freed. The process no longer runs anywhere. */
void map_free_all(struct vmproc *vmp);

#endif /* CAIRN_VM_MAP_H */
