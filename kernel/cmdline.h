/*
 * The kernel command line: space-separated words, either flags ("quiet")
 * or key=value pairs ("mode=test").
 */
#ifndef CAIRN_CMDLINE_H
#define CAIRN_CMDLINE_H

#include <stdint.h>

void cmdline_init(const char *line);
/* Copies the value of key into buf; returns 1 if found, 0 if not. */
int cmdline_get(const char *key, char *buf, unsigned size);
/* The value as an unsigned number, or dflt when absent or not a number. */
uint32_t cmdline_get_uint(const char *key, uint32_t dflt);
int cmdline_has(const char *flag);
const char *cmdline_raw(void);

#endif /* CAIRN_CMDLINE_H */
