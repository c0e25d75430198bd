/*
 * In-guest tests of processes, IPC, the three kernel entries, scheduling
 * and page faults, from user space. One program, several roles (argv
 * role=...): `main` runs the tests and ends the boot; the others are its
 * peers: an echo server, a process allowed to talk only to VM, PM and
 * main, one that touches memory it has no region for, a random-call
 * fuzzer, and a spinner that never blocks. `exiter` is no boot module:
 * main spawns it through PM, and it exits with its status= argument.
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

static struct sys_info info;

/* Differ per role: the window test reads and writes the server's copies
 * (same program, so the same addresses, in another address space). */
static volatile uint32_t role_tag;
static volatile uint32_t mailbox;

static uint32_t tag_of(const char *role)
{
	uint32_t h = 2166136261u;

	while (*role)
		h = (h ^ (uint8_t)*role++) * 16777619u;
	return h;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Busy for about ms milliseconds of TSC time. */
static void spin_ms(uint32_t ms)
{
	uint64_t end = rdtsc() + (uint64_t)info.tsc_khz * ms;
	while (rdtsc() < end)
		__asm__ volatile("pause");
}

static void clear(message *m, int type)
{
	memset(m, 0, sizeof(*m));
	m->m_type = type;
}

static const char *const entry_names[] = { "int", "sysenter", "syscall" };

/* --- main's tests ---------------------------------------------------------- */

static void test_info(void)
{
	utest_result("user.info", info.self == ut_ep(UT_MAIN) && info.cpus >= 1
		&& (info.entry_mask & 1), "self %d, %u CPUs, entries 0x%x, "
		"best %s", info.self, info.cpus, info.entry_mask,
		entry_names[info.entry_best]);
}

static int echo_ok(void)
{
	message m;

	clear(&m, UT_ECHO);
	for (int i = 0; i < 14; i++)
		m.u.w[i] = 0x1000 * i + 7;
	int r = ipc_sendrec(ut_ep(UT_SERVER), &m);
	if (r != OK || m.m_source != ut_ep(UT_SERVER))
		return 0;
	for (int i = 0; i < 14; i++)
		if (m.u.w[i] != 0x1000u * i + 8)
			return 0;
	return 1;
}

/* Every entry mechanism the CPU has: a null call, a kernel call and an
 * echo round trip through each. */
static void test_entries(void)
{
	for (int e = ENTRY_INT; e <= ENTRY_SYSCALL; e++) {
		char name[40];
		message m;

		if (!(info.entry_mask & (1u << e)))
			continue;
		ipc_set_entry(e);
		clear(&m, 0);
		int null_r = ipc_trap_current(IPC_NULL, NONE, &m);
		struct sys_info again;
		int info_r = sys_info(&again);
		int echo = echo_ok() && echo_ok();
		snprintf(name, sizeof name, "entry.%s", entry_names[e]);
		utest_result(name, null_r == OK && info_r == OK &&
			again.self == info.self && echo, "null %d, info %d, echo %s",
			null_r, info_r, echo ? "ok" : "bad");
	}
	ipc_set_entry(info.entry_best);
}

/* Requests and replies stay paired and in order: every reply is the
 * answer to the request just sent, from the peer it was sent to. */
static void test_order(void)
{
	message m;
	int bad = -1;

	for (uint32_t seq = 1; seq <= 50 && bad < 0; seq++) {
		clear(&m, UT_ECHO);
		m.u.w[0] = seq;
		m.u.w[13] = ~seq;
		if (ipc_sendrec(ut_ep(UT_SERVER), &m) != OK ||
		    m.m_source != ut_ep(UT_SERVER) || m.u.w[0] != seq + 1 ||
		    m.u.w[13] != ~seq + 1)
			bad = (int)seq;
	}
	utest_result("ipc.order_sequence", bad < 0,
		"50 numbered round trips%s", bad < 0 ? " in order" : ", broke");
}

static void expect(const char *name, int got, int want)
{
	utest_result(name, got == want, "returned %d, expected %d", got, want);
}

static void test_bad_input(void)
{
	message m;

	clear(&m, UT_ECHO);
	expect("bad.endpoint_number", ipc_send(make_endpoint(1, 1000), &m),
		EBADEPT);
	expect("bad.endpoint_zero", ipc_send(0, &m), EBADEPT);
	expect("bad.endpoint_stale", ipc_send(make_endpoint(7, UT_SERVER), &m),
		EDEADSRCDST);
	expect("bad.endpoint_any", ipc_send(ANY, &m), EBADSRCDST);
	expect("bad.self_send", ipc_send(info.self, &m), ELOCKED);
	expect("bad.buffer_kernel", ipc_sendrec(ut_ep(UT_SERVER),
		(message *)0xf0100000), EFAULT);
	expect("bad.buffer_null", ipc_sendrec(ut_ep(UT_SERVER), 0), EFAULT);
	expect("bad.buffer_unmapped", ipc_sendrec(ut_ep(UT_SERVER),
		(message *)0x40000000), EFAULT);
	expect("bad.buffer_wraps", ipc_sendrec(ut_ep(UT_SERVER),
		(message *)0xffffffe0), EFAULT);
	expect("bad.receive_buffer", ipc_receive(ANY, (message *)0xf0000000),
		EFAULT);
	expect("bad.operation", ipc_trap_current(99, ut_ep(UT_SERVER), &m),
		EBADCALL);
	clear(&m, 0);
	expect("bad.kcall_denied", kernel_call(SYS_NEWPROC, &m), EPERM);
	clear(&m, 0);
	expect("bad.kcall_fork_denied", kernel_call(SYS_FORK, &m), EPERM);
	clear(&m, 0);
	expect("bad.kcall_unknown", kernel_call(1234, &m), ENOSYS);
	clear(&m, UT_ECHO);
	expect("bad.sendnb_not_waiting", ipc_sendnb(ut_ep(UT_SPINNER), &m),
		ENOTREADY);
	utest_result("bad.kernel_alive", echo_ok(), "echo after bad input");
}

/* Notifications: pending ones coalesce into one. After answering HOLD the
 * server blocks sending to main, so it is not receiving while main
 * notifies it three times. */
static void test_notify(void)
{
	message m;

	clear(&m, UT_QUERY);
	ipc_sendrec(ut_ep(UT_SERVER), &m);	/* reset the server's count */
	clear(&m, UT_HOLD);
	int r = ipc_sendrec(ut_ep(UT_SERVER), &m);
	for (int i = 0; i < 3; i++)
		ipc_notify(ut_ep(UT_SERVER), &m);
	ipc_receive(ut_ep(UT_SERVER), &m);	/* releases the server */
	clear(&m, UT_QUERY);
	ipc_sendrec(ut_ep(UT_SERVER), &m);
	utest_result("ipc.notify_coalesce", r == OK && m.u.w[0] == 1,
		"3 notifications while busy arrived as %u", m.u.w[0]);
	utest_result("ipc.cross_cpu", info.cpus < 2 || m.u.w[1] != info.cpu,
		"main on cpu %u, server on cpu %u", info.cpu, m.u.w[1]);
}

/* The RECEIVE half of a SENDREC waits for the reply: a notification
 * from the peer, sent while main waits there or pending when main makes
 * the call, stays pending for the next RECEIVE. */
static void test_sendrec_vs_notify(void)
{
	message m;

	clear(&m, UT_NOTE_FIRST);
	int r1 = ipc_sendrec(ut_ep(UT_SERVER), &m);
	int first = m.m_type;
	int echo = echo_ok();	/* the notification is pending now */
	clear(&m, 0);
	int r2 = ipc_receive(ut_ep(UT_SERVER), &m);
	utest_result("ipc.sendrec_waits_for_reply", r1 == OK &&
		first == UT_NOTE_FIRST && echo && r2 == OK &&
		m.m_type == NOTIFY_MESSAGE && m.m_source == ut_ep(UT_SERVER),
		"reply type 0x%x (%d), echo %s, then 0x%x from %d (%d)", first,
		r1, echo ? "ok" : "bad", m.m_type, m.m_source, r2);
}

/* The restricted role blocks sending its report to main; main sending to
 * it now would close a cycle. */
static void test_deadlock_and_report(void)
{
	message m;

	spin_ms(5);
	clear(&m, UT_ECHO);
	expect("ipc.deadlock_detected", ipc_send(ut_ep(UT_RESTRICTED), &m),
		ELOCKED);
	int r = ipc_receive(ut_ep(UT_RESTRICTED), &m);
	utest_result("ipc.receive_specific", r == OK && m.m_type == UT_REPORT &&
		m.m_source == ut_ep(UT_RESTRICTED), "type 0x%x from %d",
		m.m_type, m.m_source);
	/* Only the driver sends records: the restricted role's own check
	 * comes in its report. */
	utest_result("priv.ipc_target_denied", r == OK &&
		m.m_type == UT_REPORT && m.u.w[1] == 0, "send to a target not "
		"allowed: %d", r == OK ? (int)m.u.w[2] : r);
	m.m_type = UT_ECHO;
	ipc_send(ut_ep(UT_RESTRICTED), &m);	/* let it finish */
}

/* An unmapped page must be gone from the TLB of every CPU that has the
 * address space loaded: the server, idle on its own CPU while VM unmaps
 * its page, must then see a fresh zero page, not the old frame. */
static void test_shootdown(void)
{
	message m;

	clear(&m, UT_TLBTEST);
	int r = ipc_sendrec(ut_ep(UT_SERVER), &m);
	utest_result("tlb.shootdown_unmapped", r == OK && m.u.w[0] == 0,
		"server on cpu %u read 0x%02x after unmap and regrow (main on "
		"cpu %u)", m.u.w[1], m.u.w[0], info.cpu);
}

/* Even the driver, which may copy to and from other processes, never
 * reaches VM's space (it maps all of physical memory): EPERM. Ranges that
 * wrap are EINVAL, ranges in the kernel EFAULT, on either side. */
static void test_window_limits(void)
{
	uint32_t word = 0x1234;
	vir_bytes w = (vir_bytes)&word;
	endpoint_t srv = ut_ep(UT_SERVER);

	expect("window.vm_read_denied", sys_vircopy(VM_ENDPOINT, 0x1000,
		SELF, w, 4), EPERM);
	expect("window.vm_write_denied", sys_vircopy(SELF, w, VM_ENDPOINT,
		0x1000, 4), EPERM);
	expect("window.wrap_other", sys_vircopy(srv, 0xfffffffeu, SELF, w,
		4), EINVAL);
	expect("window.wrap_mine", sys_vircopy(SELF, 0xfffffff0u, srv,
		(vir_bytes)&mailbox, 0x20), EINVAL);
	expect("window.kernel_other", sys_vircopy(srv, 0xF0001000u, SELF, w,
		4), EFAULT);
	expect("window.kernel_mine", sys_vircopy(SELF, 0xF0001000u, srv,
		(vir_bytes)&mailbox, 4), EFAULT);
	expect("window.into_kernel", sys_vircopy(SELF, w, srv,
		0xEFFFFFFEu, 4), EFAULT);
	expect("diag.wrap", sys_diagprint((const char *)0xfffffc00u, 0x800,
		0), EINVAL);
	expect("diag.kernel", sys_diagprint((const char *)0xF0000000u, 16,
		0), EFAULT);
	/* The driver may send records, but never the kernel's own kinds. */
	static const char forged[] = "CAIRN panic cpu=0 msg=x #00000000\n";
	expect("diag.record_kernel_type", sys_diagprint(forged,
		sizeof forged - 1, DIAG_RECORD), EPERM);
}

/* The kernel reaches another process's memory through a window. */
static void test_window_copy(void)
{
	uint32_t seen = 0, value = 0x5eed0000 | info.cpu;
	message m;

	int r = sys_vircopy(ut_ep(UT_SERVER), (vir_bytes)&role_tag, SELF,
		(vir_bytes)&seen, sizeof seen);
	utest_result("window.read_other", r == OK &&
		seen == tag_of("server") && role_tag == tag_of("main"),
		"read the server's tag 0x%08x (%d)", seen, r);
	r = sys_vircopy(SELF, (vir_bytes)&value, ut_ep(UT_SERVER),
		(vir_bytes)&mailbox, sizeof value);
	clear(&m, UT_QUERY);
	ipc_sendrec(ut_ep(UT_SERVER), &m);
	utest_result("window.write_other", r == OK && m.u.w[2] == value &&
		mailbox == 0, "server's mailbox now 0x%08x (%d)", m.u.w[2], r);
	expect("window.unmapped", sys_vircopy(ut_ep(UT_SERVER), 0x40000000,
		SELF, (vir_bytes)&seen, 4), EFAULT);
	expect("window.kernel_address", sys_vircopy(ut_ep(UT_SERVER),
		0xf0001000, SELF, (vir_bytes)&seen, 4), EFAULT);
	expect("window.both_self", sys_vircopy(SELF, (vir_bytes)&seen, SELF,
		(vir_bytes)&value, 4), EINVAL);
	expect("window.bad_endpoint", sys_vircopy(make_endpoint(3, 99),
		(vir_bytes)&seen, SELF, (vir_bytes)&value, 4), EBADEPT);
}

static void test_killed(void)
{
	message m;
	int r = ENOTREADY;

	for (int i = 0; i < 200 && r == ENOTREADY; i++) {
		clear(&m, UT_ECHO);
		r = ipc_sendnb(ut_ep(UT_CRASHER), &m);
		if (r == ENOTREADY)
			spin_ms(5);
	}
	utest_result("proc.killed_bad_access", r == EDEADSRCDST && echo_ok(),
		"crasher gone (%d), the rest runs on", r);
}

/* --- processes: fork, exit, wait, kill and spawn through PM --------------- */

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

static void test_processes(void)
{
	test_pids();
	test_fork();
	test_kill();
	test_orphan();
	test_killed_child("proc.killed_bad_access_status", 0);
	test_killed_child("proc.killed_bad_instruction_status", 1);
	test_spawn();
}

static void test_preemption(void)
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

static void test_fuzz_result(void)
{
	message m;

	for (;;) {
		if (ipc_receive(ut_ep(UT_FUZZER), &m) != OK)
			break;
		if (m.m_type == UT_REPORT)
			break;
	}
	utest_result("fuzz.survived", m.m_type == UT_REPORT && m.u.w[1] == 0,
		"%u random calls, seed %u, kernel and VM up", m.u.w[0],
		m.u.w[2]);
	m.m_type = UT_ECHO;
	ipc_send(ut_ep(UT_FUZZER), &m);
}

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

/* --- the peers ---------------------------------------------------------------- */

/* Touches a fresh heap page, gives it back to VM and takes a page at the
 * same address again: returns its first byte (0 unless a stale TLB entry
 * still reaches the old frame). */
static uint32_t regrow_page(void)
{
	uintptr_t cur = (uintptr_t)sbrk(0);
	uintptr_t pad = (4096 - cur % 4096) % 4096;
	volatile uint8_t *page = (uint8_t *)(cur + pad);

	if (sbrk(pad + 4096) == (void *)-1)
		return 0xee;
	page[0] = 0x5a;
	sbrk(-4096);
	sbrk(4096);
	return page[0];
}

static int __attribute__((noreturn)) role_server(void)
{
	message m;
	uint32_t notes = 0;

	if (info.cpus > 1)
		sys_setcpu(SELF, info.cpus - 1);
	sys_info(&info);
	for (;;) {
		if (ipc_receive(ANY, &m) != OK)
			continue;
		endpoint_t from = m.m_source;
		switch (m.m_type) {
		case NOTIFY_MESSAGE:
			if (from == ut_ep(UT_MAIN))
				notes++;
			continue;
		case UT_ECHO:
			for (int i = 0; i < 14; i++)
				m.u.w[i]++;
			break;
		case UT_HOLD:
			ipc_send(from, &m);	/* the answer */
			ipc_send(from, &m);	/* blocks until main takes it */
			continue;
		case UT_NOTE_FIRST:
			ipc_notify(from, &m);	/* from waits for the reply */
			break;
		case UT_TLBTEST:
			m.u.w[0] = regrow_page();
			m.u.w[1] = info.cpu;
			break;
		case UT_QUERY:
			m.u.w[0] = notes;
			m.u.w[1] = info.cpu;
			m.u.w[2] = mailbox;
			notes = 0;
			break;
		default:
			m.m_type = EINVAL;
			break;
		}
		ipc_sendnb(from, &m);
	}
}

static int __attribute__((noreturn)) role_restricted(void)
{
	message m;
	uint32_t failed = 0;

	clear(&m, UT_ECHO);
	int r = ipc_send(ut_ep(UT_SERVER), &m);
	failed += r != ECALLDENIED;
	clear(&m, UT_REPORT);
	m.u.w[0] = 1;
	m.u.w[1] = failed;
	m.u.w[2] = (uint32_t)r;
	ipc_send(ut_ep(UT_MAIN), &m);		/* main takes it late */
	ipc_receive(ut_ep(UT_MAIN), &m);
	for (;;)
		ipc_receive(ut_ep(UT_MAIN), &m);
}

static int role_crasher(void)
{
	spin_ms(2);
	*(volatile uint32_t *)0xdead0000 = 1;	/* no region there */
	return 0;
}

static int __attribute__((noreturn)) role_spinner(void)
{
	message m;

	sys_setcpu(SELF, 0);
	for (;;) {
		spin_ms(3);
		ipc_notify(ut_ep(UT_MAIN), &m);
	}
}

/* --- the fuzzer ------------------------------------------------------------------ */

static uint32_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static message fuzz_buf;

static message *fuzz_pointer(void)
{
	static const uintptr_t bad[] = { 0, 0x1000, 0x40000000, 0xdead0000,
		0xeffffff0, 0xf0000000, 0xf0100000, 0xfffffff0, 3 };

	if (rnd() % 2)
		return &fuzz_buf;
	return (message *)bad[rnd() % (sizeof bad / sizeof bad[0])];
}

/* Endpoints no process answers to: every call on them fails at once. */
static endpoint_t fuzz_junk(void)
{
	static const endpoint_t junk[] = { NONE, SELF, 0, -77,
		make_endpoint(1, 1023), make_endpoint(9, UT_SERVER),
		make_endpoint(1, 200), make_endpoint(0, UT_SERVER) };

	return junk[rnd() % (sizeof junk / sizeof junk[0])];
}

/* A target that never leaves the fuzzer blocked for good: the echo server
 * (it always answers), or junk. VM is left out of what may block or
 * deliver a message: a random message could be a forged request. */
static endpoint_t fuzz_endpoint(int op)
{
	switch (rnd() % 4) {
	case 0:
		return op == IPC_NOTIFY ? ut_ep(rnd() % (UT_SPINNER + 1)) :
			ut_ep(UT_SERVER);
	case 1:
		return rnd() % 2 ? ANY : KERNEL;	/* refused for sends */
	default:
		return fuzz_junk();
	}
}

static void fuzz_one(void)
{
	int op = rnd() % 9;

	for (int i = 0; i < 16; i++)
		((uint32_t *)&fuzz_buf)[i] = rnd();
	switch (op) {
	case IPC_SEND:
	case IPC_SENDREC:
	case IPC_SENDNB:
		fuzz_buf.m_type = UT_ECHO;
		ipc_trap_current(op, fuzz_endpoint(op), fuzz_pointer());
		break;
	case IPC_RECEIVE:		/* only from nobody real */
		ipc_trap_current(op, fuzz_junk(), fuzz_pointer());
		break;
	case IPC_KERNCALL:
		fuzz_buf.m_type = rnd() % 12;
		if (fuzz_buf.m_type == SYS_DIAGPRINT)
			fuzz_buf.u.diagprint.len = rnd() % 64;
		if (fuzz_buf.m_type == SYS_SETCPU)
			fuzz_buf.u.setcpu.ep = SELF;
		ipc_trap_current(op, KERNEL, fuzz_pointer());
		break;
	default:			/* NOTIFY, NULL, bad operations */
		ipc_trap_current(op, fuzz_endpoint(op), fuzz_pointer());
		break;
	}
}

static int __attribute__((noreturn)) role_fuzzer(uint32_t seed, uint32_t count)
{
	message m;

	rng = seed ? seed : 1;
	printf("fuzz: %u random IPC and kernel calls, seed %u\n", count, seed);
	for (uint32_t i = 0; i < count; i++) {
		int e = rnd() % 3;
		ipc_set_entry(info.entry_mask & (1u << e) ? e : ENTRY_INT);
		fuzz_one();
	}
	ipc_set_entry(info.entry_best);
	clear(&m, UT_REPORT);
	m.u.w[0] = count;
	m.u.w[1] = 0;
	m.u.w[2] = seed;
	ipc_send(ut_ep(UT_MAIN), &m);
	for (;;)
		ipc_receive(ut_ep(UT_MAIN), &m);
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
	if (strcmp(role, "main") == 0)
		return role_main();
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
