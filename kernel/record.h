/*
 * Result records: the one-line, checksummed messages the kernel sends over
 * the serial port for the host (tests, benchmarks, netboot checks). Every
 * other line on the serial port is for people and is ignored by the host.
 *
 * A record is one line:
 *
 *     CAIRN <type> <key>=<value> <key>=<value> ... #<crc>
 *
 * <crc> is the CRC-32 (see lib/crc32.h) of every byte from the 'C' of
 * "CAIRN" up to, not including, the space before '#', in eight lower-case
 * hex digits. Keys are [a-z0-9_.]; values never contain a space: text
 * values are percent-encoded (see record_text). A line that starts with
 * "CAIRN " and fails its checksum is garbled, never silently dropped.
 *
 * Record types (the host side is bench/lab/cairn/records.py):
 *   hello   v=1 mode=<m> cpus=<n>            first record of every boot
 *   clock   tsc_khz=<n> lapic_khz=<n> source=pit|cpuid agree=<n>/<n>
 *           rounds=<n> tsc_khz_apic=<n> tsc_khz_cpuid=<n>
 *   cmdline str=<text>                      the command line as parsed
 *   module  idx=<i> size=<bytes> crc=<hex8> str=<text>
 *   test    name=<dotted> result=pass|fail detail=<text>
 *   benchinfo name=<metric> unit=<unit> batch=<ops> desc=<text>
 *   bench   name=<metric> seq=<k> overhead=<ticks> raw=<t>,<t>,...
 *             raw: ticks for one sample of `batch` operations, warm-up
 *             already dropped, overhead NOT subtracted (the host does it)
 *   benchend name=<metric> samples=<n> records=<k> warmup=<w>
 *   acpi    sig=<4cc> phys=<hex> len=<n> off=<n> hex=<bytes>   table dump
 *           (ACPI tables, and the MP table: sig=_MP_ and PCMP)
 *   probe   result=ok                       the KVM probe boot passed
 *   panic   cpu=<n> msg=<text>
 *   done    mode=<m> tests=<n> failed=<n>   last record of a boot
 */
#ifndef CAIRN_RECORD_H
#define CAIRN_RECORD_H

#include <stdint.h>

/* Builds and sends one record. fmt gives the fields after the type, as
 * "key=value key=value" (printf-style); the checksum is appended. */
void record(const char *type, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#include "kernel/lib/record_text.h"	/* record_text() for text values */

#endif /* CAIRN_RECORD_H */
