/*
 * The kernel command line: blank-separated words, an optional image name
 * first (a word without '=' that is not a flag: QEMU and iPXE put one,
 * GRUB does not), then flags ("quiet") and key=value pairs ("mode=test")
 * (kernel/lib/cmdwords.h). An empty value is as good as none: `mode=`
 * boots like no mode= at all. Unknown keys and flags, malformed words and
 * a line longer than KINFO_CMDLINE_LEN - 1 bytes are errors: the boot
 * reports the first and ends red (kernel/main.c).
 */
#ifndef CAIRN_CMDLINE_H
#define CAIRN_CMDLINE_H

#include <stdint.h>

/* Takes the loader's line (full_len: its whole length, which may exceed
 * what kinfo kept) and checks its words. */
void cmdline_init(const char *line, uint32_t full_len);
/* What is wrong with the line (the first problem), or NULL. */
const char *cmdline_error(void);
/* Copies the value of key into buf; returns 1 if found, 0 if not. */
int cmdline_get(const char *key, char *buf, unsigned size);
/* The value as an unsigned number, or dflt when absent or not a number. */
uint32_t cmdline_get_uint(const char *key, uint32_t dflt);
int cmdline_has(const char *flag);
/* The words after the image name. */
const char *cmdline_raw(void);

#endif /* CAIRN_CMDLINE_H */
