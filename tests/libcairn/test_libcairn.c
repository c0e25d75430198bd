/*
 * libcairn end to end, before a Cairn kernel exists: this program is linked
 * like any user program (crt0, libcairn.a, lib/user.ld) but with the fake
 * kernel of linux_kernel.c, and runs as a 32-bit Linux process. It prints
 * "PASS libcairn.<case>" / "FAIL libcairn.<case>: why" lines like the
 * host tests; its last case ends the process through a failed assert.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "cairn/ipclib.h"
#include "cairn/syslib.h"
#include "cairn/vmlib.h"
#include "cairn/urecord.h"
#include "kernel/lib/crc32.h"
#include "bench/user/urunner.h"
#include "tests/libcairn/linux_kernel.h"

static char why[160];		/* the first failed check of the case */

#define CHECK(cond)							\
	do {								\
		if (!(cond) && !why[0])					\
			snprintf(why, sizeof why, "line %d: %s",	\
				__LINE__, #cond);			\
	} while (0)

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int contains(const char *s, const char *part)
{
	for (; *s; s++)
		if (starts_with(s, part))
			return 1;
	return 0;
}

static uint32_t hex8(const char *s)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++, s++)
		v = v << 4 | (uint32_t)(*s <= '9' ? *s - '0' : *s - 'a' + 10);
	return v;
}

static int main_argc;
static char **main_argv;
static uintptr_t main_frame;	/* where main's first argument is */

static void run(const char *name, void (*fn)(void))
{
	why[0] = '\0';
	fn();
	fake_capture(0);
	if (why[0])
		fake.failures++;
	printf("%s libcairn.%s%s%s\n", why[0] ? "FAIL" : "PASS", name,
		why[0] ? ": " : "", why);
}

/* crt0 passed Linux's argc/argv (the same stack layout as Cairn's), kept
 * the stack 16-byte aligned, and ran ipc_init first. */
static void test_startup(void)
{
	CHECK(main_argc >= 1);
	CHECK(main_argv[0] != NULL);
	CHECK(main_argv[main_argc] == NULL);
	CHECK(main_frame % 16 == 0);	/* the ABI: 16 at the call */
	CHECK(ipc_sysinfo()->self == FAKE_SELF);
	CHECK(ipc_sysinfo()->tsc_khz == 2000000);
	CHECK(ipc_entry() == ENTRY_SYSENTER);	/* the fake's entry_best */
	CHECK(fake.traps[ENTRY_INT] >= 1);	/* SYS_INFO went by int */
	CHECK(ipc_trap_current == ipc_trap_sysenter);
}

static void test_entry_switch(void)
{
	message m = { 0 };
	uint32_t before = fake.traps[ENTRY_INT];

	CHECK(ipc_set_entry(ENTRY_SYSCALL) == EINVAL);	/* not offered */
	CHECK(ipc_set_entry(-1) == EINVAL);
	CHECK(ipc_set_entry(3) == EINVAL);
	CHECK(ipc_entry() == ENTRY_SYSENTER);
	CHECK(ipc_set_entry(ENTRY_INT) == OK);
	CHECK(ipc_entry() == ENTRY_INT);
	ipc_send(1, &m);
	CHECK(fake.traps[ENTRY_INT] == before + 1);
	CHECK(ipc_set_entry(ENTRY_SYSENTER) == OK);
	ipc_send(1, &m);
	CHECK(fake.traps[ENTRY_INT] == before + 1);
}

/* Each operation reaches the primitive with its op, peer and buffer. */
static void test_operations(void)
{
	static const struct {
		int (*fn)(endpoint_t, message *);
		int op;
	} ops[] = {
		{ ipc_send, IPC_SEND }, { ipc_receive, IPC_RECEIVE },
		{ ipc_sendrec, IPC_SENDREC }, { ipc_notify, IPC_NOTIFY },
		{ ipc_sendnb, IPC_SENDNB },
	};
	message m = { 0 };

	for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		m.m_type = 100 + (int)i;
		CHECK(ops[i].fn(make_endpoint(4, i), &m) == OK);
		CHECK(fake.op == ops[i].op);
		CHECK(fake.ep == make_endpoint(4, i));
		CHECK(fake.m == &m);
		CHECK(fake.in.m_type == 100 + (int)i);
	}
	CHECK(kernel_call(SYS_SETCPU, &m) == OK);
	CHECK(fake.op == IPC_KERNCALL && fake.ep == KERNEL);
	CHECK(fake.in.m_type == SYS_SETCPU);
	CHECK(kernel_call(99, &m) == ENOSYS);
}

/* The last kernel call's payload, as the kernel got it. */
#define LAST	(fake.in.u)

static void test_syslib_vmctl(void)
{
	struct vmctl_memreq req;
	struct vmctl_physmap range;
	char kinfo[32];
	phys_bytes pgdir = 0;

	CHECK(vmctl_clear_pagefault(42) == OK);
	CHECK(fake.in.m_type == SYS_VMCTL);
	CHECK(LAST.vmctl.op == VMCTL_CLEAR_PAGEFAULT && LAST.vmctl.ep == 42);
	CHECK(vmctl_memreq_get(&req) == OK);
	CHECK(LAST.vmctl.op == VMCTL_MEMREQ_GET);
	CHECK(req.requestor == make_endpoint(2, 9));
	CHECK(req.addr == 0x0804a123 && req.len == 77 && req.write == 1);
	CHECK(vmctl_memreq_reply(43, EFAULT) == OK);
	CHECK(LAST.vmctl.op == VMCTL_MEMREQ_REPLY && LAST.vmctl.ep == 43);
	CHECK(LAST.vmctl.v.memreq_reply.result == EFAULT);
	CHECK(vmctl_set_addrspace(44, 0x123000) == OK);
	CHECK(LAST.vmctl.op == VMCTL_SET_ADDRSPACE && LAST.vmctl.ep == 44);
	CHECK(LAST.vmctl.v.addrspace.pgdir == 0x123000);
	CHECK(vmctl_enable_paging() == OK);
	CHECK(LAST.vmctl.op == VMCTL_ENABLE_PAGING);
	CHECK(vmctl_kern_physmap(0, &range) == OK);
	CHECK(LAST.vmctl.op == VMCTL_KERN_PHYSMAP);
	CHECK(range.phys == 0xfee00000 && range.len == 0x1000);
	CHECK(range.vaddr == 0xffb00000);
	CHECK(range.flags == (KPM_UNCACHED | KPM_WRITABLE));
	CHECK(vmctl_kern_physmap(1, &range) == ESRCH);
	CHECK(vmctl_kern_map_reply(3, 0xffc00000) == OK);
	CHECK(LAST.vmctl.op == VMCTL_KERN_MAP_REPLY);
	CHECK(LAST.vmctl.v.physmap.index == 3);
	CHECK(LAST.vmctl.v.physmap.vaddr == 0xffc00000);
	CHECK(vmctl_invlpg(45, 0x08050000, 3) == OK);
	CHECK(LAST.vmctl.op == VMCTL_INVLPG && LAST.vmctl.ep == 45);
	CHECK(LAST.vmctl.v.invlpg.addr == 0x08050000);
	CHECK(LAST.vmctl.v.invlpg.pages == 3);
	CHECK(vmctl_invlpg_list(49, (const vir_bytes *)kinfo, 5) == OK);
	CHECK(LAST.vmctl.op == VMCTL_INVLPG_LIST && LAST.vmctl.ep == 49);
	CHECK(LAST.vmctl.v.invlpg_list.list == (vir_bytes)kinfo);
	CHECK(LAST.vmctl.v.invlpg_list.count == 5);
	CHECK(vmctl_clear_pagefault_invl(50, 0x0804c000, 2) == OK);
	CHECK(LAST.vmctl.op == VMCTL_CLEAR_PAGEFAULT && LAST.vmctl.ep == 50);
	CHECK(LAST.vmctl.v.clear.addr == 0x0804c000);
	CHECK(LAST.vmctl.v.clear.pages == 2);
	CHECK(vmctl_get_kinfo(kinfo, sizeof kinfo) == OK);
	CHECK(LAST.vmctl.op == VMCTL_GET_KINFO);
	CHECK(LAST.vmctl.v.kinfo.buf == (vir_bytes)kinfo);
	CHECK(LAST.vmctl.v.kinfo.size == sizeof kinfo);
	CHECK(vmctl_get_pgdir(SELF, &pgdir) == OK);
	CHECK(LAST.vmctl.op == VMCTL_GET_PGDIR && LAST.vmctl.ep == SELF);
	CHECK(pgdir == 0x5000);
}

static void test_syslib_calls(void)
{
	struct sys_newproc np = { .pgdir = 0x200000, .entry = 0x08048000,
		.stack = 0xeffff000, .calls = SYS_CALL_BIT(SYS_INFO),
		.cpu = NEWPROC_ANY_CPU, .name = "pm" };
	struct sys_info info;
	phys_bytes phys = 0;
	endpoint_t child = NONE;

	fake_capture(1);		/* for the sys_diagprint below */
	CHECK(sys_info(&info) == OK && info.cpus == 2);
	CHECK(sys_newproc(&np) == OK);
	CHECK(fake.in.m_type == SYS_NEWPROC);
	CHECK(LAST.newproc.pgdir == 0x200000);
	CHECK(LAST.newproc.stack == 0xeffff000);
	CHECK(strcmp(LAST.newproc.name, "pm") == 0);
	CHECK(np.endpoint == make_endpoint(2, 7));
	CHECK(sys_clear(46, -7) == OK);
	CHECK(fake.in.m_type == SYS_CLEAR);
	CHECK(LAST.exit.ep == 46 && LAST.exit.status == -7);
	CHECK(sys_umap(47, 0x08049000, &phys) == OK);
	CHECK(LAST.umap.ep == 47 && phys == 0x08149000);
	CHECK(sys_fork(51, 0x300000, &child) == OK);
	CHECK(fake.in.m_type == SYS_FORK);
	CHECK(LAST.fork.parent == 51 && LAST.fork.pgdir == 0x300000);
	CHECK(child == make_endpoint(2, 8));
	CHECK(sys_setcpu(48, 1) == OK);
	CHECK(LAST.setcpu.ep == 48 && LAST.setcpu.cpu == 1);
	CHECK(sys_shutdown(10, 2) == OK);
	CHECK(fake.in.m_type == SYS_SHUTDOWN);
	CHECK(LAST.shutdown.tests == 10 && LAST.shutdown.failed == 2);
	CHECK(sys_diagprint("xy", 2, 0) == OK);
	CHECK(LAST.diagprint.len == 2 && LAST.diagprint.flags == 0);
}

/* The fake VM answers with status and value[0..5]. */
static void vm_answer(int32_t status, uint32_t v0)
{
	fake.vm_status = status;
	for (int i = 0; i < 6; i++)
		fake.vm_value[i] = v0 + (uint32_t)i;
}

/* The last request to VM, as VM got it. */
#define VMREQ	(fake.in.u)

/* mmap/munmap: the request as VM gets it, the address or MAP_FAILED,
 * and vm_errno. */
static void test_mman(void)
{
	void *p;

	vm_answer(OK, 0x40000000);
	p = mmap((void *)0x30000000, 5000, PROT_READ | PROT_WRITE,
		MAP_ANON | MAP_FIXED);
	CHECK(p == (void *)0x40000000 && vm_errno == OK);
	CHECK(fake.op == IPC_SENDREC && fake.ep == VM_ENDPOINT);
	CHECK(fake.in.m_type == VM_MMAP);
	CHECK(VMREQ.vm_mmap.addr == 0x30000000 && VMREQ.vm_mmap.len == 5000);
	CHECK(VMREQ.vm_mmap.prot == (PROT_READ | PROT_WRITE));
	CHECK(VMREQ.vm_mmap.flags == (MAP_ANON | MAP_FIXED));
	CHECK(VMREQ.vm_mmap.phys == 0 && VMREQ.vm_mmap.align == 0);
	CHECK(VMREQ.vm_mmap.owner == 0 && VMREQ.vm_mmap.grant == 0);
	vm_answer(ENOMEM, 0x40000000);
	p = mmap(NULL, 4096, PROT_READ, MAP_ANON | MAP_PREALLOC);
	CHECK(p == MAP_FAILED && vm_errno == ENOMEM);
	vm_answer(OK, 0);
	CHECK(munmap((void *)0x30001000, 8192) == OK && vm_errno == OK);
	CHECK(fake.in.m_type == VM_MUNMAP);
	CHECK(VMREQ.vm_munmap.addr == 0x30001000);
	CHECK(VMREQ.vm_munmap.len == 8192);
	vm_answer(EINVAL, 0);
	CHECK(munmap((void *)0x30001001, 1) == EINVAL && vm_errno == EINVAL);
}

/* The Cairn calls: each request's payload, results only on OK. */
static void test_vmlib(void)
{
	struct vm_lookup_times t;
	uint32_t id = 7, st[VM_STATS_COUNT];
	void *p = NULL;

	vm_answer(OK, 0x50000000);
	CHECK(vm_mmap_contig(65536, 65536, MAP_LOWER16M, &p) == OK);
	CHECK(p == (void *)0x50000000 && fake.in.m_type == VM_MMAP);
	CHECK(VMREQ.vm_mmap.flags == (MAP_CONTIG | MAP_LOWER16M));
	CHECK(VMREQ.vm_mmap.len == 65536 && VMREQ.vm_mmap.align == 65536);
	CHECK(VMREQ.vm_mmap.prot == (PROT_READ | PROT_WRITE));
	CHECK(vm_mmap_phys(0xb8000, 4096, PROT_READ, MAP_UNCACHED, &p) == OK);
	CHECK(VMREQ.vm_mmap.flags == (MAP_PHYS | MAP_UNCACHED));
	CHECK(VMREQ.vm_mmap.phys == 0xb8000 && VMREQ.vm_mmap.prot == PROT_READ);
	CHECK(vm_mmap_shared(make_endpoint(1, 3), 99, 8192, PROT_READ, &p)
		== OK);
	CHECK(VMREQ.vm_mmap.flags == MAP_SHARED);
	CHECK(VMREQ.vm_mmap.owner == make_endpoint(1, 3));
	CHECK(VMREQ.vm_mmap.grant == 99 && VMREQ.vm_mmap.len == 8192);
	CHECK(vm_grant((void *)0x30000000, 8192, ANY, PROT_WRITE, &id) == OK);
	CHECK(id == 0x50000000 && fake.in.m_type == VM_GRANT);
	CHECK(VMREQ.vm_grant.addr == 0x30000000 && VMREQ.vm_grant.len == 8192);
	CHECK(VMREQ.vm_grant.grantee == ANY);
	CHECK(VMREQ.vm_grant.prot == PROT_WRITE);
	CHECK(vm_revoke(12) == OK && fake.in.m_type == VM_REVOKE);
	CHECK(VMREQ.vm_grant.id == 12);
	p = NULL;
	CHECK(vm_cache_yield((void *)0x30000000, 4096, 5, 0, NULL, &p) == OK);
	CHECK(p == NULL);	/* no get_id: no address */
	CHECK(fake.in.m_type == VM_CACHE_YIELD && VMREQ.vm_cache.id == 5);
	CHECK(VMREQ.vm_cache.addr == 0x30000000 && VMREQ.vm_cache.len == 4096);
	CHECK(VMREQ.vm_cache.get_id == 0 && VMREQ.vm_cache.get_addr == 0);
	CHECK(vm_cache_yield((void *)0x30000000, 4096, 5, 6,
		(void *)0x31000000, &p) == OK);
	CHECK(p == (void *)0x50000000 && VMREQ.vm_cache.get_id == 6);
	CHECK(VMREQ.vm_cache.get_addr == 0x31000000);
	CHECK(vm_cache_get(NULL, 8192, 9, &p) == OK);
	CHECK(fake.in.m_type == VM_CACHE_GET && VMREQ.vm_cache.id == 9);
	CHECK(VMREQ.vm_cache.addr == 0 && VMREQ.vm_cache.len == 8192);
	CHECK(vm_stats(st) == OK && fake.in.m_type == VM_STATS);
	CHECK(st[VMS_FREE] == 0x50000000 && st[VMS_FORGOTTEN] == 0x50000005);
	vm_answer(OK, 10);
	CHECK(vm_lookupbench(256, 3, &t) == OK);
	CHECK(fake.in.m_type == VM_LOOKUPBENCH);
	CHECK(VMREQ.vm_lookupbench.count == 256);
	CHECK(VMREQ.vm_lookupbench.seed == 3);
	CHECK(t.lookups == ((uint64_t)11 << 32 | 10));
	CHECK(t.overhead == ((uint64_t)13 << 32 | 12) && t.hits == 14);
	/* Errors: VM's status comes back, the results stay untouched. */
	vm_answer(ENOENT, 0x60000000);
	p = (void *)1;
	CHECK(vm_cache_get(NULL, 4096, 1, &p) == ENOENT && p == (void *)1);
	id = 3;
	CHECK(vm_grant((void *)0x30000000, 4096, 5, 0, &id) == ENOENT &&
		id == 3);
	st[0] = 1;
	CHECK(vm_stats(st) == ENOENT && st[0] == 1);
	vm_answer(OK, 0);
}

/* The benchmark runner's hooks and failures (bench/user/urunner.c). */
static unsigned hook_setups, hook_count, hook_samples, hook_teardowns;

static int hook_setup(const struct ubench *b, unsigned count)
{
	hook_setups++;
	hook_count = count;
	return b->arg == 1 ? ENOMEM : OK;
}

static uint64_t hook_sample(const struct ubench *b)
{
	if (++hook_samples == 2 && b->arg == 2)
		ubench_fail("the operation", EFAULT);
	return 1000;
}

static void hook_teardown(const struct ubench *b)
{
	(void)b;
	hook_teardowns++;
}

static void hooks_reset(void)
{
	hook_setups = hook_count = hook_samples = hook_teardowns = 0;
}

static void test_urunner(void)
{
	struct ubench b = { .name = "t.run", .desc = "a test", .batch = 4,
		.sample = hook_sample, .setup = hook_setup,
		.teardown = hook_teardown };

	fake_capture(1);
	hooks_reset();
	ubench_run(&b, 1, 3, 2);
	CHECK(hook_setups == 1 && hook_count == 5);
	CHECK(hook_samples == 5 && hook_teardowns == 1);
	CHECK(fake.records == 3);
	CHECK(starts_with(fake.record, "CAIRN benchend name=t.run samples=3 "
		"records=1 warmup=2 #"));

	/* A failed setup: no sample, teardown still, a failed test. */
	hooks_reset();
	b.arg = 1;
	ubench_run(&b, 1, 3, 2);
	CHECK(hook_setups == 1 && hook_samples == 0 && hook_teardowns == 1);
	CHECK(fake.records == 4);
	CHECK(starts_with(fake.record, "CAIRN test name=ubench.t.run "
		"result=fail detail=setup%20failed:%20-12;"));

	/* A sample that fails: sampling stops there, no samples sent. */
	hooks_reset();
	b.arg = 2;
	ubench_run(&b, 1, 3, 2);
	CHECK(hook_samples == 2 && hook_teardowns == 1);
	CHECK(fake.records == 5);
	CHECK(starts_with(fake.record, "CAIRN test name=ubench.t.run "
		"result=fail detail=the%20operation%20failed:%20-14;"));
	CHECK(contains(fake.console, "ubench: t.run: the operation failed: "
		"-14; no samples sent\n"));

	/* No hooks at all, as the Linux peer's benchmarks. */
	hooks_reset();
	b.setup = NULL;
	b.teardown = NULL;
	b.arg = 0;
	ubench_run(&b, 1, 1, 0);
	CHECK(hook_samples == 1 && hook_teardowns == 0);
	CHECK(fake.records == 8);
}

/* Standard output goes out a whole line per sys_diagprint. */
static void test_printf_lines(void)
{
	char big[600];

	fake_capture(1);
	printf("ab");
	CHECK(fake.prints == 0);
	printf("c%d\nde\n", 7);
	CHECK(fake.prints == 2);
	CHECK(fake.print_len[0] == 5 && fake.print_len[1] == 3);
	CHECK(strcmp(fake.console, "abc7\nde\n") == 0);
	fake_capture(1);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	printf("%s\n", big);			/* 600 bytes: 256 + 256 + 88 */
	CHECK(fake.prints == 3);
	CHECK(fake.print_len[0] == 256 && fake.print_len[2] == 88);
	fake_capture(1);
	puts("p");
	putchar('q');
	CHECK(fake.prints == 1);
	stdout_flush();
	CHECK(fake.prints == 2);
	CHECK(strcmp(fake.console, "p\nq") == 0);
}

static void test_snprintf(void)
{
	char buf[8];

	CHECK(snprintf(buf, sizeof buf, "%d-%s", 12, "abcdef") == 9);
	CHECK(strcmp(buf, "12-abcd") == 0);
}

/* A record is the exact line urecord_format makes, sent as a record,
 * after the text printed before it. */
static void test_records(void)
{
	char want[URECORD_MAX];
	int n = urecord_format(want, sizeof want, "bench", "name=%s seq=%d",
		"ipc.x", 3);

	fake_capture(1);
	printf("half a line ");
	CHECK(urecord("bench", "name=%s seq=%d", "ipc.x", 3) == OK);
	CHECK(fake.prints == 1);		/* flushed first */
	CHECK(fake.records == 1);
	CHECK(fake.record_len == (uint32_t)n);
	CHECK(strcmp(fake.record, want) == 0);
	CHECK(starts_with(fake.record, "CAIRN bench name=ipc.x seq=3 #"));
	CHECK(crc32_update(0, fake.record, 28) == hex8(fake.record + 30));
	CHECK(fake.record[38] == '\n' && fake.record_len == 39);
}

static void test_utest(void)
{
	uint32_t tests, failed;

	fake_capture(1);
	utest_result("lib.a", 1, "%s", "");
	utest_result("lib.b", 0, "got %d", 4);
	utest_totals(&tests, &failed);
	CHECK(tests == 2 && failed == 1);
	CHECK(fake.records == 2);
	CHECK(starts_with(fake.record,
		"CAIRN test name=lib.b result=fail detail=got%204 #"));
	CHECK(strcmp(fake.console, "test lib.a: pass\ntest lib.b: FAIL: "
		"got 4\n") == 0);
}

/* Each process call is one SENDREC to PM, its answer unpacked. */
static void test_pm_calls(void)
{
	int status = -1;

	CHECK(fork() == FAKE_CHILD);
	CHECK(fake.op == IPC_SENDREC && fake.ep == PM_ENDPOINT);
	CHECK(fake.in.m_type == PM_FORK);
	CHECK(waitpid(-1, &status, 0) == FAKE_CHILD && status == 42);
	CHECK(fake.in.m_type == PM_WAIT && LAST.pm.a == -1 && LAST.pm.b == 0);
	status = -1;
	CHECK(waitpid(-1, &status, WNOHANG) == 0 && status == -1);
	CHECK(LAST.pm.b == WNOHANG);
	CHECK(waitpid(FAKE_CHILD, NULL, 0) == FAKE_CHILD);
	CHECK(LAST.pm.a == FAKE_CHILD);
	CHECK(wait(&status) == FAKE_CHILD);
	CHECK(waitpid(77, &status, 0) == ECHILD);
	CHECK(getpid() == FAKE_SELF);
	CHECK(fake.in.m_type == PM_GETPID);
	CHECK(getppid() == FAKE_PARENT);
	CHECK(kill(FAKE_CHILD, 9) == OK);
	CHECK(fake.in.m_type == PM_KILL && LAST.pm.a == FAKE_CHILD &&
		LAST.pm.b == 9);
	CHECK(kill(FAKE_SELF, 9) == EPERM);
	CHECK(spawn("prog a=1") == FAKE_CHILD);
	CHECK(fake.in.m_type == PM_SPAWN);
	CHECK(strcmp(LAST.vm_spawn.cmd, "prog a=1") == 0);
	CHECK(spawn("other") == ENOENT);
	fake.op = 0;
	CHECK(spawn("0123456789012345678901234567890123456789012345678")
		== EINVAL);
	CHECK(fake.op == 0);	/* refused before asking PM */
}

extern char _end[];

static void test_heap(void)
{
	uintptr_t start = ((uintptr_t)_end + 4095) & ~(uintptr_t)4095;
	unsigned char *p, *q;

	CHECK((uintptr_t)sbrk(0) == start);
	p = malloc(100000);
	CHECK(p != NULL && (uintptr_t)p >= start);
	CHECK(fake.brk_calls >= 1);
	CHECK(fake.in.m_type == VM_BRK);
	memset(p, 0xab, 100000);		/* really mapped */
	q = calloc(10, 10);
	CHECK(q != NULL && q[0] == 0 && q[99] == 0);
	free(p);
	p = realloc(q, 50000);
	CHECK(p != NULL && p[0] == 0);
	free(p);
	CHECK(sbrk(FAKE_HEAP_MAX) == (void *)-1);	/* VM says ENOMEM */
	CHECK(brk((void *)(start - 4096)) == EINVAL);
	CHECK(malloc(FAKE_HEAP_MAX) == NULL);
	p = malloc(16);				/* still works after */
	CHECK(p != NULL);
	free(p);
}

/* The last case: a failed assert panics, which exits with EXIT_PANIC
 * through PM_EXIT; the fake PM reports it (linux_kernel.c). */
static void test_assert_panics(void)
{
	volatile int two = 2;

	fake_capture(1);
	fake.expect_panic = 1;
	assert(two == 2);
	assert(two == 3);
}

int main(int argc, char **argv)
{
	main_argc = argc;
	main_argv = argv;
	main_frame = (uintptr_t)&argc;
	run("startup", test_startup);
	run("entry_switch", test_entry_switch);
	run("operations", test_operations);
	run("syslib_vmctl", test_syslib_vmctl);
	run("syslib_calls", test_syslib_calls);
	run("mman", test_mman);
	run("vmlib", test_vmlib);
	run("urunner", test_urunner);
	run("printf_lines", test_printf_lines);
	run("snprintf", test_snprintf);
	run("records", test_records);
	run("utest", test_utest);
	run("pm_calls", test_pm_calls);
	run("heap", test_heap);
	test_assert_panics();
	fake_write("FAIL libcairn.assert_panics: assert returned\n");
	return 1;
}
