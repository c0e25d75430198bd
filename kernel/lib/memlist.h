/*
 * The free physical memory list kept in struct kinfo: sorted by base,
 * ranges never overlap or touch (touching ranges are merged), every range
 * page-aligned. Used by the multiboot parser (low) and the kernel (high).
 */
#ifndef CAIRN_MEMLIST_H
#define CAIRN_MEMLIST_H

#include <stdint.h>
#include "../kinfo.h"

#define MEMLIST_PAGE	4096u

/* Adds [base, base+len) after shrinking it to whole pages. Returns 0, or
 * -1 when the list is full (KINFO_F_MEM_TRUNC is then set and the range
 * dropped). */
int memlist_add(struct kinfo *ki, uint64_t base, uint64_t len);

/* Removes [base, base+len) after growing it to whole pages; splits ranges
 * as needed. Returns 0, or -1 when a split found the list full (the part
 * that did not fit is dropped, KINFO_F_MEM_TRUNC set: memory is lost,
 * never handed out twice). */
int memlist_remove(struct kinfo *ki, uint64_t base, uint64_t len);

/* Total bytes in the list. */
uint64_t memlist_total(const struct kinfo *ki);

#endif /* CAIRN_MEMLIST_H */
