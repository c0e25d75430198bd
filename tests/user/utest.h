/*
 * The user-space test program's conventions, shared by its roles: boot
 * process i (module i; VM is module 0, PM module 1) has endpoint
 * make_endpoint(1, i), and the roles talk with these message types.
 */
#ifndef CAIRN_UTEST_H
#define CAIRN_UTEST_H

#include "cairn/ipc.h"

/* Module order of a test boot (tests/run.py passes them so). */
#define UT_MAIN		2
#define UT_SERVER	3
#define UT_RESTRICTED	4
#define UT_CRASHER	5
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

#endif /* CAIRN_UTEST_H */
