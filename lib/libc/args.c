/*
 * key=value words of a program's command line (cairn/args.h).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cairn/args.h"
#include "kernel/lib/cmdwords.h"

/* Words by the kernel's rules (kernel/lib/cmdwords.h): VM already took
 * the image name out and put the program's name in argv[0]; a malformed
 * word ("=x", "a/b=1") has no key, so it never answers for one. */
const char *arg_value(int argc, char **argv, const char *key)
{
	for (int i = 1; i < argc; i++) {
		size_t pos = 0;
		struct cmdw w;

		if (cmdw_next(argv[i], &pos, &w) && w.word == argv[i] &&
		    w.len == strlen(argv[i]) && cmdw_is_key(&w, key))
			return argv[i] + w.klen + 1;
	}
	return "";
}

static int digit(char c, uint32_t base)
{
	int d = c >= '0' && c <= '9' ? c - '0' :
		c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;

	return (uint32_t)d < base ? d : -1;
}

uint32_t arg_number(int argc, char **argv, const char *key, uint32_t dflt)
{
	const char *s = arg_value(argc, argv, key);
	uint32_t base = 10, v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (digit(*s, base) < 0)
		return dflt;
	for (; *s; s++) {
		int d = digit(*s, base);

		if (d < 0 || v > (UINT32_MAX - (uint32_t)d) / base)
			return dflt;
		v = v * base + (uint32_t)d;
	}
	return v;
}

char *getenv(const char *name)
{
	size_t n = strlen(name);

	for (char **e = environ; e != NULL && *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}
