/*
 * VM's panic() for its host tests: a failure of the case, unless the
 * case expects one with PANICS. Included by one test file each (it
 * defines panic() and its state), after check.h.
 */
#ifndef CAIRN_TEST_VM_PANIC_H
#define CAIRN_TEST_VM_PANIC_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static jmp_buf panic_jmp;
static int panic_expected;
static char panic_msg[256];

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(panic_msg, sizeof panic_msg, fmt, ap);
	va_end(ap);
	if (panic_expected) {
		panic_expected = 0;
		longjmp(panic_jmp, 1);
	}
	FAILF("VM panicked: %s", panic_msg);
}

/* Runs stmt, which must panic with a message containing want. */
#define PANICS(stmt, want)						\
	do {								\
		panic_msg[0] = '\0';					\
		panic_expected = 1;					\
		if (setjmp(panic_jmp) == 0) {				\
			stmt;						\
			panic_expected = 0;				\
			FAILF("%s did not panic", #stmt);		\
		}							\
		if (strstr(panic_msg, (want)) == NULL)			\
			FAILF("%s panicked with \"%s\", expected \"%s\"", \
				#stmt, panic_msg, (want));		\
	} while (0)

#endif /* CAIRN_TEST_VM_PANIC_H */
