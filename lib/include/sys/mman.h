/*
 * Memory mappings, shaped like POSIX's but on Cairn's VM server: mmap()
 * returns the address or MAP_FAILED, munmap() returns OK or a negative
 * code, and both leave their status (OK or a negative code from
 * cairn/errno.h) in vm_errno. The MAP_* and PROT_* values are VM's own
 * (cairn/calls.h): MAP_ANON is private zero-filled memory that forks copy
 * on write, MAP_PREALLOC makes every page present at once, MAP_FIXED maps
 * exactly at addr, replacing what was there; without it addr is a hint.
 * The other memory types and the block cache are in cairn/vmlib.h.
 */
#ifndef CAIRN_LIBC_SYS_MMAN_H
#define CAIRN_LIBC_SYS_MMAN_H

#include <stddef.h>
#include "cairn/calls.h"

#define MAP_FAILED	((void *)-1)

/* The status of the last mmap() or munmap(): OK, or why it failed. */
extern int vm_errno;

/* Anonymous memory (flags: MAP_ANON plus MAP_FIXED, MAP_PREALLOC), or
 * any type that needs no more than these four arguments. */
void *mmap(void *addr, size_t len, int prot, int flags);

/* Unmaps every page of [addr, +len) (addr page-aligned, len rounded up);
 * regions only partly inside are cut. OK, or EINVAL. */
int munmap(void *addr, size_t len);

#endif /* CAIRN_LIBC_SYS_MMAN_H */
