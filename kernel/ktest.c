/* Running the in-guest self-tests and reporting each result as a record. */
#include <stdarg.h>
#include "kernel/ktest.h"
#include "kernel/kernel.h"
#include "kernel/cmdline.h"
#include "kernel/record.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

extern const struct ktest _ktests_start[], _ktests_end[];

static unsigned results, failures;

void ktest_result(const char *name, int pass, const char *fmt, ...)
{
	char detail[256], enc[600];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	results++;
	if (!pass)
		failures++;
	kprintf("test %s: %s%s%s\n", name, pass ? "pass" : "FAIL",
		detail[0] ? ": " : "", detail);
	record("test", "name=%s result=%s detail=%s", name,
		pass ? "pass" : "fail", record_text(enc, sizeof enc, detail));
}

static char mode[16] = "none";

unsigned ktest_totals(unsigned *total)
{
	*total = results;
	return failures;
}

void ktest_count_user(int pass)
{
	results++;
	if (!pass)
		failures++;
}

const char *ktest_mode(void)
{
	return mode;
}

void ktest_set_mode(const char *m)
{
	strlcpy(mode, m, sizeof mode);
}

int ktest_run_all(unsigned *total)
{
	char filter[64] = "";

	cmdline_get("test", filter, sizeof filter);
	for (const struct ktest *t = _ktests_start; t < _ktests_end; t++) {
		if (filter[0] && strncmp(t->name, filter, strlen(filter)) != 0)
			continue;
		kprintf("running %s\n", t->name);
		t->fn();
	}
	*total = results;
	return (int)failures;
}
