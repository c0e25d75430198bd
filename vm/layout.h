/*
 * Where things are in the address spaces VM builds, and in VM's own: the
 * direct map and the frame window through which VM reaches physical
 * pages, VM's own heap and page area, and the user stack every boot
 * program starts on.
 */
#ifndef CAIRN_VM_SERVER_LAYOUT_H
#define CAIRN_VM_SERVER_LAYOUT_H

#include <stdint.h>
#include "cairn/types.h"
#include "cairn/layout.h"		/* USER_LIMIT, VM_PHYS_BASE, VM_STACK_TOP */
#include "cairn/arch/i386/mmu.h"
#include "vm/pmem.h"

#define VM_PAGE_SIZE	((vir_bytes)PAGE_SIZE)
#define VM_PAGE_MASK	(VM_PAGE_SIZE - 1)

/*
 * VM's own space, low to high:
 *
 *   0x08048000  VM's image (text, rodata, data, bss), as the kernel loaded it
 *   0x10000000  VM_HEAP_BASE: VM's malloc heap (self.c's brk/sbrk); frames
 *               are mapped as the break grows, unmapped as it shrinks
 *   0x40000000  VM_MMAP_BASE: pages VM maps for itself (vm_mmap_self: the
 *               slab pages, the sanity map), each run apart from the heap
 *   0x60000000  VM_MMAP_LIMIT, VM_WINDOW_BASE: the frame window, one page
 *               table's worth of slots where VM maps the frames it zeroes
 *               and copies above the direct map (frame.c)
 *   0x60400000  unused up to VM's stack
 *   0x7ffe0000  VM's stack (VM_STACK_PAGES below VM_STACK_TOP, kernel/vmboot.c)
 *   0x80000000  VM_PHYS_BASE: the direct map, 4 MiB pages
 *
 * Physical address P is at VM_PHYS_BASE + P for P below phys_direct_end:
 * the kernel's mapped_end (at most 192 MiB), which holds every page
 * table, page directory and boot module, so the kernel maps just that
 * before VM runs. The frames above, up to 4 GiB, VM reaches through
 * frame_map. Heap and page area are sized for address space only; free
 * memory bounds them long before.
 */
#define VM_HEAP_BASE	0x10000000u
#define VM_HEAP_LIMIT	0x40000000u
#define VM_MMAP_BASE	0x40000000u
#define VM_MMAP_LIMIT	0x60000000u
#define VM_WINDOW_BASE	0x60000000u

/* The initial stack of a program: it may grow down to USER_STACK_SIZE,
 * pages appear as they are touched. */
#define USER_STACK_TOP	0xEF000000u
#define USER_STACK_SIZE	0x00800000u

/* The lowest address a process may have memory at: page 0 stays
 * unmapped in every space, so that a null pointer always faults. */
#define USER_FLOOR	VM_PAGE_SIZE

/* 1 if [start, +len) is a non-empty range a process may hold memory in:
 * at or above USER_FLOOR, not wrapping past 4 GiB, ending at or below
 * USER_LIMIT (the kernel's part). Every range a request names goes
 * through this before VM acts on it. */
static inline int user_range_ok(vir_bytes start, uint64_t len)
{
	return len != 0 && start >= USER_FLOOR &&
		(uint64_t)start + len <= USER_LIMIT;
}

static inline vir_bytes page_trunc(vir_bytes a)
{
	return a & ~VM_PAGE_MASK;
}

/* Rounds up; callers make sure a + VM_PAGE_MASK does not wrap. */
static inline vir_bytes page_round(vir_bytes a)
{
	return (a + VM_PAGE_MASK) & ~VM_PAGE_MASK;
}

/* Rounds up without wrapping: a caller's length near 4 GiB stays big. */
static inline uint64_t page_round64(uint64_t a)
{
	return (a + VM_PAGE_MASK) & ~(uint64_t)VM_PAGE_MASK;
}

/* Where VM sees physical address 0: VM_PHYS_BASE (frame.c). A variable
 * so that the host tests can put memory standing in for RAM there. */
extern uintptr_t phys_base;

/* The end of the direct map: main.c sets it to the kernel's mapped_end;
 * on the host (the default) all of memory is direct. */
extern phys_bytes phys_direct_end;

/* Where VM sees physical address pa, for pa below phys_direct_end only
 * (page tables, directories, modules); frame_map reaches any frame. */
static inline void *phys_ptr(phys_bytes pa)
{
	return (void *)(phys_base + pa);
}

#endif /* CAIRN_VM_SERVER_LAYOUT_H */
