/*
 * In-guest tests of processes, IPC, the three kernel entries, scheduling
 * and page faults, from user space. One program, several roles (argv
 * role=...): `main` runs the tests and ends the boot; the others are its
 * peers: an echo server, a process allowed to talk only to VM, PM and
 * main, one that touches memory it has no region for, a random-call
 * fuzzer, and a spinner that never blocks. `exiter` is no boot module:
 * main spawns it through PM, and it exits with its status= argument.
 *
 * This file: the roles' dispatch and main's running order. The parts:
 * utest_ipc.c (entries, IPC, windows, shootdown), utest_proc.c
 * (processes through PM, preemption), utest_peers.c (the peers),
 * utest_fuzz.c (the fuzzer), utest_util.c (what they share).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cairn/ipclib.h"
#include "cairn/rslib.h"
#include "cairn/syslib.h"
#include "cairn/urecord.h"
#include "tests/user/utest.h"

/* Runs main's tests in an order the peers expect, then ends the boot. */
static int role_main(void)
{
	sys_setcpu(SELF, 0);
	sys_info(&info);
	test_info();
	test_entries();
	test_order();
	test_bad_input();
	test_notify();
	test_sendrec_vs_notify();
	test_deadlock_and_report();
	test_window_copy();
	test_window_limits();
	test_shootdown();
	test_killed();
	test_processes();
	test_preemption();
	test_fuzz_result();
	uint32_t tests, failed;
	utest_totals(&tests, &failed);
	sys_shutdown(tests, failed);
	return 0;
}

static uint32_t number(const char *s)
{
	uint32_t v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint32_t)(*s++ - '0');
	return v;
}

static const char *arg(int argc, char **argv, const char *key)
{
	size_t n = strlen(key);

	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], key, n) == 0 && argv[i][n] == '=')
			return argv[i] + n + 1;
	return "";
}

int main(int argc, char **argv)
{
	const char *role = arg(argc, argv, "role");

	role_tag = tag_of(role);
	ipc_init();
	sys_info(&info);
	if (strcmp(role, "main") == 0) {
		rs_wait_booted();	/* measure a settled system */
		return role_main();
	}
	if (strcmp(role, "server") == 0)
		return role_server();
	if (strcmp(role, "restricted") == 0)
		return role_restricted();
	if (strcmp(role, "crasher") == 0)
		return role_crasher();
	if (strcmp(role, "spinner") == 0)
		return role_spinner();
	if (strcmp(role, "exiter") == 0)	/* spawned by main */
		return getppid() == ut_ep(UT_MAIN) ?
			(int)number(arg(argc, argv, "status")) : 99;
	if (strcmp(role, "fuzzer") == 0)
		return role_fuzzer(number(arg(argc, argv, "seed")),
			number(arg(argc, argv, "count")));
	printf("utest: unknown role '%s'\n", role);
	return 1;
}

