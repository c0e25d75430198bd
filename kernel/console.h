/*
 * The console: what people read. Everything printed goes into an in-memory
 * diagnostics buffer; it also goes to the serial port unless the console is
 * quiet (benchmark boots keep the port for records). panic() flushes what
 * the port has not seen yet.
 */
#ifndef CAIRN_CONSOLE_H
#define CAIRN_CONSOLE_H

#include <stdint.h>

void console_set_quiet(int quiet);
/* The kernel's own text (never tagged). */
void console_write(const char *s, unsigned n);
/* Text from src: CONSOLE_KERNEL or CONSOLE_UNTAGGED (the boot's driver,
 * which may send records anyway) as it is; any other value is an
 * endpoint, and every line of its text starts with "[<src>] ". */
#define CONSOLE_KERNEL		((int32_t)0x7ffffffe)
#define CONSOLE_UNTAGGED	((int32_t)0x7fffffff)
void console_write_from(int32_t src, const char *s, unsigned n);
/* Sends the buffered text the serial port has not seen (oldest first). */
void console_flush_diag(void);
/* Writes a whole line to the serial port, never interleaved with another
 * CPU's output, bypassing the diagnostics buffer (result records); it
 * starts a line of its own, after a newline if need be. */
void console_write_record(const char *s, unsigned n);
/* For panic: take the console from whoever holds it. */
void console_break_lock(void);

#endif /* CAIRN_CONSOLE_H */
