/*
 * Words of a command line, the same rules for every loader and reader:
 * the kernel's line (kernel/cmdline.c), each module's string and each
 * spawn command (vm/boot.c), and the host unit tests.
 *
 *   [IMAGE] [NAME] key=value ...
 *
 * Words are separated by blanks (space, tab). QEMU's -kernel/-initrd and
 * iPXE put the image's file name (or URI) first; GRUB's `multiboot FILE
 * ARGS` and `module FILE ARGS` pass ARGS alone. So a first word without
 * '=' is taken as the image's name, whichever loader wrote it. A word
 * with '=' is key=value, split at the first '=': its key must be one or
 * more of [A-Za-z0-9_.-] ("=x" and "a/b=1" are malformed), its value may
 * be empty or hold more '='. A word
 * without '=' elsewhere is a flag, which the reader may or may not know.
 *
 * Pure code (no allocation, no globals): the kernel, user space and host
 * tests build it alike.
 */
#ifndef CAIRN_CMDWORDS_H
#define CAIRN_CMDWORDS_H

#include <stddef.h>

enum cmdw_kind {
	CMDW_PAIR,	/* key=value (value may be empty) */
	CMDW_FLAG,	/* no '=' */
	CMDW_BAD	/* '=' with an empty key or a key of other characters */
};

struct cmdw {
	const char *word;	/* its first character */
	size_t len;		/* the whole word's length */
	size_t klen;		/* pair: the key's length; else len */
	enum cmdw_kind kind;
};

/* The next word of s at or after *pos: fills *w, moves *pos past it and
 * returns 1; 0 when only blanks are left. */
int cmdw_next(const char *s, size_t *pos, struct cmdw *w);

/* Where the words after the image name start in s: the offset of the
 * second word if the first has no '=', else of the first (0 for an empty
 * or blank-only string's end). */
size_t cmdw_skip_image(const char *s);

/* The program name an image word gives: its last '/'-separated part up
 * to the first '.' ("build/user/vm.elf" -> "vm"), cut to size - 1
 * characters; size >= 1. An empty result means the word gave none. */
void cmdw_image_name(const char *word, size_t len, char *out, size_t size);

/* Whether word w is key=value with this key. */
int cmdw_is_key(const struct cmdw *w, const char *key);

#endif /* CAIRN_CMDWORDS_H */
