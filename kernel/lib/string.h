/*
 * The freestanding string and memory functions the kernel and pre-init use.
 * GCC may emit calls to memcpy/memset/memmove/memcmp on its own, so these
 * keep their standard names.
 */
#ifndef CAIRN_STRING_H
#define CAIRN_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
/* Copies at most size-1 bytes, always NUL-terminates when size > 0, and
 * returns strlen(src) so truncation can be detected. */
size_t strlcpy(char *dst, const char *src, size_t size);

#endif /* CAIRN_STRING_H */
