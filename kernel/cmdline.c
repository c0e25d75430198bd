/*
 * Parsing of the kernel command line kept in kinfo (the boot image's own
 * name already skipped by the pre-init).
 */
#include "kernel/cmdline.h"
#include "kernel/kinfo.h"
#include "kernel/lib/string.h"

static char line[KINFO_CMDLINE_LEN];

void cmdline_init(const char *l)
{
	strlcpy(line, l, sizeof line);
}

const char *cmdline_raw(void)
{
	return line;
}

/* Finds the word that is `key` or starts with "key="; returns its start
 * and sets *vlen to the length of the value part (-1 for a bare flag). */
static const char *find_word(const char *key, int *vlen)
{
	size_t klen = strlen(key);
	const char *p = line;

	while (*p) {
		while (*p == ' ')
			p++;
		const char *w = p;
		while (*p && *p != ' ')
			p++;
		size_t wlen = p - w;

		if (wlen == klen && strncmp(w, key, klen) == 0) {
			*vlen = -1;
			return w;
		}
		if (wlen > klen && w[klen] == '=' &&
		    strncmp(w, key, klen) == 0) {
			*vlen = (int)(wlen - klen - 1);
			return w + klen + 1;
		}
	}
	return 0;
}

int cmdline_get(const char *key, char *buf, unsigned size)
{
	int vlen;
	const char *v = find_word(key, &vlen);

	if (!v || vlen < 0 || size == 0)
		return 0;
	unsigned n = (unsigned)vlen < size - 1 ? (unsigned)vlen : size - 1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	return 1;
}

uint32_t cmdline_get_uint(const char *key, uint32_t dflt)
{
	char buf[16];
	uint32_t v = 0;

	if (!cmdline_get(key, buf, sizeof buf) || buf[0] == '\0')
		return dflt;
	for (const char *p = buf; *p; p++) {
		if (*p < '0' || *p > '9' || v > 400000000u)
			return dflt;
		v = v * 10 + (*p - '0');
	}
	return v;
}

int cmdline_has(const char *flag)
{
	int vlen;

	return find_word(flag, &vlen) != 0 && vlen < 0;
}
