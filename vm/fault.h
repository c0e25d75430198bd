/*
 * Making pages present: user page faults (VM_PAGEFAULT, sent by the kernel
 * on the faulter's behalf) and the kernel's memory requests share one
 * rule, fault_make_present.
 */
#ifndef CAIRN_VM_FAULT_H
#define CAIRN_VM_FAULT_H

#include "cairn/ipc.h"
#include "vm/tlb.h"
#include "vm/vmproc.h"

/* Results of fault_make_present besides OK and ENOMEM. */
#define FAULT_NOREGION	EFAULT	/* no region holds the address */
#define FAULT_READONLY	EPERM	/* a write where none is allowed */

/* Makes the page holding va present in vmp's space, and writable if
 * write; a frame replaced under an old mapping goes into tb. OK,
 * FAULT_NOREGION, FAULT_READONLY, ENOMEM or EFAULT. */
int fault_make_present(struct vmproc *vmp, vir_bytes va, int write,
	struct tlb_batch *tb);

/* Page faults served since VM started. */
uint32_t fault_count(void);

/* Makes [addr, addr+len) present (writable if write): OK, EFAULT when a
 * page has no region or is read-only, ENOMEM. */
int fault_make_range_present(struct vmproc *vmp, vir_bytes addr,
	uint32_t len, int write);

/* VM_PAGEFAULT: serve it and let the process go on, or kill it. */
void fault_pagefault(const message *m);

/* NOTIFY_KERNEL_MEMREQ: serve every waiting kernel memory request. */
void fault_memreqs(void);

#endif /* CAIRN_VM_FAULT_H */
