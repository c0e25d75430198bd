/*
 * Tests of lib/record.c, the user-space record formatter: its encoding
 * against the written-down rules, and every line it makes against what
 * the kernel's own kernel/record.c makes for the same input (host.mk links
 * both; console_write_record below catches the kernel's line).
 */
#include "check.h"

#include <stdint.h>
#include <string.h>
#include "cairn/urecord.h"
#include "kernel/console.h"
#include "kernel/record.h"

static char kernel_line[URECORD_MAX + 16];
static unsigned kernel_len;

/* kernel/record.c sends here. */
void console_write_record(const char *s, unsigned n)
{
	memcpy(kernel_line, s, n);
	kernel_line[n] = '\0';
	kernel_len = n;
}

static uint32_t rng = 12345;

static uint32_t next_rand(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

/* --- percent encoding ------------------------------------------------- */

/* The rule, stated independently: which bytes are escaped. */
static int must_escape(unsigned char c)
{
	return c <= ' ' || c >= 0x7f || c == '%' || c == '=' || c == '#';
}

TEST(urecord, text_every_byte)
{
	char in[2] = { 0, 0 }, out[8], want[8];

	for (int c = 1; c < 256; c++) {
		in[0] = (char)c;
		if (must_escape((unsigned char)c))
			snprintf(want, sizeof want, "%%%02X", c);
		else
			snprintf(want, sizeof want, "%c", c);
		CHECK_STR(urecord_text(out, sizeof out, in), want);
	}
}

TEST(urecord, text_examples)
{
	char out[64];

	CHECK_STR(urecord_text(out, sizeof out, ""), "");
	CHECK_STR(urecord_text(out, sizeof out, "a b"), "a%20b");
	CHECK_STR(urecord_text(out, sizeof out, "k=v#1 50%"),
		"k%3Dv%231%2050%25");
	CHECK_STR(urecord_text(out, sizeof out, "tab\there\nnl"),
		"tab%09here%0Anl");
	CHECK_STR(urecord_text(out, sizeof out, "!~\x7f\x80\xff"),
		"!~%7F%80%FF");
	CHECK(urecord_text(out, sizeof out, "x") == out);
}

/* It stops while 4 bytes (one escape and the NUL) are not left. */
TEST(urecord, text_truncation)
{
	char out[16];

	memset(out, 'Z', sizeof out);
	CHECK_STR(urecord_text(out, 4, "abc"), "a");
	CHECK_STR(urecord_text(out, 5, "abc"), "ab");
	CHECK_STR(urecord_text(out, 6, "abc"), "abc");
	CHECK_STR(urecord_text(out, 3, "abc"), "");
	CHECK_STR(urecord_text(out, 1, "abc"), "");
	CHECK_STR(urecord_text(out, 4, " b"), "%20");
	CHECK_STR(urecord_text(out, 6, " b"), "%20");
	CHECK_STR(urecord_text(out, 7, " b"), "%20b");
	CHECK_STR(urecord_text(out, 8, " b"), "%20b");
	out[0] = 'Z';
	urecord_text(out, 0, "abc");		/* writes nothing */
	CHECK_EQ(out[0], 'Z');
}

/* The same bytes as the kernel's record_text, at every size. */
TEST(urecord, text_matches_kernel)
{
	char text[80], mine[128], kern[128];

	for (int round = 0; round < 3000; round++) {
		uint32_t len = next_rand() % (sizeof text - 1);
		uint32_t size = next_rand() % sizeof mine;

		for (uint32_t i = 0; i < len; i++)
			text[i] = (char)(next_rand() % 255 + 1);
		text[len] = '\0';
		memset(mine, 'M', sizeof mine);
		memset(kern, 'M', sizeof kern);
		urecord_text(mine, size, text);
		record_text(kern, size, text);
		CHECK_MEM(mine, kern, sizeof mine);
	}
}

/* --- whole records ------------------------------------------------------ */

TEST(urecord, format_known_checksum)
{
	char line[URECORD_MAX];
	int n = urecord_format(line, sizeof line, "probe", "result=ok");

	/* CRC from Python: zlib.crc32(b"CAIRN probe result=ok"). */
	CHECK_STR(line, "CAIRN probe result=ok #75f92f7e\n");
	CHECK_EQ(n, (int)strlen(line));
}

#define CHECK_LIKE_KERNEL(type, ...)					\
	do {								\
		char mine_[URECORD_MAX];				\
		int n_ = urecord_format(mine_, sizeof mine_, type,	\
			__VA_ARGS__);					\
		record(type, __VA_ARGS__);				\
		CHECK_EQ(n_, kernel_len);				\
		CHECK_STR(mine_, kernel_line);				\
	} while (0)

TEST(urecord, format_matches_kernel)
{
	char enc[600];

	CHECK_LIKE_KERNEL("hello", "v=1 mode=%s cpus=%d", "test", 4);
	CHECK_LIKE_KERNEL("bench", "name=%s seq=%u overhead=%llu raw=%u,%u",
		"ipc.sendrec", 3u, 123456789012ull, 10u, 20u);
	CHECK_LIKE_KERNEL("module", "idx=%d size=%u crc=%08x str=%s", 0,
		5000u, 0xdeadbeefu, record_text(enc, sizeof enc, "a b=c"));
	CHECK_LIKE_KERNEL("probe", "%s", "");
	CHECK_LIKE_KERNEL("x", "%d%%", -5);
}

/* A line too long for URECORD_MAX is cut before the checksum, exactly as
 * the kernel cuts it, and still ends with a valid tail. */
TEST(urecord, format_long_line_cut_like_kernel)
{
	static char big[3 * URECORD_MAX];

	for (int len = URECORD_MAX - 40; len < URECORD_MAX + 40; len++) {
		memset(big, 'v', (size_t)len);
		big[len] = '\0';
		CHECK_LIKE_KERNEL("bench", "raw=%s", big);
	}
	memset(big, 'v', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	CHECK_LIKE_KERNEL("bench", "raw=%s", big);
	CHECK_EQ(kernel_len, URECORD_MAX - 1);
	CHECK_EQ(kernel_line[URECORD_MAX - 2], '\n');
}

TEST(urecord, format_small_buffers)
{
	char buf[64];

	memset(buf, 'Z', sizeof buf);
	CHECK_EQ(urecord_format(buf, 15, "t", "k=v"), 0);
	CHECK_STR(buf, "");
	CHECK_EQ(urecord_format(buf, 0, "t", "k=v"), 0);
	/* 16 bytes: four of text, then the tail. */
	CHECK_EQ(urecord_format(buf, 16, "t", "k=v"), 15);
	CHECK_EQ(strlen(buf), 15);
	CHECK(strncmp(buf, "CAIR #", 6) == 0);
	CHECK_EQ(buf[14], '\n');
}

/* The test record equals what kernel/ktest.c sends for the same result. */
TEST(urecord, test_record_matches_kernel)
{
	static const char *details[] = {
		"", "x y", "sent=3 got=4 #fail 100%", "\x01\xff",
		"a very long detail that repeats a very long detail that "
		"repeats a very long detail that repeats a very long detail",
	};
	char mine[URECORD_MAX], enc[600];

	for (size_t i = 0; i < sizeof details / sizeof details[0]; i++)
	for (int pass = 0; pass < 2; pass++) {
		int n = urecord_test_format(mine, sizeof mine, "ipc.send_nb",
			pass, details[i]);

		record("test", "name=%s result=%s detail=%s", "ipc.send_nb",
			pass ? "pass" : "fail",
			record_text(enc, sizeof enc, details[i]));
		CHECK_EQ(n, kernel_len);
		CHECK_STR(mine, kernel_line);
	}
	urecord_test_format(mine, sizeof mine, "a.b", 0, "x y");
	/* CRC from Python, over the bytes before " #". */
	CHECK_STR(mine, "CAIRN test name=a.b result=fail detail=x%20y "
		"#16003b41\n");
}

int main(int argc, char **argv)
{
	return check_main(argc, argv);
}
