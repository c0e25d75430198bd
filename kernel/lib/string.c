/*
 * The freestanding memory and string functions (see string.h), shared by
 * the kernel and the paging-off pre-init. Word-at-a-time when both pointers
 * allow it, bytes otherwise; nothing here calls anything.
 */
#include "string.h"

#include <stdint.h>

/*
 * GCC recognises byte loops as memset/memcpy and would compile these very
 * functions into calls to themselves. -fno-builtin does not stop that;
 * this does. (clang has no such optimisation option and no such pass.)
 */
#if defined(__GNUC__) && !defined(__clang__)
#define STRING_NO_LIBCALL \
	__attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define STRING_NO_LIBCALL
#endif

/* A machine word that may alias anything, for the word-sized loops. */
typedef uintptr_t __attribute__((may_alias)) string_word_t;
#define WORD	sizeof(string_word_t)

static int both_aligned(const void *a, const void *b)
{
	return (((uintptr_t)a | (uintptr_t)b) & (WORD - 1)) == 0;
}

STRING_NO_LIBCALL
static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	if (both_aligned(d, s)) {
		/* Eight words a round: a page costs a fraction of the loop
		 * overhead of one word at a time (VM zeroes and copies whole
		 * pages on its fault paths). Safe for memmove with d < s too:
		 * each round loads its words before storing them. */
		string_word_t *dw = (string_word_t *)d;
		const string_word_t *sw = (const string_word_t *)s;

		for (; n >= 8 * WORD; n -= 8 * WORD, dw += 8, sw += 8) {
			string_word_t w0 = sw[0], w1 = sw[1], w2 = sw[2],
				w3 = sw[3], w4 = sw[4], w5 = sw[5], w6 = sw[6],
				w7 = sw[7];
			dw[0] = w0; dw[1] = w1; dw[2] = w2; dw[3] = w3;
			dw[4] = w4; dw[5] = w5; dw[6] = w6; dw[7] = w7;
		}
		for (; n >= WORD; n -= WORD)
			*dw++ = *sw++;
		d = (unsigned char *)dw;
		s = (const unsigned char *)sw;
	}
	while (n--)
		*d++ = *s++;
}

STRING_NO_LIBCALL
void *memcpy(void *dst, const void *src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

STRING_NO_LIBCALL
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n) {
		copy_forward(d, s, n);
		return dst;
	}
	/* dst overlaps the tail of src: copy from the end. */
	while (n--)
		d[n] = s[n];
	return dst;
}

STRING_NO_LIBCALL
void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	string_word_t pattern = (unsigned char)c;

	pattern *= (string_word_t)-1 / 0xff;	/* byte repeated in every lane */
	for (; n > 0 && ((uintptr_t)d & (WORD - 1)); n--)
		*d++ = (unsigned char)c;
	string_word_t *dw = (string_word_t *)d;
	for (; n >= 8 * WORD; n -= 8 * WORD, dw += 8) {	/* see copy_forward */
		dw[0] = pattern; dw[1] = pattern; dw[2] = pattern;
		dw[3] = pattern; dw[4] = pattern; dw[5] = pattern;
		dw[6] = pattern; dw[7] = pattern;
	}
	for (; n >= WORD; n -= WORD)
		*dw++ = pattern;
	d = (unsigned char *)dw;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

STRING_NO_LIBCALL
int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n > 0; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

STRING_NO_LIBCALL
size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

STRING_NO_LIBCALL
size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

STRING_NO_LIBCALL
int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x && *x == *y)
		x++, y++;
	return *x - *y;
}

STRING_NO_LIBCALL
int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (; n > 0; n--, x++, y++)
		if (*x != *y || *x == '\0')
			return *x - *y;
	return 0;
}

STRING_NO_LIBCALL
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		copy_forward((unsigned char *)dst, (const unsigned char *)src,
			n);
		dst[n] = '\0';
	}
	return len;
}
