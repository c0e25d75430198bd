/*
 * key=value words of a program's command line (cairn/args.h).
 */
#include <string.h>
#include "cairn/args.h"

const char *arg_value(int argc, char **argv, const char *key)
{
	size_t n = strlen(key);

	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], key, n) == 0 && argv[i][n] == '=')
			return argv[i] + n + 1;
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
