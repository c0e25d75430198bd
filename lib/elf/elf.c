/*
 * ELF32 executable validation for the kernel and VM (see elf.h). Fields are
 * read byte by byte, little-endian, so the image may sit at any alignment
 * and nothing here depends on the host's structure layout.
 */
#include "lib/elf/elf.h"

#include <stddef.h>

/* Offsets in the ELF header and in one program header (ELF32). */
#define EH_CLASS	4
#define EH_DATA		5
#define EH_IDVERSION	6
#define EH_TYPE		16
#define EH_MACHINE	18
#define EH_VERSION	20
#define EH_ENTRY	24
#define EH_PHOFF	28
#define EH_PHENTSIZE	42
#define EH_PHNUM	44
#define EH_SIZE		52

#define PH_TYPE		0
#define PH_OFFSET	4
#define PH_VADDR	8
#define PH_FILESZ	16
#define PH_MEMSZ	20
#define PH_FLAGS	24
#define PH_ALIGN	28
#define PH_SIZE		32

#define ELFCLASS32	1
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_EXEC		2
#define EM_386		3
#define PT_LOAD		1
#define PT_INTERP	3

static uint32_t rd16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t rd32(const uint8_t *p)
{
	return rd16(p) | rd16(p + 2) << 16;
}

/* Is [off, off+len) inside a file of size bytes? No sum may wrap. */
static int in_file(uint32_t off, uint32_t len, uint32_t size)
{
	return off <= size && size - off >= len;
}

/* The checks in the order a reader of e_ident and the header meets them. */
static int check_header(const uint8_t *h, uint32_t size)
{
	if (size < EH_SIZE)
		return ELF_ETRUNC;
	if (h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F')
		return ELF_EBADMAGIC;
	if (h[EH_CLASS] != ELFCLASS32)
		return ELF_ECLASS;
	if (h[EH_DATA] != ELFDATA2LSB)
		return ELF_EDATA;
	if (h[EH_IDVERSION] != EV_CURRENT || rd32(h + EH_VERSION) != EV_CURRENT)
		return ELF_EVERSION;
	if (rd16(h + EH_MACHINE) != EM_386)
		return ELF_EMACHINE;
	if (rd16(h + EH_TYPE) != ET_EXEC)
		return ELF_ETYPE;
	return 0;
}

static int check_phdr_table(const uint8_t *h, uint32_t size)
{
	uint32_t phnum = rd16(h + EH_PHNUM);

	if (rd16(h + EH_PHENTSIZE) != PH_SIZE)
		return ELF_EPHDR;
	if (phnum == 0 || phnum > ELF_MAX_PHNUM)
		return ELF_EPHDR;
	if (!in_file(rd32(h + EH_PHOFF), phnum * PH_SIZE, size))
		return ELF_EPHDR;
	return 0;
}

/* Checks one PT_LOAD header on its own and decodes it into *s. */
static int check_load(const uint8_t *ph, uint32_t size, vir_bytes limit,
	struct elf_segment *s)
{
	uint32_t align = rd32(ph + PH_ALIGN);

	s->vaddr = rd32(ph + PH_VADDR);
	s->memsz = rd32(ph + PH_MEMSZ);
	s->filesz = rd32(ph + PH_FILESZ);
	s->offset = rd32(ph + PH_OFFSET);
	s->flags = rd32(ph + PH_FLAGS) & (ELF_SEG_R | ELF_SEG_W | ELF_SEG_X);
	/* With nothing to read, the offset is never used: don't judge it. */
	if (s->filesz && !in_file(s->offset, s->filesz, size))
		return ELF_ESEGMENT;
	if (s->filesz > s->memsz)
		return ELF_EFILESZ;
	if (s->vaddr > limit || limit - s->vaddr < s->memsz)
		return ELF_EADDR;
	/* p_align 0 and 1 mean no constraint; otherwise a power of two
	 * that vaddr and offset agree modulo (what lets a loader map file
	 * pages in place). */
	if (align > 1 && ((align & (align - 1)) ||
			((s->vaddr - s->offset) & (align - 1))))
		return ELF_EALIGN;
	return 0;
}

/* Appends a decoded segment; empty ones are valid but load nothing. */
static int add_segment(struct elf_image *out, const struct elf_segment *s)
{
	const struct elf_segment *prev;

	if (s->memsz == 0)
		return 0;
	prev = out->nsegs ? &out->seg[out->nsegs - 1] : NULL;
	if (prev && s->vaddr < prev->vaddr + prev->memsz)
		return ELF_EOVERLAP;
	if (out->nsegs == ELF_MAX_SEGMENTS)
		return ELF_ETOOMANY;
	out->seg[out->nsegs++] = *s;
	return 0;
}

static int check_entry(const struct elf_image *img)
{
	for (uint32_t i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->seg[i];

		if ((s->flags & ELF_SEG_X) && img->entry >= s->vaddr &&
				img->entry - s->vaddr < s->memsz)
			return 0;
	}
	return ELF_EENTRY;
}

int elf_parse_limit(const void *image, uint32_t size, vir_bytes limit,
	struct elf_image *out)
{
	const uint8_t *h = image;
	struct elf_segment s;
	int err;

	if ((err = check_header(h, size)) || (err = check_phdr_table(h, size)))
		return err;
	out->entry = rd32(h + EH_ENTRY);
	out->nsegs = 0;
	for (uint32_t i = 0; i < rd16(h + EH_PHNUM); i++) {
		const uint8_t *ph = h + rd32(h + EH_PHOFF) + i * PH_SIZE;
		uint32_t type = rd32(ph + PH_TYPE);

		if (type == PT_INTERP)
			return ELF_EINTERP;
		if (type != PT_LOAD)
			continue;
		if ((err = check_load(ph, size, limit, &s)) ||
				(err = add_segment(out, &s)))
			return err;
	}
	if (out->nsegs == 0)
		return ELF_ENOLOAD;
	return check_entry(out);
}

int elf_parse(const void *image, uint32_t size, struct elf_image *out)
{
	return elf_parse_limit(image, size, ELF_USER_LIMIT, out);
}

const char *elf_strerror(int err)
{
	static const char *const what[ELF_ERRORS + 1] = {
		"ok",
		"shorter than an ELF header",
		"bad magic",
		"not ELFCLASS32",
		"not little-endian",
		"not ELF version 1",
		"not i386",
		"not an executable (ET_EXEC)",
		"bad program header table",
		"dynamically linked (PT_INTERP)",
		"segment outside the file",
		"segment filesz above memsz",
		"segment address wraps or above the limit",
		"segment alignment",
		"segments overlap or out of order",
		"too many loadable segments",
		"no loadable segment",
		"entry point not in an executable segment",
	};

	if (err > 0 || err < -ELF_ERRORS)
		return "unknown ELF error";
	return what[-err];
}
