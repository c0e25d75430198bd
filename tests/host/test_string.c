/*
 * Tests of kernel/lib/string.c and kernel/lib/crc32.c. host.mk builds this
 * file and string.c with every function renamed to kstr_* (-Dmemcpy=
 * kstr_memcpy ...), so the calls below reach the kernel's code, not libc's
 * or the compiler's builtins. References are naive loops written here.
 */
#include "check.h"

#include <stdint.h>
#include "kernel/lib/crc32.h"
#include "kernel/lib/string.h"

#ifndef memcpy
#error "build through tests/host/host.mk: it renames string.c to kstr_*"
#endif

#define BUF		600	/* room for every size and offset tried, plus guards */
#define GUARD	0xa5

static void fill_pattern(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7 + (i >> 3));
}

static int all_equal(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

/* --- memory functions -------------------------------------------------- */

TEST(string, memcpy_sizes_and_alignments)
{
	unsigned char src[BUF], dst[BUF], want[BUF];

	for (size_t so = 0; so < 8; so++)
	for (size_t d_o = 0; d_o < 8; d_o++)
	for (size_t n = 0; n <= 300; n++) {	/* several unrolled rounds */
		fill_pattern(src, BUF, (unsigned)(so + n));
		for (size_t i = 0; i < BUF; i++)
			dst[i] = want[i] = GUARD;
		for (size_t i = 0; i < n; i++)
			want[d_o + i] = src[so + i];
		CHECK(kstr_memcpy(dst + d_o, src + so, n) == dst + d_o);
		CHECK_MEM(dst, want, BUF);
	}
}

TEST(string, memmove_overlaps_both_ways)
{
	unsigned char buf[BUF], want[BUF], tmp[BUF];

	for (size_t from = 0; from < 24; from++)
	for (size_t to = 0; to < 24; to++)
	for (size_t n = 0; n <= 200; n += (n < 64 ? 1 : 7)) {
		fill_pattern(buf, BUF, (unsigned)(from * 31 + to));
		for (size_t i = 0; i < BUF; i++)
			want[i] = buf[i];
		for (size_t i = 0; i < n; i++)
			tmp[i] = buf[from + i];
		for (size_t i = 0; i < n; i++)
			want[to + i] = tmp[i];
		CHECK(kstr_memmove(buf + to, buf + from, n) == buf + to);
		CHECK_MEM(buf, want, BUF);
	}
}

TEST(string, memset_sizes_alignments_and_byte_value)
{
	unsigned char buf[BUF];

	for (size_t off = 0; off < 8; off++)
	for (size_t n = 0; n <= 300; n++) {
		for (size_t i = 0; i < BUF; i++)
			buf[i] = GUARD;
		/* Only the low byte of c counts. */
		CHECK(kstr_memset(buf + off, 0x13c, n) == buf + off);
		CHECK(all_equal(buf, off, GUARD));
		CHECK(all_equal(buf + off, n, 0x3c));
		CHECK(all_equal(buf + off + n, BUF - off - n, GUARD));
	}
}

TEST(string, memcmp_sign_and_length)
{
	unsigned char a[16] = "abcdefgh", b[16] = "abcdefgh";

	CHECK_EQ(kstr_memcmp(a, b, 8), 0);
	CHECK_EQ(kstr_memcmp(a, "zzz", 0), 0);
	b[5] = 'z';
	CHECK_LT(kstr_memcmp(a, b, 8), 0);
	CHECK_GE(kstr_memcmp(b, a, 8), 1);
	CHECK_EQ(kstr_memcmp(a, b, 5), 0);
	/* Bytes compare as unsigned: 0x80 is greater than 0x01. */
	a[0] = 0x80;
	b[0] = 0x01;
	CHECK_GE(kstr_memcmp(a, b, 1), 1);
	CHECK_LT(kstr_memcmp(b, a, 1), 0);
}

/* --- string functions ------------------------------------------------- */

TEST(string, strlen_and_strnlen)
{
	CHECK_EQ(kstr_strlen(""), 0);
	CHECK_EQ(kstr_strlen("a"), 1);
	CHECK_EQ(kstr_strlen("hello, world"), 12);
	CHECK_EQ(kstr_strnlen("hello", 0), 0);
	CHECK_EQ(kstr_strnlen("hello", 3), 3);
	CHECK_EQ(kstr_strnlen("hello", 5), 5);
	CHECK_EQ(kstr_strnlen("hello", 100), 5);
	/* strnlen must not read past max: no NUL in these 4 bytes. */
	char raw[4] = { 'a', 'b', 'c', 'd' };
	CHECK_EQ(kstr_strnlen(raw, sizeof raw), 4);
}

TEST(string, strcmp_order)
{
	CHECK_EQ(kstr_strcmp("", ""), 0);
	CHECK_EQ(kstr_strcmp("abc", "abc"), 0);
	CHECK_LT(kstr_strcmp("abc", "abd"), 0);
	CHECK_GE(kstr_strcmp("abd", "abc"), 1);
	CHECK_LT(kstr_strcmp("ab", "abc"), 0);
	CHECK_GE(kstr_strcmp("abc", "ab"), 1);
	CHECK_GE(kstr_strcmp("\x80", "\x01"), 1);	/* unsigned chars */
}

TEST(string, strncmp_limits)
{
	CHECK_EQ(kstr_strncmp("abcX", "abcY", 3), 0);
	CHECK_LT(kstr_strncmp("abcX", "abcY", 4), 0);
	CHECK_EQ(kstr_strncmp("abc", "xyz", 0), 0);
	CHECK_EQ(kstr_strncmp("abc", "abc", 100), 0);	/* stops at NUL */
	CHECK_LT(kstr_strncmp("ab", "abc", 3), 0);
	CHECK_GE(kstr_strncmp("\xff", "a", 1), 1);
}

TEST(string, strlcpy_fits_truncates_and_reports)
{
	char buf[8];

	CHECK_EQ(kstr_strlcpy(buf, "abc", sizeof buf), 3);
	CHECK_STR(buf, "abc");
	CHECK_EQ(kstr_strlcpy(buf, "abcdefg", sizeof buf), 7);	/* exact fit */
	CHECK_STR(buf, "abcdefg");
	CHECK_EQ(kstr_strlcpy(buf, "abcdefghijkl", sizeof buf), 12);
	CHECK_STR(buf, "abcdefg");
	CHECK_EQ(kstr_strlcpy(buf, "xyz", 1), 3);
	CHECK_STR(buf, "");
	buf[0] = 'Q';
	CHECK_EQ(kstr_strlcpy(buf, "xyz", 0), 3);	/* dst untouched */
	CHECK_EQ(buf[0], 'Q');
	CHECK_EQ(kstr_strlcpy(buf, "", sizeof buf), 0);
	CHECK_STR(buf, "");
}

/* --- crc32 ------------------------------------------------------------ */

/* Bit-at-a-time reference, straight from the definition. */
static uint32_t crc32_ref(const unsigned char *p, size_t n)
{
	uint32_t crc = 0xffffffffu;

	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

TEST(crc32, check_values)
{
	const char *fox = "The quick brown fox jumps over the lazy dog";

	CHECK_EQ_U(crc32_update(0, "123456789", 9), 0xcbf43926u);
	CHECK_EQ_U(crc32_update(0, "", 0), 0);
	CHECK_EQ_U(crc32_update(0, fox, kstr_strlen(fox)), 0x414fa339u);
	CHECK_EQ_U(crc32_update(0, "a", 1), 0xe8b7be43u);
}

TEST(crc32, chains_at_every_split)
{
	const char *s = "CAIRN hello v=1 mode=test cpus=4";
	size_t n = kstr_strlen(s);
	uint32_t whole = crc32_update(0, s, n);

	for (size_t k = 0; k <= n; k++)
		CHECK_EQ_U(crc32_update(crc32_update(0, s, k), s + k, n - k),
			whole);
}

TEST(crc32, matches_bitwise_reference)
{
	unsigned char buf[1024];
	uint32_t x = 12345;

	for (size_t i = 0; i < sizeof buf; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
	for (size_t n = 0; n <= sizeof buf; n += 37)
		CHECK_EQ_U(crc32_update(0, buf, n), crc32_ref(buf, n));
}

int main(int argc, char **argv)
{
	return check_main(argc, argv);
}
