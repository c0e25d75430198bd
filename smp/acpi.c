/*
 * The ACPI walk to the MADT (see acpi.h): find the RSDP in the BIOS areas,
 * follow the XSDT or RSDT, parse the MADT into struct madt_info. Every
 * table is checked (signature, length, checksum) before it is trusted.
 */
#include "acpi.h"

#include "../kernel/lib/string.h"

#define ACPI_HDR_LEN		36	/* the common system description header */
#define ACPI_MAX_TABLE		65536u	/* larger is corrupt, not a real table */
#define MADT_HDR_LEN		44	/* header, local APIC address, flags */

#define RSDP_V1_LEN		20
#define RSDP_V2_LEN		36
#define RSDP_STEP		16	/* the RSDP sits on a 16-byte boundary */
#define EBDA_SEG_PTR		0x40e	/* BIOS data area: EBDA segment */
#define EBDA_SCAN_LEN		1024
#define BIOS_AREA_START		0xe0000u
#define BIOS_AREA_END		0x100000u

#define FOUR_GIB		0x100000000ull

/* MADT entry types we use, and the length each needs. */
#define MADT_LAPIC		0
#define MADT_IOAPIC		1
#define MADT_OVERRIDE		2
#define MADT_LAPIC_ADDR		5
#define MADT_LAPIC_LEN		8
#define MADT_IOAPIC_LEN		12
#define MADT_OVERRIDE_LEN	10
#define MADT_LAPIC_ADDR_LEN	12

#define LAPIC_ENABLED		0x1
#define LAPIC_ONLINE_CAPABLE	0x2

/* RSDP fields, once its checksums are good. */
struct rsdp_info {
	uint32_t rsdt;
	uint32_t xsdt;		/* 0 unless revision >= 2, valid, below 4 GiB */
};

/* Little-endian loads byte by byte: tables are not aligned. */
static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

uint8_t acpi_checksum(const void *p, uint32_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum = (uint8_t)(sum + *b++);
	return sum;
}

/* --- MADT ------------------------------------------------------------- */

static void madt_lapic(struct madt_info *out, const uint8_t *e)
{
	uint32_t flags = rd32(e + 4);

	if (!(flags & (LAPIC_ENABLED | LAPIC_ONLINE_CAPABLE)) ||
	    out->cpu_count == ACPI_MAX_CPUS) {
		out->skipped++;
		return;
	}
	out->cpus[out->cpu_count].acpi_id = e[2];
	out->cpus[out->cpu_count].apic_id = e[3];
	out->cpu_count++;
}

static void madt_ioapic(struct madt_info *out, const uint8_t *e)
{
	struct madt_ioapic *io;

	if (out->ioapic_count == ACPI_MAX_IOAPICS) {
		out->skipped++;
		return;
	}
	io = &out->ioapics[out->ioapic_count++];
	io->id = e[2];
	io->addr = rd32(e + 4);
	io->gsi_base = rd32(e + 8);
}

static void madt_override(struct madt_info *out, const uint8_t *e)
{
	struct madt_override *ov;

	if (out->override_count == ACPI_MAX_OVERRIDES) {
		out->skipped++;
		return;
	}
	ov = &out->overrides[out->override_count++];
	ov->bus = e[2];
	ov->source = e[3];
	ov->gsi = rd32(e + 4);
	ov->flags = rd16(e + 8);
}

/* A 64-bit local APIC address is only usable without PAE below 4 GiB. */
static void madt_lapic_addr(struct madt_info *out, const uint8_t *e)
{
	uint64_t addr = rd64(e + 4);

	if (addr < FOUR_GIB)
		out->lapic_addr = (uint32_t)addr;
	else
		out->skipped++;
}

/* One entry, whose length e[1] is known to fit in the table. */
static int madt_entry(struct madt_info *out, const uint8_t *e)
{
	static const uint8_t need[] = {
		[MADT_LAPIC] = MADT_LAPIC_LEN,
		[MADT_IOAPIC] = MADT_IOAPIC_LEN,
		[MADT_OVERRIDE] = MADT_OVERRIDE_LEN,
		[MADT_LAPIC_ADDR] = MADT_LAPIC_ADDR_LEN,
	};

	if (e[0] < sizeof need && e[1] < need[e[0]])
		return ACPI_EBADLEN;
	switch (e[0]) {
	case MADT_LAPIC:	madt_lapic(out, e); break;
	case MADT_IOAPIC:	madt_ioapic(out, e); break;
	case MADT_OVERRIDE:	madt_override(out, e); break;
	case MADT_LAPIC_ADDR:	madt_lapic_addr(out, e); break;
	default:		out->skipped++; break;
	}
	return 0;
}

int madt_parse(const void *table, uint32_t len, struct madt_info *out)
{
	const uint8_t *t = table;
	uint32_t tlen, off;
	int err;

	memset(out, 0, sizeof *out);
	if (len < MADT_HDR_LEN)
		return ACPI_EBADLEN;
	if (memcmp(t, "APIC", 4) != 0)
		return ACPI_EBADSIG;
	tlen = rd32(t + 4);
	if (tlen < MADT_HDR_LEN || tlen > len)
		return ACPI_EBADLEN;
	if (acpi_checksum(t, tlen) != 0)
		return ACPI_EBADSUM;
	out->lapic_addr = rd32(t + 36);
	out->flags = rd32(t + 40);
	/* Each step is at least 2 bytes, so the walk ends. */
	for (off = MADT_HDR_LEN; off < tlen; off += t[off + 1]) {
		if (tlen - off < 2 || t[off + 1] < 2 || t[off + 1] > tlen - off)
			return ACPI_EBADLEN;
		err = madt_entry(out, t + off);
		if (err < 0)
			return err;
	}
	return 0;
}

/* --- finding the tables ----------------------------------------------- */

/* The accessor, refusing ranges that would wrap past 4 GiB. The pointer
 * is used only until the next call: the kernel maps through a window. */
static const uint8_t *acpi_phys(const struct acpi_access *acc, uint64_t addr,
	uint32_t len)
{
	if (addr + len > FOUR_GIB)
		return NULL;
	return acc->phys((uint32_t)addr, len, acc->ctx);
}

/* Checks the table at addr: signature, a sane length, the checksum. On
 * success *tp points at the whole table and *lenp holds its length. */
static int load_table(const struct acpi_access *acc, uint32_t addr,
	const char *sig, const uint8_t **tp, uint32_t *lenp)
{
	const uint8_t *t = acpi_phys(acc, addr, ACPI_HDR_LEN);
	uint32_t len;

	if (t == NULL)
		return ACPI_EACCESS;
	if (memcmp(t, sig, 4) != 0)
		return ACPI_EBADSIG;
	len = rd32(t + 4);
	if (len < ACPI_HDR_LEN || len > ACPI_MAX_TABLE)
		return ACPI_EBADLEN;
	t = acpi_phys(acc, addr, len);
	if (t == NULL)
		return ACPI_EACCESS;
	if (acpi_checksum(t, len) != 0)
		return ACPI_EBADSUM;
	*tp = t;
	*lenp = len;
	return 0;
}

/* The revision 2 part: the XSDT address, if its checksum is good. A bad
 * one leaves the RSDT, which the v1 checksum already covers. */
static void rsdp_v2(const struct acpi_access *acc, uint32_t addr,
	struct rsdp_info *r)
{
	const uint8_t *p = acpi_phys(acc, addr, RSDP_V2_LEN);
	uint32_t len;
	uint64_t xsdt;

	if (p == NULL)
		return;
	len = rd32(p + 20);
	if (len < RSDP_V2_LEN || len > ACPI_MAX_TABLE)
		return;
	p = acpi_phys(acc, addr, len);
	if (p == NULL || acpi_checksum(p, len) != 0)
		return;
	xsdt = rd64(p + 24);
	if (xsdt < FOUR_GIB)
		r->xsdt = (uint32_t)xsdt;
}

/* 0 if a valid RSDP is at addr, ACPI_ENOTFOUND if none is (unreachable
 * bytes included), ACPI_EBADSUM for a signature with a bad checksum. */
static int rsdp_at(const struct acpi_access *acc, uint32_t addr,
	struct rsdp_info *r)
{
	const uint8_t *p = acpi_phys(acc, addr, RSDP_V1_LEN);

	if (p == NULL || memcmp(p, "RSD PTR ", 8) != 0)
		return ACPI_ENOTFOUND;
	if (acpi_checksum(p, RSDP_V1_LEN) != 0)
		return ACPI_EBADSUM;
	r->rsdt = rd32(p + 16);
	r->xsdt = 0;
	if (p[15] >= 2)
		rsdp_v2(acc, addr, r);
	return 0;
}

/* Scans [start, end) on 16-byte steps. *why keeps the reason a candidate
 * was refused, so "not found" can say "found, but broken". */
static int rsdp_scan(const struct acpi_access *acc, uint32_t start,
	uint32_t end, struct rsdp_info *r, int *why)
{
	for (uint32_t a = start; a + RSDP_V1_LEN <= end; a += RSDP_STEP) {
		int err = rsdp_at(acc, a, r);

		if (err == 0)
			return 0;
		if (err != ACPI_ENOTFOUND)
			*why = err;
	}
	return ACPI_ENOTFOUND;
}

static int find_rsdp(const struct acpi_access *acc, struct rsdp_info *r)
{
	const uint8_t *p = acpi_phys(acc, EBDA_SEG_PTR, 2);
	uint32_t ebda = p ? (uint32_t)rd16(p) << 4 : 0;
	int why = ACPI_ENOTFOUND;

	if (ebda != 0 &&
	    rsdp_scan(acc, ebda, ebda + EBDA_SCAN_LEN, r, &why) == 0)
		return 0;
	if (rsdp_scan(acc, BIOS_AREA_START, BIOS_AREA_END, r, &why) == 0)
		return 0;
	return why;
}

/* Is the table at addr a MADT? Only its signature is read here; the
 * whole table is checked once it is the one we want. */
static int is_madt(const struct acpi_access *acc, uint32_t addr)
{
	const uint8_t *h = acpi_phys(acc, addr, 4);

	if (h == NULL)
		return ACPI_EACCESS;
	return memcmp(h, "APIC", 4) == 0;
}

/* Reads entry i of the root table at root: a 4- or 8-byte address. */
static uint64_t root_entry(const struct acpi_access *acc, uint32_t root,
	uint32_t esize, uint32_t i)
{
	const uint8_t *p = acpi_phys(acc,
		(uint64_t)root + ACPI_HDR_LEN + (uint64_t)i * esize, esize);

	if (p == NULL)
		return 0;
	return esize == 8 ? rd64(p) : rd32(p);
}

/* Walks an RSDT (esize 4) or XSDT (esize 8) for a MADT that parses. Tables
 * we cannot reach are passed over: other tables may be fine. */
static int walk_root(const struct acpi_access *acc, uint32_t root,
	const char *sig, uint32_t esize, struct madt_info *out,
	uint32_t *madt_phys)
{
	const uint8_t *t;
	uint32_t len, n;
	int err = load_table(acc, root, sig, &t, &len);
	int result = ACPI_ENOTFOUND;

	if (err < 0)
		return err;
	n = (len - ACPI_HDR_LEN) / esize;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t addr = root_entry(acc, root, esize, i);
		int m;

		if (addr == 0 || addr >= FOUR_GIB)
			continue;
		m = is_madt(acc, (uint32_t)addr);
		if (m <= 0) {
			if (m < 0 && result == ACPI_ENOTFOUND)
				result = m;
			continue;
		}
		err = load_table(acc, (uint32_t)addr, "APIC", &t, &len);
		if (err == 0)
			err = madt_parse(t, len, out);
		if (err == 0) {
			if (madt_phys)
				*madt_phys = (uint32_t)addr;
			return 0;
		}
		result = err;
	}
	return result;
}

int acpi_find_madt(const struct acpi_access *acc, struct madt_info *out,
	uint32_t *madt_phys)
{
	struct rsdp_info r;
	int err;

	memset(out, 0, sizeof *out);
	err = find_rsdp(acc, &r);
	if (err < 0)
		return err;
	/* Prefer the XSDT; if it is broken the RSDT may still be good. */
	if (r.xsdt != 0) {
		err = walk_root(acc, r.xsdt, "XSDT", 8, out, madt_phys);
		if (err == 0 || r.rsdt == 0)
			goto done;
	}
	err = walk_root(acc, r.rsdt, "RSDT", 4, out, madt_phys);
done:
	if (err < 0)	/* no half-parsed MADT left behind */
		memset(out, 0, sizeof *out);
	return err;
}
