/*
 * Multiboot v1 information to struct kinfo (see mb_parse.h): command line,
 * modules and the free memory list. Runs with paging off before any
 * console exists, so it only records problems as KINFO_F_* flags; it uses
 * no libgcc (no 64-bit division) and calls only string.c and memlist.c.
 */
#include "mb_parse.h"

#include "../kernel/lib/memlist.h"
#include "../kernel/lib/string.h"

/* Byte offsets in the multiboot information structure; we read its first
 * MBI_SIZE bytes, up to and including mmap_addr. */
#define MBI_FLAGS		0
#define MBI_MEM_LOWER		4
#define MBI_MEM_UPPER		8
#define MBI_CMDLINE		16
#define MBI_MODS_COUNT		20
#define MBI_MODS_ADDR		24
#define MBI_MMAP_LENGTH		44
#define MBI_MMAP_ADDR		48
#define MBI_SIZE		52

#define MOD_ENTRY_SIZE		16	/* mod_start, mod_end, string, reserved */
#define MMAP_ENTRY_MIN		20	/* base, len, type after the size word */
#define MMAP_TYPE_RAM		1
/* Real maps are a few hundred bytes; a longer one is garbage, and the
 * bound keeps the walk short. */
#define MMAP_MAX_LENGTH		65536u
/* The longest string we walk looking for its end. */
#define STR_MAX_SCAN		65536u

#define ONE_MIB			0x100000ull
#define LOW_RAM_MAX		0xa0000ull	/* 640 KiB: VGA and BIOS above */
#define FOUR_GIB		0x100000000ull

/* The fields of the information structure we use, copied out. */
struct mb_info {
	uint32_t flags;
	uint32_t mem_lower;	/* KiB from 0 */
	uint32_t mem_upper;	/* KiB from 1 MiB */
	uint32_t cmdline;
	uint32_t mods_count;
	uint32_t mods_addr;
	uint32_t mmap_length;
	uint32_t mmap_addr;
};

struct mmap_entry {
	uint64_t base;
	uint64_t len;
	uint32_t type;
};

/* Little-endian loads byte by byte: the loader's structures need not be
 * aligned. */
static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* The accessor, refusing ranges that would wrap past 4 GiB. */
static const uint8_t *mb_phys(const struct mb_access *acc, uint64_t addr,
	uint32_t len)
{
	if (addr + len > FOUR_GIB)
		return NULL;
	return acc->phys((uint32_t)addr, len, acc->ctx);
}

static int read_info(const struct mb_access *acc, uint32_t addr,
	struct mb_info *mi)
{
	const uint8_t *p = mb_phys(acc, addr, MBI_SIZE);

	if (p == NULL)
		return -1;
	mi->flags = rd32(p + MBI_FLAGS);
	mi->mem_lower = rd32(p + MBI_MEM_LOWER);
	mi->mem_upper = rd32(p + MBI_MEM_UPPER);
	mi->cmdline = rd32(p + MBI_CMDLINE);
	mi->mods_count = rd32(p + MBI_MODS_COUNT);
	mi->mods_addr = rd32(p + MBI_MODS_ADDR);
	mi->mmap_length = rd32(p + MBI_MMAP_LENGTH);
	mi->mmap_addr = rd32(p + MBI_MMAP_ADDR);
	return 0;
}

/* --- strings ---------------------------------------------------------- */

/* A loader string read one byte at a time: an unreachable byte, the 4 GiB
 * line or STR_MAX_SCAN bytes end it as a NUL would. */
struct mb_str {
	const struct mb_access *acc;
	uint64_t addr;
	uint32_t left;
};

static char str_peek(const struct mb_str *s)
{
	const uint8_t *p;

	if (s->left == 0)
		return '\0';
	p = mb_phys(s->acc, s->addr, 1);
	return p ? (char)*p : '\0';
}

static void str_next(struct mb_str *s)
{
	s->addr++;
	s->left--;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Copies the string at addr, minus the blanks before it, into
 * dst[0..size) with size >= 1, whole: the image name that QEMU and iPXE
 * put first and GRUB leaves out is the kernel's and VM's to recognise
 * (kernel/lib/cmdwords.h). Returns the length copied; sets
 * KINFO_F_STR_TRUNC when the rest did not fit, and *full (if not NULL)
 * to the whole string's length, up to STR_MAX_SCAN. */
static uint32_t copy_args(const struct mb_access *acc, uint32_t addr,
	char *dst, uint32_t size, struct kinfo *ki, uint32_t *full)
{
	struct mb_str s = { acc, addr, STR_MAX_SCAN };
	uint32_t n = 0, len;

	if (full)
		*full = 0;
	if (addr == 0) {	/* loaders write 0 for "no string" */
		dst[0] = '\0';
		return 0;
	}
	while (is_blank(str_peek(&s)))
		str_next(&s);
	for (; n < size - 1 && str_peek(&s) != '\0'; n++, str_next(&s))
		dst[n] = str_peek(&s);
	dst[n] = '\0';
	for (len = n; str_peek(&s) != '\0'; len++)
		str_next(&s);
	if (len > n)
		ki->flags |= KINFO_F_STR_TRUNC;
	if (full)
		*full = len;
	return n;
}

/* --- modules ---------------------------------------------------------- */

/* Reads the module list: start, end and string of each, the strings packed
 * NUL-separated into ki->modstr. An unreadable list is MB_EBADINFO: memory
 * cannot be handed out without knowing where the modules are. */
static int parse_mods(const struct mb_info *mi, const struct mb_access *acc,
	struct kinfo *ki)
{
	uint32_t n = mi->mods_count, off = 0;

	if (n > KINFO_MAX_MODS) {
		n = KINFO_MAX_MODS;
		ki->flags |= KINFO_F_MODS_TRUNC;
	}
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = mb_phys(acc,
			(uint64_t)mi->mods_addr + i * MOD_ENTRY_SIZE,
			MOD_ENTRY_SIZE);
		struct kinfo_mod *m = &ki->mods[i];
		uint32_t str, at;

		if (e == NULL)
			return MB_EBADINFO;
		m->start = rd32(e);
		m->end = rd32(e + 4);
		str = rd32(e + 8);
		if (m->end < m->start)	/* nonsense: keep it, but empty */
			m->end = m->start;
		/* A full modstr still has its last NUL to point at. */
		at = off < KINFO_MODSTR_LEN ? off : KINFO_MODSTR_LEN - 1;
		m->str_off = (uint16_t)at;
		m->str_len = (uint16_t)copy_args(acc, str, ki->modstr + at,
			KINFO_MODSTR_LEN - at, ki, NULL);
		off = at + m->str_len + 1;
	}
	ki->mod_count = n;
	return 0;
}

/* --- memory ----------------------------------------------------------- */

/* Reads the map entry at *off and steps past it; -1 if it is unreadable,
 * too short, or runs past mmap_length. */
static int mmap_next(const struct mb_info *mi, const struct mb_access *acc,
	uint32_t *off, struct mmap_entry *e)
{
	uint64_t at = (uint64_t)mi->mmap_addr + *off;
	const uint8_t *p;
	uint32_t size;

	if (mi->mmap_length - *off < 4 || (p = mb_phys(acc, at, 4)) == NULL)
		return -1;
	size = rd32(p);		/* of the entry, not counting this word */
	if (size < MMAP_ENTRY_MIN || size > mi->mmap_length - *off - 4)
		return -1;
	p = mb_phys(acc, at + 4, MMAP_ENTRY_MIN);
	if (p == NULL)
		return -1;
	e->base = rd64(p);
	e->len = rd64(p + 8);
	e->type = rd32(p + 16);
	*off += 4 + size;
	return 0;
}

/* RAM in a map entry that we can use: none of it at or above 4 GiB. */
static uint64_t ram_below_4g(const struct mmap_entry *e)
{
	if (e->type != MMAP_TYPE_RAM || e->base >= FOUR_GIB)
		return 0;
	return e->len < FOUR_GIB - e->base ? e->len : FOUR_GIB - e->base;
}

/* RAM in a map entry that lies at or above 4 GiB: unusable without PAE.
 * A length running past 2^64 counts up to there. */
static uint64_t ram_above_4g(const struct mmap_entry *e)
{
	uint64_t end = e->base + e->len < e->base ? UINT64_MAX
						  : e->base + e->len;

	if (e->type != MMAP_TYPE_RAM || end <= FOUR_GIB)
		return 0;
	return end - (e->base > FOUR_GIB ? e->base : FOUR_GIB);
}

/* Walks the whole map before anything is taken from it, so a bad entry
 * late in the map cannot leave a half-built list. */
static int mmap_valid(const struct mb_info *mi, const struct mb_access *acc)
{
	struct mmap_entry e;
	uint32_t off = 0;
	int ram = 0;

	if (mi->mmap_length == 0 || mi->mmap_length > MMAP_MAX_LENGTH)
		return 0;
	while (off < mi->mmap_length) {
		if (mmap_next(mi, acc, &off, &e) < 0)
			return 0;
		if (ram_below_4g(&e) > 0)
			ram = 1;
	}
	return ram;
}

/* All RAM first, then every other type removed: BIOSes report reserved
 * ranges that overlap RAM entries, and the reservation must win. */
static void mmap_apply(const struct mb_info *mi, const struct mb_access *acc,
	struct kinfo *ki)
{
	struct mmap_entry e;
	uint32_t off;

	for (off = 0; off < mi->mmap_length && mmap_next(mi, acc, &off, &e) == 0;) {
		memlist_add(ki, e.base, ram_below_4g(&e));
		ki->ram_above_4g += ram_above_4g(&e);
	}
	for (off = 0; off < mi->mmap_length && mmap_next(mi, acc, &off, &e) == 0;)
		if (e.type != MMAP_TYPE_RAM)
			memlist_remove(ki, e.base, e.len);
}

/* The old mem_lower/mem_upper pair: RAM from 0 and from 1 MiB. */
static void add_mem_limits(const struct mb_info *mi, struct kinfo *ki)
{
	uint64_t lower = (uint64_t)mi->mem_lower << 10;
	uint64_t upper = (uint64_t)mi->mem_upper << 10;

	memlist_add(ki, 0, lower < LOW_RAM_MAX ? lower : LOW_RAM_MAX);
	memlist_add(ki, ONE_MIB,
		upper < FOUR_GIB - ONE_MIB ? upper : FOUR_GIB - ONE_MIB);
}

static int parse_memory(const struct mb_info *mi, const struct mb_access *acc,
	struct kinfo *ki)
{
	if (mi->flags & MB_INFO_MMAP) {
		if (mmap_valid(mi, acc)) {
			mmap_apply(mi, acc, ki);
			ki->flags |= KINFO_F_MMAP;
			return 0;
		}
		ki->flags |= KINFO_F_MMAP_BAD;
	}
	if (mi->flags & MB_INFO_MEMORY) {
		add_mem_limits(mi, ki);
		ki->flags |= KINFO_F_MEMLIMITS;
		return 0;
	}
	ki->flags |= KINFO_F_NOMEM;
	return MB_ENOMEM;
}

/* Bound on the module entries read for their memory, so a corrupt count
 * cannot keep the parser busy for long. */
#define MODS_SCAN_MAX	1024

/* The caller's reserved ranges and every module the loader lists leave
 * the free list: also those beyond KINFO_MAX_MODS, whose memory still
 * holds them although kinfo does not. */
static void remove_used(const struct mb_info *mi, const struct mb_access *acc,
	const struct mb_reserved *resv, int nresv, struct kinfo *ki)
{
	uint32_t n = (mi->flags & MB_INFO_MODS) ? mi->mods_count : 0;

	for (int i = 0; i < nresv; i++)
		if (resv[i].end > resv[i].start)
			memlist_remove(ki, resv[i].start,
				resv[i].end - resv[i].start);
	for (uint32_t i = 0; i < n && i < MODS_SCAN_MAX; i++) {
		const uint8_t *e = mb_phys(acc,
			(uint64_t)mi->mods_addr + i * MOD_ENTRY_SIZE,
			MOD_ENTRY_SIZE);
		uint32_t start, end;

		if (e == NULL)
			break;	/* parse_mods read the kept ones already */
		start = rd32(e);
		end = rd32(e + 4);
		if (end > start)
			memlist_remove(ki, start, end - start);
	}
}

/* Clears what mb_parse fills in; the kern_* and later fields are the
 * caller's. */
static void clear_parsed(struct kinfo *ki)
{
	ki->magic = 0;
	ki->flags = 0;
	ki->mem_count = 0;
	memset(ki->mem, 0, sizeof ki->mem);
	ki->ram_count = 0;
	memset(ki->ram, 0, sizeof ki->ram);
	ki->ram_above_4g = 0;
	ki->mod_count = 0;
	memset(ki->mods, 0, sizeof ki->mods);
	memset(ki->cmdline, 0, sizeof ki->cmdline);
	ki->cmdline_len = 0;
	memset(ki->modstr, 0, sizeof ki->modstr);
}

int mb_parse(uint32_t magic, uint32_t mbi_addr, const struct mb_access *acc,
	const struct mb_reserved *resv, int nresv, struct kinfo *ki)
{
	struct mb_info mi;
	int err;

	clear_parsed(ki);
	if (magic != MB_BOOT_MAGIC)
		return MB_EBADMAGIC;
	if (read_info(acc, mbi_addr, &mi) < 0)
		return MB_EBADINFO;
	if (mi.flags & MB_INFO_CMDLINE)
		copy_args(acc, mi.cmdline, ki->cmdline, KINFO_CMDLINE_LEN, ki,
			&ki->cmdline_len);
	if (mi.flags & MB_INFO_MODS) {
		err = parse_mods(&mi, acc, ki);
		if (err < 0)
			return err;
	}
	err = parse_memory(&mi, acc, ki);
	if (err < 0)
		return err;
	ki->ram_count = ki->mem_count;	/* all RAM, before anything is used */
	memcpy(ki->ram, ki->mem, sizeof ki->ram);
	remove_used(&mi, acc, resv, nresv, ki);
	ki->magic = KINFO_MAGIC;
	return 0;
}
