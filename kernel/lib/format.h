/*
 * printf-style formatting into a buffer. Pure code: the kernel and the
 * host unit tests build it (not the pre-init: 64-bit %llu needs libgcc).
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%, with flags '-', '0', ' ',
 * '+', '#', a field width and precision (numbers or '*'), and the length
 * modifiers hh, h, l, ll, z. %p prints 0x and eight hex digits.
 */
#ifndef CAIRN_FORMAT_H
#define CAIRN_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Like C's vsnprintf: always NUL-terminates when size > 0 and returns the
 * length the full output would have had. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Streaming form: each output character goes to put(c, arg). Returns the
 * number of characters produced. */
int kvformat(void (*put)(char c, void *arg), void *arg, const char *fmt,
	va_list ap);

#endif /* CAIRN_FORMAT_H */
