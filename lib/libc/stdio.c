/*
 * Formatted output for user programs: kernel/lib/format.c does the
 * formatting; standard output collects a line and prints it with one
 * sys_diagprint, so lines of different processes do not interleave.
 */
#include <stdio.h>

#include "cairn/syslib.h"
#include "kernel/lib/format.h"

#define STDOUT_LINE	256	/* a longer line goes out in pieces */

static char stdout_buf[STDOUT_LINE];
static uint32_t stdout_used;

void stdout_flush(void)
{
	if (stdout_used) {
		sys_diagprint(stdout_buf, stdout_used, 0);
		stdout_used = 0;
	}
}

static void stdout_put(char c, void *arg)
{
	(void)arg;
	stdout_buf[stdout_used++] = c;
	if (c == '\n' || stdout_used == sizeof stdout_buf)
		stdout_flush();
}

int vprintf(const char *fmt, va_list ap)
{
	return kvformat(stdout_put, NULL, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return kvsnprintf(buf, size, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int putchar(int c)
{
	stdout_put((char)c, NULL);
	return (unsigned char)c;
}

int puts(const char *s)
{
	while (*s)
		stdout_put(*s++, NULL);
	stdout_put('\n', NULL);
	return 0;
}
