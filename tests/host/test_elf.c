/*
 * Tests of lib/elf/elf.c: a synthetic executable with two segments built
 * from the host's own <elf.h> structures (an independent statement of the
 * layout), every corruption the parser must catch, every truncation, and
 * a real program linked with lib/user.ld.
 */
#include "check.h"

#include <elf.h>
#include <stdint.h>
#include <string.h>
#include "lib/elf/elf.h"

#define IMG_SIZE	0x2080	/* the good image: header, 2 phdrs, 2 segments */
#define TEXT_OFF	0x1000
#define TEXT_VADDR	0x08048000u
#define TEXT_SIZE	0x100
#define DATA_OFF	0x2000
#define DATA_VADDR	0x08049000u
#define DATA_FILESZ	0x80
#define DATA_MEMSZ	0x1800
#define ENTRY		(TEXT_VADDR + 0x10)

union img {
	Elf32_Ehdr eh;
	unsigned char b[IMG_SIZE + 64];
};

static Elf32_Phdr *ph(union img *im, int i)
{
	return (Elf32_Phdr *)(im->b + sizeof(Elf32_Ehdr)) + i;
}

static void set_phdr(union img *im, int i, uint32_t type, uint32_t off,
	uint32_t vaddr, uint32_t filesz, uint32_t memsz, uint32_t flags)
{
	*ph(im, i) = (Elf32_Phdr){
		.p_type = type, .p_offset = off, .p_vaddr = vaddr,
		.p_paddr = vaddr, .p_filesz = filesz, .p_memsz = memsz,
		.p_flags = flags, .p_align = 0x1000,
	};
}

/* Text R-X at TEXT_VADDR, data RW- with a bss tail at DATA_VADDR. */
static void make_good(union img *im)
{
	memset(im, 0, sizeof *im);
	memcpy(im->eh.e_ident, ELFMAG, SELFMAG);
	im->eh.e_ident[EI_CLASS] = ELFCLASS32;
	im->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	im->eh.e_ident[EI_VERSION] = EV_CURRENT;
	im->eh.e_type = ET_EXEC;
	im->eh.e_machine = EM_386;
	im->eh.e_version = EV_CURRENT;
	im->eh.e_entry = ENTRY;
	im->eh.e_phoff = sizeof(Elf32_Ehdr);
	im->eh.e_ehsize = sizeof(Elf32_Ehdr);
	im->eh.e_phentsize = sizeof(Elf32_Phdr);
	im->eh.e_phnum = 2;
	set_phdr(im, 0, PT_LOAD, TEXT_OFF, TEXT_VADDR, TEXT_SIZE, TEXT_SIZE,
		PF_R | PF_X);
	set_phdr(im, 1, PT_LOAD, DATA_OFF, DATA_VADDR, DATA_FILESZ,
		DATA_MEMSZ, PF_R | PF_W);
	memset(im->b + TEXT_OFF, 0x90, TEXT_SIZE);
	memset(im->b + DATA_OFF, 0x5a, DATA_FILESZ);
}

static int parse(union img *im)
{
	struct elf_image out;

	return elf_parse(im->b, IMG_SIZE, &out);
}

TEST(elf, good_two_segments)
{
	union img im;
	struct elf_image out;

	make_good(&im);
	CHECK_EQ(elf_parse(im.b, IMG_SIZE, &out), 0);
	CHECK_EQ_U(out.entry, ENTRY);
	CHECK_EQ(out.nsegs, 2);
	CHECK_EQ_U(out.seg[0].vaddr, TEXT_VADDR);
	CHECK_EQ(out.seg[0].memsz, TEXT_SIZE);
	CHECK_EQ(out.seg[0].filesz, TEXT_SIZE);
	CHECK_EQ(out.seg[0].offset, TEXT_OFF);
	CHECK_EQ(out.seg[0].flags, ELF_SEG_R | ELF_SEG_X);
	CHECK_EQ_U(out.seg[1].vaddr, DATA_VADDR);
	CHECK_EQ(out.seg[1].memsz, DATA_MEMSZ);
	CHECK_EQ(out.seg[1].filesz, DATA_FILESZ);
	CHECK_EQ(out.seg[1].offset, DATA_OFF);
	CHECK_EQ(out.seg[1].flags, ELF_SEG_R | ELF_SEG_W);
}

/* The permission bits are the ELF ones, so a loader may use either. */
TEST(elf, flag_values_match_elf)
{
	CHECK_EQ(ELF_SEG_R, PF_R);
	CHECK_EQ(ELF_SEG_W, PF_W);
	CHECK_EQ(ELF_SEG_X, PF_X);
}

/* A boot module may start anywhere: no field read may assume alignment
 * (UBSan would flag a misaligned word load). */
TEST(elf, any_image_alignment)
{
	static union img im, moved;
	struct elf_image out;

	make_good(&im);
	for (int shift = 1; shift < 8; shift++) {
		memmove(moved.b + shift, im.b, IMG_SIZE);
		CHECK_EQ(elf_parse(moved.b + shift, IMG_SIZE, &out), 0);
		CHECK_EQ(out.nsegs, 2);
		CHECK_EQ_U(out.seg[1].vaddr, DATA_VADDR);
	}
}

/* Every shorter file fails, with the code of the first thing missing. */
TEST(elf, every_truncation)
{
	static union img im;
	struct elf_image out;

	make_good(&im);
	for (uint32_t size = 0; size < IMG_SIZE; size++) {
		int want = size < sizeof(Elf32_Ehdr) ? ELF_ETRUNC :
			size < sizeof(Elf32_Ehdr) + 2 * sizeof(Elf32_Phdr) ?
			ELF_EPHDR : ELF_ESEGMENT;
		int got = elf_parse(im.b, size, &out);

		if (got != want)
			FAILF("size %u: got %d, want %d", size, got, want);
	}
}

TEST(elf, bad_magic_each_byte)
{
	union img im;

	for (int i = 0; i < 4; i++) {
		make_good(&im);
		im.b[i] ^= 0x20;
		CHECK_EQ(parse(&im), ELF_EBADMAGIC);
	}
}

TEST(elf, ident_fields)
{
	union img im;

	make_good(&im);
	im.eh.e_ident[EI_CLASS] = ELFCLASS64;
	CHECK_EQ(parse(&im), ELF_ECLASS);
	im.eh.e_ident[EI_CLASS] = ELFCLASSNONE;
	CHECK_EQ(parse(&im), ELF_ECLASS);
	make_good(&im);
	im.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	CHECK_EQ(parse(&im), ELF_EDATA);
	make_good(&im);
	im.eh.e_ident[EI_VERSION] = EV_NONE;
	CHECK_EQ(parse(&im), ELF_EVERSION);
	make_good(&im);
	im.eh.e_version = 2;
	CHECK_EQ(parse(&im), ELF_EVERSION);
}

TEST(elf, machine_and_type)
{
	union img im;

	make_good(&im);
	im.eh.e_machine = EM_X86_64;
	CHECK_EQ(parse(&im), ELF_EMACHINE);
	im.eh.e_machine = EM_386 | 0x100;	/* a high byte must count */
	CHECK_EQ(parse(&im), ELF_EMACHINE);
	make_good(&im);
	im.eh.e_type = ET_DYN;
	CHECK_EQ(parse(&im), ELF_ETYPE);
	im.eh.e_type = ET_REL;
	CHECK_EQ(parse(&im), ELF_ETYPE);
	im.eh.e_type = ET_CORE;
	CHECK_EQ(parse(&im), ELF_ETYPE);
}

TEST(elf, program_header_table)
{
	union img im;

	make_good(&im);
	im.eh.e_phentsize = sizeof(Elf64_Phdr);
	CHECK_EQ(parse(&im), ELF_EPHDR);
	make_good(&im);
	im.eh.e_phnum = 0;
	CHECK_EQ(parse(&im), ELF_EPHDR);
	im.eh.e_phnum = ELF_MAX_PHNUM + 1;
	CHECK_EQ(parse(&im), ELF_EPHDR);
	im.eh.e_phnum = PN_XNUM;
	CHECK_EQ(parse(&im), ELF_EPHDR);
	make_good(&im);
	im.eh.e_phoff = IMG_SIZE - sizeof(Elf32_Phdr);	/* 2nd one outside */
	CHECK_EQ(parse(&im), ELF_EPHDR);
	im.eh.e_phoff = 0xffffffe0u;	/* phoff + table wraps to 0x20 */
	CHECK_EQ(parse(&im), ELF_EPHDR);
	im.eh.e_phoff = 0xffffffffu;
	CHECK_EQ(parse(&im), ELF_EPHDR);
}

/* A table of ELF_MAX_PHNUM entries, all but two of them ignored. */
TEST(elf, max_phnum_accepted)
{
	static union img im;
	struct elf_image out;

	make_good(&im);
	im.eh.e_phnum = ELF_MAX_PHNUM;
	for (int i = 2; i < ELF_MAX_PHNUM; i++)
		set_phdr(&im, i, PT_NOTE, 0xffffff00u, 0, 0x1000, 0, 0);
	CHECK(sizeof(Elf32_Ehdr) + ELF_MAX_PHNUM * sizeof(Elf32_Phdr) <=
		TEXT_OFF);
	CHECK_EQ(elf_parse(im.b, IMG_SIZE, &out), 0);
	CHECK_EQ(out.nsegs, 2);
}

TEST(elf, interpreter_refused)
{
	union img im;

	make_good(&im);
	im.eh.e_phnum = 3;
	set_phdr(&im, 2, PT_INTERP, TEXT_OFF, 0, 16, 16, PF_R);
	CHECK_EQ(parse(&im), ELF_EINTERP);
}

TEST(elf, segment_outside_file)
{
	union img im;

	make_good(&im);
	ph(&im, 1)->p_filesz = IMG_SIZE - DATA_OFF + 1;	/* one byte past */
	CHECK_EQ(parse(&im), ELF_ESEGMENT);
	make_good(&im);
	ph(&im, 1)->p_offset = IMG_SIZE + 0x1000;
	CHECK_EQ(parse(&im), ELF_ESEGMENT);
	make_good(&im);
	ph(&im, 0)->p_offset = 0xfffff000u;	/* offset + filesz wraps */
	ph(&im, 0)->p_filesz = 0x1100;
	ph(&im, 0)->p_memsz = 0x1100;
	CHECK_EQ(parse(&im), ELF_ESEGMENT);
}

/* The whole file, to the last byte, is fine. */
TEST(elf, segment_ending_at_file_end)
{
	union img im;

	make_good(&im);
	CHECK_EQ(ph(&im, 1)->p_offset + ph(&im, 1)->p_filesz, IMG_SIZE);
	CHECK_EQ(parse(&im), 0);
}

/* Nothing is read from the file: the offset is never used. */
TEST(elf, bss_only_segment_offset_ignored)
{
	union img im;
	struct elf_image out;

	make_good(&im);
	ph(&im, 1)->p_filesz = 0;
	ph(&im, 1)->p_offset = 0xfffff000u;
	CHECK_EQ(elf_parse(im.b, IMG_SIZE, &out), 0);
	CHECK_EQ(out.seg[1].filesz, 0);
}

TEST(elf, filesz_above_memsz)
{
	union img im;

	make_good(&im);
	ph(&im, 1)->p_memsz = DATA_FILESZ - 1;
	CHECK_EQ(parse(&im), ELF_EFILESZ);
}

TEST(elf, address_limit)
{
	union img im;
	struct elf_image out;

	make_good(&im);
	ph(&im, 1)->p_memsz = 0x2000;
	ph(&im, 1)->p_vaddr = ELF_USER_LIMIT - 0x2000;	/* ends at it */
	CHECK_EQ(parse(&im), 0);
	ph(&im, 1)->p_vaddr += 0x1000;
	CHECK_EQ(parse(&im), ELF_EADDR);
	ph(&im, 1)->p_vaddr = 0xfffff000u;	/* vaddr + memsz wraps */
	CHECK_EQ(parse(&im), ELF_EADDR);
	CHECK_EQ(elf_parse_limit(im.b, IMG_SIZE, 0xffffffffu, &out),
		ELF_EADDR);
}

TEST(elf, caller_limit)
{
	union img im;
	struct elf_image out;
	const vir_bytes end = DATA_VADDR + DATA_MEMSZ;

	make_good(&im);
	CHECK_EQ(elf_parse_limit(im.b, IMG_SIZE, end, &out), 0);
	CHECK_EQ(elf_parse_limit(im.b, IMG_SIZE, end - 1, &out), ELF_EADDR);
	CHECK_EQ(elf_parse_limit(im.b, IMG_SIZE, TEXT_VADDR, &out),
		ELF_EADDR);
}

TEST(elf, alignment)
{
	union img im;

	make_good(&im);
	ph(&im, 1)->p_align = 3;		/* not a power of two */
	CHECK_EQ(parse(&im), ELF_EALIGN);
	make_good(&im);
	ph(&im, 1)->p_vaddr += 0x10;		/* not congruent to offset */
	CHECK_EQ(parse(&im), ELF_EALIGN);
	ph(&im, 1)->p_align = 0;		/* no constraint */
	CHECK_EQ(parse(&im), 0);
	ph(&im, 1)->p_align = 1;
	CHECK_EQ(parse(&im), 0);
	ph(&im, 1)->p_align = 16;		/* 0x10 apart is congruent */
	CHECK_EQ(parse(&im), 0);
}

TEST(elf, overlap_and_order)
{
	union img im;

	make_good(&im);
	ph(&im, 1)->p_vaddr = TEXT_VADDR;		/* same start */
	ph(&im, 1)->p_offset = TEXT_OFF;
	CHECK_EQ(parse(&im), ELF_EOVERLAP);
	make_good(&im);
	ph(&im, 1)->p_vaddr = TEXT_VADDR - 0x2000;	/* before text */
	CHECK_EQ(parse(&im), ELF_EOVERLAP);
	make_good(&im);
	ph(&im, 1)->p_align = 0;
	ph(&im, 1)->p_vaddr = TEXT_VADDR + TEXT_SIZE;	/* touches: fine */
	CHECK_EQ(parse(&im), 0);
	ph(&im, 1)->p_vaddr -= 1;			/* one byte in */
	CHECK_EQ(parse(&im), ELF_EOVERLAP);
}

/* n loadable one-page segments, text first, each one page apart. */
static void make_many(union img *im, int n)
{
	make_good(im);
	im->eh.e_phnum = (Elf32_Half)n;
	for (int i = 1; i < n; i++)
		set_phdr(im, i, PT_LOAD, DATA_OFF, DATA_VADDR + i * 0x1000,
			DATA_FILESZ, 0x1000, PF_R);
}

TEST(elf, segment_count)
{
	union img im;
	struct elf_image out;

	make_many(&im, ELF_MAX_SEGMENTS);
	CHECK_EQ(elf_parse(im.b, IMG_SIZE, &out), 0);
	CHECK_EQ(out.nsegs, ELF_MAX_SEGMENTS);
	CHECK_EQ_U(out.seg[ELF_MAX_SEGMENTS - 1].vaddr,
		DATA_VADDR + (ELF_MAX_SEGMENTS - 1) * 0x1000);
	make_many(&im, ELF_MAX_SEGMENTS + 1);
	CHECK_EQ(parse(&im), ELF_ETOOMANY);
}

/* Empty PT_LOADs and other types take no slot. */
TEST(elf, empty_and_foreign_headers_skipped)
{
	union img im;
	struct elf_image out;

	make_many(&im, ELF_MAX_SEGMENTS);
	im.eh.e_phnum = ELF_MAX_SEGMENTS + 3;
	set_phdr(&im, ELF_MAX_SEGMENTS, PT_LOAD, 0, 0, 0, 0, PF_R);
	set_phdr(&im, ELF_MAX_SEGMENTS + 1, PT_GNU_STACK, 0, 0, 0, 0,
		PF_R | PF_W);
	set_phdr(&im, ELF_MAX_SEGMENTS + 2, PT_NOTE, 0xfffffff0u, 0,
		0x100, 0x100, PF_R);
	CHECK_EQ(elf_parse(im.b, IMG_SIZE, &out), 0);
	CHECK_EQ(out.nsegs, ELF_MAX_SEGMENTS);
}

TEST(elf, nothing_to_load)
{
	union img im;

	make_good(&im);
	ph(&im, 0)->p_type = PT_NOTE;
	ph(&im, 1)->p_type = PT_NULL;
	CHECK_EQ(parse(&im), ELF_ENOLOAD);
	make_good(&im);
	ph(&im, 0)->p_memsz = ph(&im, 0)->p_filesz = 0;
	ph(&im, 1)->p_memsz = ph(&im, 1)->p_filesz = 0;
	CHECK_EQ(parse(&im), ELF_ENOLOAD);
}

TEST(elf, entry_point)
{
	union img im;

	make_good(&im);
	im.eh.e_entry = TEXT_VADDR;
	CHECK_EQ(parse(&im), 0);
	im.eh.e_entry = TEXT_VADDR + TEXT_SIZE - 1;
	CHECK_EQ(parse(&im), 0);
	im.eh.e_entry = TEXT_VADDR + TEXT_SIZE;		/* just past text */
	CHECK_EQ(parse(&im), ELF_EENTRY);
	im.eh.e_entry = TEXT_VADDR - 1;
	CHECK_EQ(parse(&im), ELF_EENTRY);
	im.eh.e_entry = DATA_VADDR;			/* not executable */
	CHECK_EQ(parse(&im), ELF_EENTRY);
	im.eh.e_entry = 0;
	CHECK_EQ(parse(&im), ELF_EENTRY);
}

TEST(elf, strerror_distinct)
{
	CHECK_STR(elf_strerror(0), "ok");
	for (int e = -1; e >= -ELF_ERRORS; e--) {
		const char *s = elf_strerror(e);

		CHECK(s != NULL && s[0] != '\0');
		CHECK(strcmp(s, "unknown ELF error") != 0);
		for (int f = e + 1; f <= 0; f++)
			if (strcmp(s, elf_strerror(f)) == 0)
				FAILF("codes %d and %d share \"%s\"", e, f, s);
	}
	CHECK_STR(elf_strerror(1), "unknown ELF error");
	CHECK_STR(elf_strerror(-ELF_ERRORS - 1), "unknown ELF error");
}

/* A real program, linked by lib/lib.mk with lib/user.ld: the layout the
 * VM and the kernel load. host.mk builds it before this test. */
TEST(elf, linked_user_program)
{
	static unsigned char buf[1 << 20];
	struct elf_image out;
	FILE *f = fopen(CAIRN_SAMPLE_ELF, "rb");
	size_t n;

	if (f == NULL)
		FAILF("cannot open %s", CAIRN_SAMPLE_ELF);
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	CHECK(n > 0 && n < sizeof buf);
	CHECK_EQ(elf_parse(buf, (uint32_t)n, &out), 0);
	CHECK_GE(out.nsegs, 2);
	CHECK_EQ_U(out.seg[0].vaddr, 0x08048000u);
	CHECK_EQ(out.seg[0].flags, ELF_SEG_R | ELF_SEG_X);
	CHECK_EQ_U(out.seg[0].offset & 0xfff, 0);
	for (uint32_t i = 0; i < out.nsegs; i++) {
		CHECK_EQ_U(out.seg[i].vaddr & 0xfff, 0);	/* page-aligned */
		CHECK((out.seg[i].flags & (ELF_SEG_W | ELF_SEG_X)) !=
			(ELF_SEG_W | ELF_SEG_X));		/* never W+X */
	}
	CHECK_EQ(out.seg[out.nsegs - 1].flags, ELF_SEG_R | ELF_SEG_W);
}

int main(int argc, char **argv)
{
	return check_main(argc, argv);
}
