/*
 * Benchmarks of the VM server and the process manager: a copy-on-write
 * fault with the page still shared and after the sharer exited, mmap and
 * munmap of a page, yielding a page to the block cache and getting it
 * back, fork + exit + wait, and region lookups as a process grows from 1
 * to 100,000 regions (the 100,000 last: they take a while to make).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include "cairn/ipclib.h"
#include "cairn/syslib.h"
#include "cairn/vmlib.h"
#include "bench/user/ubench_vm.h"


#define PAGE		4096u

/* The region-lookup benchmarks' one-page regions: region i at
 * REGION_BASE + 2 * i pages, so that no two touch and VM cannot merge
 * them. 100,000 of them reach 0x40d40000: above the heap, far below the
 * stack. */
#define REGION_BASE	0x10000000u
#define REGION_MAX	100000u
#define LOOKUPS		256	/* per sample */
#define PROGRESS_EVERY	10000u

#define CACHE_ID0	0x00c0c000u	/* vm.cache.*: block ids from here */

/* --- copy on write -------------------------------------------------------------- */

static uint8_t *cow_pages;
static uint32_t cow_next, cow_count;
static int cow_holder;		/* the child that shares the pages, or 0 */

/* count pages, each written (present and private), then forked: with
 * hold the child waits for ever and shares them; without, it exits at
 * once and the pages are this process's alone again, but still mapped
 * read-only for copy on write. */
static int cow_prepare(unsigned count, int hold)
{
	int pid, st;

	cow_count = count;
	cow_next = 0;
	cow_holder = 0;
	cow_pages = mmap(NULL, count * PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	if (cow_pages == MAP_FAILED)
		return vm_errno;
	for (uint32_t i = 0; i < count; i++)
		cow_pages[i * PAGE] = 1;
	pid = fork();
	if (pid == 0) {
		message m;

		if (!hold)
			exit(0);
		for (;;)
			ipc_receive(ANY, &m);
	}
	if (pid < 0)
		return pid;
	if (hold) {
		cow_holder = pid;
		return OK;
	}
	return waitpid(pid, &st, 0) == pid ? OK : ECHILD;
}

static int cow_setup(const struct ubench *b, unsigned count)
{
	(void)b;
	return cow_prepare(count, 1);
}

static int cow_sole_setup(const struct ubench *b, unsigned count)
{
	(void)b;
	return cow_prepare(count, 0);
}

static void cow_teardown(const struct ubench *b)
{
	int st;

	(void)b;
	if (cow_holder > 0) {
		kill(cow_holder, 0);
		waitpid(cow_holder, &st, 0);
		cow_holder = 0;
	}
	if (cow_pages != MAP_FAILED && cow_pages != NULL)
		munmap(cow_pages, cow_count * PAGE);
	cow_pages = NULL;
}

/* One store to the next page (make breakdown OP=cow steps this one). */
static uint64_t cow_fault(const struct ubench *b)
{
	(void)b;
	volatile uint8_t *p = cow_pages + cow_next++ * PAGE;
	uint64_t t0 = bench_begin();
	*p = 2;
	return bench_end() - t0;
}

static uint64_t cow_sole_fault(const struct ubench *b)
{
	(void)b;
	volatile uint8_t *p = cow_pages + cow_next++ * PAGE;
	uint64_t t0 = bench_begin();
	*p = 2;
	return bench_end() - t0;
}

/* --- mappings and the block cache ---------------------------------------------- */

static uint64_t mmap_munmap(const struct ubench *b)
{
	uint64_t t0 = bench_begin();

	for (uint32_t i = 0; i < b->batch; i++) {
		void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
		if (p == MAP_FAILED || munmap(p, PAGE) != OK) {
			ubench_fail("mmap/munmap of a page", vm_errno);
			break;
		}
	}
	return bench_end() - t0;
}

static uint8_t *cache_page;
static uint32_t cache_yielded, cache_got;

static int cache_yield_setup(const struct ubench *b, unsigned count)
{
	(void)b;
	(void)count;
	cache_yielded = cache_got = 0;
	cache_page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	return cache_page == MAP_FAILED ? vm_errno : OK;
}

static void cache_yield_teardown(const struct ubench *b)
{
	(void)b;
	if (cache_page != MAP_FAILED)
		munmap(cache_page, PAGE);
}

/* One touched page into the cache under the next id. */
static uint64_t cache_yield(const struct ubench *b)
{
	(void)b;
	cache_page[0] = (uint8_t)cache_yielded;	/* present again */
	uint64_t t0 = bench_begin();
	int r = vm_cache_yield(cache_page, PAGE, CACHE_ID0 + cache_yielded,
		0, NULL, NULL);
	uint64_t t = bench_end() - t0;
	if (r != OK)
		ubench_fail("VM_CACHE_YIELD", r);
	cache_yielded++;
	return t;
}

/* vm.cache.get takes back, in order, the blocks vm.cache.yield left. */
static int cache_get_setup(const struct ubench *b, unsigned count)
{
	(void)b;
	return cache_yielded >= count ? OK : ENOENT;
}

static uint64_t cache_get(const struct ubench *b)
{
	void *p;

	(void)b;
	uint64_t t0 = bench_begin();
	int r = vm_cache_get(NULL, PAGE, CACHE_ID0 + cache_got, &p);
	uint64_t t = bench_end() - t0;
	if (r != OK)
		ubench_fail("VM_CACHE_GET", r);
	else
		munmap(p, PAGE);
	cache_got++;
	return t;
}

/* --- processes ---------------------------------------------------------------------- */

/* A fault with a CPU-bound process (the hog, a child spinning) ready on
 * the faulter's CPU, CPU 0, beside VM: the faulter should resume as soon
 * as VM has served it, not after the hog's time slice. Nothing here
 * crosses CPUs while the hog spins: under icount QEMU runs the vCPUs
 * one at a time, and another CPU may get no instructions at all while
 * CPU 0 spins. The hog therefore ends itself: every few thousand loops
 * it offers its parent a message (SENDNB), which goes through once the
 * parent waits for it in the teardown, and then it exits. */
static endpoint_t hog_parent;
static pid_t hog;
static uint8_t *hog_pages;
static uint32_t hog_next, hog_count;

static void __attribute__((noreturn)) hog_spin(void)
{
	message m = { 0 };

	sys_setcpu(SELF, 0);
	ipc_notify(hog_parent, &m);	/* on the faulter's CPU now */
	for (;;) {
		for (volatile uint32_t i = 0; i < 4096; i++)
			;
		if (ipc_sendnb(hog_parent, &m) == OK)
			exit(0);
	}
}

static int hog_setup(const struct ubench *b, unsigned count)
{
	message m;

	(void)b;
	hog_pages = mmap(NULL, count * 4096, PROT_READ | PROT_WRITE, MAP_ANON);
	if (hog_pages == MAP_FAILED)
		return ENOMEM;
	hog_next = 0;
	hog_count = count;
	if ((hog = fork()) == 0)
		hog_spin();
	if (hog < 0)
		return hog;
	return ipc_receive(hog, &m);
}

static void hog_teardown(const struct ubench *b)
{
	message m;
	int status;

	(void)b;
	if (hog > 0) {
		ipc_receive(hog, &m);
		waitpid(hog, &status, 0);
	}
	munmap(hog_pages, hog_count * 4096);
	hog = 0;
}

static uint64_t hog_fault(const struct ubench *b)
{
	volatile uint8_t *p = hog_pages + (hog_next++) * 4096;
	uint64_t t0;

	(void)b;
	t0 = bench_begin();
	*p = 1;
	return bench_end() - t0;
}

/* --- the pool of zeroed frames ------------------------------------------------------ */

static uint8_t *nopool_pages;
static uint32_t nopool_next;

static int nopool_setup(const struct ubench *b, unsigned count)
{
	(void)b;
	nopool_next = 0;
	nopool_pages = mmap(NULL, count * PAGE, PROT_READ | PROT_WRITE,
		MAP_ANON);
	return nopool_pages == MAP_FAILED ? ENOMEM : OK;
}

/* The next benchmarks start with a full pool, as after an idle
 * moment. */
static void pool_teardown(const struct ubench *b)
{
	(void)b;
	vm_zeropool(ZP_FILL, ZP_FILL_MAX, NULL);
}

static void nopool_teardown(const struct ubench *b)
{
	if (nopool_pages != MAP_FAILED && nopool_next > 0)
		munmap(nopool_pages, nopool_next * PAGE);
	nopool_pages = MAP_FAILED;
	pool_teardown(b);
}

/* The timed part of nopool_fault on its own, where tools/breakdown.py
 * (OP=nopool) can stop. */
static uint64_t __attribute__((noinline)) nopool_touch(volatile uint8_t *p)
{
	uint64_t t0 = bench_begin();

	*p = 1;
	return bench_end() - t0;
}

/* vm.pagefault.anon with the pool empty (emptied outside the interval):
 * the fault zeroes its frame itself, as before the pool. */
static uint64_t nopool_fault(const struct ubench *b)
{
	uint32_t v[VM_ZEROPOOL_COUNT];
	int r;

	(void)b;
	if ((r = vm_zeropool(ZP_DRAIN, 0, v)) != OK) {
		ubench_fail("VM_ZEROPOOL drain", r);
		return 0;
	}
	return nopool_touch(nopool_pages + (nopool_next++) * PAGE);
}

/* The timed part of pool_refill (tools/breakdown.py OP=refill). */
static int __attribute__((noinline)) pool_fill_timed(uint32_t n,
	uint32_t v[VM_ZEROPOOL_COUNT], uint64_t *t)
{
	uint64_t t0 = bench_begin();
	int r = vm_zeropool(ZP_FILL, n, v);

	*t = bench_end() - t0;
	return r;
}

/* What an idle moment costs VM per frame: the pool emptied outside the
 * interval, then one request that zeroes batch frames into it (the idle
 * refill's own function, and its batch). */
static uint64_t pool_refill(const struct ubench *b)
{
	uint32_t v[VM_ZEROPOOL_COUNT];
	uint64_t t;
	int r;

	if ((r = vm_zeropool(ZP_DRAIN, 0, v)) != OK) {
		ubench_fail("VM_ZEROPOOL drain", r);
		return 0;
	}
	r = pool_fill_timed(b->batch, v, &t);
	if (r != OK || v[0] != b->batch) {
		ubench_fail("VM_ZEROPOOL fill", r != OK ? r : (int)v[0]);
		return 0;
	}
	return t;
}

static uint64_t fork_exit_wait(const struct ubench *b)
{
	int st, r;

	(void)b;
	uint64_t t0 = bench_begin();
	int pid = fork();
	if (pid == 0)
		exit(0);
	r = pid > 0 ? waitpid(pid, &st, 0) : pid;
	uint64_t t = bench_end() - t0;
	if (r != pid || st != 0)
		ubench_fail("fork/exit/waitpid", r);
	return t;
}

/* proc.exec: a forked child reads the TSC and execs ubench role=execd
 * with it; the new image reads the TSC first thing in main and exits
 * with the difference. That is exec alone (PM, VM reading the block,
 * building the new space and freeing the old, the kernel's switch, the
 * new crt0), not the fork, the exit or the wait around it. */
static uint64_t exec_alone(const struct ubench *b)
{
	int st = -1, r, pid;

	(void)b;
	pid = fork();
	if (pid == 0) {
		char t0[2 + 16 + 1] = "t=";
		char *argv[] = { "ubench", "role=execd", t0, NULL };
		uint64_t t = bench_begin();

		for (int i = 15; i >= 0; i--, t >>= 4)
			t0[2 + i] = "0123456789abcdef"[t & 15];
		exit(execve("ubench", argv, NULL));
	}
	r = pid > 0 ? waitpid(pid, &st, 0) : pid;
	if (r != pid || st < 0)
		ubench_fail("fork/exec/waitpid", r != pid ? r : st);
	return st < 0 ? 0 : (uint64_t)st;
}

int ubench_execd(const char *t0)
{
	uint64_t t1 = bench_end(), t = 0;

	for (; *t0; t0++)
		t = t << 4 | (uint64_t)(*t0 <= '9' ? *t0 - '0' : *t0 - 'a' + 10);
	return t1 - t > 0x7fffffffu ? 0x7fffffff : (int)(t1 - t);
}

/* --- region lookups ------------------------------------------------------------------ */

static uint32_t regions_made;	/* one-page regions at REGION_BASE */
static uint32_t regions_before;	/* VMS_REGIONS before the first */
static uint32_t lookup_seed;

/* Maps one-page regions until there are n; checks VM counts them all. */
static int grow_regions(uint32_t n)
{
	uint32_t v[VM_STATS_COUNT];
	int r;

	if (regions_made == 0) {
		if ((r = vm_stats(v)) != OK)
			return r;
		regions_before = v[VMS_REGIONS];
	}
	if (n > regions_made && n >= PROGRESS_EVERY)
		printf("ubench: making %u one-page regions (%u so far)\n", n,
			regions_made);
	while (regions_made < n) {
		void *at = (void *)(uintptr_t)(REGION_BASE +
			2 * regions_made * PAGE);
		void *p = mmap(at, PAGE, PROT_READ | PROT_WRITE,
			MAP_ANON | MAP_FIXED);
		if (p != at)
			return p == MAP_FAILED ? vm_errno : EINVAL;
		regions_made++;
		if (regions_made % PROGRESS_EVERY == 0)
			printf("ubench: %u of %u regions\n", regions_made, n);
	}
	if ((r = vm_stats(v)) != OK)
		return r;
	if (v[VMS_REGIONS] != regions_before + regions_made) {
		printf("ubench: VM counts %u regions, %u expected (merged or "
			"replaced?)\n", v[VMS_REGIONS],
			regions_before + regions_made);
		return EINVAL;
	}
	return OK;
}

static int lookup_setup(const struct ubench *b, unsigned count)
{
	(void)count;
	lookup_seed = b->arg;
	return grow_regions(b->arg);
}

/* LOOKUPS lookups at random addresses, timed inside VM, the loop's own
 * cost taken off; no probe overhead (latency). */
static uint64_t region_lookup(const struct ubench *b)
{
	struct vm_lookup_times t;
	int r = vm_lookupbench(b->batch, ++lookup_seed, &t);

	if (r != OK) {
		ubench_fail("VM_LOOKUPBENCH", r);
		return 0;
	}
	return t.lookups > t.overhead ? t.lookups - t.overhead : 0;
}

static uint8_t *fresh_n;	/* heap pages for vm.pagefault.anon.n100000 */

static int anon_n_setup(const struct ubench *b, unsigned count)
{
	int r = grow_regions(b->arg);

	if (r != OK)
		return r;
	fresh_n = sbrk((count + 1) * PAGE);
	if (fresh_n == (void *)-1)
		return ENOMEM;
	fresh_n = (uint8_t *)(((uintptr_t)fresh_n + PAGE - 1) & ~(PAGE - 1));
	return OK;
}

/* As ubench's vm.pagefault.anon, with many regions to look through. */
static uint64_t anon_fault_n(const struct ubench *b)
{
	(void)b;
	volatile uint8_t *p = fresh_n;
	fresh_n += PAGE;
	uint64_t t0 = bench_begin();
	*p = 1;
	return bench_end() - t0;
}

/* --- the list -------------------------------------------------------------------------- */

static const uint32_t lookup_counts[] = { 1, 10, 100, 1000, 10000 };
static char lookup_names[6][32];

static struct ubench lookup_bench(unsigned i, uint32_t n)
{
	snprintf(lookup_names[i], sizeof lookup_names[i],
		"vm.region_lookup.n%u", n);
	return (struct ubench){ .name = lookup_names[i],
		.desc = "VM_LOOKUPBENCH: region lookups at random addresses, "
		"N one-page regions besides the program's own, timed in VM "
		"with its loop's cost taken off", .batch = LOOKUPS,
		.sample = region_lookup, .arg = n, .latency = 1,
		.setup = lookup_setup };
}

unsigned ubench_vm_list(struct ubench *list, unsigned max, endpoint_t self)
{
	struct ubench all[20];
	uint32_t v[VM_STATS_COUNT];
	unsigned n = 0, k = 0;
	int vm = vm_stats(v), pm = getpid();

	hog_parent = self;

	if (vm != OK) {
		printf("ubench: VM does not answer VM_STATS (%d): the vm.* "
			"and proc.* benchmarks are left out\n", vm);
		return 0;
	}
	if (pm != self)
		printf("ubench: no process manager (getpid: %d): "
			"proc.fork_exit_wait and vm.pagefault.cow* are left "
			"out\n", pm);
	/* fork first, while the process is small (as the Linux peer). */
	if (pm == self)
		all[n++] = (struct ubench){ .name = "proc.fork_exit_wait",
			.desc = "fork() of this process, the child exits at "
			"once, waitpid() reaps it", .batch = 1,
			.sample = fork_exit_wait };
	if (pm == self)
		all[n++] = (struct ubench){ .name = "proc.exec",
			.desc = "exec of ubench by a forked child, from the "
			"call to the new image's main (the fork, exit and "
			"wait around it not counted)", .batch = 1,
			.sample = exec_alone };
	all[n++] = (struct ubench){ .name = "vm.mmap_munmap",
		.desc = "mmap of one anonymous page, then munmap of it (never "
		"touched)", .batch = 16, .sample = mmap_munmap };
	all[n++] = (struct ubench){ .name = "vm.cache.yield",
		.desc = "VM_CACHE_YIELD of one touched page under a new id",
		.batch = 1, .sample = cache_yield, .setup = cache_yield_setup,
		.teardown = cache_yield_teardown };
	all[n++] = (struct ubench){ .name = "vm.cache.get",
		.desc = "VM_CACHE_GET of one cached page into a new region",
		.batch = 1, .sample = cache_get, .setup = cache_get_setup };
	if (pm == self) {
		all[n++] = (struct ubench){ .name = "vm.pagefault.cow",
			.desc = "store to a page shared copy-on-write with a "
			"forked child that waits: fault, frame copied, mapped "
			"writable, retry", .batch = 1, .sample = cow_fault,
			.setup = cow_setup, .teardown = cow_teardown };
		all[n++] = (struct ubench){ .name = "vm.pagefault.cow_sole",
			.desc = "store to a copy-on-write page whose sharer "
			"exited: fault, made writable without a copy, retry",
			.batch = 1, .sample = cow_sole_fault,
			.setup = cow_sole_setup, .teardown = cow_teardown };
		all[n++] = (struct ubench){ .name = "vm.pagefault.anon.hog",
			.desc = "as vm.pagefault.anon, with a CPU-bound "
			"process ready on the faulter's CPU: the faulter "
			"resumes first once VM has served it",
			.batch = 1,
			.sample = hog_fault, .setup = hog_setup,
			.teardown = hog_teardown };
	}
	all[n++] = (struct ubench){ .name = "vm.pagefault.anon.nopool",
		.desc = "as vm.pagefault.anon with VM's pool of zeroed frames "
		"empty: the fault zeroes its frame", .batch = 1,
		.sample = nopool_fault, .setup = nopool_setup,
		.teardown = nopool_teardown };
	all[n++] = (struct ubench){ .name = "vm.zeropool.refill",
		.desc = "VM zeroing frames into its pool, per frame: one "
		"request for an idle refill's batch (16)", .batch = 16,
		.sample = pool_refill, .teardown = pool_teardown };
	for (unsigned i = 0; i < sizeof lookup_counts / sizeof lookup_counts[0];
	     i++)
		all[n++] = lookup_bench(i, lookup_counts[i]);
	/* The 100,000 regions last: they are made once, for both. */
	all[n++] = (struct ubench){ .name = "vm.pagefault.anon.n100000",
		.desc = "touch of a fresh heap page with 100,000 more regions "
		"in the process: as vm.pagefault.anon, the lookup deeper",
		.batch = 1, .sample = anon_fault_n, .arg = REGION_MAX,
		.setup = anon_n_setup };
	all[n++] = lookup_bench(5, REGION_MAX);
	for (k = 0; k < n && k < max; k++)
		list[k] = all[k];
	return k;
}
