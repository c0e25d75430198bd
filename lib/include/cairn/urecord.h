/*
 * Result records from user space: the same checksummed one-line format the
 * kernel sends (kernel/record.h), passed to the kernel with sys_diagprint
 * (DIAG_RECORD), and `test` records with running totals.
 *
 * The formatting half is pure (lib/record.c) and host-tested against the
 * kernel's own record.c; the sending half is lib/utest.c.
 */
#ifndef CAIRN_URECORD_H
#define CAIRN_URECORD_H

#include <stdarg.h>
#include <stdint.h>

/* The longest line, as in the kernel: longer ones are cut before the
 * checksum, so the host sees a short but valid record. */
#define URECORD_MAX	2048

/* Sends "CAIRN <type> <fields> #<crc>\n"; fmt gives the fields,
 * "key=value key=value" (printf-style). Returns sys_diagprint's status:
 * the kernel refuses a line that is not a record (non-printable bytes:
 * encode text with urecord_text) or longer than it takes. */
int urecord(const char *type, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Reports one test result as "CAIRN test name=<name> result=pass|fail
 * detail=<text>" (detail percent-encoded, cut at 255 bytes), prints it
 * for people, and counts it. */
void utest_result(const char *name, int pass, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Results reported so far, and how many of them failed. */
void utest_totals(uint32_t *tests, uint32_t *failed);

/* Percent-encodes text for a record value, with the kernel's rules
 * (record_text): bytes outside '!'..'~', and '%', '=' and '#', become
 * %XX; it stops when fewer than 4 bytes of buf remain. buf is always
 * NUL-terminated (size > 0). Returns buf, for use as a %s argument. */
char *urecord_text(char *buf, uint32_t size, const char *text);

/* Formats one whole record line, checksum and '\n' included, into buf
 * (size >= 16; URECORD_MAX gives the kernel's cut). Returns its length. */
int urecord_vformat(char *buf, uint32_t size, const char *type,
	const char *fmt, va_list ap);
int urecord_format(char *buf, uint32_t size, const char *type,
	const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The line utest_result sends, detail already formatted. */
int urecord_test_format(char *buf, uint32_t size, const char *name,
	int pass, const char *detail);

#endif /* CAIRN_URECORD_H */
