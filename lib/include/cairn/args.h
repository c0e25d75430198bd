/*
 * A program's words, as the boot image and spawn give them: argv[0]
 * names the program, the rest are key=value words (role=main seed=7),
 * read by the kernel's rules (kernel/lib/cmdwords.h). An empty value
 * (seed=) reads as no value.
 */
#ifndef CAIRN_ARGS_H
#define CAIRN_ARGS_H

#include <stdint.h>

/* The value of the first key=value word, or "" when there is none. */
const char *arg_value(int argc, char **argv, const char *key);
/* That value as a number (decimal, or hexadecimal after 0x), or dflt
 * when the word is missing or is not a number that fits 32 bits. */
uint32_t arg_number(int argc, char **argv, const char *key, uint32_t dflt);

#endif /* CAIRN_ARGS_H */
