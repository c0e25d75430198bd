/*
 * assert() is always on in Cairn, NDEBUG or not: a failed one panics with
 * the expression and where it is.
 */
#ifndef CAIRN_LIBC_ASSERT_H
#define CAIRN_LIBC_ASSERT_H

__attribute__((noreturn))
void assert_fail(const char *expr, const char *file, int line,
	const char *func);

#define assert(e) \
	((e) ? (void)0 : assert_fail(#e, __FILE__, __LINE__, __func__))

#endif /* CAIRN_LIBC_ASSERT_H */
