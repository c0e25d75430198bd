/*
 * Result-record formatting for user space (cairn/urecord.h): pure code,
 * byte for byte what kernel/record.c produces, so the host parses both the
 * same way. Nothing here sends; lib/utest.c does.
 */
#include "cairn/urecord.h"
#include "kernel/lib/record_text.h"

#include "kernel/lib/crc32.h"
#include "kernel/lib/format.h"

/* " #" + eight hex digits + "\n" + NUL. */
#define URECORD_TAIL	12

int urecord_vformat(char *buf, uint32_t size, const char *type,
	const char *fmt, va_list ap)
{
	uint32_t n;

	if (size < 16) {	/* no room for even the checksum */
		if (size)
			buf[0] = '\0';
		return 0;
	}
	n = (uint32_t)ksnprintf(buf, size, "CAIRN %s ", type);
	if (n < size)
		n += (uint32_t)kvsnprintf(buf + n, size - n, fmt, ap);
	if (n > size - URECORD_TAIL)	/* cut: the host sees a short record */
		n = size - URECORD_TAIL;
	n += (uint32_t)ksnprintf(buf + n, size - n, " #%08x\n",
		crc32_update(0, buf, n));
	return (int)n;
}

int urecord_format(char *buf, uint32_t size, const char *type,
	const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = urecord_vformat(buf, size, type, fmt, ap);
	va_end(ap);
	return n;
}

/* The kernel's rule, from the same source (kernel/lib/record_text.c). */
char *urecord_text(char *buf, uint32_t size, const char *text)
{
	return record_text(buf, size, text);
}

int urecord_test_format(char *buf, uint32_t size, const char *name,
	int pass, const char *detail)
{
	/* The kernel's sizes (ktest.c), so a detail is cut the same way. */
	char enc[600];

	return urecord_format(buf, size, "test", "name=%s result=%s detail=%s",
		name, pass ? "pass" : "fail",
		urecord_text(enc, sizeof enc, detail));
}
