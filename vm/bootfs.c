/*
 * Reading the system image (bootfs.h). A ustar member is a 512-byte
 * header (name at 0, size in octal at 124, type at 156, "ustar" at 257,
 * a prefix for long names at 345) and its data rounded up to 512 bytes;
 * two zero blocks end the archive.
 */
#include <string.h>
#include "vm/bootfs.h"
#include "cairn/errno.h"

#define BLOCK		512
#define NAME_LEN	100
#define PREFIX_LEN	155

/* A header's octal field; -1 when it is not a number. */
static long octal(const uint8_t *f, size_t len)
{
	long v = 0;
	size_t i = 0;

	while (i < len && f[i] == ' ')
		i++;
	if (i == len || f[i] < '0' || f[i] > '7')
		return -1;
	for (; i < len && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v > 0x7fffffffL / 8)
			return -1;
		v = v * 8 + (f[i] - '0');
	}
	for (; i < len; i++)		/* only NULs and spaces after it */
		if (f[i] != '\0' && f[i] != ' ')
			return -1;
	return v;
}

int bootfs_is_archive(const uint8_t *ar, size_t len)
{
	return len >= BLOCK && memcmp(ar + 257, "ustar", 5) == 0;
}

/* The length of the string in a field of max bytes (no NUL if full). */
static size_t field_len(const uint8_t *f, size_t max)
{
	size_t n = 0;

	while (n < max && f[n] != '\0')
		n++;
	return n;
}

/* Does the header's name (prefix "/" name) equal name? */
static int name_is(const uint8_t *h, const char *name)
{
	size_t plen = field_len(h + 345, PREFIX_LEN);
	size_t nlen = field_len(h, NAME_LEN);
	size_t want = strlen(name);

	if (plen == 0)
		return nlen == want && memcmp(h, name, nlen) == 0;
	return plen + 1 + nlen == want && memcmp(h + 345, name, plen) == 0 &&
		name[plen] == '/' && memcmp(h, name + plen + 1, nlen) == 0;
}

int bootfs_find(const uint8_t *ar, size_t len, const char *name,
	const uint8_t **data, size_t *size)
{
	size_t at = 0;

	while (at + BLOCK <= len) {
		const uint8_t *h = ar + at;
		long n;

		if (h[0] == 0)
			return ENOENT;		/* the end blocks */
		if (memcmp(h + 257, "ustar", 5) != 0 ||
		    (n = octal(h + 124, 12)) < 0 ||
		    (size_t)n > len - at - BLOCK)
			return EINVAL;
		if ((h[156] == '0' || h[156] == '\0') && name_is(h, name)) {
			*data = h + BLOCK;
			*size = (size_t)n;
			return OK;
		}
		at += BLOCK + (((size_t)n + BLOCK - 1) & ~(size_t)(BLOCK - 1));
	}
	return ENOENT;
}
