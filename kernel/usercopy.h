/*
 * Copies between the kernel and the current (user) address space. A user
 * range lies wholly below KERNEL_BASE; the copies check that and nothing
 * else: a page that is not present ends the copy with its address, and
 * the caller decides (memory request to VM, or EFAULT).
 */
#ifndef CAIRN_USERCOPY_H
#define CAIRN_USERCOPY_H

#include <stdint.h>
#include "cairn/types.h"
#include "cairn/layout.h"

/* Is [a, a + len) all user memory? */
static inline int user_range(vir_bytes a, uint32_t len)
{
	return a < KERNEL_BASE && len <= KERNEL_BASE - a;
}

/* The fault-tolerant copy (arch): 0, or the faulting address. */
uint32_t copy_user(void *dst, const void *src, uint32_t len);

/* One 64-byte message from src to dst, both checked by the caller (one
 * of them a user range in the current space): 0, or the faulting address.
 * The IPC paths' copy: a fixed length, no length arithmetic. */
uint32_t copy_msg(void *dst, const void *src) __attribute__((regparm(2)));

/* Copies from and to the current address space: 0, or the faulting
 * address, or 1 when the range is not a user range at all. */
uint32_t copy_from_current(void *dst, vir_bytes src, uint32_t len);
uint32_t copy_to_current(vir_bytes dst, const void *src, uint32_t len);

#endif /* CAIRN_USERCOPY_H */
