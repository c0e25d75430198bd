/*
 * Console output and the diagnostics buffer: a ring of the last
 * DIAG_SIZE bytes printed, so a quiet boot still shows its history when it
 * panics.
 */
#include <stdarg.h>
#include "kernel/console.h"
#include "kernel/kernel.h"
#include "kernel/arch/i386/serial.h"
#include "kernel/lib/format.h"
#include "smp/spinlock.h"

#define DIAG_SIZE	(64 * 1024)	/* a power of two */

static char diag[DIAG_SIZE];
static uint32_t diag_head;	/* bytes ever written */
static uint32_t diag_sent;	/* bytes ever sent to the serial port */
static int quiet;
static struct spinlock console_lock = SPINLOCK_INIT;

void console_set_quiet(int q)
{
	quiet = q;
}

/* Called with the lock held. */
static void diag_send_pending(void)
{
	uint32_t from = diag_sent;

	if (diag_head - from > DIAG_SIZE)
		from = diag_head - DIAG_SIZE;	/* the oldest is gone */
	while (from != diag_head) {
		uint32_t at = from & (DIAG_SIZE - 1);
		uint32_t n = diag_head - from;

		if (n > DIAG_SIZE - at)
			n = DIAG_SIZE - at;
		serial_write(&diag[at], n);
		from += n;
	}
	diag_sent = diag_head;
}

void console_write(const char *s, unsigned n)
{
	uint32_t flags = spin_lock_irqsave(&console_lock);

	for (unsigned i = 0; i < n; i++)
		diag[(diag_head + i) & (DIAG_SIZE - 1)] = s[i];
	diag_head += n;
	if (!quiet)
		diag_send_pending();
	spin_unlock_irqrestore(&console_lock, flags);
}

void console_flush_diag(void)
{
	uint32_t flags = spin_lock_irqsave(&console_lock);

	if (diag_sent != diag_head)
		serial_write("\n--- diagnostics buffer ---\n", 28);
	diag_send_pending();
	spin_unlock_irqrestore(&console_lock, flags);
}

void console_write_record(const char *s, unsigned n)
{
	uint32_t flags = spin_lock_irqsave(&console_lock);

	serial_write(s, n);
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
