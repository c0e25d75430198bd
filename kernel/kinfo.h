/*
 * struct kinfo: what the unpaged pre-init learned from the boot loader,
 * handed to the high kernel. Shared by the pre-init, the kernel and the
 * host unit tests, so it uses only fixed-width types and no pointers.
 */
#ifndef CAIRN_KINFO_H
#define CAIRN_KINFO_H

#include <stdint.h>
#include "cairn/types.h"

#define KINFO_MAX_MEM		32	/* free physical ranges */
#define KINFO_MAX_MODS		8	/* iPXE passes at most 8 modules */
#define KINFO_CMDLINE_LEN	1024	/* with its NUL: 1023 bytes of words */
#define KINFO_MODSTR_LEN	1024	/* module strings in all, image names too */

struct kinfo_mem {
	uint64_t base;
	uint64_t len;
};

struct kinfo_mod {
	phys_bytes start;	/* physical, as the loader left it */
	phys_bytes end;		/* one past the last byte */
	uint16_t str_off;	/* offset of its string in kinfo.modstr */
	uint16_t str_len;
};

/* Flags in kinfo.flags: how the memory map was obtained or what went wrong. */
#define KINFO_F_MMAP		0x01	/* full multiboot memory map used */
#define KINFO_F_MEMLIMITS	0x02	/* fell back to mem_lower/mem_upper */
#define KINFO_F_MMAP_BAD	0x04	/* memory map present but malformed */
#define KINFO_F_MEM_TRUNC	0x08	/* more free ranges than KINFO_MAX_MEM */
#define KINFO_F_MODS_TRUNC	0x10	/* more modules than KINFO_MAX_MODS */
#define KINFO_F_STR_TRUNC	0x20	/* a command line or module string cut */
#define KINFO_F_NOMEM		0x40	/* no usable memory information at all */

struct kinfo {
	uint32_t magic;			/* KINFO_MAGIC once filled in */
	uint32_t flags;			/* KINFO_F_* */
	int32_t parse_error;		/* mb_parse()'s result: 0 or MB_E* */
	uint32_t mem_count;
	struct kinfo_mem mem[KINFO_MAX_MEM];	/* free RAM, sorted, no overlap */
	uint32_t mod_count;
	struct kinfo_mod mods[KINFO_MAX_MODS];
	char cmdline[KINFO_CMDLINE_LEN];	/* as the loader gave it */
	char modstr[KINFO_MODSTR_LEN];		/* NUL-separated module strings */
	phys_bytes kern_phys_start;	/* whole image as loaded */
	phys_bytes kern_phys_end;
	phys_bytes unpaged_start;	/* the pre-init's part, freed once high */
	phys_bytes unpaged_end;
	phys_bytes mapped_end;		/* physical [0, mapped_end) is mapped high */
	/* All RAM as the loader listed it, before the kernel, its modules
	 * and the first MiB were taken out of mem[]: what MAP_PHYS refuses
	 * (device ranges only). */
	uint32_t ram_count;
	struct kinfo_mem ram[KINFO_MAX_MEM];
	/* The loader's command line's whole length: more than
	 * KINFO_CMDLINE_LEN - 1 means cmdline holds only its start. */
	uint32_t cmdline_len;
	/* RAM the memory map lists at or above 4 GiB, in bytes: out of
	 * reach without PAE, so not in mem[] or ram[]; the boot log names it. */
	uint64_t ram_above_4g;
};

#define KINFO_MAGIC	0x4b494e46u	/* "KINF" */

#endif /* CAIRN_KINFO_H */
