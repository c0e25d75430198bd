/*
 * check.h: the host unit-test framework, one header. A test binary prints
 * one line per case, "PASS suite.case" or "FAIL suite.case: file:line: what",
 * and exits non-zero if any case failed (tests/run.py counts the lines).
 *
 *	TEST(memlist, merge) { CHECK_EQ(1 + 1, 2); }
 *	int main(int argc, char **argv) { return check_main(argc, argv); }
 *
 * The first failed check ends its case (longjmp), so a case never goes on
 * with state it has just found broken. Cases register themselves through
 * constructors and run in file order (a binary's files in link order);
 * "test_x name..." runs only the cases
 * whose "suite.case" starts with one of the names given.
 *
 * This header deliberately does not include <string.h>: test_string builds
 * the kernel's string functions under renamed symbols and must not pull in
 * libc's declarations (or its fortified inline versions) by accident.
 */
#ifndef CAIRN_CHECK_H
#define CAIRN_CHECK_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECK_MAX_CASES	256
#define CHECK_MSG_LEN	512

struct check_case {
	const char *suite;
	const char *name;
	void (*fn)(void);
};

struct check_state {
	struct check_case cases[CHECK_MAX_CASES];
	int ncases;
	jmp_buf bail;		/* where a failed check returns to */
	char msg[CHECK_MSG_LEN];	/* the first failure of the running case */
};

/* One state per test binary, whichever of its files registers a case or
 * fails a check (a binary may spread its cases over several files). */
__attribute__((weak)) struct check_state check_state;

static inline void check_register(const char *suite, const char *name,
	void (*fn)(void))
{
	struct check_state *s = &check_state;

	if (s->ncases == CHECK_MAX_CASES) {
		fprintf(stderr, "check.h: more than %d cases\n", CHECK_MAX_CASES);
		abort();
	}
	s->cases[s->ncases++] = (struct check_case){ suite, name, fn };
}

#define TEST(suite, name)						\
	static void check_fn_##suite##_##name(void);			\
	__attribute__((constructor)) static void			\
	check_reg_##suite##_##name(void)				\
	{								\
		check_register(#suite, #name, check_fn_##suite##_##name); \
	}								\
	static void check_fn_##suite##_##name(void)

/* Records why the running case failed (one line: newlines become spaces)
 * and leaves it. */
__attribute__((noreturn, format(printf, 3, 4)))
static inline void check_fail(const char *file, int line, const char *fmt,
	...)
{
	struct check_state *s = &check_state;
	va_list ap;
	int n;

	n = snprintf(s->msg, sizeof s->msg, "%s:%d: ", file, line);
	va_start(ap, fmt);
	vsnprintf(s->msg + n, sizeof s->msg - (size_t)n, fmt, ap);
	va_end(ap);
	for (char *p = s->msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	longjmp(s->bail, 1);
}

#define FAILF(...)	check_fail(__FILE__, __LINE__, __VA_ARGS__)

#define CHECK(cond)							\
	do {								\
		if (!(cond))						\
			FAILF("CHECK(%s)", #cond);			\
	} while (0)

/* Integer comparisons print both values, as signed or unsigned. */
#define CHECK_OP_(a, op, b, type, pf)					\
	do {								\
		type check_a_ = (type)(a), check_b_ = (type)(b);	\
		if (!(check_a_ op check_b_))				\
			FAILF("%s %s %s: " pf " vs " pf,		\
				#a, #op, #b, check_a_, check_b_);	\
	} while (0)

#define CHECK_EQ(a, b)	CHECK_OP_(a, ==, b, long long, "%lld")
#define CHECK_NE(a, b)	CHECK_OP_(a, !=, b, long long, "%lld")
#define CHECK_LT(a, b)	CHECK_OP_(a, <, b, long long, "%lld")
#define CHECK_LE(a, b)	CHECK_OP_(a, <=, b, long long, "%lld")
#define CHECK_GE(a, b)	CHECK_OP_(a, >=, b, long long, "%lld")
#define CHECK_EQ_U(a, b) CHECK_OP_(a, ==, b, unsigned long long, "0x%llx")

static inline int check_streq_(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

#define CHECK_STR(a, b)							\
	do {								\
		const char *check_a_ = (a), *check_b_ = (b);		\
		if (!check_streq_(check_a_, check_b_))			\
			FAILF("%s == %s: \"%s\" vs \"%s\"", #a, #b,	\
				check_a_ ? check_a_ : "(NULL)",		\
				check_b_ ? check_b_ : "(NULL)");	\
	} while (0)

static inline long check_memdiff_(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return (long)i;
	return -1;
}

#define CHECK_MEM(a, b, n)						\
	do {								\
		long check_at_ = check_memdiff_((a), (b), (n));		\
		if (check_at_ >= 0)					\
			FAILF("%s == %s (%zu bytes): differ at %ld",	\
				#a, #b, (size_t)(n), check_at_);	\
	} while (0)

static inline int check_selected_(const struct check_case *c, int argc,
	char **argv)
{
	char full[256];

	if (argc < 2)
		return 1;
	snprintf(full, sizeof full, "%s.%s", c->suite, c->name);
	for (int i = 1; i < argc; i++) {
		const char *p = argv[i], *q = full;

		while (*p && *p == *q)
			p++, q++;
		if (*p == '\0')
			return 1;
	}
	return 0;
}

/* Runs one case and prints its line; returns 1 if it passed. Kept apart
 * from check_main so that no local changes between setjmp and longjmp. */
static inline int check_run_one_(const struct check_case *c)
{
	struct check_state *s = &check_state;

	s->msg[0] = '\0';
	if (setjmp(s->bail) != 0) {
		printf("FAIL %s.%s: %s\n", c->suite, c->name, s->msg);
		fflush(stdout);
		return 0;
	}
	c->fn();	/* returns only if every check held */
	printf("PASS %s.%s\n", c->suite, c->name);
	/* A later crash must not swallow the lines already earned. */
	fflush(stdout);
	return 1;
}

/* Runs the registered cases; the return value is the exit status. */
static inline int check_main(int argc, char **argv)
{
	struct check_state *s = &check_state;
	int passed = 0, failed = 0;

	for (int i = 0; i < s->ncases; i++) {
		if (!check_selected_(&s->cases[i], argc, argv))
			continue;
		if (check_run_one_(&s->cases[i]))
			passed++;
		else
			failed++;
	}
	fprintf(stderr, "%s: %d passed, %d failed\n", argv[0], passed, failed);
	return failed ? 1 : 0;
}

#endif /* CAIRN_CHECK_H */
