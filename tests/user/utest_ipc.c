/*
 * main's tests of the kernel from user space: sys_info, the three entries,
 * IPC order and notifications, bad input, deadlock detection, window
 * copies and their limits, TLB shootdown, a killed peer.
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

void test_info(void)
{
	utest_result("user.info", info.self == ut_ep(UT_MAIN) && info.cpus >= 1
		&& (info.entry_mask & 1), "self %d, %u CPUs, entries 0x%x, "
		"best %s", info.self, info.cpus, info.entry_mask,
		entry_names[info.entry_best]);
}

/* Every entry mechanism the CPU has: a null call, a kernel call and an
 * echo round trip through each. */
void test_entries(void)
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
void test_order(void)
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

void test_bad_input(void)
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
void test_notify(void)
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
void test_sendrec_vs_notify(void)
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
void test_deadlock_and_report(void)
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
void test_shootdown(void)
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
void test_window_limits(void)
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
void test_window_copy(void)
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

/* A process that touches memory it has no region for is killed alone:
 * its endpoint is dead, its parent sees EFAULT, the rest runs on. */
void test_killed(void)
{
	pid_t crasher = spawn("utest role=crasher");
	int r = ENOTREADY, status = 0;
	message m;

	for (int i = 0; crasher > 0 && i < 200 && r == ENOTREADY; i++) {
		clear(&m, UT_ECHO);
		r = ipc_sendnb(crasher, &m);
		if (r == ENOTREADY)
			spin_ms(5);
	}
	pid_t got = crasher > 0 ? waitpid(crasher, &status, 0) : -1;
	utest_result("proc.killed_bad_access", (r == EDEADSRCDST ||
		r == EBADEPT) && got == crasher && status == EFAULT &&
		echo_ok(), "crasher %d gone (%d), wait %d status %d, the rest "
		"runs on", crasher, r, got, status);
}
