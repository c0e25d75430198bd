/*
 * main's tests of processes through PM (fork, exit, wait, kill, orphans,
 * spawn) and of preemption.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cairn/ipclib.h"
#include "cairn/syslib.h"
#include "cairn/urecord.h"
#include "tests/user/utest.h"

static volatile uint32_t fork_data = 0x5eed;	/* a data page */
static uint32_t fork_bss;			/* a bss page */

static void test_pids(void)
{
	pid_t self = getpid(), parent = getppid();
	int st = -1;

	utest_result("proc.getpid", self == info.self && parent == 0,
		"pid %d (endpoint %d), parent %d", self, info.self, parent);
	expect("proc.wait_no_children", wait(&st), ECHILD);
	expect("proc.wnohang_no_children", waitpid(-1, &st, WNOHANG), ECHILD);
	expect("proc.wait_not_a_child", waitpid(ut_ep(UT_SERVER), &st, 0),
		ECHILD);
	expect("proc.kill_unknown", kill(make_endpoint(9, 200), 1), ESRCH);
}

/* What the child saw, as its exit status: 0x100 plus a bit per check. */
#define FORK_SAW_VALUES	0x1	/* the parent's data, bss, heap, stack */
#define FORK_PARENT	0x2	/* getppid() is the parent */
#define FORK_OWN_PID	0x4	/* getpid() is its own */
#define FORK_ALL	(0x100 | FORK_SAW_VALUES | FORK_PARENT | FORK_OWN_PID)

static void test_fork(void)
{
	volatile uint32_t on_stack = 0x57ac;
	volatile uint32_t *heap = malloc(64);
	int status = -1;

	if (heap == NULL) {
		utest_result("proc.fork", 0, "no heap");
		return;
	}
	*heap = 0x4ea9;
	fork_data = 0x5eed;
	fork_bss = 0xb55;
	pid_t pid = fork();
	if (pid == 0) {
		int saw = 0x100;

		if (fork_data == 0x5eed && fork_bss == 0xb55 &&
		    *heap == 0x4ea9 && on_stack == 0x57ac)
			saw |= FORK_SAW_VALUES;
		if (getppid() == info.self)
			saw |= FORK_PARENT;
		pid_t own = getpid();
		if (own > 0 && own != info.self)
			saw |= FORK_OWN_PID;
		/* Its own copies: the parent must not see these. */
		fork_data = fork_bss = *heap = on_stack = 0xc41d;
		exit(saw);
	}
	utest_result("proc.fork", pid > 0 && pid != info.self,
		"parent got child pid %d", pid);
	if (pid <= 0)
		return;
	pid_t got = waitpid(pid, &status, 0);
	utest_result("proc.fork_child_exit_status", got == pid &&
		status == FORK_ALL, "waitpid %d, status 0x%x (want 0x%x)", got,
		status, FORK_ALL);
	utest_result("proc.fork_private_memory", fork_data == 0x5eed &&
		fork_bss == 0xb55 && *heap == 0x4ea9 && on_stack == 0x57ac,
		"parent's data 0x%x bss 0x%x heap 0x%x stack 0x%x after the "
		"child wrote 0xc41d", fork_data, fork_bss, *heap, on_stack);
	free((void *)heap);
}

/* A child blocked for good: WNOHANG finds nothing, kill ends it with a
 * status its parent's wait gets. The child may not kill its parent. */
static void test_kill(void)
{
	message m;
	int status = -1;

	pid_t pid = fork();
	if (pid == 0) {
		int r = kill(getppid(), 9);

		for (;;) {		/* main kills us */
			clear(&m, UT_REPORT);
			m.u.w[0] = (uint32_t)r;
			ipc_send(ut_ep(UT_MAIN), &m);
			ipc_receive(ut_ep(UT_MAIN), &m);
		}
	}
	if (pid <= 0) {
		utest_result("proc.kill_child", 0, "fork: %d", pid);
		return;
	}
	clear(&m, 0);
	int rr = ipc_receive(pid, &m);	/* it is up and has tried */
	int none = waitpid(pid, &status, WNOHANG);
	utest_result("proc.wnohang_nothing_yet", none == 0,
		"waitpid(WNOHANG) of a live child: %d", none);
	utest_result("proc.kill_parent_denied", rr == OK &&
		(int)m.u.w[0] == EPERM, "the child's kill of its parent: %d "
		"(%d)", (int)m.u.w[0], rr);
	int r = kill(pid, 77);
	pid_t got = waitpid(-1, &status, 0);
	utest_result("proc.kill_child", r == OK && got == pid && status == 77,
		"kill %d, wait %d status %d", r, got, status);
	expect("proc.kill_gone", kill(pid, 1), ESRCH);
}

/* A child's own child outlives it: it loses its parent (getppid 0) and
 * nobody waits for it. The child exits with the grandchild's pid. */
static void test_orphan(void)
{
	message m;
	int status = -1;

	pid_t pid = fork();
	if (pid == 0) {
		pid_t g = fork();
		if (g == 0) {
			clear(&m, 0);
			ipc_receive(ut_ep(UT_MAIN), &m);	/* UT_GO */
			clear(&m, UT_REPORT);
			m.u.w[0] = (uint32_t)getppid();
			ipc_send(ut_ep(UT_MAIN), &m);
			exit(0);
		}
		exit(g);
	}
	pid_t got = waitpid(pid, &status, 0);
	pid_t grandchild = status;
	clear(&m, UT_GO);
	int r = grandchild > 0 ? ipc_sendrec(grandchild, &m) : grandchild;
	utest_result("proc.orphan", got == pid && r == OK &&
		m.m_type == UT_REPORT && m.u.w[0] == 0,
		"child %d exited, its child %d says its parent is %d (%d)",
		got, grandchild, (int)m.u.w[0], r);
	expect("proc.orphan_not_ours", waitpid(grandchild, &status, WNOHANG),
		ECHILD);
}

/* Children the kernel or VM kill: their parent's wait says EFAULT. */
static void test_killed_child(const char *name, int bad_instruction)
{
	int status = -1;

	pid_t pid = fork();
	if (pid == 0) {
		spin_ms(2);		/* the parent is waiting by now */
		if (bad_instruction)
			__asm__ volatile("ud2");
		*(volatile uint32_t *)0xdead0000 = 1;	/* no region */
		exit(0);
	}
	pid_t got = waitpid(pid, &status, 0);
	utest_result(name, pid > 0 && got == pid && status == EFAULT,
		"child %d: wait %d, status %d", pid, got, status);
}

static void test_spawn(void)
{
	int status = -1;

	pid_t pid = spawn("utest role=exiter status=23");
	pid_t got = waitpid(pid, &status, 0);
	utest_result("proc.spawn", pid > 0 && got == pid && status == 23,
		"spawned %d, wait %d, status %d", pid, got, status);
	expect("proc.spawn_unknown", spawn("nosuchprog role=x"), ENOENT);
	expect("proc.spawn_pm", spawn("pm"), EPERM);
	expect("proc.spawn_too_long", spawn("utest role=exiter status=1 "
		"xxxxxxxxxxxxxxxxxxxxxxxxx"), EINVAL);
}

void test_processes(void)
{
	test_pids();
	test_fork();
	test_kill();
	test_orphan();
	test_killed_child("proc.killed_bad_access_status", 0);
	test_killed_child("proc.killed_bad_instruction_status", 1);
	test_spawn();
}

void test_preemption(void)
{
	message m;
	int ticks = 0;

	/* The spinner shares main's CPU and never blocks: only preemption
	 * lets both run. */
	for (int i = 0; i < 100 && ticks < 2; i++) {
		spin_ms(2);
		clear(&m, 0);
		if (ipc_receive(ut_ep(UT_SPINNER), &m) == OK &&
		    m.m_type == NOTIFY_MESSAGE)
			ticks++;
	}
	utest_result("sched.preemption", ticks >= 2,
		"spinner and main both ran: %d spinner ticks seen", ticks);
}
