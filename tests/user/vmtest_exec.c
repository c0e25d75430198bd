/*
 * exec (PM_EXEC): a forked child replaces its program by vmtest
 * role=execd, which checks the argv and envp it was given, its pid and
 * its parent, and exits with a status only that check gives; refusals
 * (no such program, not ELF, arguments too big) leave the caller running
 * as it was. The low-memory boot (suite=lowmem, a small guest) runs exec
 * with fewer and fewer free pages: each attempt fails with ENOMEM, the
 * caller intact, every page back, until enough are left.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "cairn/args.h"
#include "cairn/syslib.h"
#include "cairn/urecord.h"
#include "tests/user/vmtest.h"

#define WORDS		"two words"	/* one argument with a space */

/* --- role=execd: the program exec started ------------------------------ */

int vt_execd_main(int argc, char **argv, char **envp)
{
	uint32_t pid = arg_number(argc, argv, "pid", 0);
	uint32_t ppid = arg_number(argc, argv, "ppid", 0);
	const char *home = getenv("HOME");

	if (argc != 5 || strcmp(argv[0], "vmtest") != 0 ||
	    strcmp(argv[4], WORDS) != 0)
		return VT_EXECD_BAD + 1;
	if (envp != environ || envp[0] == NULL || envp[2] != NULL ||
	    strcmp(envp[0], "CAIRN_EXEC=yes") != 0 || home == NULL ||
	    strcmp(home, "/") != 0)
		return VT_EXECD_BAD + 2;
	if ((uint32_t)getpid() != pid || (uint32_t)getppid() != ppid)
		return VT_EXECD_BAD + 3;
	return VT_EXECD_OK;
}

/* execve of vmtest role=execd with this process's pid and parent. */
static int exec_execd(void)
{
	char pid[24], ppid[24];
	char *argv[] = { "vmtest", "role=execd", pid, ppid, WORDS, NULL };
	char *envp[] = { "CAIRN_EXEC=yes", "HOME=/", NULL };

	snprintf(pid, sizeof pid, "pid=%d", getpid());
	snprintf(ppid, sizeof ppid, "ppid=%d", getppid());
	return execve("vmtest", argv, envp);
}

static int child_exec(void *arg)
{
	int r = exec_execd();

	(void)arg;
	return r < 0 ? -r : VT_EXECD_BAD;	/* only on failure */
}

/* One word past what fits: E2BIG, from the library (block) or VM. */
static char big[EXEC_BLOCK_MAX + 1];

void vt_test_exec(void)
{
	char *argv[] = { "x", NULL }, *many[1100];
	uint32_t free0;
	int st, r;

	/* The caller's own pages first (the big word, the library's block
	 * on the stack, many[]): only VM's count of the rest must hold. */
	memset(big, 'a', sizeof big - 1);
	for (int i = 0; i < 1099; i++)
		many[i] = "";
	many[0] = "vmtest";
	many[1099] = NULL;
	(void)execve("nosuch", argv, NULL);
	free0 = vt_stat1(VMS_FREE);
	r = vt_in_child(child_exec, NULL, &st);
	utest_result("pm.exec.runs_with_argv_envp", r == OK &&
		st == VT_EXECD_OK, "the exec'd child ended with %d (%d "
		"expected; %d-%d: a check of argv, envp, pid failed), wait %d",
		st, VT_EXECD_OK, VT_EXECD_BAD + 1, VT_EXECD_BAD + 3, r);
	vt_expect("pm.exec.missing_enoent", execve("nosuch", argv, NULL),
		ENOENT);
	vt_expect("pm.exec.not_elf_enoexec", execve("notelf", argv, NULL),
		ENOEXEC);
	vt_expect("pm.exec.pm_refused", execve("pm", argv, NULL), EPERM);
	vt_expect("pm.exec.no_argv0", execve("vmtest", NULL, NULL), EINVAL);
	argv[0] = big;
	vt_expect("pm.exec.block_e2big", execve("vmtest", argv, NULL), E2BIG);
	/* Fits the block, not the stack page: 1024 pointers alone fill it. */
	vt_expect("pm.exec.stack_e2big", execve("vmtest", many, NULL), E2BIG);
	utest_result("pm.exec.caller_goes_on", getpid() == vt_info.self &&
		vt_stat1(VMS_FREE) == free0, "after the refusals: pid %d "
		"(was %d), free pages %u (were %u)", getpid(), vt_info.self,
		vt_stat1(VMS_FREE), free0);
}

/* --- suite=lowmem: exec until memory runs out ------------------------- */

#define PATTERN_WORDS	256
static uint32_t pattern[PATTERN_WORDS];

/* Maps and touches memory until at most left pages are free: a big run
 * first, then a page at a time. Returns the free count reached. */
static uint32_t fill_to(uint32_t left)
{
	uint32_t free = vt_stat1(VMS_FREE);

	if (free > left + 64)
		(void)mmap(NULL, (free - left - 64) * PAGE, PROT_READ |
			PROT_WRITE, MAP_ANON | MAP_PREALLOC);
	while ((free = vt_stat1(VMS_FREE)) > left &&
	       mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		    MAP_ANON | MAP_PREALLOC) != MAP_FAILED)
		;
	return free;
}

/* The child: memory filled to *left free pages, then exec. Returns (as
 * its status) VT_LOW_NOMEM when exec said ENOMEM and this process is
 * intact, VT_EXECD_OK from the new program, anything else otherwise. */
static int child_low(void *arg)
{
	uint32_t left = *(uint32_t *)arg, at;
	pid_t self = getpid();
	int r;

	vt_stack_reserve();
	for (uint32_t i = 0; i < PATTERN_WORDS; i++)
		pattern[i] = 0x5eed0000u + i;
	at = fill_to(left);
	r = exec_execd();
	for (uint32_t i = 0; i < PATTERN_WORDS; i++)
		if (pattern[i] != 0x5eed0000u + i)
			return VT_EXECD_BAD + 10;
	if (getpid() != self)
		return VT_EXECD_BAD + 11;
	if (r != ENOMEM) {
		printf("vmtest: exec with %u free pages: %d\n", at, r);
		return r < 0 ? -r : VT_EXECD_BAD + 12;
	}
	return VT_LOW_NOMEM;
}

int vt_lowmem_main(void)
{
	uint32_t free0, tests, failed, left, nomem = 0, lost = 0;
	int st = 0, r = OK;

	sys_setcpu(SELF, 0);
	vt_stack_reserve();
	/* VM's bookkeeping grows to hold every page once, before counting. */
	r = vt_in_child(vt_eat_until_killed, NULL, &st);
	utest_result("vmtest.lowmem.warm_up", r == OK && st == ENOMEM,
		"a child used all memory: status %d, wait %d", st, r);
	free0 = vt_stat1(VMS_FREE);
	printf("vmtest: lowmem: %u pages free, %u in all\n", free0,
		vt_stat1(VMS_TOTAL));
	for (left = 0; left < 512; left++) {
		r = vt_in_child(child_low, &left, &st);
		if (r != OK || st != VT_LOW_NOMEM)
			break;
		nomem++;
		lost += vt_stat1(VMS_FREE) != free0;
	}
	utest_result("pm.exec.lowmem.enomem_then_runs", r == OK &&
		st == VT_EXECD_OK && nomem >= 4, "exec failed with ENOMEM, "
		"the caller intact, with 0 to %u free pages (%u times), then "
		"ended with %d (wait %d; %d expected)", left - 1, nomem, st,
		r, VT_EXECD_OK);
	utest_result("pm.exec.lowmem.no_page_lost", lost == 0 &&
		vt_stat1(VMS_FREE) == free0 && !vt_stats_failed, "%u of %u "
		"failed execs left free pages off %u (now %u)", lost, nomem,
		free0, vt_stat1(VMS_FREE));
	utest_totals(&tests, &failed);
	sys_shutdown(tests, failed);
	return 0;
}
