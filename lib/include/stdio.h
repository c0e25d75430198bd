/*
 * Cairn's minimal stdio: formatted output through kernel/lib/format.c
 * (conversions listed in format.h; no floating point). Standard output is
 * buffered per line and printed with sys_diagprint. There are no FILEs.
 */
#ifndef CAIRN_LIBC_STDIO_H
#define CAIRN_LIBC_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF	(-1)

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int puts(const char *s);
int putchar(int c);

/* Prints the part of a line still buffered (exit and records do this). */
void stdout_flush(void);

#endif /* CAIRN_LIBC_STDIO_H */
