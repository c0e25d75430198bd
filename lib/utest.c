/*
 * Sending result records from user space, and the test-result counters
 * a test program hands to sys_shutdown (or to whoever collects them).
 */
#include "cairn/urecord.h"

#include <stdio.h>
#include "cairn/ipc.h"
#include "cairn/syslib.h"
#include "kernel/lib/format.h"

/* Static, not on the stack: user stacks may be small, and a program is
 * one thread. */
static char urecord_line[URECORD_MAX];
static uint32_t utest_count, utest_failed;

static int urecord_send(int len)
{
	/* A record must not overtake the text printed before it. */
	stdout_flush();
	return sys_diagprint(urecord_line, (uint32_t)len, DIAG_RECORD);
}

int urecord(const char *type, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = urecord_vformat(urecord_line, sizeof urecord_line, type, fmt, ap);
	va_end(ap);
	return urecord_send(n);
}

void utest_result(const char *name, int pass, const char *fmt, ...)
{
	char detail[256];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	utest_count++;
	if (!pass)
		utest_failed++;
	printf("test %s: %s%s%s\n", name, pass ? "pass" : "FAIL",
		detail[0] ? ": " : "", detail);
	urecord_send(urecord_test_format(urecord_line, sizeof urecord_line,
		name, pass, detail));
}

void utest_totals(uint32_t *tests, uint32_t *failed)
{
	*tests = utest_count;
	*failed = utest_failed;
}
