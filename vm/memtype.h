/*
 * Memory types: what a region's pages are and how they come to be. Every
 * type answers the same operations; a region names its type (MT_* in
 * region.h) and fault.c calls through this table. Anonymous memory is the
 * only type so far; shared, physical and copy-on-write types come here.
 */
#ifndef CAIRN_VM_MEMTYPE_H
#define CAIRN_VM_MEMTYPE_H

#include "cairn/types.h"
#include "vm/region.h"
#include "vm/vmproc.h"

struct mem_type {
	const char *name;
	/* Makes the page at va (page-aligned, inside r) present, writable
	 * if write; r allows the access. OK or ENOMEM. */
	int (*page_in)(struct vmproc *vmp, struct region *r, vir_bytes va,
		int write);
};

extern const struct mem_type *const mem_types[MT_COUNT];

extern const struct mem_type mem_anon;

#endif /* CAIRN_VM_MEMTYPE_H */
