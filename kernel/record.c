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
