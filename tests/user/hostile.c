/*
 * The hostile suite's two roles (tests/user/hostile.h): the driver, which
 * spawns an attacker per case and checks the system after each, and the
 * attacker, which runs one case's attack.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "cairn/args.h"
#include "cairn/ipclib.h"
#include "cairn/rslib.h"
#include "cairn/syslib.h"
#include "cairn/urecord.h"
#include "cairn/vmlib.h"
#include "tests/user/hostile.h"
#include "servers/ds/ds.h"

#define SPAWN_PREFIX	"hostile role=attacker case="
#define PAGE		4096u

static const struct hostile_topic topics[] = {
	{ hostile_ipc_cases, &hostile_ipc_count },
	{ hostile_entry_cases, &hostile_entry_count },
	{ hostile_fpu_cases, &hostile_fpu_count },
	{ hostile_priv_cases, &hostile_priv_count },
	{ hostile_vm_cases, &hostile_vm_count },
	{ hostile_fastpath_cases, &hostile_fastpath_count },
	{ hostile_grant_cases, &hostile_grant_count },
	{ hostile_ds_cases, &hostile_ds_count },
	{ hostile_pool_cases, &hostile_pool_count },
	{ hostile_exec_cases, &hostile_exec_count },
	{ hostile_rs_cases, &hostile_rs_count },
};

#define for_each_case(c)						\
	for (const struct hostile_topic *t_ = topics;			\
	     t_ < topics + sizeof topics / sizeof topics[0]; t_++)	\
		for (const struct hostile_case *c = t_->cases;		\
		     c < t_->cases + *t_->count; c++)

static const struct hostile_case *find_case(const char *name)
{
	for_each_case(c)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* --- the driver's health check --------------------------------------------- */

static int free_pages(uint32_t *n)
{
	uint32_t v[VM_STATS_COUNT];
	int r = vm_stats(v);

	*n = r == OK ? v[VMS_FREE] : 0;
	return r;
}

/* What is wrong with the system, into why (empty: nothing). VM and PM
 * answer, fork and mmap work; the free page count is checked by the
 * caller, after this has given back all it took. */
static void health(char *why, size_t size)
{
	uint32_t n;
	int r, st = 0x7fffffff;
	pid_t pid;

	why[0] = '\0';
	if ((r = free_pages(&n)) != OK) {
		snprintf(why, size, "VM_STATS: %d", r);
		return;
	}
	if ((pid = getpid()) != h_info.self) {
		snprintf(why, size, "getpid: %d, not %d", pid, h_info.self);
		return;
	}
	pid = fork();
	if (pid == 0)
		exit(HOSTILE_OK);
	if (pid < 0 || (r = waitpid(pid, &st, 0)) != pid || st != HOSTILE_OK) {
		snprintf(why, size, "fork %d, wait %d, status %d", pid, r, st);
		return;
	}
	volatile uint32_t *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		MAP_ANON);
	if (p == MAP_FAILED) {
		snprintf(why, size, "mmap failed");
		return;
	}
	p[0] = 0x5a5a5a5a;
	p[PAGE / 4] = p[0] + 1;
	if (p[PAGE / 4] != 0x5a5a5a5b || (r = munmap((void *)p, 2 * PAGE))
	    != OK)
		snprintf(why, size, "mmap'd memory: read back 0x%x, munmap %d",
			p[PAGE / 4], r);
}

/* Spawns the attacker for c and waits for it: OK and its status. */
static int run_attacker(const struct hostile_case *c, int *status)
{
	char cmd[VM_SPAWN_LEN];
	pid_t pid, r;

	if (strlen(SPAWN_PREFIX) + strlen(c->name) >= sizeof cmd)
		return E2BIG;
	snprintf(cmd, sizeof cmd, "%s%s", SPAWN_PREFIX, c->name);
	*status = 0x7fffffff;
	pid = spawn(cmd);
	if (pid < 0)
		return pid;
	r = waitpid(pid, status, 0);
	return r == pid ? OK : (r < 0 ? r : ESRCH);
}

static void run_case(const struct hostile_case *c)
{
	char name[64], why[96];
	uint32_t before = 0, after = 0;
	int r, st, counted;

	counted = free_pages(&before) == OK;
	r = run_attacker(c, &st);
	snprintf(name, sizeof name, "hostile.%s", c->name);
	utest_result(name, r == OK && st == c->want_status, "spawn and wait "
		"%d, status %d (%d expected)", r, st, c->want_status);
	health(why, sizeof why);
	counted = free_pages(&after) == OK && counted;
	snprintf(name, sizeof name, "hostile.%s.health", c->name);
	utest_result(name, !why[0] && counted && after == before, "%s%s"
		"free pages %u before, %u after", why, why[0] ? "; " : "",
		before, after);
}

static int role_main(void)
{
	const struct hostile_case warm_up = { "warm_up", NULL, HOSTILE_OK };
	char why[96];
	uint32_t tests, failed;
	int st, r;

	/* VM's bookkeeping for a spawn, a fork, a mapping and
	 * HOSTILE_MAX_PROCS processes at once grows once, here, so that
	 * the first case is not charged with it. */
	r = run_attacker(&warm_up, &st);
	health(why, sizeof why);
	utest_result("hostile.warm_up", r == OK && st == HOSTILE_OK &&
		!why[0], "spawn and wait %d, status %d; %s", r, st, why);
	int cases = 0;
	for_each_case(c) {
		run_case(c);
		cases++;
	}
	/* The last test: the driver got through every case and the system
	 * is still well (tests/run.py requires it; nothing an attacker
	 * prints can stand in for it). */
	health(why, sizeof why);
	utest_result("hostile.finished", !why[0], "after %d cases: %s", cases,
		why[0] ? why : "healthy");
	utest_totals(&tests, &failed);
	sys_shutdown(tests, failed);
	return 0;
}

/* --- the attacker ------------------------------------------------------------ */

/* The warm-up attacker and HOSTILE_MAX_PROCS - 1 children alive at once:
 * each child waits for a message from it before it exits. */
static int warm_up(void)
{
	pid_t pids[HOSTILE_MAX_PROCS - 1];
	message m;
	int st, n = 0, bad = 0;

	memset(&m, 0, sizeof m);
	for (; n < HOSTILE_MAX_PROCS - 1; n++) {
		if ((pids[n] = fork()) == 0)
			exit(ipc_receive(h_info.self, &m) == OK ? HOSTILE_OK : 1);
		if (pids[n] < 0)
			break;
	}
	for (int i = 0; i < n; i++)
		bad |= ipc_send(pids[i], &m) != OK ||
			waitpid(pids[i], &st, 0) != pids[i] || st != HOSTILE_OK;
	return n == HOSTILE_MAX_PROCS - 1 && !bad ? HOSTILE_OK : 1;
}

static int role_attacker(const char *name)
{
	const struct hostile_case *c = find_case(name);

	if (strcmp(name, "warm_up") == 0)
		return warm_up();
	if (c == NULL) {
		printf("hostile: no case '%s'\n", name);
		return 127;
	}
	return c->attack();
}


int main(int argc, char **argv)
{
	const char *role = arg_value(argc, argv, "role");

	ipc_init();
	sys_info(&h_info);
	if (arg_value(argc, argv, "probe")[0] != '\0')
		return hostile_priv_probe();	/* any role: hostile_priv.c */
	if (arg_value(argc, argv, "execd")[0] != '\0')
		return hostile_exec_execd(argc, argv);	/* hostile_exec.c */
	if (strcmp(role, "main") == 0) {
		rs_wait_booted();	/* measure a settled system */
		return role_main();
	}
	if (strcmp(role, "attacker") == 0)
		return role_attacker(arg_value(argc, argv, "case"));
	if (strcmp(role, "ds") == 0)
		ds_main();	/* a private data store (hostile_ds.c) */
	printf("hostile: unknown role '%s'\n", role);
	return 1;
}
