/*
 * The fast kernel entries: which ones this CPU has (sysenter everywhere it
 * is reported; syscall where the CPU supports it in 32-bit mode, which
 * AMD does and Intel does not), and their per-CPU set-up.
 */
#ifndef CAIRN_FASTENTRY_H
#define CAIRN_FASTENTRY_H

#include <stdint.h>

void fastentry_init_cpu(uint32_t kstack_top);
uint32_t fastentry_mask(void);	/* 1 << ENTRY_* per mechanism */
uint32_t fastentry_best(void);	/* the one user programs should use */

#endif /* CAIRN_FASTENTRY_H */
