/*
 * Percent-encoding of text values in result records (kernel/record.h):
 * one rule for the kernel, user programs and the host's parser.
 */
#ifndef CAIRN_RECORD_TEXT_H
#define CAIRN_RECORD_TEXT_H

#include <stdint.h>

/* Encodes text into buf (size bytes, always NUL-terminated): bytes
 * outside '!'..'~', and '%', '=' and '#', become %XX. Returns buf, for use
 * as a %s argument. */
char *record_text(char *buf, uint32_t size, const char *text);

#endif /* CAIRN_RECORD_TEXT_H */
