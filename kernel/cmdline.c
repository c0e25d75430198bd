/*
 * The kernel command line kept in kinfo, whole as the loader gave it:
 * checked once against the words the kernel knows, then looked up by key.
 * Word rules: kernel/lib/cmdwords.h.
 */
#include "kernel/cmdline.h"
#include "kernel/kinfo.h"
#include "kernel/lib/cmdwords.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static char line[KINFO_CMDLINE_LEN];	/* the words after the image name */
static char error[192];

/* Every key=value and flag the kernel reads (kernel/README.md lists what
 * each does); netboot= only marks an iPXE boot in its records. */
static const char *const known_keys[] = {
	"mode", "test", "bench", "samples", "warmup", "fpu", "netboot",
	"maxcpus",
};
static const char *const known_flags[] = { "quiet", "nouser" };

static int known(const struct cmdw *w, const char *const *names, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		size_t len = strlen(names[i]);

		if (len == w->klen && strncmp(w->word, names[i], len) == 0)
			return 1;
	}
	return 0;
}

/* The first problem with a word, as error's text. */
static void check_word(const struct cmdw *w)
{
	int cut = w->len > 48;
	int shown = cut ? 48 : (int)w->len;

	if (error[0])
		return;
	if (w->kind == CMDW_BAD)
		ksnprintf(error, sizeof error, "malformed word '%.*s%s' (words "
			"are key=value or a flag; a key is [A-Za-z0-9_.-]+)",
			shown, w->word, cut ? "..." : "");
	else if (w->kind == CMDW_PAIR &&
		 !known(w, known_keys, ARRAY_SIZE(known_keys)))
		ksnprintf(error, sizeof error, "unknown key '%.*s' in '%.*s%s'",
			(int)(w->klen < 48 ? w->klen : 48), w->word, shown,
			w->word, cut ? "..." : "");
	else if (w->kind == CMDW_FLAG &&
		 !known(w, known_flags, ARRAY_SIZE(known_flags)))
		ksnprintf(error, sizeof error, "unknown word '%.*s%s' (flags: "
			"quiet, nouser)", shown, w->word, cut ? "..." : "");
}

void cmdline_init(const char *l, uint32_t full_len)
{
	size_t pos = 0, skip = 0;
	struct cmdw w;

	error[0] = '\0';
	/* A first word without '=' names the image, unless it is one of
	 * our flags (GRUB passes no image name: "quiet mode=test"). */
	if (cmdw_next(l, &pos, &w) && w.kind == CMDW_FLAG &&
	    !known(&w, known_flags, ARRAY_SIZE(known_flags)))
		skip = cmdw_skip_image(l);
	strlcpy(line, l + skip, sizeof line);
	if (full_len > KINFO_CMDLINE_LEN - 1)
		ksnprintf(error, sizeof error, "command line is %u bytes, "
			"longer than the limit of %u bytes", full_len,
			KINFO_CMDLINE_LEN - 1);
	for (pos = 0; cmdw_next(line, &pos, &w);)
		check_word(&w);
}

const char *cmdline_raw(void)
{
	return line;
}

const char *cmdline_error(void)
{
	return error[0] ? error : 0;
}

/* The first word that is `key` or starts with "key="; returns its
 * value's start and sets *vlen to the value's length (-1 for a bare
 * flag). */
static const char *find_word(const char *key, int *vlen)
{
	size_t pos = 0, klen = strlen(key);
	struct cmdw w;

	while (cmdw_next(line, &pos, &w)) {
		if (w.kind == CMDW_FLAG && w.len == klen &&
		    strncmp(w.word, key, klen) == 0) {
			*vlen = -1;
			return w.word;
		}
		if (cmdw_is_key(&w, key)) {
			*vlen = (int)(w.len - klen - 1);
			return w.word + klen + 1;
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
