/*
 * Memory got back from the block cache: a region made by VM_CACHE_GET
 * around the blocks a process once yielded. From then on its pages are
 * private memory like anonymous ones (copy-on-write after fork, zero
 * fill for pages that were never touched before the yield), so the
 * operations are anonymous memory's; the type says where the region
 * came from.
 */
#include "vm/memtype.h"

const struct mem_type mem_cache = {
	.name = "block cache",
	.page_fault = anon_page_fault,
	.reference = anon_reference,
	.unreference = anon_unreference,
	.resize = anon_resize,
	.copy = anon_copy,
	.sanity = anon_sanity,
};
