/*
 * Where things are in the address spaces VM builds, and in VM's own: the
 * direct map through which VM reaches every physical page, and the user
 * stack every boot program starts on.
 */
#ifndef CAIRN_VM_SERVER_LAYOUT_H
#define CAIRN_VM_SERVER_LAYOUT_H

#include <stdint.h>
#include "cairn/types.h"
#include "vm/pmem.h"

#define VM_PAGE_SIZE	4096u
#define VM_PAGE_MASK	(VM_PAGE_SIZE - 1)

/* VM's own space: physical address P is at VM_PHYS_BASE + P, for P below
 * PMEM_LIMIT (the kernel maps it so before VM runs). */
#define VM_PHYS_BASE	0x80000000u

/* Every address space: user memory below USER_LIMIT, the kernel above. */
#define USER_LIMIT	0xF0000000u

/* The initial stack of a program: it may grow down to USER_STACK_SIZE,
 * pages appear as they are touched. */
#define USER_STACK_TOP	0xEF000000u
#define USER_STACK_SIZE	0x00800000u

static inline vir_bytes page_trunc(vir_bytes a)
{
	return a & ~VM_PAGE_MASK;
}

/* Rounds up; callers make sure a + VM_PAGE_MASK does not wrap. */
static inline vir_bytes page_round(vir_bytes a)
{
	return (a + VM_PAGE_MASK) & ~VM_PAGE_MASK;
}

/* Where VM sees physical address 0: VM_PHYS_BASE (frame.c). A variable
 * so that the host tests can put memory standing in for RAM there. */
extern uintptr_t phys_base;

/* Where VM sees physical address pa. */
static inline void *phys_ptr(phys_bytes pa)
{
	return (void *)(phys_base + pa);
}

#endif /* CAIRN_VM_SERVER_LAYOUT_H */
