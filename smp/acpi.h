/*
 * ACPI tables needed to find CPUs: RSDP, RSDT/XSDT and the MADT. Pure code
 * reaching physical memory only through an accessor, so the kernel (which
 * maps tables through a window) and the host tests (fixtures captured from
 * QEMU) run the same parser. Every table's checksum is verified.
 */
#ifndef CAIRN_ACPI_H
#define CAIRN_ACPI_H

#include <stdint.h>

#define ACPI_MAX_CPUS		256
#define ACPI_MAX_IOAPICS	8
#define ACPI_MAX_OVERRIDES	16

/* Errors (negative). */
#define ACPI_ENOTFOUND	(-1)	/* no RSDP, or no MADT in the RSDT/XSDT */
#define ACPI_EBADSUM	(-2)	/* a checksum did not add up to zero */
#define ACPI_EBADLEN	(-3)	/* a length field is impossible */
#define ACPI_EBADSIG	(-4)	/* the table is not what it should be */
#define ACPI_EACCESS	(-5)	/* the accessor could not reach the bytes */

/* phys returns a pointer to len bytes at physical addr, or NULL if they
 * cannot be reached; the pointer is used only until the next call. */
struct acpi_access {
	const void *(*phys)(uint32_t addr, uint32_t len, void *ctx);
	void *ctx;
};

struct madt_lapic {
	uint8_t acpi_id;
	uint8_t apic_id;
};

struct madt_ioapic {
	uint8_t id;
	uint32_t addr;
	uint32_t gsi_base;
};

struct madt_override {
	uint8_t bus;
	uint8_t source;		/* ISA IRQ */
	uint32_t gsi;
	uint16_t flags;		/* polarity and trigger mode */
};

struct madt_info {
	uint32_t lapic_addr;	/* after any 64-bit address override */
	uint32_t flags;		/* MADT flags: bit 0 = dual 8259 present */
	int cpu_count;		/* enabled (or online-capable) processors */
	struct madt_lapic cpus[ACPI_MAX_CPUS];
	int ioapic_count;
	struct madt_ioapic ioapics[ACPI_MAX_IOAPICS];
	int override_count;
	struct madt_override overrides[ACPI_MAX_OVERRIDES];
	int skipped;		/* entries ignored: disabled CPUs, unknown types,
				   or beyond the arrays above */
};

/* Sum of len bytes, mod 256: zero for a valid table. */
uint8_t acpi_checksum(const void *p, uint32_t len);

/* Parses one MADT (signature "APIC") at table; len is how many bytes there
 * are readable, at least the header's length. */
int madt_parse(const void *table, uint32_t len, struct madt_info *out);

/* Looks for the RSDP in the EBDA's first KiB and 0xE0000-0xFFFFF, follows
 * the XSDT (when below 4 GiB) or RSDT to the MADT, and parses it. On
 * success *madt_phys (if madt_phys is not NULL) holds the MADT's physical
 * address; on error *out is all zeros. A broken XSDT, or an RSDP whose
 * revision-2 part fails its checksum, leaves the RSDT to try. */
int acpi_find_madt(const struct acpi_access *acc, struct madt_info *out,
	uint32_t *madt_phys);

#endif /* CAIRN_ACPI_H */
