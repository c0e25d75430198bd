/*
 * panic(), abort() and failed assertions in user programs: say why on the
 * console, then exit with EXIT_PANIC.
 */
#include <stdlib.h>

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include "kernel/lib/format.h"

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof msg - 1)
		n = sizeof msg - 1;
	stdout_flush();		/* a half line must not swallow the message */
	printf("panic: %s%s", msg, n > 0 && msg[n - 1] == '\n' ? "" : "\n");
	exit(EXIT_PANIC);
}

void abort(void)
{
	panic("abort() called");
}

void assert_fail(const char *expr, const char *file, int line,
	const char *func)
{
	panic("assertion \"%s\" failed in %s() at %s:%d", expr, func, file,
		line);
}
