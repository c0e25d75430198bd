/*
 * The fuzzer's roles (tests/user/fuzz.h): the driver spawns the workers,
 * waits for them and checks that no page was lost; a worker makes its
 * calls (fuzz_call.c), forks children that fuzz too, spawns more workers,
 * and checks how each of them ended.
 *
 * Words: role=main|worker, seed=N, calls=N (the driver: in all, split
 * among the workers), procs=N (the driver: how many workers).
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
#include "tests/user/fuzz.h"

#define MAX_CHILDREN	FUZZ_MAX_CHILDREN
#define CHILD_CALLS	300	/* a forked or spawned child's calls */
#define PROGRESS_EVERY	100000
/* How a fuzzing process ends: 0, or this band with the number of the
 * call that failed (a wild child's own exit requests use status 0). */
#define FAILED_AT(call)	(0x5A000000 | ((call) & 0xffffff))
#define IS_FAILURE(st)	(((st) & 0xff000000) == 0x5A000000)
/* The status a worker gives a wild child it ends itself. */
#define ENDED_BY_PARENT	(-1000)

struct child {
	pid_t pid;
	uint32_t seed;
	int wild;
};

struct worker_state {
	struct fuzz_worker w;
	struct child kids[MAX_CHILDREN];
};

static int worker(uint32_t seed, uint32_t calls, int wild, endpoint_t parent);
static uint32_t trace_from = 0xffffffffu;	/* word trace=N */

/* Whether a child's end is acceptable; if not, says why in s->w.why. */
static int judge(struct worker_state *s, const struct child *k, int st)
{
	if (IS_FAILURE(st) || (!k->wild && st != 0)) {
		snprintf(s->w.why, sizeof s->w.why, "%s child %d (seed %u) "
			"ended with status 0x%x%s", k->wild ? "wild" : "a",
			k->pid, k->seed, (uint32_t)st, IS_FAILURE(st) ?
			": its console line says which call" : "");
		return 0;
	}
	return 1;
}

/* Reaps children that have ended (all of them when block); 0 or -1. */
static int reap(struct worker_state *s, int block)
{
	int ok = 1;

	for (int i = 0; i < MAX_CHILDREN; i++) {
		struct child *k = &s->kids[i];
		int st = 0;
		pid_t r;

		if (k->pid <= 0)
			continue;
		if (block && k->wild)
			kill(k->pid, ENDED_BY_PARENT);
		r = waitpid(k->pid, &st, block ? 0 : WNOHANG);
		if (r == 0)
			continue;
		if (r != k->pid) {
			snprintf(s->w.why, sizeof s->w.why, "waitpid(%d): %d",
				k->pid, r);
			ok = 0;
		} else if (!judge(s, k, st)) {
			ok = 0;
		}
		k->pid = 0;
		s->w.kid_pid[i] = 0;
		s->w.children--;
	}
	return ok ? 0 : -1;
}

/* Forks a child that fuzzes (wild or not), or spawns a worker. */
static void start_child(struct worker_state *s, int spawned)
{
	struct child *k = NULL;
	char cmd[VM_SPAWN_LEN];
	int slot = 0;

	for (int i = 0; i < MAX_CHILDREN; i++)
		if (s->kids[i].pid <= 0)
			k = &s->kids[slot = i];
	if (k == NULL)
		return;
	k->seed = fuzz_next(&s->w.rng) | 1;
	k->wild = !spawned && (fuzz_next(&s->w.rng) & 1);
	if (spawned) {
		snprintf(cmd, sizeof cmd, "fuzz role=worker seed=%u calls=%u",
			k->seed, CHILD_CALLS);
		k->pid = spawn(cmd);
	} else {
		k->pid = fork();
		if (k->pid == 0)
			exit(worker(k->seed, CHILD_CALLS, k->wild, s->w.self));
	}
	if (k->pid > 0) {
		s->w.kid_pid[slot] = k->pid;
		s->w.children++;
	}
}

static int worker(uint32_t seed, uint32_t calls, int wild, endpoint_t parent)
{
	static struct worker_state s;	/* a fork's child starts afresh */
	int failed = 0;

	memset(&s, 0, sizeof s);
	s.w.rng.s = seed ? seed : 1;
	s.w.seed = seed;
	s.w.wild = wild;
	s.w.has_sse = fuzz_cpu_has_sse();
	s.w.entry_mask = ipc_sysinfo()->entry_mask | (1u << ENTRY_INT);
	s.w.self = getpid();
	s.w.parent = parent;
	s.w.trace_from = trace_from;
	for (s.w.call = 0; s.w.call < calls && !failed; s.w.call++) {
		uint32_t dice = fuzz_below(&s.w.rng, 2048);

		if (!wild && dice < 2 && s.w.children < MAX_CHILDREN)
			start_child(&s, dice == 1);
		if (s.w.call % 64 == 0 && reap(&s, 0) != 0)
			failed = 1;
		if (!wild && s.w.call % 256 == 0)
			munmap((void *)FUZZ_ARENA, FUZZ_ARENA_LEN);
		if (!failed && fuzz_one(&s.w) != 0)
			failed = 1;
		if (!wild && s.w.call % PROGRESS_EVERY == PROGRESS_EVERY - 1)
			printf("fuzz: seed %u: %u calls\n", seed, s.w.call + 1);
	}
	if (reap(&s, 1) != 0 && !failed) {
		failed = 1;
		s.w.call++;	/* past the last call: the children's end */
	}
	if (!failed)
		return 0;
	printf("fuzz: seed %u%s failed at call %u: %s\n", seed,
		wild ? " (wild)" : "", s.w.call - 1, s.w.why);
	return FAILED_AT(s.w.call - 1);
}

/* --- the driver ---------------------------------------------------------------- */


/* VM's free page count (0 if VM does not answer), and in *cached the
 * blocks in its block cache. */
static uint32_t free_pages(uint32_t *cached)
{
	uint32_t v[VM_STATS_COUNT];

	if (vm_stats(v) != OK)
		return 0;
	*cached = v[VMS_CACHED];
	return v[VMS_FREE];
}

static int role_main(uint32_t seed, uint32_t calls, uint32_t procs)
{
	char cmd[VM_SPAWN_LEN], name[48], trace[24] = "";
	pid_t pids[16];
	uint32_t before, after, tests, failed, cached0 = 0, cached1 = 0;

	if (procs < 1 || procs > 16)
		procs = 3;
	printf("fuzz: seed %u, %u calls in %u workers\n", seed, calls, procs);
	if (trace_from != 0xffffffffu)
		snprintf(trace, sizeof trace, " trace=%u", trace_from);
	before = free_pages(&cached0);
	for (uint32_t i = 0; i < procs; i++) {
		snprintf(cmd, sizeof cmd, "fuzz role=worker seed=%u calls=%u%s",
			seed + i, calls / procs, trace);
		pids[i] = spawn(cmd);
		if (pids[i] < 0)
			printf("fuzz: spawn \"%s\": %d\n", cmd, pids[i]);
	}
	for (uint32_t i = 0; i < procs; i++) {
		int st = 0x7fffffff, r = pids[i];

		if (pids[i] > 0)
			r = waitpid(pids[i], &st, 0);
		snprintf(name, sizeof name, "fuzz.worker%u", i);
		utest_result(name, r == pids[i] && st == 0, "seed %u, %u "
			"calls: spawn %d, wait %d, status 0x%x%s", seed + i,
			calls / procs, pids[i], r, (uint32_t)st,
			IS_FAILURE(st) ? " (replay: the console line names "
			"the seed and call)" : "");
	}
	after = free_pages(&cached1);
	utest_result("fuzz.free_pages", before != 0 && after == before,
		"free pages %u before the workers, %u after (blocks in the "
		"cache: %u before, %u after)", before, after, cached0, cached1);
	utest_totals(&tests, &failed);
	sys_shutdown(tests, failed);
	return 0;
}


int main(int argc, char **argv)
{
	const char *role = arg_value(argc, argv, "role");
	uint32_t seed = arg_number(argc, argv, "seed", 1);
	uint32_t calls = arg_number(argc, argv, "calls", 1000);

	trace_from = arg_number(argc, argv, "trace", trace_from);

	ipc_init();
	if (strcmp(role, "main") == 0) {
		rs_wait_booted();	/* measure a settled system */
		return role_main(seed, calls, arg_number(argc, argv, "procs", 3));
	}
	if (strcmp(role, "worker") == 0)
		return worker(seed, calls, 0, getppid());
	printf("fuzz: unknown role '%s'\n", role);
	return 1;
}
