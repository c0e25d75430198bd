/*
 * The Intel MultiProcessor table (MP specification 1.4): how machines
 * without ACPI, or booted with it off, list their CPUs and I/O APICs.
 * Pure code reaching physical memory only through the ACPI accessor
 * (acpi.h), so the kernel and the host tests (a table captured from
 * QEMU -no-acpi) run the same parser; what it finds goes into the same
 * struct madt_info the MADT fills. Both checksums are verified.
 */
#ifndef CAIRN_MPTABLE_H
#define CAIRN_MPTABLE_H

#include <stdint.h>
#include "smp/acpi.h"

#define MPF_LEN		16	/* the floating pointer structure */
#define MPC_HDR_LEN	44	/* the configuration table's header */

/* Where the structures are; zeros for what was not found. */
struct mp_where {
	uint32_t mpf_phys;	/* the floating pointer structure */
	uint32_t mpc_phys;	/* the configuration table (0: default config) */
	uint32_t mpc_len;	/* its base table length */
	int default_config;	/* 1..7: a standard layout, no table */
};

/* Parses a configuration table ("PCMP") of which len bytes are readable:
 * enabled processors (entry type 0) and enabled I/O APICs (type 2). I/O
 * APIC entries carry no GSI base: gsi_base is left 0. Errors as acpi.h
 * (ACPI_EBADSIG, ACPI_EBADLEN, ACPI_EBADSUM); on error *out is zeros. */
int mp_parse_config(const void *table, uint32_t len, struct madt_info *out);

/* Looks for the floating pointer in the EBDA's first KiB, the last KiB of
 * base memory and 0xF0000-0xFFFFF, then parses its configuration table
 * (or fills in the default configuration it names). *where (if not
 * NULL) says where things were. */
int mp_find(const struct acpi_access *acc, struct madt_info *out,
	struct mp_where *where);

#endif /* CAIRN_MPTABLE_H */
