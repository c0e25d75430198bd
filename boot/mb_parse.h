/*
 * Multiboot (version 1) information to struct kinfo. Pure code: it reaches
 * the boot loader's structures only through an accessor, so the pre-init
 * (paging off, physical addresses usable as they are) and the host unit
 * tests (a buffer standing in for physical memory) run the same parser.
 */
#ifndef CAIRN_MB_PARSE_H
#define CAIRN_MB_PARSE_H

#include <stdint.h>
#include "../kernel/kinfo.h"

#define MB_BOOT_MAGIC	0x2BADB002u	/* in %eax from the loader */

/* Flags of the multiboot information structure we use. */
#define MB_INFO_MEMORY	(1u << 0)
#define MB_INFO_CMDLINE	(1u << 2)
#define MB_INFO_MODS	(1u << 3)
#define MB_INFO_MMAP	(1u << 6)

/* Returns a pointer to len bytes at physical address addr, or NULL if that
 * range is not accessible (the parser then treats the data as corrupt).
 * The pointer is used only until the next call. */
struct mb_access {
	const void *(*phys)(uint32_t addr, uint32_t len, void *ctx);
	void *ctx;
};

/* A physical range that must not be in the free list (kernel image, low
 * memory the kernel keeps, ...). Modules are excluded by the parser. */
struct mb_reserved {
	uint64_t start;
	uint64_t end;	/* one past the last byte */
};

/* Errors: negative returns. Soft problems set KINFO_F_* flags instead. */
#define MB_EBADMAGIC	(-1)	/* eax was not MB_BOOT_MAGIC */
#define MB_EBADINFO	(-2)	/* the information structure is unreadable */
#define MB_ENOMEM	(-3)	/* no usable memory information at all */

/*
 * Fills *ki from the loader's information at mbi_addr. The command line
 * and module strings are kept whole, blanks before them dropped (QEMU and
 * iPXE put the image's name first, GRUB does not: kernel/lib/cmdwords.h
 * tells). Free memory is RAM from the memory
 * map (type 1, below 4 GiB), or from mem_lower/mem_upper when the map is
 * missing or malformed (KINFO_F_MMAP_BAD), minus the reserved ranges and
 * the modules. Returns 0 or an MB_E* error.
 *
 * RAM the map lists at or above 4 GiB is counted in ram_above_4g only.
 *
 * mb_parse clears and fills magic, flags, mem, ram, ram_above_4g, mods,
 * cmdline, cmdline_len and modstr;
 * parse_error and the kern_*, unpaged_* and mapped_end fields are the
 * caller's. ki->magic is KINFO_MAGIC only on success. A string address of
 * 0 means no string; an unreadable module list is MB_EBADINFO (memory
 * cannot be handed out without knowing where the modules are).
 */
int mb_parse(uint32_t magic, uint32_t mbi_addr, const struct mb_access *acc,
	const struct mb_reserved *resv, int nresv, struct kinfo *ki);

#endif /* CAIRN_MB_PARSE_H */
