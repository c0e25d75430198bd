/*
 * The kernel's part of every address space (0xF0000000 and up), and the
 * physical load address. Shared by C, assembly and the linker script, so
 * it holds nothing but plain constants.
 */
#ifndef CAIRN_VM_LAYOUT_H
#define CAIRN_VM_LAYOUT_H

#define KERNEL_BASE	0xF0000000	/* virtual = physical + KERNEL_BASE */
#define KERNEL_LOAD	0x00100000	/* where the loader puts the image */

#define PAGE_SIZE	0x1000
#define BIGPAGE_SIZE	0x400000	/* one 4 MiB PSE page per PDE */

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
