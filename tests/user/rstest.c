/*
 * Recovery tests (role=main of the rstest boot: VM, PM, the system image
 * with RS, DS and the demo service, then this driver). The demo service
 * is crashed in each way RS must survive while this driver keeps a load
 * on it; after each crash the service must be back under its label with
 * a new endpoint and its state intact, the driver must have seen at most
 * one error for it, and nothing may be lost. Then a crash loop must be
 * stopped by the restart limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cairn/ipclib.h"
#include "cairn/rslib.h"
#include "cairn/syslib.h"
#include "cairn/urecord.h"
#include "cairn/vmlib.h"
#include "cairn/args.h"

static endpoint_t demo;

static int call(int type, uint32_t w0, uint32_t w1, uint32_t *v0)
{
	message m = { 0 };
	int r;

	m.m_type = type;
	m.u.w[0] = w0;
	m.u.w[1] = w1;
	r = ipc_sendrec(demo, &m);
	if (r == OK)
		r = m.u.reply.status;
	if (r == OK && v0)
		*v0 = m.u.reply.value[0];
	return r;
}

/* One request of the load, retried once through RS after a dead
 * destination; *errors counts the failures the client saw. */
static int load_call(int type, uint32_t w0, uint32_t w1, uint32_t *v0,
	int *errors)
{
	int r = call(type, w0, w1, v0);

	if (r == EDEADSRCDST || r == EBADEPT) {
		(*errors)++;
		if ((r = rs_find("demo", &demo, 500)) != OK)
			return r;
		r = call(type, w0, w1, v0);
	}
	return r;
}

static uint32_t rs_state(const char *label, uint32_t *restarts)
{
	message m = { 0 };

	m.m_type = RS_STATUS;
	strlcpy(m.u.rs.label, label, RS_LABEL_LEN);
	if (ipc_sendrec(RS_ENDPOINT, &m) != OK || m.u.reply.status != OK)
		return 0;
	if (restarts)
		*restarts = m.u.reply.value[1];
	return m.u.reply.value[2];
}

static uint32_t free_pages(void)
{
	uint32_t v[VM_STATS_COUNT];

	return vm_stats(v) == OK ? v[VMS_FREE] : 0;
}

/* Crash the demo service with how in the middle of a load of 40
 * requests; everything written must read back. */
static void crash_under_load(const char *name, uint32_t how)
{
	endpoint_t before = demo;
	uint32_t restarts0 = 0, restarts1 = 0, v = 0;
	int errors = 0, bad = 0, r = OK;
	message m = { 0 };

	rs_state("demo", &restarts0);
	for (uint32_t i = 0; i < 40 && r == OK; i++) {
		if (i == 20) {
			m.m_type = DEMO_CRASH;
			m.u.w[0] = how;
			ipc_send(demo, &m);	/* no answer: it dies */
		}
		r = load_call(DEMO_PUT, i % DEMO_SLOTS, 1000 * how + i, NULL,
			&errors);
	}
	for (uint32_t i = 0; i < DEMO_SLOTS && r == OK; i++) {
		r = load_call(DEMO_GET, i, 0, &v, &errors);
		/* Slot i was last written by request 32 + i. */
		if (r == OK && v != 1000 * how + 32 + i)
			bad++;
	}
	rs_state("demo", &restarts1);
	utest_result(name, r == OK && errors == 1 && bad == 0 &&
		demo != before && restarts1 == restarts0 + 1,
		"load r=%d, %d error(s) seen, %d slot(s) wrong, endpoint "
		"%d -> %d, restarts %u -> %u", r, errors, bad, before, demo,
		restarts0, restarts1);
}

/* Processes that are neither RS nor a service ask for what only they may
 * do: refused, and the service is untouched. */
static void refusals(void)
{
	message m = { 0 };
	int r;

	m.m_type = RS_READY;
	r = ipc_sendrec(RS_ENDPOINT, &m);
	utest_result("rs.refuse.ready_from_stranger", r == OK &&
		m.u.reply.status == EPERM, "r=%d status=%d", r,
		m.u.reply.status);
	memset(&m, 0, sizeof m);
	m.m_type = RS_LOOKUP;
	memset(m.u.rs.label, 'x', RS_LABEL_LEN);	/* no NUL */
	r = ipc_sendrec(RS_ENDPOINT, &m);
	utest_result("rs.refuse.label_too_long", r == OK &&
		m.u.reply.status == E2BIG, "status=%d", m.u.reply.status);
	r = rs_lookup("nosuch", &(endpoint_t){ 0 });
	utest_result("rs.refuse.unknown_label", r == ENOENT, "lookup %d", r);
	/* A process may not stop another's service: it is not the
	 * service's manager (and has no right to the call at all). */
	r = sys_kill(demo, 0);
	utest_result("rs.refuse.kill_service", r == EPERM, "sys_kill %d", r);
	memset(&m, 0, sizeof m);
	m.m_type = PM_KILL;
	m.u.pm.a = demo;
	r = ipc_sendrec(PM_ENDPOINT, &m);
	/* Not PM's to end: PM has never heard of it (ESRCH), and would say
	 * EPERM if it had. */
	utest_result("rs.refuse.pm_kill_service", r == OK &&
		(m.u.reply.status == ESRCH || m.u.reply.status == EPERM),
		"status %d", m.u.reply.status);
	memset(&m, 0, sizeof m);
	m.m_type = VM_EXIT;
	m.u.exit.ep = demo;
	r = ipc_sendrec(RS_ENDPOINT, &m);	/* a VM message to RS */
	utest_result("rs.refuse.foreign_request", r == OK &&
		m.u.reply.status == EINVAL, "status %d", m.u.reply.status);
	r = call(DEMO_PUT, 0, 7, NULL);
	utest_result("rs.refuse.service_untouched", r == OK, "put %d", r);
}

/* --- live update ---------------------------------------------------------- */

/* Spawns "update label=demo program=<program>"; its exit status. */
static int update_to(const char *program)
{
	char cmd[VM_SPAWN_LEN];
	int st = 0x7fffffff;
	pid_t pid;

	snprintf(cmd, sizeof cmd, "update label=demo program=%s", program);
	pid = spawn(cmd);
	if (pid < 0)
		return pid;
	if (waitpid(pid, &st, 0) != pid)
		return 0x7ffffffe;
	return st;
}

static uint32_t version(void)
{
	uint32_t v = 0;

	return call(DEMO_VERSION, 0, 0, &v) == OK ? v : 0;
}

/* All slots hold base + i? (count: how many differ). */
static int slots_differ(uint32_t base)
{
	uint32_t v;
	int bad = 0;

	for (uint32_t i = 0; i < DEMO_SLOTS; i++)
		if (call(DEMO_GET, i, 0, &v) != OK || v != base + i)
			bad++;
	return bad;
}

static int fill(uint32_t base)
{
	int r = OK;

	for (uint32_t i = 0; i < DEMO_SLOTS && r == OK; i++)
		r = call(DEMO_PUT, i, base + i, NULL);
	return r;
}

/* A client's load while the update runs: every request must be answered
 * by one version or the other, none lost, none failed; and the client
 * must see the version change under it (else the load did not overlap
 * the update). Exits with the failures, or 100 if it never saw the new
 * version. */
static int __attribute__((noreturn)) load_child(uint32_t from, uint32_t to)
{
	int bad = 0, after = -1;
	uint32_t v;

	for (uint32_t i = 0; i < 20000 && after < 20; i++) {
		if (call(DEMO_PUT, i % DEMO_SLOTS, 5000 + i, NULL) != OK)
			bad++;
		if (call(DEMO_GET, i % DEMO_SLOTS, 0, &v) != OK ||
		    v != 5000 + i)
			bad++;
		v = version();
		if (v != from && v != to)
			bad++;
		if (after >= 0 || v == to)
			after++;
	}
	exit(after < 0 ? 100 : bad > 99 ? 99 : bad);
}

static void live_update(void)
{
	endpoint_t before = demo, after = NONE;
	int st, r, child_st = -1;
	pid_t child;
	message m = { 0 };

	r = fill(700);
	st = update_to("demo_v2");
	rs_lookup("demo", &after);
	utest_result("rs.update.state_carried", r == OK && st == 0 &&
		version() == 2 && after == before && slots_differ(700) == 0,
		"update status %d, version %u, endpoint %d -> %d", st,
		version(), before, after);

	/* Under load: a forked client hammers the service meanwhile. */
	child = fork();
	if (child == 0)
		load_child(2, 1);
	st = update_to("demo");		/* back to version 1 */
	if (child > 0)
		waitpid(child, &child_st, 0);
	rs_lookup("demo", &after);
	utest_result("rs.update.under_load", child > 0 && child_st == 0 &&
		st == 0 && version() == 1 && after == before,
		"client failures %d, update status %d, version %u, endpoint "
		"%d -> %d", child_st, st, version(), before, after);

	/* A new version that dies before it is ready: rolled back, the old
	 * one serves on with its state. */
	fill(900);
	st = update_to("demo_bad");
	rs_lookup("demo", &after);
	utest_result("rs.update.rollback", st != 0 && version() == 1 &&
		after == before && slots_differ(900) == 0,
		"update status %d, version %u, endpoint %d -> %d", st,
		version(), before, after);
	st = update_to("nosuch");
	utest_result("rs.update.missing_program", st == ENOENT &&
		version() == 1 && slots_differ(900) == 0,
		"update status %d, version %u", st, version());

	/* Only a process with the admin right may ask: a forked child has
	 * none (fork does not pass it on). */
	child = fork();
	if (child == 0) {
		m.m_type = RS_UPDATE;
		strlcpy(m.u.rs_update.label, "demo", RS_LABEL_LEN);
		strlcpy(m.u.rs_update.program, "demo_v2", RS_PROGRAM_LEN);
		r = ipc_sendrec(RS_ENDPOINT, &m);
		exit(r == OK ? m.u.reply.status : r);
	}
	waitpid(child, &child_st, 0);
	utest_result("rs.update.refused", child_st == EPERM && version() == 1,
		"status %d, version %u", child_st, version());
}

/* Crashes in a row, faster than a healthy second: after `limit` (5)
 * restarts RS gives up and says so. First a healthy second, so the
 * crashes before do not count. */
static void crash_loop(void)
{
	message m = { 0 };
	int r = OK, crashes = 0;

	sys_sleep(1100);
	while (crashes < 10 && r == OK) {
		endpoint_t old = demo;

		m.m_type = DEMO_CRASH;
		m.u.w[0] = DEMO_CRASH_FAULT;
		if (ipc_send(demo, &m) != OK)
			break;
		crashes++;
		/* Until RS has taken the stop: a new instance, or none. */
		for (int i = 0; i < 1000; i++) {
			r = rs_lookup("demo", &demo);
			if ((r == OK && demo != old) || (r != OK && r != EAGAIN))
				break;
			sys_sleep(5);
		}
	}
	utest_result("rs.crash_loop.limit", r == EDEADSRCDST &&
		crashes == 6 && rs_state("demo", NULL) == RSS_FAILED,
		"gave up after %d crash(es): lookup %d, state %u", crashes, r,
		rs_state("demo", NULL));
}

int main(int argc, char **argv)
{
	uint32_t tests, failed, v = 0, pages0, pages1;
	endpoint_t ds;
	int r;

	(void)argc;
	(void)argv;
	r = rs_wait_booted();
	utest_result("rs.boot.all_ready", r == OK, "RS_BOOTED: %d", r);
	r = rs_find("demo", &demo, 500);
	utest_result("rs.boot.demo", r == OK, "lookup: %d", r);
	r = rs_find("ds", &ds, 500);
	utest_result("rs.boot.ds", r == OK, "lookup: %d", r);
	r = call(DEMO_PUT, 3, 42, NULL);
	if (r == OK)
		r = call(DEMO_GET, 3, 0, &v);
	utest_result("rs.demo.serves", r == OK && v == 42, "r=%d v=%u", r, v);
	utest_result("rs.demo.state", rs_state("demo", NULL) == RSS_RUNNING,
		"state %u", rs_state("demo", NULL));
	pages0 = free_pages();
	refusals();
	crash_under_load("rs.crash.fault", DEMO_CRASH_FAULT);
	crash_under_load("rs.crash.invalid_opcode", DEMO_CRASH_UD);
	crash_under_load("rs.crash.panic", DEMO_CRASH_PANIC);
	crash_under_load("rs.crash.heartbeat", DEMO_CRASH_HANG);
	pages1 = free_pages();
	utest_result("rs.crash.nothing_lost", pages0 != 0 && pages1 == pages0,
		"free pages %u before, %u after", pages0, pages1);
	live_update();
	crash_loop();
	utest_totals(&tests, &failed);
	sys_shutdown(tests, failed);
	return 0;
}
