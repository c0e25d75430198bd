/*
 * The MP table walk (see mptable.h): find the floating pointer structure
 * where the MP specification says a BIOS puts it, check it, and read the
 * processors and I/O APICs of the configuration table it points at.
 */
#include "mptable.h"

#include "../kernel/lib/string.h"

#define MPF_STEP		16	/* the pointer sits on a 16-byte boundary */
#define EBDA_SEG_PTR		0x40e	/* BIOS data area: EBDA segment */
#define BASE_KIB_PTR		0x413	/* BIOS data area: base memory in KiB */
#define SCAN_LEN		1024
#define DEFAULT_BASE_TOP	0xa0000u	/* 640 KiB, when 0x413 says nothing */
#define BIOS_ROM_START		0xf0000u
#define BIOS_ROM_END		0x100000u
#define MPC_MAX_LEN		0xffffu	/* a 16-bit length field */

/* Entries of the base table: type and the length each has. */
#define MPE_PROCESSOR		0
#define MPE_BUS			1
#define MPE_IOAPIC		2
#define MPE_IOINTR		3
#define MPE_LINTR		4
#define MPE_PROCESSOR_LEN	20
#define MPE_OTHER_LEN		8

#define MPE_ENABLED		0x01	/* processor and I/O APIC flags */
#define APIC_ID_BROADCAST	0xff	/* no xAPIC can be addressed by it */

#define DEFAULT_LAPIC_ADDR	0xfee00000u
#define DEFAULT_IOAPIC_ADDR	0xfec00000u
#define DEFAULT_IOAPIC_ID	2
#define DEFAULT_CONFIG_MAX	7

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
}

static void add_cpu(struct madt_info *out, uint8_t apic_id)
{
	if (out->cpu_count == ACPI_MAX_CPUS) {
		out->skipped++;
		return;
	}
	/* No ACPI processor ids here: the APIC id stands in for one. */
	out->cpus[out->cpu_count].acpi_id = apic_id;
	out->cpus[out->cpu_count].apic_id = apic_id;
	out->cpu_count++;
}

static void add_ioapic(struct madt_info *out, uint8_t id, uint32_t addr)
{
	struct madt_ioapic *io;

	if (out->ioapic_count == ACPI_MAX_IOAPICS) {
		out->skipped++;
		return;
	}
	io = &out->ioapics[out->ioapic_count++];
	io->id = id;
	io->addr = addr;
	io->gsi_base = 0;
}

/* One base-table entry at e, with room left bytes of table; returns the
 * entry's length, 0 for a type whose length nobody knows (the walk ends
 * there), or ACPI_EBADLEN if the entry runs past the table. */
static int mp_entry(struct madt_info *out, const uint8_t *e, uint32_t room)
{
	uint32_t len;

	switch (e[0]) {
	case MPE_PROCESSOR:
		len = MPE_PROCESSOR_LEN;
		break;
	case MPE_BUS: case MPE_IOAPIC: case MPE_IOINTR: case MPE_LINTR:
		len = MPE_OTHER_LEN;
		break;
	default:
		out->skipped++;
		return 0;
	}
	if (len > room)
		return ACPI_EBADLEN;
	if (e[0] == MPE_PROCESSOR) {
		if ((e[3] & MPE_ENABLED) && e[1] != APIC_ID_BROADCAST)
			add_cpu(out, e[1]);
		else
			out->skipped++;
	} else if (e[0] == MPE_IOAPIC) {
		if (e[3] & MPE_ENABLED)
			add_ioapic(out, e[1], rd32(e + 4));
		else
			out->skipped++;
	} else {
		out->skipped++;		/* buses and interrupt routing */
	}
	return (int)len;
}

int mp_parse_config(const void *table, uint32_t len, struct madt_info *out)
{
	const uint8_t *t = table;
	uint32_t tlen, off, count;
	int err = 0;

	memset(out, 0, sizeof *out);
	if (len < MPC_HDR_LEN)
		return ACPI_EBADLEN;
	if (memcmp(t, "PCMP", 4) != 0)
		return ACPI_EBADSIG;
	tlen = rd16(t + 4);
	if (tlen < MPC_HDR_LEN || tlen > len)
		return ACPI_EBADLEN;
	if (acpi_checksum(t, tlen) != 0)
		return ACPI_EBADSUM;
	out->lapic_addr = rd32(t + 36);
	count = rd16(t + 34);
	/* Entries are sorted by type; one of an unknown type ends the walk,
	 * since its length cannot be known. */
	off = MPC_HDR_LEN;
	for (uint32_t i = 0; i < count && off < tlen; i++) {
		int n = mp_entry(out, t + off, tlen - off);

		if (n < 0) {
			err = n;
			break;
		}
		if (n == 0)
			break;
		off += (uint32_t)n;
	}
	if (err < 0)
		memset(out, 0, sizeof *out);
	return err;
}

/* The default configurations (feature byte 1 = 1..7): two processors,
 * APIC ids 0 and 1, one I/O APIC, everything at its standard address. */
static void default_config(struct madt_info *out)
{
	memset(out, 0, sizeof *out);
	out->lapic_addr = DEFAULT_LAPIC_ADDR;
	add_cpu(out, 0);
	add_cpu(out, 1);
	add_ioapic(out, DEFAULT_IOAPIC_ID, DEFAULT_IOAPIC_ADDR);
}

/* 0 if a valid floating pointer is at addr, ACPI_ENOTFOUND if none is
 * (unreachable bytes included), ACPI_EBADSUM / ACPI_EBADLEN for a
 * signature with a bad checksum or length. */
static int mpf_at(const struct acpi_access *acc, uint32_t addr,
	const uint8_t **pp)
{
	const uint8_t *p = acc->phys(addr, MPF_LEN, acc->ctx);

	if (p == NULL || memcmp(p, "_MP_", 4) != 0)
		return ACPI_ENOTFOUND;
	if (p[8] != 1)		/* length in 16-byte units: always 1 */
		return ACPI_EBADLEN;
	if (acpi_checksum(p, MPF_LEN) != 0)
		return ACPI_EBADSUM;
	*pp = p;
	return 0;
}

/* Scans [start, end) on 16-byte steps; *why keeps why a candidate was
 * refused, so "not found" can say "found, but broken". */
static int mpf_scan(const struct acpi_access *acc, uint32_t start,
	uint32_t end, uint32_t *found, int *why)
{
	const uint8_t *p;

	for (uint32_t a = start; a + MPF_LEN <= end; a += MPF_STEP) {
		int err = mpf_at(acc, a, &p);

		if (err == 0) {
			*found = a;
			return 0;
		}
		if (err != ACPI_ENOTFOUND)
			*why = err;
	}
	return ACPI_ENOTFOUND;
}

static int find_mpf(const struct acpi_access *acc, uint32_t *found)
{
	const uint8_t *p = acc->phys(EBDA_SEG_PTR, 2, acc->ctx);
	uint32_t ebda = p ? (uint32_t)rd16(p) << 4 : 0;
	uint32_t top = DEFAULT_BASE_TOP;
	int why = ACPI_ENOTFOUND;

	p = acc->phys(BASE_KIB_PTR, 2, acc->ctx);
	if (p && rd16(p) >= 1 && rd16(p) <= DEFAULT_BASE_TOP / 1024)
		top = (uint32_t)rd16(p) * 1024;
	if (ebda != 0 && ebda < BIOS_ROM_START &&
	    mpf_scan(acc, ebda, ebda + SCAN_LEN, found, &why) == 0)
		return 0;
	if (mpf_scan(acc, top - SCAN_LEN, top, found, &why) == 0)
		return 0;
	if (mpf_scan(acc, BIOS_ROM_START, BIOS_ROM_END, found, &why) == 0)
		return 0;
	return why;
}

int mp_find(const struct acpi_access *acc, struct madt_info *out,
	struct mp_where *where)
{
	struct mp_where w = { 0, 0, 0, 0 };
	const uint8_t *p;
	uint32_t mpc, len;
	int err;

	memset(out, 0, sizeof *out);
	err = find_mpf(acc, &w.mpf_phys);
	if (err < 0)
		goto done;
	p = acc->phys(w.mpf_phys, MPF_LEN, acc->ctx);
	if (p == NULL) {
		err = ACPI_EACCESS;
		goto done;
	}
	if (p[11] != 0) {
		if (p[11] > DEFAULT_CONFIG_MAX) {
			err = ACPI_EBADSIG;
			goto done;
		}
		w.default_config = p[11];
		default_config(out);
		goto done;
	}
	mpc = rd32(p + 4);
	if (mpc == 0) {
		err = ACPI_ENOTFOUND;
		goto done;
	}
	if (mpc > 0xffffffffu - MPC_MAX_LEN) {	/* would wrap past 4 GiB */
		err = ACPI_EACCESS;
		goto done;
	}
	p = acc->phys(mpc, MPC_HDR_LEN, acc->ctx);
	if (p == NULL) {
		err = ACPI_EACCESS;
		goto done;
	}
	len = rd16(p + 4);
	if (len < MPC_HDR_LEN) {
		err = ACPI_EBADLEN;
		goto done;
	}
	p = acc->phys(mpc, len, acc->ctx);
	if (p == NULL) {
		err = ACPI_EACCESS;
		goto done;
	}
	w.mpc_phys = mpc;
	w.mpc_len = len;
	err = mp_parse_config(p, len, out);
done:
	if (err < 0)
		memset(out, 0, sizeof *out);
	if (where)
		*where = w;
	return err;
}
