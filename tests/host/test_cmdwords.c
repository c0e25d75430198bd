/*
 * Tests of kernel/lib/cmdwords.c (the word rules every command line
 * follows) and kernel/cmdline.c (the kernel's checks on its own line):
 * the same line from QEMU/iPXE (image name first) and from GRUB (none)
 * reads the same; unknown keys and flags, malformed words and a line
 * longer than kinfo holds are errors that name the word or the length.
 */
#include "check.h"

#include <stdio.h>
#include <string.h>
#include "kernel/cmdline.h"
#include "kernel/kinfo.h"
#include "kernel/lib/cmdwords.h"

/* cmdline.c's one use of kernel/lib/string.c beyond libc's names. */
size_t strlcpy(char *dst, const char *src, size_t size);
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t c = n < size - 1 ? n : size - 1;
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

/* The words of s as "kind:word" joined by '|' (P pair, F flag, B bad). */
static const char *words(const char *s)
{
	static char out[512];
	size_t pos = 0, n = 0;
	struct cmdw w;

	out[0] = '\0';
	while (cmdw_next(s, &pos, &w))
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%c:%.*s",
			n ? "|" : "", w.kind == CMDW_PAIR ? 'P' :
			w.kind == CMDW_FLAG ? 'F' : 'B', (int)w.len, w.word);
	return out;
}

TEST(cmdwords, split_and_classify)
{
	CHECK_STR(words(""), "");
	CHECK_STR(words("  \t "), "");
	CHECK_STR(words("a=1  b\tc="), "P:a=1|F:b|P:c=");
	CHECK_STR(words("=x k=v=w a/b=1 x.y-z_0=ok"),
		"B:=x|P:k=v=w|B:a/b=1|P:x.y-z_0=ok");
	CHECK_STR(words(" build/kernel.elf mode=test "),
		"F:build/kernel.elf|P:mode=test");
}

TEST(cmdwords, key_of_a_pair)
{
	size_t pos = 0;
	struct cmdw w;

	CHECK(cmdw_next("mode=test", &pos, &w));
	CHECK_EQ(w.klen, 4);
	CHECK(cmdw_is_key(&w, "mode"));
	CHECK(!cmdw_is_key(&w, "mod"));
	CHECK(!cmdw_is_key(&w, "modes"));
	pos = 0;
	CHECK(cmdw_next("mode", &pos, &w));
	CHECK(!cmdw_is_key(&w, "mode"));	/* a flag has no key */
}

TEST(cmdwords, image_word_skipped_only_without_equals)
{
	CHECK_STR("build/kernel.elf mode=test" +
		cmdw_skip_image("build/kernel.elf mode=test"), "mode=test");
	CHECK_STR("mode=test quiet" + cmdw_skip_image("mode=test quiet"),
		"mode=test quiet");
	CHECK_STR("  k \t a=1" + cmdw_skip_image("  k \t a=1"), "a=1");
	CHECK_STR("kernel.elf" + cmdw_skip_image("kernel.elf"), "");
	CHECK_STR("" + cmdw_skip_image(""), "");
	/* A module: QEMU's path, then the name; GRUB's name alone. */
	CHECK_STR("b/utest.elf utest role=main" +
		cmdw_skip_image("b/utest.elf utest role=main"),
		"utest role=main");
}

TEST(cmdwords, image_names_a_program)
{
	char n[8];

	cmdw_image_name("build/user/vm.elf", 17, n, sizeof n);
	CHECK_STR(n, "vm");
	cmdw_image_name("utest", 5, n, sizeof n);
	CHECK_STR(n, "utest");
	cmdw_image_name("http://h/c/pm.elf", 17, n, sizeof n);
	CHECK_STR(n, "pm");
	cmdw_image_name("a/verylongname.elf", 18, n, sizeof n);
	CHECK_STR(n, "verylon");			/* cut to size - 1 */
	cmdw_image_name("dir/", 4, n, sizeof n);
	CHECK_STR(n, "");
	cmdw_image_name("vm.elf extra", 2, n, sizeof n);	/* len bounds it */
	CHECK_STR(n, "vm");
}

static void init(const char *s)
{
	cmdline_init(s, (uint32_t)strlen(s));
}

/* The same words from each loader read alike. */
TEST(cmdline, same_from_qemu_ipxe_and_grub)
{
	static const char *const lines[] = {
		"build/kernel.elf mode=test quiet",	/* QEMU -kernel */
		"http://10.0.2.2/cairn/kernel.elf mode=test quiet", /* iPXE */
		"mode=test quiet",			/* GRUB */
		"quiet mode=test",			/* GRUB, flag first */
	};
	char v[16];

	for (unsigned i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		init(lines[i]);
		CHECK(cmdline_error() == NULL);
		CHECK(cmdline_get("mode", v, sizeof v));
		CHECK_STR(v, "test");
		CHECK(cmdline_has("quiet"));
		CHECK(!cmdline_has("nouser"));
	}
	init("build/kernel.elf mode=test quiet");
	CHECK_STR(cmdline_raw(), "mode=test quiet");
	init("quiet mode=test");
	CHECK_STR(cmdline_raw(), "quiet mode=test");
}

TEST(cmdline, values_and_numbers)
{
	char v[4];

	init("k samples=12 warmup=x bench=ipc.sendrec mode=");
	CHECK(cmdline_error() == NULL);
	CHECK_EQ(cmdline_get_uint("samples", 30), 12);
	CHECK_EQ(cmdline_get_uint("warmup", 5), 5);	/* not a number */
	CHECK_EQ(cmdline_get_uint("test", 7), 7);	/* absent */
	CHECK(cmdline_get("bench", v, sizeof v));
	CHECK_STR(v, "ipc");				/* cut to size - 1 */
	/* mode= is found with an empty value: the same as no mode. */
	CHECK(cmdline_get("mode", v, sizeof v));
	CHECK_STR(v, "");
	init("");
	CHECK(cmdline_error() == NULL);
	CHECK(!cmdline_get("mode", v, sizeof v));
}

TEST(cmdline, unknown_key_is_named)
{
	init("k mode=test bogus=1");
	CHECK(cmdline_error() != NULL);
	CHECK(strstr(cmdline_error(), "unknown key 'bogus'") != NULL);
	/* GRUB: no image word, the same error. */
	init("bogus=1 mode=test");
	CHECK(strstr(cmdline_error(), "unknown key 'bogus'") != NULL);
}

TEST(cmdline, unknown_flag_after_the_image_is_named)
{
	init("kernel.elf mode=test verbose");
	CHECK(strstr(cmdline_error(), "unknown word 'verbose'") != NULL);
	/* "mode" alone is a flag the kernel does not have. */
	init("kernel.elf mode");
	CHECK(strstr(cmdline_error(), "unknown word 'mode'") != NULL);
	/* Only the first word can be the image. */
	init("mode=test kernel.elf");
	CHECK(strstr(cmdline_error(), "unknown word 'kernel.elf'") != NULL);
}

TEST(cmdline, malformed_word_is_named)
{
	init("k mode=test =oops");
	CHECK(strstr(cmdline_error(), "malformed word '=oops'") != NULL);
	init("a/b=1");
	CHECK(strstr(cmdline_error(), "malformed word 'a/b=1'") != NULL);
}

TEST(cmdline, first_error_wins_and_long_words_are_cut)
{
	char s[200];

	init("k x=1 =y");
	CHECK(strstr(cmdline_error(), "'x'") != NULL);
	memset(s, 'w', sizeof s - 1);
	s[0] = '=';
	s[sizeof s - 1] = '\0';
	init(s);
	CHECK(strstr(cmdline_error(), "malformed word '=www") != NULL);
	CHECK(strstr(cmdline_error(), "...'") != NULL);
	CHECK(strlen(cmdline_error()) < 190);
}

TEST(cmdline, too_long_names_length_and_limit)
{
	char msg[128];

	cmdline_init("mode=test", KINFO_CMDLINE_LEN - 1);	/* just fits */
	CHECK(cmdline_error() == NULL);
	cmdline_init("mode=test", 1500);
	CHECK(cmdline_error() != NULL);
	snprintf(msg, sizeof msg, "command line is 1500 bytes, longer than "
		"the limit of %u bytes", KINFO_CMDLINE_LEN - 1);
	CHECK_STR(cmdline_error(), msg);
	CHECK(KINFO_CMDLINE_LEN - 1 >= 1023);
}

int main(int argc, char **argv)
{
	return check_main(argc, argv);
}
