/* Percent-encoding of record values, shared by the kernel and user
 * programs (pure code: it also builds for the host tests). */
#include "kernel/lib/record_text.h"

char *record_text(char *buf, uint32_t size, const char *text)
{
	static const char hex[] = "0123456789ABCDEF";
	uint32_t o = 0;

	/* Room for one escape and the NUL, whatever the next byte is. */
	for (; *text && o + 4 <= size; text++) {
		unsigned char c = (unsigned char)*text;

		if (c < '!' || c > '~' || c == '%' || c == '=' || c == '#') {
			buf[o++] = '%';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		} else {
			buf[o++] = (char)c;
		}
	}
	if (size)
		buf[o < size ? o : size - 1] = '\0';
	return buf;
}
