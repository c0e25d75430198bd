/*
 * Tests of kernel/lib/format.c: fixed cases with the expected text written
 * out, then many random conversions checked against the host's snprintf
 * (same C rules for everything but %p and "(null)").
 */
#include "check.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>
#include "kernel/lib/format.h"

#define OUT	256

/* ksnprintf and the host's snprintf must give the same text and length. */
#define CHECK_LIKE_LIBC(...)						\
	do {								\
		char got_[OUT], want_[OUT];				\
		int gn_ = ksnprintf(got_, sizeof got_, __VA_ARGS__);	\
		int wn_ = snprintf(want_, sizeof want_, __VA_ARGS__);	\
		CHECK_STR(got_, want_);					\
		CHECK_EQ(gn_, wn_);					\
	} while (0)

/* ksnprintf must give exactly want. */
#define CHECK_FMT(want, ...)						\
	do {								\
		char got_[OUT];						\
		int gn_ = ksnprintf(got_, sizeof got_, __VA_ARGS__);	\
		CHECK_STR(got_, want);					\
		CHECK_EQ(gn_, (int)strlen(want));			\
	} while (0)

/* Hides a format from the compiler's printf checks, for the cases that
 * test odd or invalid formats on purpose. */
__attribute__((noinline)) static const char *unchecked(const char *fmt)
{
	return fmt;
}

TEST(format, plain_text_and_percent)
{
	CHECK_FMT("", "%s", "");
	CHECK_FMT("hello", "hello");
	CHECK_FMT("100%", "100%%");
	CHECK_FMT("%%", "%%%%");
}

TEST(format, signed_decimal)
{
	CHECK_FMT("0", "%d", 0);
	CHECK_FMT("-42 42", "%d %i", -42, 42);
	CHECK_FMT("-2147483648", "%d", INT_MIN);
	CHECK_FMT("2147483647", "%d", INT_MAX);
	CHECK_FMT("+5 -5", "%+d %+d", 5, -5);
	CHECK_FMT(" 5 -5", "% d % d", 5, -5);
	CHECK_FMT("+5", unchecked("%+ d"), 5);		/* '+' beats ' ' */
}

TEST(format, width_flags_and_precision)
{
	CHECK_FMT("   42", "%5d", 42);
	CHECK_FMT("42   |", "%-5d|", 42);
	CHECK_FMT("00042", "%05d", 42);
	CHECK_FMT("-0042", "%05d", -42);
	CHECK_FMT("+0042", "%+05d", 42);
	CHECK_FMT("42   |", unchecked("%-05d|"), 42);	/* '-' beats '0' */
	CHECK_FMT("  042", "%5.3d", 42);
	CHECK_FMT("  042", unchecked("%05.3d"), 42);	/* precision beats '0' */
	CHECK_FMT("-00042", "%.5d", -42);
	CHECK_FMT("", "%.0d", 0);		/* zero with precision 0 */
	CHECK_FMT("   ", "%3.0d", 0);
	CHECK_FMT("12345", "%2d", 12345);	/* width never cuts */
}

TEST(format, unsigned_hex_octal)
{
	CHECK_FMT("4294967295", "%u", UINT_MAX);
	CHECK_FMT("deadbeef DEADBEEF", "%x %X", 0xdeadbeefu, 0xdeadbeefu);
	CHECK_FMT("0xff 0XFF", "%#x %#X", 255u, 255u);
	CHECK_FMT("0", "%#x", 0u);		/* no 0x for zero */
	CHECK_FMT("0x00ff", "%#06x", 255u);	/* zeros after the 0x */
	CHECK_FMT("  0xff", "%#6x", 255u);
	CHECK_FMT("17 017", "%o %#o", 15u, 15u);
	CHECK_FMT("0", "%#o", 0u);
	CHECK_FMT("0", "%#.0o", 0u);		/* '#' keeps the zero */
	CHECK_FMT("", "%.0x", 0u);
	CHECK_FMT("00017", "%#.5o", 15u);
	CHECK_FMT("00000010", "%08x", 16u);
}

TEST(format, length_modifiers)
{
	/* hh and h cut the promoted int back down, as C says. */
	CHECK_FMT("-1 255", unchecked("%hhd %hhu"), 255, 255);
	CHECK_FMT("5", unchecked("%hhu"), 261);
	CHECK_FMT("-1 65535 ffff", unchecked("%hd %hu %hx"), 65535, 65535,
		65535);
	CHECK_FMT("-9223372036854775808", "%lld", LLONG_MIN);
	CHECK_FMT("18446744073709551615", "%llu", ULLONG_MAX);
	CHECK_FMT("123456789abcdef0", "%llx", 0x123456789abcdef0ull);
	CHECK_FMT("1777777777777777777777", "%llo", ULLONG_MAX);
	CHECK_LIKE_LIBC("%ld %lu %lx", LONG_MIN, ULONG_MAX, ULONG_MAX);
	CHECK_LIKE_LIBC("%zu %zx", SIZE_MAX, SIZE_MAX);
	CHECK_FMT("-1 7", "%zd %zu", (size_t)-1, (size_t)7);
}

TEST(format, chars_and_strings)
{
	CHECK_FMT("x", "%c", 'x');
	CHECK_FMT("  x|x  |", "%3c|%-3c|", 'x', 'x');
	CHECK_FMT("abc", "%s", "abc");
	CHECK_FMT("ab", "%.2s", "abc");
	CHECK_FMT("  abc|abc  |", "%5s|%-5s|", "abc", "abc");
	CHECK_FMT("   ab", "%5.2s", "abc");
	CHECK_FMT("(null)", unchecked("%s"), (char *)NULL);
	CHECK_FMT("(nu", unchecked("%.3s"), (char *)NULL);
	CHECK_FMT("  (null)", unchecked("%8s"), (char *)NULL);
	/* Precision bounds the read: no NUL within these 3 bytes. */
	char raw[3] = { 'x', 'y', 'z' };
	CHECK_FMT("xyz", "%.3s", raw);
}

TEST(format, pointer_is_0x_and_8_digits)
{
	CHECK_FMT("0x00001234", "%p", (void *)0x1234);
	CHECK_FMT("0x00000000", "%p", (void *)NULL);
	CHECK_FMT("0xfee00000", "%p", (void *)0xfee00000u);
	CHECK_FMT("  0x00001234", "%12p", (void *)0x1234);
	CHECK_FMT("0x00001234  |", "%-12p|", (void *)0x1234);
}

TEST(format, star_width_and_precision)
{
	CHECK_FMT("   42", "%*d", 5, 42);
	CHECK_FMT("42   |", "%*d|", -5, 42);	/* negative width: '-' */
	CHECK_FMT("00042", "%.*d", 5, 42);
	CHECK_FMT("42", "%.*d", -1, 42);	/* negative precision: none */
	CHECK_FMT("  ab", "%*.*s", 4, 2, "abcdef");
	CHECK_FMT("00042", "%0*d", 5, 42);
}

TEST(format, unknown_and_trailing_percent)
{
	CHECK_FMT("%y", unchecked("%y"), 0);
	CHECK_FMT("ab%", unchecked("ab%"), 0);
	CHECK_FMT("%q 7", unchecked("%q %d"), 7);
}

TEST(format, truncation_and_return_value)
{
	char buf[8];

	memset(buf, 'Q', sizeof buf);
	CHECK_EQ(ksnprintf(buf, 5, "hello world"), 11);
	CHECK_STR(buf, "hell");
	CHECK_EQ(buf[5], 'Q');
	CHECK_EQ(ksnprintf(buf, 1, "abc"), 3);
	CHECK_STR(buf, "");
	memset(buf, 'Q', sizeof buf);
	CHECK_EQ(ksnprintf(buf, 0, "abc%d", 12345), 8);
	CHECK_EQ(buf[0], 'Q');			/* size 0: untouched */
	CHECK_EQ(ksnprintf(NULL, 0, "%s", "xyz"), 3);
	CHECK_EQ(ksnprintf(buf, sizeof buf, "%s", "1234567"), 7);
	CHECK_STR(buf, "1234567");		/* exact fit */
	CHECK_EQ(ksnprintf(buf, sizeof buf, "%s", "12345678"), 8);
	CHECK_STR(buf, "1234567");
}

struct sink {
	char text[OUT];
	int n;
};

static void sink_put(char c, void *arg)
{
	struct sink *s = arg;

	if (s->n < OUT - 1)
		s->text[s->n] = c;
	s->n++;
}

static int stream(struct sink *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	s->n = 0;
	n = kvformat(sink_put, s, fmt, ap);
	va_end(ap);
	s->text[s->n < OUT ? s->n : OUT - 1] = '\0';
	return n;
}

TEST(format, kvformat_streams_every_char)
{
	struct sink s;

	CHECK_EQ(stream(&s, "a%db%sc%%", 12, "xy"), 8);
	CHECK_EQ(s.n, 8);
	CHECK_STR(s.text, "a12bxyc%");
	CHECK_EQ(stream(&s, ""), 0);
	CHECK_EQ(s.n, 0);
}

/* --- random conversions against the host's snprintf ----------------- */

#define RANDOM_SEED	0x5eed1234u
#define RANDOM_CASES	20000

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	/* xorshift64*: the same sequence on every host. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

/* A random integer that is often small, often at an edge. */
static uint64_t rng_value(void)
{
	switch (rng_next() % 4) {
	case 0:		return rng_next() % 1000;
	case 1:		return rng_next();
	case 2:		return (uint64_t)0 - rng_next() % 1000;
	default:	return 1ull << (rng_next() % 64);
	}
}

/* Builds "%<flags><width>.<prec><len><conv>" at random. */
static void random_spec(char *fmt, const char **len, char *conv)
{
	static const char *const lens[] = { "", "hh", "h", "l", "ll", "z" };
	static const char convs[] = "diuxXo";
	char *p = fmt;

	*p++ = '%';
	for (const char *f = "-0 +#"; *f; f++)
		if (rng_next() % 4 == 0)
			*p++ = *f;
	*len = lens[rng_next() % 6];
	*conv = convs[rng_next() % 6];
	if (rng_next() % 2)
		p += sprintf(p, "%d", (int)(rng_next() % 25));
	if (rng_next() % 2)
		p += sprintf(p, ".%d", (int)(rng_next() % 25));
	p += sprintf(p, "%s%c|", *len, *conv);
}

/* Formats v through fmt with the argument type its length modifier says,
 * both ways, and fails on any difference. */
static void compare_one(const char *fmt, const char *len, char conv,
	uint64_t v)
{
	int sgn = conv == 'd' || conv == 'i';
	char got[OUT], want[OUT];
	int gn, wn;

#define BOTH(arg)	do { gn = ksnprintf(got, OUT, fmt, arg); \
			     wn = snprintf(want, OUT, fmt, arg); } while (0)
	if (len[0] == 'l' && len[1] == 'l')
		BOTH(v);
	else if (len[0] == 'l')
		BOTH((unsigned long)v);
	else if (len[0] == 'z')
		BOTH((size_t)v);
	else
		BOTH((unsigned)v);	/* int, short and char promote to int */
#undef BOTH
	if (strcmp(got, want) != 0 || gn != wn)
		FAILF("seed 0x%x: \"%s\" with %s 0x%llx: \"%s\" (%d), libc "
			"\"%s\" (%d)", RANDOM_SEED, fmt, sgn ? "signed" :
			"unsigned", (unsigned long long)v, got, gn, want, wn);
}

TEST(format, random_conversions_match_libc)
{
	char fmt[64];
	const char *len;
	char conv;

	fprintf(stderr, "format.random_conversions_match_libc: seed 0x%x\n",
		RANDOM_SEED);
	rng_state = RANDOM_SEED;
	for (int i = 0; i < RANDOM_CASES; i++) {
		random_spec(fmt, &len, &conv);
		/* '#' is undefined with %d/%i/%u; C gives it no meaning. */
		if (conv == 'd' || conv == 'i' || conv == 'u')
			for (char *p = fmt; *p; p++)
				if (*p == '#')
					*p = '-';
		compare_one(fmt, len, conv, rng_value());
	}
}

int main(int argc, char **argv)
{
	return check_main(argc, argv);
}
