/*
 * Cairn's result records (kernel/record.h) from a Linux program: the same
 * line, checksum (kernel/lib/crc32.c) and text encoding
 * (kernel/lib/record_text.c), written to stdout, which is the serial
 * console; and the way out of QEMU through isa-debug-exit.
 */
#include <stdarg.h>
#include <stdio.h>
#include <sys/io.h>
#include <sys/reboot.h>
#include <termios.h>
#include <unistd.h>
#include "cairn/urecord.h"
#include "kernel/lib/crc32.h"
#include "kernel/lib/record_text.h"
#include "bench/peer/peer.h"

#define DEBUG_EXIT_PORT	0xf4

/* All of buf, or as much as the console takes before an error. */
static void put(const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(STDOUT_FILENO, buf, len);
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

int urecord(const char *type, const char *fmt, ...)
{
	/* " #" + eight hex digits + "\n" + NUL, as lib/record.c cuts. */
	enum { TAIL = 12 };
	char line[URECORD_MAX];
	va_list ap;
	int n;

	n = snprintf(line, sizeof line, "CAIRN %s ", type);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof line - TAIL)	/* cut: still a valid record */
		n = (int)sizeof line - TAIL;
	n += snprintf(line + n, sizeof line - (size_t)n, " #%08x\n",
		crc32_update(0, line, (size_t)n));
	/* One write per record: the tty never mixes two writers' bytes. */
	put(line, (size_t)n);
	return 0;
}

char *urecord_text(char *buf, uint32_t size, const char *text)
{
	return record_text(buf, size, text);
}

void peer_leave(int code)
{
	/* Everything written must reach the serial port before QEMU ends. */
	tcdrain(STDOUT_FILENO);
	if (ioperm(DEBUG_EXIT_PORT, 4, 1) == 0)
		outl((unsigned)code, DEBUG_EXIT_PORT);
	dprintf(STDOUT_FILENO, "linuxbench: no isa-debug-exit port (ioperm "
		"failed); powering off\n");
	tcdrain(STDOUT_FILENO);
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

void peer_die(const char *fmt, ...)
{
	char text[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	dprintf(STDOUT_FILENO, "\nlinuxbench: %s\n", text);
	peer_leave(PEER_EXIT_FAILED);
}
