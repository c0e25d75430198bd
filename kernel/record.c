/*
 * Result records for the host: one checksummed line each (format in
 * record.h).
 */
#include <stdarg.h>
#include "kernel/record.h"
#include "kernel/console.h"
#include "kernel/lib/crc32.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

#define RECORD_MAX	2048

void record(const char *type, const char *fmt, ...)
{
	char line[RECORD_MAX];
	va_list ap;
	int n = ksnprintf(line, sizeof line, "CAIRN %s ", type);

	va_start(ap, fmt);
	n += kvsnprintf(line + n, sizeof line - n, fmt, ap);
	va_end(ap);
	if (n > RECORD_MAX - 12)	/* cut: the host sees a short record */
		n = RECORD_MAX - 12;
	uint32_t crc = crc32_update(0, line, n);
	n += ksnprintf(line + n, sizeof line - n, " #%08x\n", crc);
	console_write_record(line, n);
}

char *record_text(char *buf, uint32_t size, const char *text)
{
	static const char hex[] = "0123456789ABCDEF";
	uint32_t o = 0;

	for (; *text && o + 4 <= size; text++) {
		unsigned char c = (unsigned char)*text;

		if (c < '!' || c > '~' || c == '%' || c == '=' || c == '#') {
			buf[o++] = '%';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		} else {
			buf[o++] = c;
		}
	}
	if (size)
		buf[o < size ? o : size - 1] = '\0';
	return buf;
}
