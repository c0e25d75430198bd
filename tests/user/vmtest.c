/*
 * In-guest tests of the VM server's memory calls and of fork, from user
 * space: every memory type, grants with a peer, partial unmaps, MAP_FIXED,
 * bad arguments, the block cache, running out of memory, and no page
 * leaked at the end. Two roles (argv role=): main drives the boot; peer
 * maps what main's tests grant it. The peer is the boot module right
 * after main, so each finds the other from its own endpoint, wherever the
 * boot image puts them (tests/run.py boots VM, PM, main, peer).
 *
 * This file has the roles and the order of the suite; the tests are in
 * vmtest_mem.c, vmtest_share.c, vmtest_fork.c and vmtest_exec.c (and
 * vmtest_pool.c, which main runs itself), helpers in
 * vmtest_util.c. main forks the whole suite into a child and compares
 * VM's free pages before and after it: a child's address space goes away
 * completely when it exits, so any page still missing then is a leak.
 * Tests that expect a process to be killed run in forked children and
 * read the status that waitpid reports (EFAULT for a bad access, ENOMEM
 * for memory that ran out during a page fault).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "cairn/ipclib.h"
#include "cairn/rslib.h"
#include "cairn/syslib.h"
#include "cairn/urecord.h"
#include "cairn/vmlib.h"
#include "tests/user/vmtest.h"

/* VM_LOOKUPBENCH is the lab's: main (a boot's driver) has the right,
 * within a bound; the suite's process, a fork of main, does not. */
static void test_lookupbench_bounds(void)
{
	struct vm_lookup_times t;

	vt_expect("vm.bench.lookup_at_bound", vm_lookupbench(
		VM_LOOKUPBENCH_MAX, 1, &t), OK);
	vt_expect("vm.bench.lookup_past_bound", vm_lookupbench(
		VM_LOOKUPBENCH_MAX + 1, 1, &t), E2BIG);
	vt_expect("vm.bench.lookup_huge", vm_lookupbench(0xffffffffu, 1, &t),
		E2BIG);
	vt_expect("vm.bench.lookup_zero", vm_lookupbench(0, 1, &t), EINVAL);
}

static void test_lookupbench_forked(void)
{
	struct vm_lookup_times t;

	vt_expect("vm.bench.lookup_not_inherited", vm_lookupbench(1, 1, &t),
		EPERM);
}

/* Every part's tests (vmtest_mem.c, vmtest_share.c, vmtest_fork.c), in
 * one process whose memory goes away when it ends. */
static void suite(void)
{
	uint32_t regions0;

	vt_stack_reserve();
	sys_info(&vt_info);
	printf("vmtest: suite running as %d\n", vt_info.self);
	regions0 = vt_stat1(VMS_REGIONS);
	vt_test_stats();
	vt_test_anon();
	vt_test_contig();
	vt_test_phys();
	vt_test_fixed();
	vt_test_munmap_split();
	vt_test_bad_arguments();
	vt_test_shared();
	vt_test_process_calls();
	vt_test_exec();
	vt_test_cow();
	vt_test_cache();
	test_lookupbench_forked();
	vt_test_oom();
	utest_result("vm.leak.regions", vt_stat1(VMS_REGIONS) == regions0 &&
		!vt_stats_failed, "regions %u at the start, %u at the end "
		"(VM_STATS failed %u times)", regions0, vt_stat1(VMS_REGIONS),
		vt_stats_failed);
}

/* --- the roles -------------------------------------------------------------- */

static int role_main(void)
{
	uint32_t before[VM_STATS_COUNT], after[VM_STATS_COUNT];
	int st = 0x7fffffff, r, pid, counted;
	message m;

	sys_setcpu(SELF, 0);
	sys_info(&vt_info);
	vt_main_ep = vt_info.self;
	vt_peer_ep = make_endpoint(1, endpoint_slot(vt_main_ep) + 1);
	r = ipc_receive(vt_peer_ep, &m);
	utest_result("vmtest.peer_ready", r == OK && m.m_type == VT_READY,
		"peer %d: %d, type 0x%x", vt_peer_ep, r, m.m_type);
	/* VM's own bookkeeping grows to hold every page once, now, so that
	 * it is not counted as a leak at the end. */
	r = vt_in_child(vt_eat_until_killed, NULL, &st);
	utest_result("vmtest.warm_up", r == OK && st == ENOMEM, "a child "
		"used all memory: status %d (ENOMEM %d expected), wait %d", st,
		ENOMEM, r);
	test_lookupbench_bounds();
	counted = vt_stats(before) == OK;
	/* Inside the count: the pool's tests leave nothing behind either. */
	vt_test_pool_main();
	pid = fork();
	if (pid == 0) {
		suite();
		exit(CHILD_OK);
	}
	if (pid < 0) {
		/* Still run every test, for what they can say. */
		printf("vmtest: fork: %d; the suite runs in main\n", pid);
		suite();
		r = pid;
	} else {
		r = waitpid(pid, &st, 0);
	}
	utest_result("vmtest.suite_exit", pid > 0 && r == pid &&
		st == CHILD_OK, "the suite's process (fork %d, wait %d) ended "
		"with status %d", pid, r, st);
	counted = vt_stats(after) == OK && counted;
	utest_result("vm.leak.free_pages", counted &&
		after[VMS_FREE] == before[VMS_FREE], "free pages %u before "
		"the suite, %u after", before[VMS_FREE], after[VMS_FREE]);
	utest_result("vm.leak.cache", counted &&
		after[VMS_CACHED] == before[VMS_CACHED], "cached blocks %u "
		"before, %u after", before[VMS_CACHED], after[VMS_CACHED]);
	uint32_t tests, failed;
	utest_totals(&tests, &failed);
	sys_shutdown(tests, failed);
	return 0;
}

static volatile uint8_t *peer_slot(uint32_t slot)
{
	return (volatile uint8_t *)(PEER_AREA + (slot % PEER_SLOTS) * PEER_SLOT);
}

static int __attribute__((noreturn)) role_peer(void)
{
	message m;

	if (vt_info.cpus > 1)
		sys_setcpu(SELF, vt_info.cpus - 1);
	vt_main_ep = make_endpoint(1, endpoint_slot(vt_info.self) - 1);
	/* A page table for the shared mappings' span, before main counts. */
	void *p = mmap((void *)PEER_AREA, PAGE, PROT_READ | PROT_WRITE,
		MAP_ANON | MAP_FIXED);
	if (p != MAP_FAILED) {
		*(volatile uint8_t *)p = 1;
		munmap(p, PAGE);
	}
	vt_stack_reserve();
	memset(&m, 0, sizeof m);
	m.m_type = VT_READY;
	ipc_send(vt_main_ep, &m);
	for (;;) {
		if (ipc_receive(ANY, &m) != OK)
			continue;
		endpoint_t from = m.m_source;
		volatile uint8_t *at = peer_slot(m.u.w[4]);
		struct vm_mmap req;
		void *got;
		switch (m.m_type) {
		case VT_MAP:
			memset(&req, 0, sizeof req);
			req.addr = (vir_bytes)at;
			req.len = m.u.w[2];
			req.prot = m.u.w[3];
			req.flags = MAP_SHARED | MAP_FIXED;
			req.owner = (endpoint_t)m.u.w[0];
			req.grant = m.u.w[1];
			m.u.w[0] = (uint32_t)vm_mmap(&req, &got);
			m.u.w[1] = m.u.w[0] == OK ? *(volatile uint32_t *)got : 0;
			m.u.w[2] = m.u.w[0] == OK ? (uint32_t)(uintptr_t)got : 0;
			break;
		case VT_READ:
			m.u.w[1] = *(volatile uint32_t *)(at + m.u.w[5]);
			break;
		case VT_WRITE:
			*(volatile uint32_t *)(at + m.u.w[5]) = m.u.w[6];
			break;
		case VT_UNMAP:
			m.u.w[0] = (uint32_t)munmap((void *)at, PEER_SLOT);
			break;
		default:
			m.u.w[0] = (uint32_t)EINVAL;
			break;
		}
		ipc_send(from, &m);
	}
}

static const char *arg(int argc, char **argv, const char *key)
{
	size_t n = strlen(key);

	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], key, n) == 0 && argv[i][n] == '=')
			return argv[i] + n + 1;
	return "";
}

int main(int argc, char **argv, char **envp)
{
	const char *role = arg(argc, argv, "role");

	ipc_init();
	sys_info(&vt_info);
	if (strcmp(role, "main") == 0)	/* measure a settled system */
		rs_wait_booted();
	if (strcmp(role, "main") == 0 &&
	    strcmp(arg(argc, argv, "suite"), "bigmem") == 0)
		return vt_bigmem_main();
	if (strcmp(role, "main") == 0 &&
	    strcmp(arg(argc, argv, "suite"), "lowmem") == 0)
		return vt_lowmem_main();
	if (strcmp(role, "main") == 0)
		return role_main();
	if (strcmp(role, "execd") == 0)
		return vt_execd_main(argc, argv, envp);
	if (strcmp(role, "peer") == 0)
		role_peer();
	printf("vmtest: unknown role '%s'\n", role);
	return 1;
}
