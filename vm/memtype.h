/*
 * Memory types: what a region's pages are and how they come to be. Every
 * type answers the same operations, in its own file (mem_*.c); a region
 * names its type (MT_* in region.h) and the rest of VM calls through
 * mem_types[]. An operation a type does not need is NULL.
 */
#ifndef CAIRN_VM_MEMTYPE_H
#define CAIRN_VM_MEMTYPE_H

#include "cairn/ipc.h"
#include "vm/physblock.h"
#include "vm/region.h"
#include "vm/tlb.h"
#include "vm/vmproc.h"

struct mem_type {
	const char *name;
	/* A new region r from an mmap request: take or check what it
	 * needs (contiguous frames, the physical range, the grant). OK or
	 * an error code; on error r holds nothing. */
	int (*create)(struct vmproc *vmp, struct region *r,
		const struct vm_mmap *req);
	/* Makes the page at va (page-aligned, inside r) present, and
	 * writable if write; r allows the access. A frame replaced under
	 * an old mapping goes into tb. OK, ENOMEM or EFAULT. */
	int (*page_fault)(struct vmproc *vmp, struct region *r, vir_bytes va,
		int write, struct tlb_batch *tb);
	/* A new reference to the page at va for another holder (a grant's
	 * mapping): present first, writable if write, and shared from now
	 * on. *pb gets the block, its count raised. */
	int (*reference)(struct vmproc *vmp, struct region *r, vir_bytes va,
		int write, struct tlb_batch *tb, struct phys_block **pb);
	/* Releases the slots [first, first + n) of r (their mappings are
	 * gone already) and empties them. */
	void (*unreference)(struct vmproc *vmp, struct region *r,
		uint32_t first, uint32_t n);
	/* May r take length len (its start staying) when its process
	 * moves its end (map_resize: brk, an mmap extending it)? OK or
	 * EINVAL. Unmapping part of r does not ask. */
	int (*resize)(struct region *r, vir_bytes len);
	/* r was cut: tail holds what followed; adjust the type data. */
	void (*split)(struct region *r, struct region *tail);
	/* Fork: child region cr (same place, type, flags and data as r,
	 * slots empty) gets r's pages, mapped in child's directory;
	 * mappings of r downgraded on the way go into tb. */
	int (*copy)(struct vmproc *parent, struct region *r,
		struct vmproc *child, struct region *cr, struct tlb_batch *tb);
	/* Sanity-check build: mark every frame r owns. */
	void (*sanity)(struct vmproc *vmp, struct region *r);
};

extern const struct mem_type mem_anon, mem_contig, mem_phys, mem_shared,
	mem_cache;
extern const struct mem_type *const mem_types[MT_COUNT];

static inline const struct mem_type *mem_type_of(const struct region *r)
{
	return mem_types[r->type];
}

/*
 * Shared by the types that hold private, copy-on-write pages (anonymous,
 * contiguous after fork, the block cache): mem_anon.c.
 */

/* Page fault of a private page: zero fill, or break the copy-on-write
 * share (map_clone_ph_block), or just allow writing when the block has
 * no other holder. Decides before allocating: no frame when none is
 * needed. */
int anon_page_fault(struct vmproc *vmp, struct region *r, vir_bytes va,
	int write, struct tlb_batch *tb);
int anon_reference(struct vmproc *vmp, struct region *r, vir_bytes va,
	int write, struct tlb_batch *tb, struct phys_block **pb);
void anon_unreference(struct vmproc *vmp, struct region *r, uint32_t first,
	uint32_t n);
/* Fork of private pages: both sides hold every block, read-only. */
int anon_copy(struct vmproc *parent, struct region *r, struct vmproc *child,
	struct region *cr, struct tlb_batch *tb);
void anon_sanity(struct vmproc *vmp, struct region *r);
/* Private memory may take any length. */
int anon_resize(struct region *r, vir_bytes len);

#endif /* CAIRN_VM_MEMTYPE_H */
