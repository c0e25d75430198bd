/*
 * The hostile suite (tests/user/hostile*.c): attacks by an ordinary
 * process, each a case that must end in a clear error code or in the
 * attacker alone being killed, with nothing lost.
 *
 * The driver (role=main, booted by tests/run.py) spawns one attacker per
 * case through PM: "hostile role=attacker case=<name>", a process with no
 * privilege row of its own. The attacker runs the case's attack() and
 * exits with what it returns; the driver compares that status with the
 * case's want_status, then checks the system's health (VM and PM answer,
 * fork, spawn and mmap work, VM's free page count is back where it was
 * before the case) and reports hostile.<name> and hostile.<name>.health.
 * Only the driver sends result records; an attacker explains itself on
 * its console (printf).
 */
#ifndef CAIRN_HOSTILE_H
#define CAIRN_HOSTILE_H

#include <stdint.h>
#include "cairn/ipc.h"

struct hostile_case {
	const char *name;	/* hostile.<name>; [a-z0-9_.] */
	/* Runs in the attacker: HOSTILE_OK when every expectation held,
	 * else a small positive code (say, the failed check's number). */
	int (*attack)(void);
	/* The status the driver must see: HOSTILE_OK, or the negative code
	 * that the kernel or VM kills the attacker with (EFAULT, ...). */
	int want_status;
};

#define HOSTILE_OK	0
/* The most processes a case may have at once (itself included): the
 * driver's warm-up grows VM's bookkeeping for that many beforehand. */
#define HOSTILE_MAX_PROCS	8

/* One topic's cases: a file hostile_<topic>.c defines its array and
 * count, and hostile.c lists the topic in its table of topics. */
struct hostile_topic {
	const struct hostile_case *cases;
	const int *count;
};

/* hostile_util.c: expectations inside an attack. Each prints what went
 * wrong and returns 0 when the check failed, 1 when it held; the attack
 * counts failures and returns 1 (or more) if any. */
int h_expect(const char *what, int got, int want);
/* got < 0: some error code. */
int h_expect_error(const char *what, int got);
/* Runs fn in a forked child of the attacker and returns the status that
 * waitpid reports (or the fork/wait error): for attacks that must get
 * only their own process killed. */
int h_child_status(int (*fn)(void));

extern struct sys_info h_info;		/* the attacker's SYS_INFO */

/* The topics (one line each in hostile.c's table). */
extern const struct hostile_case hostile_ipc_cases[];
extern const int hostile_ipc_count;
extern const struct hostile_case hostile_entry_cases[];
extern const int hostile_entry_count;
extern const struct hostile_case hostile_fpu_cases[];
extern const int hostile_fpu_count;
extern const struct hostile_case hostile_priv_cases[];
extern const int hostile_priv_count;

/* hostile_priv.c: what a process spawned "hostile ... probe=rights"
 * runs (whatever its role): tries a driver's rights, returns how many
 * were not refused. */
int hostile_priv_probe(void);
extern const struct hostile_case hostile_fastpath_cases[];
extern const int hostile_fastpath_count;
extern const struct hostile_case hostile_vm_cases[];
extern const int hostile_vm_count;
extern const struct hostile_case hostile_grant_cases[];
extern const int hostile_grant_count;
extern const struct hostile_case hostile_ds_cases[];
extern const int hostile_ds_count;
extern const struct hostile_case hostile_pool_cases[];
extern const int hostile_pool_count;
extern const struct hostile_case hostile_exec_cases[];
extern const int hostile_exec_count;
/* hostile_exec.c: what "hostile execd=..." (an exec'd image) runs. */
int hostile_exec_execd(int argc, char **argv);
extern const struct hostile_case hostile_rs_cases[];
extern const int hostile_rs_count;

#endif /* CAIRN_HOSTILE_H */
