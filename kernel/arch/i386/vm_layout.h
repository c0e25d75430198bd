/*
 * The kernel's own areas in its part of every address space (KERNEL_BASE
 * and up, cairn/layout.h), and the physical load address. Shared by C and
 * assembly, so it holds nothing but plain constants. What VM must agree
 * on (KERNEL_BASE, VM_PHYS_BASE, page sizes and entry bits) is in
 * cairn/layout.h and cairn/arch/i386/mmu.h, which this includes.
 */
#ifndef CAIRN_VM_LAYOUT_H
#define CAIRN_VM_LAYOUT_H

#include "cairn/layout.h"
#include "cairn/arch/i386/mmu.h"

#define KERNEL_LOAD	0x00100000	/* where the loader puts the image */

/* Physical [0, mapped_end) is mapped at KERNEL_BASE; mapped_end (kinfo)
 * covers the image and the boot modules and stops below KMAP_LIMIT. */
#define KMAP_LIMIT	0xFC000000

/* 16 MiB for the benchmarks' own 4 KiB mappings. */
#define BENCH_AREA	0xFC000000
#define BENCH_AREA_SIZE	0x01000000

/* A window onto another process's memory: the kernel copies one of that
 * process's page-directory entries into this slot of the current
 * directory (supervisor only), invalidates the pages it touches, copies,
 * and clears the slot again. */
#define WINDOW_AREA	0xFD000000

/* Device registers, identity-mapped uncached (one PSE page): I/O APICs
 * at 0xFEC00000, local APIC at 0xFEE00000. */
#define DEVICE_AREA	0xFEC00000

/* A 4 MiB window onto any physical range (ACPI tables, ...). */
#define PHYS_WINDOW	0xFF800000

/* AP start-up: the real-mode trampoline's page (below 1 MiB). */
#define TRAMPOLINE_PHYS	0x00007000

#endif /* CAIRN_VM_LAYOUT_H */
