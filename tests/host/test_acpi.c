/*
 * Tests of smp/acpi.c: MADTs built here byte by byte, the RSDP/RSDT/XSDT
 * walk on a synthetic sparse physical memory, and the tables QEMU really
 * gives, from fixtures (tests/fixtures/qemu-smpN.acpi) that hold the
 * kernel's "CAIRN acpi" records, one table chunk per line.
 */
#include "check.h"

#include <stdint.h>
#include <string.h>
#include "kernel/lib/crc32.h"
#include "smp/acpi.h"
#include "smp/mptable.h"

#ifndef CAIRN_FIXTURE_DIR
#define CAIRN_FIXTURE_DIR	"tests/fixtures"
#endif

#define LOW_SIZE	0x100000u	/* the first MiB */
#define MAX_REGIONS	64
#define POOL_SIZE	(512u * 1024)
#define MAX_TABLE	4096u

/* --- sparse physical memory --------------------------------------------- */

/* Physical memory made of regions; every other address is unreachable
 * (the accessor says NULL). */
struct region {
	uint32_t base;
	uint32_t size;
	uint8_t *bytes;
	uint8_t *have;		/* which bytes a fixture has filled in */
};

static struct {
	struct region r[MAX_REGIONS];
	int n;
	uint32_t pool_used;
	uint8_t pool[POOL_SIZE];
	uint8_t pool_have[POOL_SIZE];
	uint8_t low[LOW_SIZE];
} mem;

static void mem_reset(void)
{
	mem.n = 0;
	mem.pool_used = 0;
	memset(mem.pool, 0, sizeof mem.pool);
	memset(mem.pool_have, 0, sizeof mem.pool_have);
}

static const void *mem_phys(uint32_t addr, uint32_t len, void *ctx)
{
	(void)ctx;
	for (int i = 0; i < mem.n; i++) {
		const struct region *r = &mem.r[i];

		if (addr >= r->base &&
		    (uint64_t)addr + len <= (uint64_t)r->base + r->size)
			return r->bytes + (addr - r->base);
	}
	return NULL;
}

static const struct acpi_access acc = { mem_phys, NULL };

/* A new region, zero-filled; NULL when the test's pool is used up. */
static struct region *mem_add(uint32_t base, uint32_t size)
{
	struct region *r;

	if (mem.n == MAX_REGIONS || size > POOL_SIZE - mem.pool_used)
		return NULL;
	r = &mem.r[mem.n++];
	r->base = base;
	r->size = size;
	r->bytes = mem.pool + mem.pool_used;
	r->have = mem.pool_have + mem.pool_used;
	mem.pool_used += size;
	return r;
}

/* The whole first MiB, zeros: the BIOS areas as a PC has them. */
static struct region *mem_add_low(void)
{
	struct region *r = &mem.r[mem.n++];

	memset(mem.low, 0, sizeof mem.low);
	r->base = 0;
	r->size = LOW_SIZE;
	r->bytes = mem.low;
	r->have = NULL;
	return r;
}

static void mem_write(uint32_t addr, const void *p, uint32_t len)
{
	uint8_t *dst = (uint8_t *)mem_phys(addr, len, NULL);

	if (dst == NULL)
		FAILF("test bug: 0x%x+%u not in sparse memory", addr, len);
	memcpy(dst, p, len);
}

/* --- building tables ------------------------------------------------- */

struct table {
	uint8_t b[MAX_TABLE];
	uint32_t len;
};

static void tbl_bytes(struct table *t, const void *p, uint32_t n)
{
	if (t->len + n > MAX_TABLE)
		FAILF("test bug: table over %u bytes", MAX_TABLE);
	memcpy(t->b + t->len, p, n);
	t->len += n;
}

static void tbl_le(struct table *t, uint64_t v, int n)
{
	for (int i = 0; i < n; i++) {
		uint8_t byte = (uint8_t)(v >> (8 * i));

		tbl_bytes(t, &byte, 1);
	}
}

#define U8(t, v)	tbl_le(t, v, 1)
#define U16(t, v)	tbl_le(t, v, 2)
#define U32(t, v)	tbl_le(t, v, 4)
#define U64(t, v)	tbl_le(t, v, 8)

static void set32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
}

/* The 36-byte header; tbl_end fills in length and checksum. */
static void tbl_begin(struct table *t, const char *sig)
{
	memset(t, 0, sizeof *t);
	tbl_bytes(t, sig, 4);
	U32(t, 0);			/* length */
	U8(t, 1);			/* revision */
	U8(t, 0);			/* checksum */
	tbl_bytes(t, "CAIRN ", 6);	/* OEM ID */
	tbl_bytes(t, "TESTTABL", 8);	/* OEM table ID */
	U32(t, 1);
	tbl_bytes(t, "CRN ", 4);	/* creator */
	U32(t, 1);
}

static void tbl_fix_sum(struct table *t)
{
	t->b[9] = 0;
	t->b[9] = (uint8_t)(0x100 - acpi_checksum(t->b, t->len));
}

static void tbl_end(struct table *t)
{
	set32(t->b + 4, t->len);
	tbl_fix_sum(t);
}

static void tbl_place(const struct table *t, uint32_t phys)
{
	if (mem_phys(phys, t->len, NULL) == NULL &&
	    mem_add(phys, t->len) == NULL)
		FAILF("test bug: sparse memory full");
	mem_write(phys, t->b, t->len);
}

static void madt_begin(struct table *t, uint32_t lapic_addr)
{
	tbl_begin(t, "APIC");
	U32(t, lapic_addr);
	U32(t, 1);			/* PC-AT compatible 8259s */
}

static void madt_lapic(struct table *t, uint8_t acpi_id, uint8_t apic_id,
	uint32_t flags)
{
	U8(t, 0); U8(t, 8); U8(t, acpi_id); U8(t, apic_id); U32(t, flags);
}

static void madt_ioapic(struct table *t, uint8_t id, uint32_t addr,
	uint32_t gsi_base)
{
	U8(t, 1); U8(t, 12); U8(t, id); U8(t, 0); U32(t, addr);
	U32(t, gsi_base);
}

static void madt_override(struct table *t, uint8_t source, uint32_t gsi,
	uint16_t flags)
{
	U8(t, 2); U8(t, 10); U8(t, 0); U8(t, source); U32(t, gsi);
	U16(t, flags);
}

static void madt_lapic_nmi(struct table *t)
{
	U8(t, 4); U8(t, 6); U8(t, 0xff); U16(t, 5); U8(t, 1);
}

static void madt_lapic_addr(struct table *t, uint64_t addr)
{
	U8(t, 5); U8(t, 12); U16(t, 0); U64(t, addr);
}

/* 4 processors (one disabled, one only online-capable), an I/O APIC, two
 * overrides, a local APIC NMI and a local APIC address override. */
static void standard_madt(struct table *t)
{
	madt_begin(t, 0xfee00000u);
	madt_lapic(t, 0, 0, 1);
	madt_lapic(t, 1, 1, 1);
	madt_lapic(t, 2, 2, 0);
	madt_lapic(t, 3, 5, 2);
	madt_ioapic(t, 0, 0xfec00000u, 0);
	madt_override(t, 0, 2, 0);
	madt_override(t, 9, 9, 0x000d);
	madt_lapic_nmi(t);
	madt_lapic_addr(t, 0xfee01000u);
	tbl_end(t);
}

static void check_standard_madt(const struct madt_info *mi)
{
	CHECK_EQ_U(mi->lapic_addr, 0xfee01000u);
	CHECK_EQ(mi->flags, 1);
	CHECK_EQ(mi->cpu_count, 3);
	CHECK_EQ(mi->cpus[0].apic_id, 0);
	CHECK_EQ(mi->cpus[1].apic_id, 1);
	CHECK_EQ(mi->cpus[2].acpi_id, 3);
	CHECK_EQ(mi->cpus[2].apic_id, 5);
	CHECK_EQ(mi->ioapic_count, 1);
	CHECK_EQ(mi->ioapics[0].id, 0);
	CHECK_EQ_U(mi->ioapics[0].addr, 0xfec00000u);
	CHECK_EQ(mi->ioapics[0].gsi_base, 0);
	CHECK_EQ(mi->override_count, 2);
	CHECK_EQ(mi->overrides[0].source, 0);
	CHECK_EQ(mi->overrides[0].gsi, 2);
	CHECK_EQ(mi->overrides[1].source, 9);
	CHECK_EQ(mi->overrides[1].gsi, 9);
	CHECK_EQ(mi->overrides[1].flags, 0xd);
	CHECK_EQ(mi->skipped, 2);	/* the disabled CPU and the NMI */
}

static struct madt_info info;
static struct table madt, root, other;

/* --- madt_parse ------------------------------------------------------- */

TEST(acpi, checksum)
{
	uint8_t b[4] = { 1, 2, 3, 0xfa };

	CHECK_EQ(acpi_checksum(b, 4), 0);
	CHECK_EQ(acpi_checksum(b, 3), 6);
	CHECK_EQ(acpi_checksum(b, 0), 0);
}

TEST(acpi, madt_valid)
{
	standard_madt(&madt);
	CHECK_EQ(madt_parse(madt.b, madt.len, &info), 0);
	check_standard_madt(&info);
	/* A longer buffer is fine: the header's length counts. */
	CHECK_EQ(madt_parse(madt.b, sizeof madt.b, &info), 0);
	CHECK_EQ(info.cpu_count, 3);
}

TEST(acpi, madt_bad_checksum)
{
	standard_madt(&madt);
	madt.b[50] ^= 0x10;
	CHECK_EQ(madt_parse(madt.b, madt.len, &info), ACPI_EBADSUM);
}

TEST(acpi, madt_wrong_signature)
{
	standard_madt(&madt);
	memcpy(madt.b, "APIX", 4);
	tbl_fix_sum(&madt);
	CHECK_EQ(madt_parse(madt.b, madt.len, &info), ACPI_EBADSIG);
}

TEST(acpi, madt_truncated)
{
	standard_madt(&madt);
	CHECK_EQ(madt_parse(madt.b, madt.len - 1, &info), ACPI_EBADLEN);
	CHECK_EQ(madt_parse(madt.b, 43, &info), ACPI_EBADLEN);
	CHECK_EQ(madt_parse(madt.b, 0, &info), ACPI_EBADLEN);
	/* A header length too short for the MADT's own fields. */
	set32(madt.b + 4, 40);
	tbl_fix_sum(&madt);
	CHECK_EQ(madt_parse(madt.b, madt.len, &info), ACPI_EBADLEN);
}

/* A MADT whose last entry is the given raw bytes. */
static int parse_with_tail(const uint8_t *e, uint32_t n)
{
	madt_begin(&madt, 0xfee00000u);
	madt_lapic(&madt, 0, 0, 1);
	tbl_bytes(&madt, e, n);
	tbl_end(&madt);
	return madt_parse(madt.b, madt.len, &info);
}

TEST(acpi, madt_entry_lengths)
{
	static const uint8_t len0[] = { 0, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t len1[] = { 0x7f, 1, 0, 0 };
	static const uint8_t past_end[] = { 0x7f, 9, 0, 0, 0, 0 };
	static const uint8_t one_byte[] = { 0x7f };
	static const uint8_t short_lapic[] = { 0, 6, 0, 0, 1, 0 };
	static const uint8_t short_ioapic[] = { 1, 8, 0, 0, 0, 0, 0xc0, 0xfe };
	static const uint8_t short_override[] = { 2, 8, 0, 0, 0, 0, 0, 0 };
	static const uint8_t short_addr[] = { 5, 8, 0, 0, 0, 0, 0xe0, 0xfe };
	static const uint8_t unknown_ok[] = { 0x7f, 2 };

	CHECK_EQ(parse_with_tail(len0, sizeof len0), ACPI_EBADLEN);
	CHECK_EQ(parse_with_tail(len1, sizeof len1), ACPI_EBADLEN);
	CHECK_EQ(parse_with_tail(past_end, sizeof past_end), ACPI_EBADLEN);
	CHECK_EQ(parse_with_tail(one_byte, sizeof one_byte), ACPI_EBADLEN);
	CHECK_EQ(parse_with_tail(short_lapic, sizeof short_lapic),
		ACPI_EBADLEN);
	CHECK_EQ(parse_with_tail(short_ioapic, sizeof short_ioapic),
		ACPI_EBADLEN);
	CHECK_EQ(parse_with_tail(short_override, sizeof short_override),
		ACPI_EBADLEN);
	CHECK_EQ(parse_with_tail(short_addr, sizeof short_addr),
		ACPI_EBADLEN);
	CHECK_EQ(parse_with_tail(unknown_ok, sizeof unknown_ok), 0);
	CHECK_EQ(info.skipped, 1);
	CHECK_EQ(info.cpu_count, 1);
}

TEST(acpi, madt_lapic_address_above_4gib_ignored)
{
	madt_begin(&madt, 0xfee00000u);
	madt_lapic_addr(&madt, 0x1fee00000ull);
	tbl_end(&madt);
	CHECK_EQ(madt_parse(madt.b, madt.len, &info), 0);
	CHECK_EQ_U(info.lapic_addr, 0xfee00000u);
	CHECK_EQ(info.skipped, 1);
}

TEST(acpi, madt_more_entries_than_arrays)
{
	madt_begin(&madt, 0xfee00000u);
	for (int i = 0; i < ACPI_MAX_CPUS + 10; i++)
		madt_lapic(&madt, (uint8_t)i, (uint8_t)i, 1);
	for (int i = 0; i < ACPI_MAX_IOAPICS + 1; i++)
		madt_ioapic(&madt, (uint8_t)i, 0xfec00000u + 0x1000u * i, 24u * i);
	for (int i = 0; i < ACPI_MAX_OVERRIDES + 2; i++)
		madt_override(&madt, (uint8_t)i, (uint32_t)i, 0);
	tbl_end(&madt);
	CHECK_EQ(madt_parse(madt.b, madt.len, &info), 0);
	CHECK_EQ(info.cpu_count, ACPI_MAX_CPUS);
	CHECK_EQ(info.ioapic_count, ACPI_MAX_IOAPICS);
	CHECK_EQ(info.override_count, ACPI_MAX_OVERRIDES);
	CHECK_EQ(info.skipped, 10 + 1 + 2);
}

/* --- the RSDP and root table walk -------------------------------------- */

#define RSDP_PHYS	0xf5a30u
#define RSDT_PHYS	0x07fe1000u
#define FACP_PHYS	0x07fe2000u
#define MADT_PHYS	0x07fe3000u
#define XSDT_PHYS	0x07fe4000u
#define MADT2_PHYS	0x07fe5000u
#define NOWHERE_PHYS	0x07ff0000u

/* An RSDP of the given revision; v2 fields are written for rev >= 2. */
static void put_rsdp(uint32_t phys, uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	uint8_t r[36] = "RSD PTR ";

	memcpy(r + 9, "CAIRN ", 6);
	r[15] = rev;
	set32(r + 16, rsdt);
	set32(r + 20, 36);
	set32(r + 24, (uint32_t)xsdt);
	set32(r + 28, (uint32_t)(xsdt >> 32));
	r[8] = (uint8_t)(0x100 - acpi_checksum(r, 20));
	r[32] = (uint8_t)(0x100 - acpi_checksum(r, 36));
	mem_write(phys, r, rev >= 2 ? 36 : 20);
}

static void put_root(const char *sig, uint32_t phys, int n,
	const uint32_t *tables)
{
	int wide = strcmp(sig, "XSDT") == 0;

	tbl_begin(&root, sig);
	for (int i = 0; i < n; i++)
		tbl_le(&root, tables[i], wide ? 8 : 4);
	tbl_end(&root);
	tbl_place(&root, phys);
}

/* What QEMU has: RSDP in the BIOS area, RSDT -> FACP, a table nobody can
 * reach, and the MADT. */
static void standard_layout(void)
{
	const uint32_t tables[] = { FACP_PHYS, NOWHERE_PHYS, MADT_PHYS };

	mem_reset();
	mem_add_low();
	put_rsdp(RSDP_PHYS, 0, RSDT_PHYS, 0);
	put_root("RSDT", RSDT_PHYS, 3, tables);
	tbl_begin(&other, "FACP");
	U32(&other, 0);
	tbl_end(&other);
	tbl_place(&other, FACP_PHYS);
	standard_madt(&madt);
	tbl_place(&madt, MADT_PHYS);
}

/* A second MADT with n enabled processors at phys. */
static void put_small_madt(uint32_t phys, int n)
{
	madt_begin(&other, 0xfee00000u);
	for (int i = 0; i < n; i++)
		madt_lapic(&other, (uint8_t)i, (uint8_t)i, 1);
	tbl_end(&other);
	tbl_place(&other, phys);
}

static int find(uint32_t *phys)
{
	*phys = 0;
	return acpi_find_madt(&acc, &info, phys);
}

TEST(acpi, walk_qemu_like)
{
	uint32_t phys;

	standard_layout();
	CHECK_EQ(find(&phys), 0);
	CHECK_EQ_U(phys, MADT_PHYS);
	check_standard_madt(&info);
	/* madt_phys may be NULL. */
	CHECK_EQ(acpi_find_madt(&acc, &info, NULL), 0);
}

TEST(acpi, walk_rsdp_in_ebda_comes_first)
{
	const uint32_t tables[] = { MADT2_PHYS };
	uint32_t phys;
	uint16_t seg = 0x9fc0;

	standard_layout();
	mem_write(0x40e, &seg, 2);
	put_rsdp(0x9fc40, 0, XSDT_PHYS, 0);	/* an RSDT, despite the name */
	put_root("RSDT", XSDT_PHYS, 1, tables);
	put_small_madt(MADT2_PHYS, 2);
	CHECK_EQ(find(&phys), 0);
	CHECK_EQ_U(phys, MADT2_PHYS);
	CHECK_EQ(info.cpu_count, 2);
}

TEST(acpi, walk_rsdp_beyond_first_kib_of_ebda_not_seen)
{
	uint32_t phys;
	uint16_t seg = 0x9f00;

	mem_reset();
	mem_add_low();
	mem_write(0x40e, &seg, 2);
	put_rsdp(0x9f000 + 1024, 0, RSDT_PHYS, 0);
	CHECK_EQ(find(&phys), ACPI_ENOTFOUND);
	put_rsdp(0x9f000 + 1024 - 32, 0, RSDT_PHYS, 0);
	CHECK_EQ(find(&phys), ACPI_EACCESS);	/* found; no RSDT there */
}

TEST(acpi, walk_scans_past_unreachable_memory)
{
	const uint32_t tables[] = { MADT_PHYS };
	uint32_t phys;

	/* No BIOS data area at all, and of the BIOS area only two islands,
	 * the second holding the RSDP. */
	mem_reset();
	CHECK(mem_add(0xe8000, 0x100) != NULL);
	CHECK(mem_add(0xfe000, 0x40) != NULL);
	put_rsdp(0xfe010, 0, RSDT_PHYS, 0);
	put_root("RSDT", RSDT_PHYS, 1, tables);
	standard_madt(&madt);
	tbl_place(&madt, MADT_PHYS);
	CHECK_EQ(find(&phys), 0);
	CHECK_EQ_U(phys, MADT_PHYS);
}

TEST(acpi, walk_prefers_xsdt)
{
	const uint32_t xtables[] = { FACP_PHYS, MADT2_PHYS };
	uint32_t phys;

	standard_layout();
	put_rsdp(RSDP_PHYS, 2, RSDT_PHYS, XSDT_PHYS);
	put_root("XSDT", XSDT_PHYS, 2, xtables);
	put_small_madt(MADT2_PHYS, 4);
	CHECK_EQ(find(&phys), 0);
	CHECK_EQ_U(phys, MADT2_PHYS);
	CHECK_EQ(info.cpu_count, 4);
}

TEST(acpi, walk_xsdt_above_4gib_uses_rsdt)
{
	uint32_t phys;

	standard_layout();
	put_rsdp(RSDP_PHYS, 2, RSDT_PHYS, 0x100000000ull + XSDT_PHYS);
	CHECK_EQ(find(&phys), 0);
	CHECK_EQ_U(phys, MADT_PHYS);
}

TEST(acpi, walk_bad_v2_checksum_uses_rsdt)
{
	const uint32_t xtables[] = { MADT2_PHYS };
	uint32_t phys;

	standard_layout();
	put_rsdp(RSDP_PHYS, 2, RSDT_PHYS, XSDT_PHYS);
	put_root("XSDT", XSDT_PHYS, 1, xtables);
	put_small_madt(MADT2_PHYS, 4);
	mem.low[RSDP_PHYS + 32] ^= 1;		/* extended checksum */
	CHECK_EQ(find(&phys), 0);
	CHECK_EQ_U(phys, MADT_PHYS);
}

TEST(acpi, walk_broken_xsdt_falls_back_to_rsdt)
{
	const uint32_t xtables[] = { MADT2_PHYS };
	uint32_t phys;

	standard_layout();
	put_rsdp(RSDP_PHYS, 2, RSDT_PHYS, XSDT_PHYS);
	put_root("XSDT", XSDT_PHYS, 1, xtables);
	((uint8_t *)mem_phys(XSDT_PHYS, 36, NULL))[20] ^= 1;
	CHECK_EQ(find(&phys), 0);
	CHECK_EQ_U(phys, MADT_PHYS);
}

TEST(acpi, walk_skips_bad_rsdp_candidates)
{
	uint32_t phys;

	standard_layout();
	put_rsdp(0xe0000, 0, 0x12345678, 0);
	mem.low[0xe0000 + 8] ^= 1;		/* bad checksum: passed over */
	mem.low[0xe0010] = 'R';			/* "R" only: not a signature */
	CHECK_EQ(find(&phys), 0);
	CHECK_EQ_U(phys, MADT_PHYS);
}

TEST(acpi, walk_errors)
{
	const uint32_t none[] = { FACP_PHYS };
	const uint32_t lost[] = { NOWHERE_PHYS };
	uint32_t phys;

	mem_reset();
	mem_add_low();
	CHECK_EQ(find(&phys), ACPI_ENOTFOUND);

	put_rsdp(RSDP_PHYS, 0, RSDT_PHYS, 0);
	mem.low[RSDP_PHYS + 8] ^= 1;
	CHECK_EQ(find(&phys), ACPI_EBADSUM);	/* only a broken RSDP */

	standard_layout();
	((uint8_t *)mem_phys(RSDT_PHYS, 36, NULL))[20] ^= 1;
	CHECK_EQ(find(&phys), ACPI_EBADSUM);

	standard_layout();
	memcpy((uint8_t *)mem_phys(RSDT_PHYS, 4, NULL), "XSDT", 4);
	CHECK_EQ(find(&phys), ACPI_EBADSIG);

	standard_layout();
	set32((uint8_t *)mem_phys(RSDT_PHYS, 8, NULL) + 4, 0x20000);
	CHECK_EQ(find(&phys), ACPI_EBADLEN);	/* absurdly long */
	set32((uint8_t *)mem_phys(RSDT_PHYS, 8, NULL) + 4, 20);
	CHECK_EQ(find(&phys), ACPI_EBADLEN);	/* shorter than a header */

	standard_layout();
	put_root("RSDT", RSDT_PHYS, 1, none);
	CHECK_EQ(find(&phys), ACPI_ENOTFOUND);	/* no MADT listed */

	standard_layout();
	put_root("RSDT", RSDT_PHYS, 1, lost);
	CHECK_EQ(find(&phys), ACPI_EACCESS);	/* MADT may be the lost one */

	standard_layout();
	((uint8_t *)mem_phys(MADT_PHYS, 60, NULL))[50] ^= 1;
	CHECK_EQ(find(&phys), ACPI_EBADSUM);
	CHECK_EQ(info.cpu_count, 0);		/* nothing half-parsed */
	CHECK_EQ(phys, 0);
}

/* --- fixtures: the kernel's "CAIRN acpi" records ------------------------ */

#define FIXTURE_MAX	(1u << 20)
#define CHUNK_MAX	64	/* bytes of table per record */

static char fixture_text[FIXTURE_MAX];
static char fixture_why[256];

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parses a whole hex or decimal field value; -1 on anything else. */
static int64_t number(const char *s, int base)
{
	int64_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		int d = hexval(*s);

		if (d < 0 || d >= base || v > 0xffffffffll)
			return -1;
		v = v * base + d;
	}
	return v;
}

/* One chunk of a table as a record gives it. */
struct chunk {
	char sig[5];
	uint32_t phys, len, off, n;
	uint8_t bytes[CHUNK_MAX];
};

/* The " #" before a record's crc: the last one in the line. */
static char *last_hash(char *line)
{
	char *hash = NULL;

	for (char *p = line; (p = strstr(p, " #")) != NULL; p++)
		hash = p;
	return hash;
}

/* Checks the record's CRC: the 8 lower-case hex digits after the last
 * " #", over everything before it. */
static const char *record_crc_ok(char *line)
{
	const char *hash = last_hash(line);
	uint32_t want = 0;

	if (hash == NULL || strlen(hash + 2) != 8)
		return "no ' #<crc>' at its end";
	for (int i = 2; i < 10; i++) {
		int d = hexval(hash[i]);

		if (d < 0 || (hash[i] >= 'A' && hash[i] <= 'F'))
			return "crc is not 8 lower-case hex digits";
		want = want << 4 | (uint32_t)d;
	}
	if (crc32_update(0, line, (size_t)(hash - line)) != want)
		return "crc mismatch";
	return NULL;
}

/* Reads the fields of an acpi record (its crc already checked). */
static const char *record_fields(char *line, struct chunk *c)
{
	int64_t phys = -1, len = -1, off = -1;
	const char *hex = NULL;

	memset(c, 0, sizeof *c);
	*last_hash(line) = '\0';	/* the fields only */
	for (char *tok = strtok(line + strlen("CAIRN acpi "), " "); tok;
	     tok = strtok(NULL, " ")) {
		if (strncmp(tok, "sig=", 4) == 0 && strlen(tok + 4) == 4)
			memcpy(c->sig, tok + 4, 4);
		else if (strncmp(tok, "phys=", 5) == 0)
			phys = number(tok + 5, 16);
		else if (strncmp(tok, "len=", 4) == 0)
			len = number(tok + 4, 10);
		else if (strncmp(tok, "off=", 4) == 0)
			off = number(tok + 4, 10);
		else if (strncmp(tok, "hex=", 4) == 0)
			hex = tok + 4;
	}
	if (!c->sig[0] || phys < 0 || len <= 0 || off < 0 || hex == NULL)
		return "missing or bad sig/phys/len/off/hex";
	if (strlen(hex) % 2 || strlen(hex) > 2 * CHUNK_MAX)
		return "hex not whole bytes or more than 64 of them";
	if (len > 65536 || phys + len > 0x100000000ll)
		return "impossible table length";
	c->phys = (uint32_t)phys;
	c->len = (uint32_t)len;
	c->off = (uint32_t)off;
	c->n = (uint32_t)strlen(hex) / 2;
	if ((uint64_t)c->off + c->n > c->len)
		return "chunk runs past its table's length";
	for (uint32_t i = 0; i < c->n; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return "hex has a non-hex digit";
		c->bytes[i] = (uint8_t)(hi << 4 | lo);
	}
	return NULL;
}

/* Puts a chunk into sparse memory: below 1 MiB into the zero-filled low
 * region, anything else into a region of its table's own. */
static const char *store_chunk(const struct chunk *c)
{
	struct region *r = NULL;

	if ((uint64_t)c->phys + c->len <= LOW_SIZE) {
		memcpy(mem.low + c->phys + c->off, c->bytes, c->n);
		return NULL;
	}
	for (int i = 1; i < mem.n; i++)
		if (mem.r[i].base == c->phys)
			r = &mem.r[i];
	if (r != NULL && r->size != c->len)
		return "two lengths for one table";
	if (r == NULL && (r = mem_add(c->phys, c->len)) == NULL)
		return "more tables than the test has room for";
	memcpy(r->bytes + c->off, c->bytes, c->n);
	memset(r->have + c->off, 1, c->n);
	return NULL;
}

/* Loads every "CAIRN acpi" record of text (modified in place) into a fresh
 * sparse memory. Returns NULL, or why the fixture is unusable. */
static const char *fixture_load(char *text)
{
	struct chunk c;
	int line_no = 0, records = 0;
	char *next;

	mem_reset();
	mem_add_low();
	for (char *line = text; line; line = next) {
		const char *why;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line_no++;
		line[strcspn(line, "\r")] = '\0';
		if (strncmp(line, "CAIRN acpi ", 11) != 0)
			continue;
		why = record_crc_ok(line);
		if (why == NULL)
			why = record_fields(line, &c);
		if (why == NULL)
			why = store_chunk(&c);
		if (why != NULL) {
			snprintf(fixture_why, sizeof fixture_why,
				"line %d: %s", line_no, why);
			return fixture_why;
		}
		records++;
	}
	if (records == 0)
		return "no 'CAIRN acpi' records";
	for (int i = 1; i < mem.n; i++)
		if (memchr(mem.r[i].have, 0, mem.r[i].size) != NULL) {
			snprintf(fixture_why, sizeof fixture_why,
				"table at %08x: chunks missing", mem.r[i].base);
			return fixture_why;
		}
	return NULL;
}

/* Appends the records the kernel would print for one table. */
static void emit_table(char *out, size_t size, const char *sig,
	uint32_t phys, const uint8_t *t, uint32_t len)
{
	for (uint32_t off = 0; off < len; off += CHUNK_MAX) {
		char line[256], *p = line;
		uint32_t n = len - off < CHUNK_MAX ? len - off : CHUNK_MAX;

		p += sprintf(p, "CAIRN acpi sig=%s phys=%08x len=%u off=%u hex=",
			sig, phys, len, off);
		for (uint32_t i = 0; i < n; i++)
			p += sprintf(p, "%02x", t[off + i]);
		sprintf(p, " #%08x", crc32_update(0, line, (size_t)(p - line)));
		strncat(out, line, size - strlen(out) - 2);
		strcat(out, "\r\n");
	}
}

/* standard_layout() as the kernel would dump it, among other lines. */
static void synthetic_fixture(char *out, size_t size)
{
	standard_layout();
	strcpy(out, "SeaBIOS (version 1.16)\nCAIRN hello v=1 #00000000\n");
	emit_table(out, size, "RSDP", RSDP_PHYS, mem.low + RSDP_PHYS, 20);
	emit_table(out, size, "RSDT", RSDT_PHYS, root.b, root.len);
	emit_table(out, size, "APIC", MADT_PHYS, madt.b, madt.len);
	strncat(out, "cairn: boot done\n", size - strlen(out) - 1);
}

TEST(acpi, fixture_loader_roundtrip)
{
	uint32_t phys;
	const char *why;

	synthetic_fixture(fixture_text, sizeof fixture_text);
	why = fixture_load(fixture_text);
	if (why)
		FAILF("synthetic fixture: %s", why);
	/* FACP is not in the dump: the walk passes over it. */
	CHECK_EQ(find(&phys), 0);
	CHECK_EQ_U(phys, MADT_PHYS);
	check_standard_madt(&info);
}

TEST(acpi, fixture_loader_rejects_bad_records)
{
	char *p, *q;
	const char *why;

	synthetic_fixture(fixture_text, sizeof fixture_text);
	p = strstr(fixture_text, "sig=APIC");
	p = strstr(p, "hex=") + 10;
	*p = *p == '0' ? '1' : '0';		/* one digit of MADT data */
	why = fixture_load(fixture_text);
	CHECK(why != NULL && strstr(why, "crc mismatch") != NULL);

	synthetic_fixture(fixture_text, sizeof fixture_text);
	p = strstr(strstr(fixture_text, "sig=APIC"), "\r\n") + 2;
	q = strstr(p, "\r\n") + 2;		/* drop the MADT's 2nd chunk */
	memmove(p, q, strlen(q) + 1);
	why = fixture_load(fixture_text);
	CHECK(why != NULL && strstr(why, "chunks missing") != NULL);

	strcpy(fixture_text, "no records here\n");
	CHECK(fixture_load(fixture_text) != NULL);
}

/* qemu-smpN.acpi: N processors, an I/O APIC, the local APIC where QEMU
 * puts it; and one flipped byte makes the same MADT fail its checksum. */
/* Reads tests/fixtures/<name>.acpi into a fresh sparse memory. */
static void load_fixture_file(const char *name)
{
	const char *dir = getenv("CAIRN_FIXTURE_DIR");
	char path[512];
	const char *why;
	size_t n;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s.acpi",
		dir ? dir : CAIRN_FIXTURE_DIR, name);
	f = fopen(path, "rb");
	if (f == NULL)
		FAILF("fixture missing: %s (capture it with 'make fixtures')",
			path);
	n = fread(fixture_text, 1, sizeof fixture_text - 1, f);
	fclose(f);
	if (n == sizeof fixture_text - 1)
		FAILF("fixture %s: larger than %u bytes", path, FIXTURE_MAX);
	fixture_text[n] = '\0';
	why = fixture_load(fixture_text);
	if (why)
		FAILF("fixture %s: %s", path, why);
}

static void check_fixture(int ncpus)
{
	static uint8_t copy[65536];
	char name[32];
	const uint8_t *t;
	uint32_t phys, len;

	snprintf(name, sizeof name, "qemu-smp%d", ncpus);
	load_fixture_file(name);

	CHECK_EQ(find(&phys), 0);
	CHECK_EQ(info.cpu_count, ncpus);
	CHECK_GE(info.ioapic_count, 1);
	CHECK_EQ_U(info.lapic_addr, 0xfee00000u);

	t = mem_phys(phys, 8, NULL);
	len = get32(t + 4);
	CHECK(len <= sizeof copy);
	memcpy(copy, mem_phys(phys, len, NULL), len);
	copy[len - 1] ^= 0x20;
	CHECK_EQ(madt_parse(copy, len, &info), ACPI_EBADSUM);
}

TEST(acpi, qemu_smp1_fixture) { check_fixture(1); }
TEST(acpi, qemu_smp2_fixture) { check_fixture(2); }
TEST(acpi, qemu_smp4_fixture) { check_fixture(4); }
TEST(acpi, qemu_smp8_fixture) { check_fixture(8); }

/* --- the MP table (smp/mptable.c) ------------------------------------ */

#define MPF_BIOS	0xf5bb0u	/* where SeaBIOS puts them */
#define MPC_BIOS	0xf5bc0u
#define MPC_HIGH	0x07fe6000u
#define EBDA_SEG	0x9fc0u

static struct table mpc;

/* A configuration table header; mpc_end fills in length, entry count
 * and checksum. */
static void mpc_begin(struct table *t)
{
	memset(t, 0, sizeof *t);
	tbl_bytes(t, "PCMP", 4);
	U16(t, 0);			/* base table length */
	U8(t, 4);			/* spec revision 1.4 */
	U8(t, 0);			/* checksum */
	tbl_bytes(t, "CAIRN   ", 8);
	tbl_bytes(t, "TESTTABLE   ", 12);
	U32(t, 0);			/* OEM table */
	U16(t, 0);
	U16(t, 0);			/* entry count */
	U32(t, 0xfee00000u);
	U16(t, 0);			/* extended table */
	U8(t, 0);
	U8(t, 0);
}

static int mpc_entries;

static void mpc_cpu(struct table *t, uint8_t apic_id, uint8_t flags)
{
	U8(t, 0); U8(t, apic_id); U8(t, 0x14); U8(t, flags);
	U32(t, 0x663); U32(t, 0x0781abfd); U32(t, 0); U32(t, 0);
	mpc_entries++;
}

static void mpc_other(struct table *t, uint8_t type, uint8_t b1, uint8_t b3,
	uint32_t word)
{
	U8(t, type); U8(t, b1); U8(t, 0x11); U8(t, b3); U32(t, word);
	mpc_entries++;
}

static void mpc_fix_sum(struct table *t)
{
	t->b[7] = 0;
	t->b[7] = (uint8_t)(0x100 - acpi_checksum(t->b, t->len));
}

static void mpc_end(struct table *t)
{
	t->b[4] = (uint8_t)t->len;
	t->b[5] = (uint8_t)(t->len >> 8);
	t->b[34] = (uint8_t)mpc_entries;
	t->b[35] = (uint8_t)(mpc_entries >> 8);
	mpc_fix_sum(t);
	mpc_entries = 0;
}

/* Three CPUs (APIC ids 0, 1, 4), a disabled one, one answering to the
 * broadcast id; a bus, an I/O APIC, a disabled one, routing entries. */
static void standard_mpc(struct table *t)
{
	mpc_entries = 0;
	mpc_begin(t);
	mpc_cpu(t, 0, 3);
	mpc_cpu(t, 1, 1);
	mpc_cpu(t, 2, 0);
	mpc_cpu(t, 4, 1);
	mpc_cpu(t, 0xff, 1);
	mpc_other(t, 1, 0, 0, 0x20495349);		/* bus 0: "ISA " */
	mpc_other(t, 2, 8, 1, 0xfec00000u);
	mpc_other(t, 2, 9, 0, 0xfec01000u);
	mpc_other(t, 3, 0, 0, 0x02000000u);
	mpc_other(t, 4, 3, 0, 0x00000000u);
	mpc_end(t);
}

static void check_standard_mpc(const struct madt_info *mi)
{
	CHECK_EQ_U(mi->lapic_addr, 0xfee00000u);
	CHECK_EQ(mi->cpu_count, 3);
	CHECK_EQ(mi->cpus[0].apic_id, 0);
	CHECK_EQ(mi->cpus[1].apic_id, 1);
	CHECK_EQ(mi->cpus[2].apic_id, 4);
	CHECK_EQ(mi->ioapic_count, 1);
	CHECK_EQ(mi->ioapics[0].id, 8);
	CHECK_EQ_U(mi->ioapics[0].addr, 0xfec00000u);
	CHECK_EQ(mi->override_count, 0);
	/* disabled CPU, broadcast id, bus, disabled I/O APIC, 2 routing */
	CHECK_EQ(mi->skipped, 6);
}

/* A floating pointer at phys naming the table at mpc_phys. */
static void put_mpf(uint32_t phys, uint32_t mpc_phys, uint8_t deflt)
{
	uint8_t f[16] = "_MP_";

	set32(f + 4, mpc_phys);
	f[8] = 1;
	f[9] = 4;
	f[11] = deflt;
	f[10] = (uint8_t)(0x100 - acpi_checksum(f, 16));
	mem_write(phys, f, 16);
}

static struct mp_where where;

static int mp(void)
{
	memset(&where, 0xa5, sizeof where);
	return mp_find(&acc, &info, &where);
}

/* What QEMU -no-acpi has: pointer and table in the BIOS ROM area. */
static void mp_layout(void)
{
	mem_reset();
	mem_add_low();
	standard_mpc(&mpc);
	mem_write(MPC_BIOS, mpc.b, mpc.len);
	put_mpf(MPF_BIOS, MPC_BIOS, 0);
}

TEST(mptable, parse_valid)
{
	standard_mpc(&mpc);
	CHECK_EQ(mp_parse_config(mpc.b, mpc.len, &info), 0);
	check_standard_mpc(&info);
	CHECK_EQ(mp_parse_config(mpc.b, sizeof mpc.b, &info), 0);
	CHECK_EQ(info.cpu_count, 3);
}

TEST(mptable, parse_errors)
{
	standard_mpc(&mpc);
	mpc.b[60] ^= 1;
	CHECK_EQ(mp_parse_config(mpc.b, mpc.len, &info), ACPI_EBADSUM);
	CHECK_EQ(info.cpu_count, 0);

	standard_mpc(&mpc);
	memcpy(mpc.b, "PCMQ", 4);
	mpc_fix_sum(&mpc);
	CHECK_EQ(mp_parse_config(mpc.b, mpc.len, &info), ACPI_EBADSIG);

	standard_mpc(&mpc);
	CHECK_EQ(mp_parse_config(mpc.b, mpc.len - 1, &info), ACPI_EBADLEN);
	CHECK_EQ(mp_parse_config(mpc.b, 43, &info), ACPI_EBADLEN);
	mpc.b[4] = 40;			/* shorter than the header */
	mpc.b[5] = 0;
	mpc_fix_sum(&mpc);
	CHECK_EQ(mp_parse_config(mpc.b, mpc.len, &info), ACPI_EBADLEN);

	/* A processor entry cut by the table's end. */
	mpc_begin(&mpc);
	mpc_cpu(&mpc, 0, 3);
	mpc.len -= 4;
	mpc_end(&mpc);
	CHECK_EQ(mp_parse_config(mpc.b, mpc.len, &info), ACPI_EBADLEN);
	CHECK_EQ(info.cpu_count, 0);
}

TEST(mptable, parse_unknown_type_ends_walk)
{
	mpc_begin(&mpc);
	mpc_cpu(&mpc, 0, 3);
	mpc_cpu(&mpc, 1, 1);
	mpc_other(&mpc, 0x80, 0, 0, 0);	/* nobody knows its length */
	mpc_cpu(&mpc, 2, 1);
	mpc_end(&mpc);
	CHECK_EQ(mp_parse_config(mpc.b, mpc.len, &info), 0);
	CHECK_EQ(info.cpu_count, 2);
	CHECK_EQ(info.skipped, 1);

	/* The entry count ends the walk before the length does. */
	mpc_begin(&mpc);
	mpc_cpu(&mpc, 0, 3);
	mpc_cpu(&mpc, 1, 1);
	mpc_end(&mpc);
	mpc.b[34] = 1;
	mpc_fix_sum(&mpc);
	CHECK_EQ(mp_parse_config(mpc.b, mpc.len, &info), 0);
	CHECK_EQ(info.cpu_count, 1);
}

TEST(mptable, parse_more_ioapics_than_the_array)
{
	static struct table big;

	mpc_entries = 0;
	mpc_begin(&big);
	/* 190 x 20 bytes fit the test's 4 KiB table. */
	for (int i = 0; i < 190; i++)
		mpc_cpu(&big, (uint8_t)i, 1);
	for (int i = 0; i < ACPI_MAX_IOAPICS + 2; i++)
		mpc_other(&big, 2, (uint8_t)i, 1, 0xfec00000u + 0x1000u * i);
	mpc_end(&big);
	CHECK_EQ(mp_parse_config(big.b, big.len, &info), 0);
	CHECK_EQ(info.cpu_count, 190);
	CHECK_EQ(info.ioapic_count, ACPI_MAX_IOAPICS);
	CHECK_EQ(info.skipped, 2);
}

TEST(mptable, find_in_bios_rom)
{
	mp_layout();
	CHECK_EQ(mp(), 0);
	check_standard_mpc(&info);
	CHECK_EQ_U(where.mpf_phys, MPF_BIOS);
	CHECK_EQ_U(where.mpc_phys, MPC_BIOS);
	CHECK_EQ_U(where.mpc_len, mpc.len);
	CHECK_EQ(where.default_config, 0);
	CHECK_EQ(mp_find(&acc, &info, NULL), 0);	/* where may be NULL */
}

TEST(mptable, find_ebda_first_then_base_memory_end)
{
	uint16_t seg = EBDA_SEG, kib = 639;
	struct table two;

	mp_layout();
	mem_write(0x40e, &seg, 2);
	mem_write(0x413, &kib, 2);
	/* A table with two CPUs in high memory, named from the EBDA. */
	mpc_begin(&two);
	mpc_cpu(&two, 0, 3);
	mpc_cpu(&two, 1, 1);
	mpc_end(&two);
	tbl_place(&two, MPC_HIGH);
	put_mpf(EBDA_SEG * 16 + 0x3f0, MPC_HIGH, 0);
	CHECK_EQ(mp(), 0);
	CHECK_EQ_U(where.mpf_phys, EBDA_SEG * 16 + 0x3f0);
	CHECK_EQ(info.cpu_count, 2);

	/* Past the EBDA's first KiB it is not seen; the ROM's is found. */
	memset(mem.low + EBDA_SEG * 16 + 0x3f0, 0, 16);
	put_mpf(EBDA_SEG * 16 + 0x400, MPC_HIGH, 0);
	CHECK_EQ(mp(), 0);
	CHECK_EQ_U(where.mpf_phys, MPF_BIOS);

	/* No EBDA: the last KiB of base memory (0x413 says 512 KiB). */
	seg = 0;
	kib = 512;
	mem_write(0x40e, &seg, 2);
	mem_write(0x413, &kib, 2);
	put_mpf(512 * 1024 - 16, MPC_HIGH, 0);
	CHECK_EQ(mp(), 0);
	CHECK_EQ_U(where.mpf_phys, 512 * 1024 - 16);
	CHECK_EQ(info.cpu_count, 2);
	/* ... and only its last KiB. */
	memset(mem.low + 512 * 1024 - 16, 0, 16);
	put_mpf(511 * 1024 - 16, MPC_HIGH, 0);
	CHECK_EQ(mp(), 0);
	CHECK_EQ_U(where.mpf_phys, MPF_BIOS);
}

TEST(mptable, find_skips_broken_pointers)
{
	mp_layout();
	put_mpf(0xf0000, MPC_HIGH, 0);
	mem.low[0xf0000 + 4] ^= 1;		/* bad checksum: passed over */
	put_mpf(0xf0010, MPC_HIGH, 0);
	mem.low[0xf0010 + 8] = 2;		/* length not 1 */
	CHECK_EQ(mp(), 0);
	CHECK_EQ_U(where.mpf_phys, MPF_BIOS);
	check_standard_mpc(&info);

	/* Only broken ones: the reason is kept. */
	memset(mem.low + MPF_BIOS, 0, 16);
	CHECK_EQ(mp(), ACPI_EBADLEN);
	CHECK_EQ(info.cpu_count, 0);
}

TEST(mptable, find_errors)
{
	mem_reset();
	mem_add_low();
	CHECK_EQ(mp(), ACPI_ENOTFOUND);
	CHECK_EQ(where.mpf_phys, 0);

	mp_layout();
	put_mpf(MPF_BIOS, 0, 0);		/* no table, no default */
	CHECK_EQ(mp(), ACPI_ENOTFOUND);

	mp_layout();
	put_mpf(MPF_BIOS, 0x07ff0000u, 0);	/* unreachable table */
	CHECK_EQ(mp(), ACPI_EACCESS);

	mp_layout();
	put_mpf(MPF_BIOS, 0xffffff00u, 0);	/* would wrap past 4 GiB */
	CHECK_EQ(mp(), ACPI_EACCESS);

	mp_layout();
	mem.low[MPC_BIOS + 50] ^= 1;		/* the table's checksum */
	CHECK_EQ(mp(), ACPI_EBADSUM);
	CHECK_EQ(info.cpu_count, 0);

	mp_layout();
	put_mpf(MPF_BIOS, MPC_BIOS, 8);		/* no such default */
	CHECK_EQ(mp(), ACPI_EBADSIG);
}

TEST(mptable, default_configuration)
{
	mem_reset();
	mem_add_low();
	put_mpf(MPF_BIOS, 0, 5);
	CHECK_EQ(mp(), 0);
	CHECK_EQ(where.default_config, 5);
	CHECK_EQ(where.mpc_phys, 0);
	CHECK_EQ(info.cpu_count, 2);
	CHECK_EQ(info.cpus[0].apic_id, 0);
	CHECK_EQ(info.cpus[1].apic_id, 1);
	CHECK_EQ(info.ioapic_count, 1);
	CHECK_EQ(info.ioapics[0].id, 2);
	CHECK_EQ_U(info.ioapics[0].addr, 0xfec00000u);
	CHECK_EQ_U(info.lapic_addr, 0xfee00000u);
}

/* QEMU's MP table, captured with -no-acpi: SeaBIOS lists the first CPU
 * of each package only. With ACPI on, the same table is there too. */
static void check_mp_fixture(const char *name, int ncpus)
{
	static uint8_t copy[65536];
	uint32_t phys;

	load_fixture_file(name);
	CHECK_EQ(find(&phys), strstr(name, "noacpi") ? ACPI_ENOTFOUND : 0);
	CHECK_EQ(mp(), 0);
	CHECK_EQ(where.default_config, 0);
	CHECK_EQ(info.cpu_count, ncpus);
	for (int i = 0; i < ncpus; i++)
		CHECK_EQ(info.cpus[i].apic_id, i);
	CHECK_EQ(info.ioapic_count, 1);
	CHECK_EQ_U(info.ioapics[0].addr, 0xfec00000u);
	CHECK_EQ_U(info.lapic_addr, 0xfee00000u);

	memcpy(copy, mem_phys(where.mpc_phys, where.mpc_len, NULL),
		where.mpc_len);
	copy[where.mpc_len - 1] ^= 0x20;
	CHECK_EQ(mp_parse_config(copy, where.mpc_len, &info), ACPI_EBADSUM);
	/* A flipped byte in the pointer and there is none. */
	mem.low[where.mpf_phys + 12] ^= 1;
	CHECK_EQ(mp(), ACPI_EBADSUM);
}

TEST(mptable, qemu_noacpi_smp4_fixture)
{
	check_mp_fixture("qemu-noacpi-smp4", 1);
}

TEST(mptable, qemu_noacpi_smp4_sockets4_fixture)
{
	check_mp_fixture("qemu-noacpi-smp4-sockets4", 4);
}

TEST(mptable, qemu_smp2_fixture_has_one_too)
{
	check_mp_fixture("qemu-smp2", 1);
}

int main(int argc, char **argv)
{
	return check_main(argc, argv);
}
