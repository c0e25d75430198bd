/*
 * The hostile suite's helpers for attacks (tests/user/hostile.h):
 * expectations that explain themselves on the console, and a child to be
 * killed in the attacker's place.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "tests/user/hostile.h"

struct sys_info h_info;

int h_expect(const char *what, int got, int want)
{
	if (got == want)
		return 1;
	printf("hostile: %s: got %d, want %d\n", what, got, want);
	return 0;
}

int h_expect_error(const char *what, int got)
{
	if (got < 0)
		return 1;
	printf("hostile: %s: got %d, want an error code\n", what, got);
	return 0;
}

int h_child_status(int (*fn)(void))
{
	int status = 0x7fffffff;
	pid_t pid = fork(), r;

	if (pid == 0)
		exit(fn());
	if (pid < 0)
		return pid;
	r = waitpid(pid, &status, 0);
	return r == pid ? status : (r < 0 ? r : ESRCH);
}
