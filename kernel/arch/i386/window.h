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

/* Where a copy faulted: in p's memory (in_other 1) or in the current
 * space (0), at addr in that space; -1: the range itself was refused. */
struct window_fault {
	int in_other;
	vir_bytes addr;
};

/* window_copy, saying where it faulted, so that the caller can ask VM to
 * make that page present (a copy through a grant) and try again. */
int window_copy_fault(struct proc *p, vir_bytes other, vir_bytes mine,
	uint32_t len, int to_other, struct window_fault *wf);

/* Reads len bytes of p's memory at other into the kernel's buf: 0, or
 * EFAULT (not a user range, or not present). */
int window_read(struct proc *p, vir_bytes other, void *buf, uint32_t len);
/* window_read of len bytes, then of their first again_len bytes again
 * into again, through one window: a reader that checks a record was not
 * changed under it (kernel/grant.c) pays for one window, not two. */
int window_read_again(struct proc *p, vir_bytes other, void *buf,
	uint32_t len, void *again, uint32_t again_len);

#endif /* CAIRN_WINDOW_H */
