/*
 * The user-space test program's conventions, shared by its roles: boot
 * process i (module i; VM is module 0, PM module 1, the system image with
 * RS module 2) has endpoint
 * make_endpoint(1, i), and the roles talk with these message types. And
 * its parts (tests/user/utest*.c): the shared helpers, main's tests by
 * topic, the peers' roles.
 */
#ifndef CAIRN_UTEST_H
#define CAIRN_UTEST_H

#include <stdint.h>
#include "cairn/ipc.h"
#include "cairn/syslib.h"

/* Module order of a test boot (tests/run.py passes them so). */
#define UT_MAIN		3
#define UT_SERVER	4
#define UT_RESTRICTED	5
#define UT_FUZZER	6
#define UT_SPINNER	7
#define ut_ep(i)	make_endpoint(1, (i))

/* Message types among the roles. */
#define UT_ECHO		0x100	/* reply: every word + 1 */
#define UT_HOLD		0x101	/* reply, then block sending to main */
#define UT_QUERY	0x102	/* reply: w[0] notifications from main
				   since the last query, w[1] server CPU,
				   w[2] its mailbox (written by main) */
#define UT_REPORT	0x103	/* role -> main: w[0] tests, w[1] failed */
#define UT_TICK		0x104	/* spinner -> main, as a notification */
#define UT_TLBTEST	0x105	/* server: touch, shrink, regrow a heap page;
				   reply w[0] = what it then reads, w[1] cpu */
#define UT_NOTE_FIRST	0x106	/* server: notify the sender, then reply */
#define UT_GO		0x107	/* main -> a forked process: carry on */

/* utest_util.c: what the roles share. */
extern struct sys_info info;		/* this process's, at start */
extern volatile uint32_t role_tag;	/* differs per role (tag_of) */
extern volatile uint32_t mailbox;	/* written across spaces by main */
extern const char *const entry_names[3];	/* by ENTRY_* */
uint32_t tag_of(const char *role);
uint64_t rdtsc(void);
void spin_ms(uint32_t ms);		/* busy, about ms of TSC time */
void clear(message *m, int type);
int echo_ok(void);			/* one echo round trip to the server */
void expect(const char *name, int got, int want);	/* a result */

/* utest_ipc.c: main's tests of the kernel, in the order role_main runs
 * them (the server's state carries from one to the next). */
void test_info(void);
void test_entries(void);
void test_order(void);
void test_bad_input(void);
void test_notify(void);
void test_sendrec_vs_notify(void);
void test_deadlock_and_report(void);
void test_window_copy(void);
void test_window_limits(void);
void test_shootdown(void);
void test_killed(void);

/* utest_proc.c: processes through PM, and preemption. */
void test_processes(void);
void test_preemption(void);

/* utest_fuzz.c: the fuzzer's report. */
void test_fuzz_result(void);

/* The roles besides main (utest_peers.c, utest_fuzz.c). */
int role_server(void) __attribute__((noreturn));
int role_restricted(void) __attribute__((noreturn));
int role_crasher(void);
int role_spinner(void) __attribute__((noreturn));
int role_fuzzer(uint32_t seed, uint32_t count) __attribute__((noreturn));

#endif /* CAIRN_UTEST_H */
