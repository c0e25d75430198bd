/*
 * Reaching another process's memory from the kernel: a window in the
 * current page directory (WINDOW_AREA), never a CR3 reload.
 */
#ifndef CAIRN_WINDOW_H
#define CAIRN_WINDOW_H

#include <stdint.h>
#include "cairn/types.h"

struct proc;

/* Copies len bytes between the current address space and p's: to p when
 * to_other, else from p. Returns 0, or EFAULT when a range is not a user
 * range or a page on either side is not there. */
int window_copy(struct proc *p, vir_bytes other, vir_bytes mine,
	uint32_t len, int to_other);

#endif /* CAIRN_WINDOW_H */
