/*
 * Tests of boot/mb_parse.c. A 64 KiB host buffer stands in for physical
 * memory at FAKE_BASE; the accessor refuses anything outside it, which is
 * how unreadable structures are made. Each case builds a multiboot
 * information structure there and checks the struct kinfo it turns into.
 */
#include "check.h"

#include <stdint.h>
#include <string.h>
#include "boot/mb_parse.h"

#define FAKE_BASE	0x10000u
#define FAKE_SIZE	0x10000u

/* Where the pieces go in fake memory; UNREADABLE is outside it. */
#define MBI		0x10000u
#define CMDLINE		0x10100u
#define MODS		0x10800u
#define STRINGS		0x11000u
#define MMAP		0x14000u
#define UNREADABLE	0x80000u

#define MIB		0x100000ull
#define RAM		1
#define RESERVED	2
#define ACPI_RECLAIM	3

static uint8_t fake[FAKE_SIZE];
static struct kinfo ki;

/* What the builder has put in so far. */
static struct {
	uint32_t flags;
	uint32_t mods;
	uint32_t str_next;
	uint32_t mmap_len;
} mbi;

static const void *fake_phys(uint32_t addr, uint32_t len, void *ctx)
{
	(void)ctx;
	if (addr < FAKE_BASE || (uint64_t)addr + len > FAKE_BASE + FAKE_SIZE)
		return NULL;
	return fake + (addr - FAKE_BASE);
}

static const struct mb_access acc = { fake_phys, NULL };

static uint8_t *at(uint32_t addr, uint32_t len)
{
	uint8_t *p = (uint8_t *)fake_phys(addr, len, NULL);

	if (p == NULL)
		FAILF("test bug: 0x%x+%u outside fake memory", addr, len);
	return p;
}

static void put32(uint32_t addr, uint32_t v)
{
	uint8_t *p = at(addr, 4);

	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint32_t addr, uint64_t v)
{
	put32(addr, (uint32_t)v);
	put32(addr + 4, (uint32_t)(v >> 32));
}

static uint32_t put_str(const char *s)
{
	uint32_t addr = mbi.str_next;
	size_t n = strlen(s) + 1;

	memcpy(at(addr, (uint32_t)n), s, n);
	mbi.str_next += (uint32_t)n;
	return addr;
}

/* Keeps the information structure's flags and counts up to date. */
static void mbi_sync(void)
{
	put32(MBI + 0, mbi.flags);
	put32(MBI + 20, mbi.mods);
	put32(MBI + 24, MODS);
	put32(MBI + 44, mbi.mmap_len);
	put32(MBI + 48, MMAP);
}

/* An empty structure; with MB_INFO_MEMORY, 639 KiB low and 127 MiB high
 * as QEMU reports for -m 128. */
static void mbi_begin(uint32_t flags)
{
	memset(fake, 0, sizeof fake);
	memset(&mbi, 0, sizeof mbi);
	memset(&ki, 0, sizeof ki);
	mbi.flags = flags;
	mbi.str_next = STRINGS;
	put32(MBI + 4, 639);
	put32(MBI + 8, 127 * 1024);
	mbi_sync();
}

static void mbi_cmdline(const char *s)
{
	mbi.flags |= MB_INFO_CMDLINE;
	put32(MBI + 16, put_str(s));
	mbi_sync();
}

static void mbi_module(uint32_t start, uint32_t end, const char *s)
{
	uint32_t e = MODS + 16 * mbi.mods++;

	put32(e, start);
	put32(e + 4, end);
	put32(e + 8, s ? put_str(s) : 0);
	put32(e + 12, 0);
	mbi.flags |= MB_INFO_MODS;
	mbi_sync();
}

/* A map entry whose size word says size (20 for a plain entry). */
static void mbi_mmap_sized(uint32_t size, uint64_t base, uint64_t len,
	uint32_t type)
{
	uint32_t e = MMAP + mbi.mmap_len;

	put32(e, size);
	put64(e + 4, base);
	put64(e + 12, len);
	put32(e + 20, type);
	mbi.mmap_len += 4 + (size < 20 ? 20 : size);
	mbi.flags |= MB_INFO_MMAP;
	mbi_sync();
}

static void mbi_mmap(uint64_t base, uint64_t len, uint32_t type)
{
	mbi_mmap_sized(20, base, len, type);
}

/* The map SeaBIOS gives QEMU -m 128: low RAM, BIOS areas, high RAM. */
static void qemu_map(void)
{
	mbi_mmap(0, 0x9fc00, RAM);
	mbi_mmap(0x9fc00, 0x400, RESERVED);
	mbi_mmap(0xf0000, 0x10000, RESERVED);
	mbi_mmap(MIB, 0x7ee0000, RAM);
	mbi_mmap(0x7fe0000, 0x20000, RESERVED);
	mbi_mmap(0xfffc0000, 0x40000, RESERVED);
}

static int parse(const struct mb_reserved *resv, int nresv)
{
	return mb_parse(MB_BOOT_MAGIC, MBI, &acc, resv, nresv, &ki);
}

/* Compares the free list with n ranges given as base, end pairs. */
static void check_list(int n, const uint64_t *pairs)
{
	CHECK_EQ(ki.mem_count, n);
	for (int i = 0; i < n; i++) {
		CHECK_EQ_U(ki.mem[i].base, pairs[2 * i]);
		CHECK_EQ_U(ki.mem[i].base + ki.mem[i].len, pairs[2 * i + 1]);
	}
}

#define LIST(...)							\
	do {								\
		const uint64_t want_[] = { __VA_ARGS__ };		\
		check_list((int)(sizeof want_ / sizeof want_[0] / 2), want_); \
	} while (0)

/* Module i's string as stored in kinfo.modstr. */
static const char *modstr(uint32_t i)
{
	CHECK_LT(ki.mods[i].str_off + ki.mods[i].str_len, KINFO_MODSTR_LEN);
	CHECK_EQ(ki.modstr[ki.mods[i].str_off + ki.mods[i].str_len], '\0');
	return ki.modstr + ki.mods[i].str_off;
}

/* The mem_lower/mem_upper fallback list of mbi_begin, nothing reserved. */
static void check_memlimits_list(void)
{
	LIST(0, 0x9f000, MIB, MIB + 127 * MIB);
}

/* --- a normal boot ---------------------------------------------------- */

TEST(mb_parse, qemu_like_boot)
{
	const struct mb_reserved resv[] = {
		{ 0, MIB },			/* low memory the kernel keeps */
		{ MIB, 0x180000 },		/* kernel image */
	};

	mbi_begin(MB_INFO_MEMORY);
	mbi_cmdline("build/kernel.elf mode=test  smp=2");
	mbi_module(0x200000, 0x2345ab, "/srv/vm.elf arg1 arg2");
	mbi_module(0x300000, 0x301000, "init");
	qemu_map();
	/* A reserved range inside a RAM entry, as real BIOSes report. */
	mbi_mmap(0x5000000, 0x1800, RESERVED);
	mbi_mmap(0x6000000, 0x10000, ACPI_RECLAIM);

	CHECK_EQ(parse(resv, 2), 0);
	CHECK_EQ_U(ki.magic, KINFO_MAGIC);
	CHECK_EQ_U(ki.flags, KINFO_F_MMAP);
	CHECK_STR(ki.cmdline, "build/kernel.elf mode=test  smp=2");
	CHECK_EQ(ki.cmdline_len, 33);
	CHECK_EQ(ki.mod_count, 2);
	CHECK_EQ_U(ki.mods[0].start, 0x200000);
	CHECK_EQ_U(ki.mods[0].end, 0x2345ab);
	CHECK_STR(modstr(0), "/srv/vm.elf arg1 arg2");
	CHECK_EQ_U(ki.mods[1].start, 0x300000);
	CHECK_EQ_U(ki.mods[1].end, 0x301000);
	CHECK_STR(modstr(1), "init");
	CHECK_EQ(ki.mods[1].str_off, 22);	/* packed after module 0's */
	LIST(0x180000, 0x200000,		/* up to module 0 */
		0x235000, 0x300000,		/* module 0's end rounded up */
		0x301000, 0x5000000,
		0x5002000, 0x6000000,		/* reserved: pages it touches */
		0x6010000, 0x7fe0000);
	/* All RAM, with the first MiB, the image and the modules that the
	 * free list left out (MAP_PHYS refuses it); reserved types are not
	 * RAM. */
	CHECK_EQ(ki.ram_count, 4);
	CHECK_EQ_U(ki.ram[0].base, 0);
	CHECK_EQ_U(ki.ram[0].len, 0x9f000);
	CHECK_EQ_U(ki.ram[1].base, MIB);
	CHECK_EQ_U(ki.ram[1].base + ki.ram[1].len, 0x5000000);
	CHECK_EQ_U(ki.ram[3].base + ki.ram[3].len, 0x7fe0000);
}

TEST(mb_parse, map_entries_larger_than_20_bytes)
{
	mbi_begin(0);
	mbi_mmap_sized(24, 0, 0x9fc00, RAM);	/* 4 bytes of padding each */
	mbi_mmap_sized(24, MIB, 0x1000000, RAM);
	mbi_mmap_sized(20, 0x800000, 0x1000, RESERVED);
	CHECK_EQ(parse(NULL, 0), 0);
	CHECK_EQ_U(ki.flags, KINFO_F_MMAP);
	LIST(0, 0x9f000, MIB, 0x800000, 0x801000, 0x1100000);
}

TEST(mb_parse, reserved_overlapping_several_ram_entries)
{
	mbi_begin(0);
	mbi_mmap(0x200000, 0x1000, RESERVED);	/* before the RAM it is in */
	mbi_mmap(MIB, 0x400000, RAM);
	mbi_mmap(0x500000, 0x400000, RAM);	/* touches: merged */
	mbi_mmap(0x3ff800, 0x200000, RESERVED);	/* across the seam */
	CHECK_EQ(parse(NULL, 0), 0);
	LIST(MIB, 0x200000, 0x201000, 0x3ff000, 0x600000, 0x900000);
}

TEST(mb_parse, ram_above_4gib_ignored)
{
	mbi_begin(0);
	mbi_mmap(MIB, 0x7f00000, RAM);
	mbi_mmap(0xc0000000ull, 0x80000000ull, RAM);	/* runs past 4 GiB */
	mbi_mmap(0x100000000ull, 0x40000000ull, RAM);
	mbi_mmap(0x240000000ull, 0x1000, RESERVED);
	CHECK_EQ(parse(NULL, 0), 0);
	LIST(MIB, 0x8000000, 0xc0000000ull, 0x100000000ull);
	/* Counted for the boot log: 1 GiB of each RAM entry past 4 GiB,
	 * not the reserved range. */
	CHECK(ki.ram_above_4g == 0x80000000ull);
}

TEST(mb_parse, ram_above_4gib_counted_once_per_parse)
{
	mbi_begin(0);
	mbi_mmap(MIB, 0x7f00000, RAM);
	mbi_mmap(0xffffffff00000000ull, 0x200000000ull, RAM);	/* wraps */
	ki.ram_above_4g = 12345;	/* what a previous parse left */
	CHECK_EQ(parse(NULL, 0), 0);
	LIST(MIB, 0x8000000);
	CHECK(ki.ram_above_4g == 0xffffffffull);	/* up to 2^64 */
}

TEST(mb_parse, only_ram_above_4gib_is_no_ram)
{
	mbi_begin(MB_INFO_MEMORY);
	mbi_mmap(0x100000000ull, 0x40000000ull, RAM);
	CHECK_EQ(parse(NULL, 0), 0);
	CHECK_EQ_U(ki.flags, KINFO_F_MMAP_BAD | KINFO_F_MEMLIMITS);
	check_memlimits_list();
}

TEST(mb_parse, modules_and_reserved_leave_free_memory)
{
	const struct mb_reserved resv[] = {
		{ 0x500, 0x700 },		/* within page 0 */
		{ 0x7ff, 0x7ff },		/* empty: nothing */
		{ 0x20000000, 0x10000000 },	/* end < start: nothing */
		{ 0x401000, 0x402001 },		/* grows to 2 pages */
	};

	mbi_begin(0);
	mbi_mmap(0, 0x9fc00, RAM);
	mbi_mmap(MIB, 0x1000000, RAM);
	mbi_module(0x9e000, 0x140000, "m0");	/* across the low hole */
	mbi_module(0x800000, 0x800001, "m1");	/* one byte: one page */
	mbi_module(0x900000, 0x900000, "m2");	/* empty: nothing */
	CHECK_EQ(parse(resv, 4), 0);
	LIST(0x1000, 0x9e000, 0x140000, 0x401000, 0x403000, 0x800000,
		0x801000, 0x1100000);
}

TEST(mb_parse, more_modules_than_kinfo_holds)
{
	char name[32];

	mbi_begin(0);
	mbi_mmap(MIB, 0x4000000, RAM);
	for (uint32_t i = 0; i < KINFO_MAX_MODS + 2; i++) {
		snprintf(name, sizeof name, "mod%u.elf arg%u", i, i);
		mbi_module(0x1000000 + i * 0x100000, 0x1000000 + i * 0x100000 +
			0x1000, name);
	}
	CHECK_EQ(parse(NULL, 0), 0);
	CHECK(ki.flags & KINFO_F_MODS_TRUNC);
	CHECK_EQ(ki.mod_count, KINFO_MAX_MODS);
	CHECK_STR(modstr(0), "mod0.elf arg0");
	CHECK_STR(modstr(KINFO_MAX_MODS - 1), "mod7.elf arg7");
	/* All ten modules are out of the free list, the two dropped from
	 * kinfo too: their memory still holds them. */
	CHECK_EQ(ki.mem_count, KINFO_MAX_MODS + 3);
	CHECK_EQ_U(ki.mem[1].base, 0x1001000);
	CHECK_EQ_U(ki.mem[KINFO_MAX_MODS].base, 0x1701000);
	CHECK_EQ_U(ki.mem[KINFO_MAX_MODS + 2].base, 0x1901000);
}

/* --- command line and strings ----------------------------------------- */

/* The strings stay whole (the image word is the kernel's and VM's to
 * recognise: GRUB passes none); only the blanks before them go. */
TEST(mb_parse, cmdline_kept_whole_blanks_before_dropped)
{
	mbi_begin(MB_INFO_MEMORY);
	mbi_cmdline("  \tkernel.elf \t  a=1 b=2 ");
	CHECK_EQ(parse(NULL, 0), 0);
	CHECK_STR(ki.cmdline, "kernel.elf \t  a=1 b=2 ");
	CHECK_EQ(ki.cmdline_len, 22);
	mbi_begin(MB_INFO_MEMORY);
	mbi_cmdline("mode=test");		/* GRUB: no image word */
	CHECK_EQ(parse(NULL, 0), 0);
	CHECK_STR(ki.cmdline, "mode=test");
	CHECK_EQ(ki.flags & KINFO_F_STR_TRUNC, 0);
}

TEST(mb_parse, cmdline_too_long_is_cut_and_measured)
{
	char s[2100];

	mbi_begin(MB_INFO_MEMORY);
	memset(s, 'a', KINFO_CMDLINE_LEN - 1);	/* exactly fits */
	s[KINFO_CMDLINE_LEN - 1] = '\0';
	mbi_cmdline(s);
	CHECK_EQ(parse(NULL, 0), 0);
	CHECK_EQ(strlen(ki.cmdline), KINFO_CMDLINE_LEN - 1);
	CHECK_EQ(ki.cmdline_len, KINFO_CMDLINE_LEN - 1);
	CHECK_EQ(ki.flags & KINFO_F_STR_TRUNC, 0);

	mbi_begin(MB_INFO_MEMORY);
	memset(s, 'b', 2000);
	s[2000] = '\0';
	mbi_cmdline(s);
	CHECK_EQ(parse(NULL, 0), 0);
	CHECK_EQ(strlen(ki.cmdline), KINFO_CMDLINE_LEN - 1);
	CHECK_EQ(ki.cmdline_len, 2000);		/* what the kernel reports */
	CHECK_EQ(ki.cmdline[0], 'b');
	CHECK(ki.flags & KINFO_F_STR_TRUNC);
	CHECK_EQ_U(ki.magic, KINFO_MAGIC);	/* a soft problem only */
}

TEST(mb_parse, cmdline_unreadable_or_running_off_memory)
{
	mbi_begin(MB_INFO_MEMORY);
	mbi.flags |= MB_INFO_CMDLINE;
	mbi_sync();
	put32(MBI + 16, UNREADABLE);
	CHECK_EQ(parse(NULL, 0), 0);
	CHECK_STR(ki.cmdline, "");
	/* No NUL before the end of fake memory: the string ends there. */
	mbi_begin(MB_INFO_MEMORY);
	mbi.flags |= MB_INFO_CMDLINE;
	mbi_sync();
	memcpy(at(FAKE_BASE + FAKE_SIZE - 6, 6), "k abcd", 6);
	put32(MBI + 16, FAKE_BASE + FAKE_SIZE - 6);
	CHECK_EQ(parse(NULL, 0), 0);
	CHECK_STR(ki.cmdline, "k abcd");
}

TEST(mb_parse, module_strings_fill_modstr)
{
	char s[300];

	mbi_begin(MB_INFO_MEMORY);
	memset(s, 'x', sizeof s - 1);
	s[0] = 'n';
	s[1] = ' ';
	s[sizeof s - 1] = '\0';			/* 299 bytes, kept whole */
	for (int i = 0; i < 5; i++)
		mbi_module(0x1000000 + i * 0x1000, 0x1000000 + i * 0x1000, s);
	mbi_module(0x2000000, 0x2001000, NULL);	/* no string at all */
	CHECK_EQ(parse(NULL, 0), 0);
	CHECK(ki.flags & KINFO_F_STR_TRUNC);
	CHECK_EQ(ki.mod_count, 6);
	CHECK_EQ(ki.mods[0].str_len, 299);
	CHECK_EQ(ki.mods[1].str_off, 300);
	CHECK_EQ(ki.mods[1].str_len, 299);
	CHECK_EQ(ki.mods[3].str_off, 900);
	CHECK_EQ(ki.mods[3].str_len, KINFO_MODSTR_LEN - 900 - 1);	/* cut */
	CHECK_EQ(ki.mods[4].str_len, 0);	/* no room left */
	CHECK_EQ(ki.mods[5].str_len, 0);
	for (uint32_t i = 0; i < ki.mod_count; i++)
		(void)modstr(i);		/* in bounds, NUL-terminated */
}

/* --- no map, bad map -------------------------------------------------- */

TEST(mb_parse, no_map_uses_mem_lower_upper)
{
	mbi_begin(MB_INFO_MEMORY);
	CHECK_EQ(parse(NULL, 0), 0);
	CHECK_EQ_U(ki.flags, KINFO_F_MEMLIMITS);
	check_memlimits_list();
	/* A mem_lower past 640 KiB is clamped below the VGA hole. */
	mbi_begin(MB_INFO_MEMORY);
	put32(MBI + 4, 1000);
	CHECK_EQ(parse(NULL, 0), 0);
	CHECK_EQ_U(ki.mem[0].base + ki.mem[0].len, 0xa0000);
}

/* Builds a map that is broken by how, with MB_INFO_MEMORY as given. */
static void bad_map(const char *how, uint32_t flags)
{
	mbi_begin(flags);
	mbi_mmap(0, 0x9fc00, RAM);
	mbi_mmap(MIB, 0x7000000, RAM);
	if (strcmp(how, "size 0") == 0) {
		put32(MMAP + 24, 0);
	} else if (strcmp(how, "size 19") == 0) {
		put32(MMAP + 24, 19);
	} else if (strcmp(how, "past length") == 0) {
		put32(MBI + 44, mbi.mmap_len - 4);
	} else if (strcmp(how, "partial size word") == 0) {
		put32(MBI + 44, mbi.mmap_len + 2);
	} else if (strcmp(how, "unreadable") == 0) {
		put32(MBI + 48, UNREADABLE);
	} else if (strcmp(how, "off memory end") == 0) {
		/* The map starts readable and runs off the end of memory. */
		memcpy(at(FAKE_BASE + FAKE_SIZE - 24, 24), at(MMAP, 24), 24);
		put32(MBI + 48, FAKE_BASE + FAKE_SIZE - 24);
	} else if (strcmp(how, "wraps 4 GiB") == 0) {
		put32(MBI + 48, 0xfffffff0u);
	} else if (strcmp(how, "length 0") == 0) {
		put32(MBI + 44, 0);
	} else if (strcmp(how, "no ram") == 0) {
		put32(MMAP + 20, RESERVED);
		put32(MMAP + 24 + 20, ACPI_RECLAIM);
	} else {
		FAILF("test bug: unknown breakage '%s'", how);
	}
}

static const char *const breakages[] = {
	"size 0", "size 19", "past length", "partial size word", "unreadable",
	"off memory end", "wraps 4 GiB", "length 0", "no ram",
};

TEST(mb_parse, bad_map_falls_back_to_mem_limits)
{
	for (size_t i = 0; i < sizeof breakages / sizeof *breakages; i++) {
		bad_map(breakages[i], MB_INFO_MEMORY);
		if (parse(NULL, 0) != 0 || ki.flags !=
		    (KINFO_F_MMAP_BAD | KINFO_F_MEMLIMITS))
			FAILF("map broken by '%s': flags 0x%x", breakages[i],
				ki.flags);
		check_memlimits_list();
		CHECK_EQ_U(ki.magic, KINFO_MAGIC);
	}
}

TEST(mb_parse, bad_map_without_mem_limits_is_enomem)
{
	for (size_t i = 0; i < sizeof breakages / sizeof *breakages; i++) {
		bad_map(breakages[i], 0);
		if (parse(NULL, 0) != MB_ENOMEM)
			FAILF("map broken by '%s': not MB_ENOMEM",
				breakages[i]);
		CHECK_EQ_U(ki.flags, KINFO_F_MMAP_BAD | KINFO_F_NOMEM);
		CHECK_EQ(ki.mem_count, 0);
		CHECK(ki.magic != KINFO_MAGIC);
	}
}

TEST(mb_parse, no_memory_information_at_all)
{
	mbi_begin(0);
	mbi_cmdline("k x=1");
	CHECK_EQ(parse(NULL, 0), MB_ENOMEM);
	CHECK_EQ_U(ki.flags, KINFO_F_NOMEM);
	CHECK(ki.magic != KINFO_MAGIC);
}

/* --- hard errors ------------------------------------------------------ */

TEST(mb_parse, bad_magic)
{
	mbi_begin(MB_INFO_MEMORY);
	ki.magic = KINFO_MAGIC;			/* stale from before */
	CHECK_EQ(mb_parse(0x1badb002, MBI, &acc, NULL, 0, &ki), MB_EBADMAGIC);
	CHECK_EQ(ki.magic, 0);
	CHECK_EQ(ki.mem_count, 0);
}

TEST(mb_parse, unreadable_info)
{
	mbi_begin(MB_INFO_MEMORY);
	CHECK_EQ(mb_parse(MB_BOOT_MAGIC, UNREADABLE, &acc, NULL, 0, &ki),
		MB_EBADINFO);
	/* The structure's first 52 bytes must all be readable. */
	CHECK_EQ(mb_parse(MB_BOOT_MAGIC, FAKE_BASE + FAKE_SIZE - 40, &acc,
		NULL, 0, &ki), MB_EBADINFO);
	CHECK_EQ(mb_parse(MB_BOOT_MAGIC, 0xfffffff0u, &acc, NULL, 0, &ki),
		MB_EBADINFO);
	CHECK_EQ(ki.magic, 0);
}

TEST(mb_parse, unreadable_module_list)
{
	mbi_begin(MB_INFO_MEMORY);
	mbi_module(0x200000, 0x201000, "a b");
	put32(MBI + 24, UNREADABLE);
	CHECK_EQ(parse(NULL, 0), MB_EBADINFO);
	CHECK(ki.magic != KINFO_MAGIC);
}

TEST(mb_parse, module_end_before_start_is_empty)
{
	mbi_begin(MB_INFO_MEMORY);
	mbi_module(0x300000, 0x200000, "bad");
	CHECK_EQ(parse(NULL, 0), 0);
	CHECK_EQ_U(ki.mods[0].start, 0x300000);
	CHECK_EQ_U(ki.mods[0].end, 0x300000);
	check_memlimits_list();
}

TEST(mb_parse, leaves_the_callers_fields_alone)
{
	mbi_begin(MB_INFO_MEMORY);
	ki.kern_phys_start = 0x100000;
	ki.mapped_end = 0x800000;
	ki.parse_error = 7;
	CHECK_EQ(parse(NULL, 0), 0);
	CHECK_EQ_U(ki.kern_phys_start, 0x100000);
	CHECK_EQ_U(ki.mapped_end, 0x800000);
	CHECK_EQ(ki.parse_error, 7);
}

int main(int argc, char **argv)
{
	return check_main(argc, argv);
}
