/* SYS_DIAGPRINT: text for the console, or a result record for the host
 * (sent whole to the serial port, never into the diagnostics buffer).
 * Records only from a process with PRIV_RECORD (the boot's driver), and
 * only the types user programs send (the kernel's own, hello, done,
 * panic..., never): EPERM. Everyone else's text is tagged with its
 * endpoint at each line start (console.c), so it never reads as a
 * record. */
#include "kernel/system.h"
#include "kernel/console.h"
#include "kernel/ipc.h"
#include "kernel/proc.h"
#include "kernel/usercopy.h"
#include "kernel/ktest.h"
#include "kernel/lib/string.h"

#define DIAG_MAX	2048	/* a whole record line (RECORD_MAX) */

/* A record is one line: "CAIRN ", printable text, a final newline. The
 * host checks the checksum; the kernel keeps the line structure intact. */
static int is_record(const char *b, uint32_t len)
{
	if (len < 8 || memcmp(b, "CAIRN ", 6) != 0 || b[len - 1] != '\n')
		return 0;
	for (uint32_t i = 0; i < len - 1; i++)
		if (b[i] < ' ' || b[i] > '~')
			return 0;
	return 1;
}

/* The record types a user program may send (kernel/record.h). */
static int user_record_type(const char *b, uint32_t len)
{
	static const char *const types[] = {
		"test ", "benchinfo ", "bench ", "benchend ",
	};

	for (uint32_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		uint32_t n = strlen(types[i]);

		if (len >= 6 + n && memcmp(b + 6, types[i], n) == 0)
			return 1;
	}
	return 0;
}

static int contains(const char *b, uint32_t len, const char *what)
{
	uint32_t n = strlen(what);

	for (uint32_t i = 0; i + n <= len; i++)
		if (memcmp(b + i, what, n) == 0)
			return 1;
	return 0;
}

int do_diagprint(struct proc *caller, message *m)
{
	struct sys_diagprint *d = &m->u.diagprint;
	char buf[DIAG_MAX];

	if (d->len > DIAG_MAX)
		return EINVAL;
	int bad = user_range_check(d->buf, d->len);
	if (bad != OK)
		return bad;
	uint32_t r = copy_from_current(buf, d->buf, d->len);
	if (r == 1)
		return EFAULT;
	if (r != 0) {
		caller->p_misc_flags |= MF_RESTART;
		memreq_post(caller, d->buf, d->len, 0);
		return EDONTREPLY;
	}
	int recorder = (caller->p_priv.calls & PRIV_RECORD) != 0;
	if (d->flags & DIAG_RECORD) {
		if (!recorder)
			return EPERM;
		if (!is_record(buf, d->len))
			return EINVAL;
		if (!user_record_type(buf, d->len))
			return EPERM;
		console_write_record(buf, d->len);
		if (d->len > 11 && memcmp(buf, "CAIRN test ", 11) == 0)
			ktest_count_user(!contains(buf, d->len, " result=fail "));
	} else
		console_write_from(recorder ? CONSOLE_UNTAGGED : caller->p_endpoint,
			buf, d->len);
	return OK;
}
