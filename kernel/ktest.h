/*
 * In-guest self-tests. A test is a function registered with KTEST(); it
 * reports one or more results with ktest_result(), each of which becomes a
 * `test` record for the host.
 */
#ifndef CAIRN_KTEST_H
#define CAIRN_KTEST_H

struct ktest {
	const char *name;	/* group name, for the test= filter */
	void (*fn)(void);
};

#define KTEST(fn_name) \
	static void fn_name(void); \
	static const struct ktest ktest_##fn_name \
		__attribute__((section(".ktests"), used, aligned(4))) = \
		{ #fn_name, fn_name }; \
	static void fn_name(void)

void ktest_result(const char *name, int pass, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Runs every registered test (or those whose name starts with the
 * test= word) and returns the number of failed results. */
int ktest_run_all(unsigned *total);

/* Results so far: returns the failures, *total the results. */
unsigned ktest_totals(unsigned *total);
/* A test record from a user program went through the kernel. */
void ktest_count_user(int pass);
/* The mode= of this boot ("test", "bench", ...), for the done record. */
const char *ktest_mode(void);
void ktest_set_mode(const char *mode);

#endif /* CAIRN_KTEST_H */
