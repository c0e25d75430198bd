/*
 * vmtest: processes and their memory: the process manager's calls that
 * the other tests rely on, copy on write between a parent and its child
 * and over three generations, and running out of memory (MAP_PREALLOC
 * until ENOMEM, forgetting cached blocks on the way; a child touching
 * memory until it is killed), with every page back afterwards.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "cairn/ipclib.h"
#include "cairn/syslib.h"
#include "cairn/urecord.h"
#include "cairn/vmlib.h"
#include "tests/user/vmtest.h"

#define ID_FORGET	0x2000	/* + i: the blocks VM is to forget */
#define FORGET_BLOCKS	8
#define FORGET_PAGES	4
#define OOM_CHUNK	MIB	/* MAP_PREALLOC steps toward ENOMEM */
#define OOM_MAX_CHUNKS	1024
#define EAT_STEP	(4 * MIB)

static int child_pids(void *arg)
{
	int parent = *(int *)arg;

	return getppid() == parent && getpid() != parent ? getpid() : -999;
}

void vt_test_process_calls(void)
{
	struct sys_info self;
	int me, st, r, pid;
	message m;

	sys_info(&self);
	me = getpid();
	utest_result("proc.getpid", me == self.self, "getpid %d, endpoint %d",
		me, self.self);
	pid = fork();
	if (pid == 0)
		exit(child_pids(&me));
	r = pid > 0 ? waitpid(pid, &st, 0) : pid;
	utest_result("proc.fork_pids", pid > 0 && r == pid && st == pid,
		"fork gave %d, the child saw its pid %d and its parent (%d "
		"expected); waitpid %d", pid, st, me, r);

	pid = fork();
	if (pid == 0)
		for (;;)
			ipc_receive(ANY, &m);
	r = pid > 0 ? waitpid(pid, &st, WNOHANG) : pid;
	vt_expect("proc.wait_nohang", r, 0);
	r = pid > 0 ? kill(pid, 42) : pid;
	vt_expect("proc.kill", r, OK);
	r = pid > 0 ? waitpid(pid, &st, 0) : pid;
	utest_result("proc.kill_status", r == pid && st == 42,
		"waitpid %d (child %d), status %d (42 expected)", r, pid, st);
	vt_expect("proc.wait_not_child", waitpid(vt_peer_ep, &st, 0), ECHILD);
}

/* Copy on write between a parent and its child: three pages, two written
 * before the fork, one never touched. */
static volatile uint32_t *cow;
static int cow_parent;

static int cow_child(void *arg)
{
	message m;

	(void)arg;
	if (ipc_receive(cow_parent, &m) != OK)	/* the parent wrote */
		return 31;
	if (cow[0] != 0xa0 || cow[1024] != 0xa1 || cow[2048] != 0)
		return 32;
	cow[1024] = 0xb1;
	cow[2048] = 0xb2;
	if (cow[1024] != 0xb1 || cow[2048] != 0xb2 || cow[0] != 0xa0)
		return 33;
	return CHILD_OK;
}

static volatile uint32_t *gen;

static int generation2(void *arg)
{
	(void)arg;
	if (gen[0] != 101 || gen[1] != 201 || gen[2] != 0)
		return 21;
	gen[0] = 102;
	gen[1] = 202;
	gen[2] = 302;
	return gen[0] == 102 && gen[1] == 202 && gen[2] == 302 ? CHILD_OK : 22;
}

static int generation1(void *arg)
{
	int st, r;

	(void)arg;
	if (gen[0] != 100 || gen[1] != 0 || gen[2] != 0)
		return 11;
	gen[0] = 101;
	gen[1] = 201;
	r = vt_in_child(generation2, NULL, &st);
	if (r != OK)
		return 12;
	if (st != CHILD_OK)
		return st;
	return gen[0] == 101 && gen[1] == 201 && gen[2] == 0 ? CHILD_OK : 13;
}

void vt_test_cow(void)
{
	int pid, st = 0x7fffffff, r;
	message m;

	cow = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	if (cow == MAP_FAILED) {
		vt_expect("vm.cow.parent_write_private", vm_errno, OK);
		return;
	}
	cow[0] = 0xa0;
	cow[1024] = 0xa1;
	cow_parent = getpid();
	pid = fork();
	if (pid == 0)
		exit(cow_child(NULL));
	if (pid > 0) {
		cow[0] = 0xc0;		/* before the child looks */
		memset(&m, 0, sizeof m);
		r = ipc_send(pid, &m);
		r = r == OK ? waitpid(pid, &st, 0) : r;
	} else {
		r = pid;
	}
	utest_result("vm.cow.parent_write_private", r == pid && st == CHILD_OK,
		"child status %d (31: no message, 32: saw 0x%x's write or lost "
		"a page, 33: its own writes), wait %d", st, cow_parent, r);
	utest_result("vm.cow.child_write_private", cow[0] == 0xc0 &&
		cow[1024] == 0xa1 && cow[2048] == 0, "the parent reads 0x%x "
		"0x%x 0x%x (0xc0 0xa1 0 expected)", cow[0], cow[1024],
		cow[2048]);
	munmap((void *)cow, 3 * PAGE);

	gen = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	if (gen == MAP_FAILED) {
		vt_expect("vm.cow.three_generations", vm_errno, OK);
		return;
	}
	gen[0] = 100;
	r = vt_in_child(generation1, NULL, &st);
	utest_result("vm.cow.three_generations", r == OK && st == CHILD_OK &&
		gen[0] == 100 && gen[1] == 0 && gen[2] == 0, "child status %d "
		"(11-13: the child, 21-22: the grandchild saw wrong values), "
		"the parent reads %u %u %u", st, gen[0], gen[1], gen[2]);
	munmap((void *)gen, PAGE);
}

static void *chunks[OOM_MAX_CHUNKS];
static uint32_t chunk_len[OOM_MAX_CHUNKS];

/* In a child of its own, so that nothing it leaves (page tables of the
 * chunks' addresses) outlives it: cache blocks, then MAP_PREALLOC chunks
 * until VM says ENOMEM, forgetting the blocks on the way. */
static int oom_prealloc(void *arg)
{
	uint32_t forgot0, forgot1, n = 0, ok = 0, gone = 0, bad = 0;
	uint32_t blk = FORGET_PAGES * PAGE, mib = 0, pages = 0;
	uint32_t step = OOM_CHUNK;
	int last = OK, alive;
	void *got;

	(void)arg;
	vt_stack_reserve();
	memset(chunks, 0, sizeof chunks);
	memset(chunk_len, 0, sizeof chunk_len);
	for (uint32_t i = 0; i < FORGET_BLOCKS; i++) {
		uint8_t *b = mmap(NULL, blk, PROT_READ | PROT_WRITE, MAP_ANON);
		if (b == MAP_FAILED)
			continue;
		vt_fill(b, blk, ID_FORGET + i);
		vm_cache_yield(b, blk, ID_FORGET + i, 0, NULL, NULL);
		munmap(b, blk);
	}
	forgot0 = vt_stat1(VMS_FORGOTTEN);
	/* MiB steps, then single pages to the very last one (taking the
	 * cached blocks' pages too). */
	while (n < OOM_MAX_CHUNKS) {
		void *c = mmap(NULL, step, PROT_READ | PROT_WRITE,
			MAP_ANON | MAP_PREALLOC);
		if (c == MAP_FAILED) {
			last = vm_errno;
			if (last != ENOMEM || step == PAGE)
				break;
			step = PAGE;
			continue;
		}
		chunks[n] = c;
		chunk_len[n++] = step;
		if (step == PAGE)
			pages++;
		else
			mib++;
	}
	alive = vt_stat1(VMS_TOTAL) > 0;
	for (uint32_t i = 0; i < n; i++)
		munmap(chunks[i], chunk_len[i]);
	utest_result("vm.oom.prealloc_enomem", last == ENOMEM && mib > 0,
		"%u MiB and %u pages preallocated, then %d (ENOMEM expected)",
		mib, pages, last);
	utest_result("vm.oom.vm_alive", alive, "VM answered at the limit");
	forgot1 = vt_stat1(VMS_FORGOTTEN);
	utest_result("vm.cache.forgotten_counted", forgot1 > forgot0,
		"forgotten blocks %u before, %u after", forgot0, forgot1);
	for (uint32_t i = 0; i < FORGET_BLOCKS; i++) {
		int r = vm_cache_get(NULL, blk, ID_FORGET + i, &got);
		if (r == ENOENT) {
			gone++;
		} else if (r == OK && vt_filled(got, blk, ID_FORGET + i)) {
			ok++;
			munmap(got, blk);
		} else {
			bad++;
			if (r == OK)
				munmap(got, blk);
		}
	}
	utest_result("vm.cache.forgotten_enoent", bad == 0 &&
		gone == forgot1 - forgot0 && ok + gone == FORGET_BLOCKS,
		"of %u blocks %u came back intact, %u gave ENOENT, %u neither; "
		"%u counted forgotten", FORGET_BLOCKS, ok, gone, bad,
		forgot1 - forgot0);
	return CHILD_OK;
}

/* Touches fresh anonymous memory until VM cannot give a page. */
int vt_eat_until_killed(void *arg)
{
	(void)arg;
	for (;;) {
		uint8_t *p = mmap(NULL, EAT_STEP, PROT_READ | PROT_WRITE,
			MAP_ANON);
		if (p == MAP_FAILED)
			return CHILD_NO_LAZY;
		for (uint32_t off = 0; off < EAT_STEP; off += PAGE)
			p[off] = 1;
	}
}

void vt_test_oom(void)
{
	uint32_t free0 = vt_stat1(VMS_FREE), free1;
	int st, r;

	r = vt_in_child(oom_prealloc, NULL, &st);
	utest_result("vm.oom.prealloc_survives", r == OK && st == CHILD_OK,
		"the process that met ENOMEM exited with %d (wait %d)", st, r);
	r = vt_in_child(vt_eat_until_killed, NULL, &st);
	utest_result("vm.oom.fault_kills_enomem", r == OK && st == ENOMEM,
		"a child touching memory until none was left: status %d "
		"(ENOMEM %d expected; %d: VM refused a lazy mapping), wait %d",
		st, ENOMEM, CHILD_NO_LAZY, r);
	free1 = vt_stat1(VMS_FREE);
	utest_result("vm.oom.pages_back", free1 == free0 && !vt_stats_failed,
		"free pages %u before, %u after both children (VM_STATS "
		"failed %u times)", free0, free1, vt_stats_failed);
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	utest_result("vm.oom.vm_serves", vt_stat1(VMS_TOTAL) > 0 &&
		p != MAP_FAILED, "a new mapping after running out (%d)",
		vm_errno);
	if (p != MAP_FAILED)
		munmap(p, PAGE);
}
