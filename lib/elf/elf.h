/*
 * The ELF32 loader core shared by the kernel (which loads VM) and VM (which
 * loads every other boot program): it validates an executable image and
 * says what to load where. Pure and freestanding: it neither allocates nor
 * copies; the caller maps or copies the segments it gets back.
 *
 * Accepted: ELFCLASS32, little-endian, EM_386, ET_EXEC, statically linked
 * (no PT_INTERP). Every PT_LOAD segment must lie inside the file, have
 * filesz <= memsz, end at or below the address limit, honour its p_align
 * (vaddr and offset congruent), and not overlap the previous one (segments
 * come in ascending address order, as the ELF specification requires).
 * The entry point must lie in an executable segment.
 */
#ifndef CAIRN_ELF_H
#define CAIRN_ELF_H

#include <stdint.h>
#include "cairn/types.h"
#include "cairn/layout.h"

#define ELF_MAX_SEGMENTS	8	/* loadable segments kept */
#define ELF_MAX_PHNUM		64	/* program headers looked at */
#define ELF_USER_LIMIT		USER_LIMIT	/* the kernel starts here */

/* Segment permissions: the values of the ELF p_flags bits. */
#define ELF_SEG_X	0x1
#define ELF_SEG_W	0x2
#define ELF_SEG_R	0x4

/* Errors: each kind of bad image has its own code. */
#define ELF_ETRUNC	(-1)	/* smaller than the ELF header */
#define ELF_EBADMAGIC	(-2)	/* not "\177ELF" */
#define ELF_ECLASS	(-3)	/* not ELFCLASS32 */
#define ELF_EDATA	(-4)	/* not little-endian */
#define ELF_EVERSION	(-5)	/* e_ident or e_version not EV_CURRENT */
#define ELF_EMACHINE	(-6)	/* not EM_386 */
#define ELF_ETYPE	(-7)	/* not ET_EXEC */
#define ELF_EPHDR	(-8)	/* bad e_phentsize, e_phnum or table bounds */
#define ELF_EINTERP	(-9)	/* wants a dynamic loader (PT_INTERP) */
#define ELF_ESEGMENT	(-10)	/* a segment's bytes lie outside the file */
#define ELF_EFILESZ	(-11)	/* a segment's filesz exceeds its memsz */
#define ELF_EADDR	(-12)	/* a segment wraps or ends above the limit */
#define ELF_EALIGN	(-13)	/* bad p_align, or vaddr/offset not congruent */
#define ELF_EOVERLAP	(-14)	/* segments overlap or are out of order */
#define ELF_ETOOMANY	(-15)	/* more than ELF_MAX_SEGMENTS to load */
#define ELF_ENOLOAD	(-16)	/* nothing to load */
#define ELF_EENTRY	(-17)	/* entry not in an executable segment */
#define ELF_ERRORS	17

struct elf_segment {
	vir_bytes vaddr;	/* where the segment starts in memory */
	uint32_t memsz;		/* bytes in memory (> 0) */
	uint32_t filesz;	/* bytes from the file; the rest is zero */
	uint32_t offset;	/* where its bytes start in the file */
	uint32_t flags;		/* ELF_SEG_* */
};

struct elf_image {
	vir_bytes entry;
	uint32_t nsegs;		/* segments with memsz > 0, in address order */
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/* Validates image[0..size) and describes it in *out (left undefined on
 * error). Returns 0 or an ELF_E* code. Segments must end at or below
 * limit; elf_parse uses ELF_USER_LIMIT. */
int elf_parse_limit(const void *image, uint32_t size, vir_bytes limit,
	struct elf_image *out);
int elf_parse(const void *image, uint32_t size, struct elf_image *out);

/* A short description of 0 or an ELF_E* code. */
const char *elf_strerror(int err);

#endif /* CAIRN_ELF_H */
