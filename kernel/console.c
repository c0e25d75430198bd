/*
 * Console output and the diagnostics buffer: a ring of the last
 * DIAG_SIZE bytes printed, so a quiet boot still shows its history when it
 * panics.
 *
 * Result records must come only from the kernel and the boot's driver,
 * and the host reads a record only at the start of a line. So every line
 * a process writes through console_write_from starts with its tag
 * "[<endpoint>] ", also when it continues after someone else's output; a
 * record never starts mid-line (a newline goes first); and diagnostics
 * that reach the serial port in the middle of a line, after something
 * else or after lost bytes, start with "[...] ". No process can start a
 * serial line with its own bytes.
 */
#include <stdarg.h>
#include "kernel/console.h"
#include "kernel/kernel.h"
#include "kernel/arch.h"
#include "kernel/lib/format.h"
#include "smp/spinlock.h"

#define DIAG_SIZE	(64 * 1024)	/* a power of two */

static char diag[DIAG_SIZE];
static uint32_t diag_head;	/* bytes ever written */
static uint32_t diag_sent;	/* bytes ever sent to the serial port */
static int quiet;
static struct spinlock console_lock = SPINLOCK_INIT;
/* The diagnostics stream: at the start of a line, or in a line that
 * diag_owner (CONSOLE_KERNEL or a tagged writer's endpoint) wrote last. */
static int diag_bol = 1;
static int32_t diag_owner = CONSOLE_KERNEL;
static int serial_bol = 1;	/* the serial port is at a line start */

/* Called with the lock held. */
static void serial_out(const char *s, unsigned n)
{
	if (n == 0)
		return;
	serial_write(s, n);
	serial_bol = s[n - 1] == '\n';
}

void console_set_quiet(int q)
{
	quiet = q;
}

/* Called with the lock held. */
static void diag_send_pending(void)
{
	uint32_t from = diag_sent;
	/* Whether the byte before from is gone (overwritten). */
	int lost = diag_head - from >= DIAG_SIZE;

	if (diag_head - from > DIAG_SIZE)
		from = diag_head - DIAG_SIZE;	/* the oldest is gone */
	/* Text that continues a line the port does not show at its start
	 * (a record or a header came between, or the start is lost). */
	if (from != diag_head && serial_bol && from != 0 &&
	    (lost || diag[(from - 1) & (DIAG_SIZE - 1)] != '\n'))
		serial_out("[...] ", 6);
	while (from != diag_head) {
		uint32_t at = from & (DIAG_SIZE - 1);
		uint32_t n = diag_head - from;

		if (n > DIAG_SIZE - at)
			n = DIAG_SIZE - at;
		serial_out(&diag[at], n);
		from += n;
	}
	diag_sent = diag_head;
}

/* Called with the lock held. */
static void diag_put(char c)
{
	diag[diag_head++ & (DIAG_SIZE - 1)] = c;
	diag_bol = c == '\n';
}

static void diag_puts(const char *s)
{
	while (*s)
		diag_put(*s++);
}

/* "[<ep>] " for a tagged writer. */
static void diag_tag(int32_t src)
{
	char num[12];
	int i = 0;
	uint32_t v = src < 0 ? 0u - (uint32_t)src : (uint32_t)src;

	do
		num[i++] = (char)('0' + v % 10);
	while ((v /= 10) != 0 && i < 11);
	diag_put('[');
	if (src < 0)
		diag_put('-');
	while (i > 0)
		diag_put(num[--i]);
	diag_puts("] ");
}

void console_write_from(int32_t src, const char *s, unsigned n)
{
	uint32_t flags = spin_lock_irqsave(&console_lock);
	int tagged = src != CONSOLE_KERNEL && src != CONSOLE_UNTAGGED;

	for (unsigned i = 0; i < n; i++) {
		char c = s[i];

		if (tagged && !diag_bol && diag_owner != src)
			diag_put('\n');	/* someone else's line: a new one */
		if (diag_bol) {
			if (tagged)
				diag_tag(src);
			diag_owner = src;
		} else if (!tagged) {
			diag_owner = src;
		}
		/* A process's control characters (a carriage return
		 * moving back over its tag) print as '.'. */
		if (tagged && c != '\n' && c != '\t' &&
		    ((unsigned char)c < ' ' || c == 0x7f))
			c = '.';
		diag_put(c);
	}
	if (!quiet)
		diag_send_pending();
	spin_unlock_irqrestore(&console_lock, flags);
}

void console_write(const char *s, unsigned n)
{
	console_write_from(CONSOLE_KERNEL, s, n);
}

void console_flush_diag(void)
{
	uint32_t flags = spin_lock_irqsave(&console_lock);

	if (diag_sent != diag_head)
		serial_out("\n--- diagnostics buffer ---\n", 28);
	diag_send_pending();
	spin_unlock_irqrestore(&console_lock, flags);
}

void console_write_record(const char *s, unsigned n)
{
	uint32_t flags = spin_lock_irqsave(&console_lock);

	if (!serial_bol)
		serial_out("\n", 1);	/* a record starts its line */
	serial_out(s, n);
	if (!serial_bol)
		serial_out("\n", 1);
	spin_unlock_irqrestore(&console_lock, flags);
}

void console_break_lock(void)
{
	if (spin_is_locked(&console_lock)) {
		struct spinlock fresh = SPINLOCK_INIT;
		console_lock = fresh;
	}
}

struct kprintf_buf {
	char buf[256];
	unsigned len;
};

static void kprintf_put(char c, void *arg)
{
	struct kprintf_buf *b = arg;

	if (b->len == sizeof(b->buf)) {
		console_write(b->buf, b->len);
		b->len = 0;
	}
	b->buf[b->len++] = c;
}

int kprintf(const char *fmt, ...)
{
	struct kprintf_buf b;
	va_list ap;
	int n;

	b.len = 0;
	va_start(ap, fmt);
	n = kvformat(kprintf_put, &b, fmt, ap);
	va_end(ap);
	console_write(b.buf, b.len);
	return n;
}
