/*
 * Hostile cases: the VM server's calls from an ordinary process. Block
 * cache ids are the yielder's own (another process's block is EPERM, no
 * id can be squatted), yields of untouched memory cost VM nothing, cached
 * blocks go when their owner exits (the health check's free page count),
 * the lab's benchmark request is refused, no range may start at page 0,
 * reach the kernel's part or wrap past 4 GiB, no process can take all
 * of VM's grant table, and a page fault message the kernel did not send
 * changes nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "cairn/ipclib.h"
#include "cairn/vmlib.h"
#include "tests/user/hostile.h"

#define PAGE		4096u
#define KERNEL_START	0xF0000000u
#define LAST_USER_PAGE	(KERNEL_START - PAGE)
#define TOP_PAGE	0xFFFFF000u	/* two pages from here wrap */

/* One cache request, every field as given (owner included). */
static int cache_req(int type, endpoint_t owner, vir_bytes addr,
	uint32_t len, uint32_t id, uint32_t get_id, vir_bytes *at)
{
	message m;
	int r;

	memset(&m, 0, sizeof m);
	m.m_type = type;
	m.u.vm_cache.addr = addr;
	m.u.vm_cache.len = len;
	m.u.vm_cache.id = id;
	m.u.vm_cache.get_id = get_id;
	m.u.vm_cache.owner = owner;
	r = ipc_sendrec(VM_ENDPOINT, &m);
	if (r != OK)
		return r;
	if (at != NULL)
		*at = m.u.reply.value[0];
	return m.u.reply.status;
}

static uint32_t stat1(int which)
{
	uint32_t v[VM_STATS_COUNT];

	return vm_stats(v) == OK ? v[which] : 0xffffffffu;
}

/* n fresh pages, each written with tag + its index. */
static uint32_t *touched_pages(uint32_t n, uint32_t tag)
{
	uint32_t *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_ANON);

	if (p == MAP_FAILED)
		return NULL;
	for (uint32_t i = 0; i < n; i++)
		p[i * (PAGE / 4)] = tag + i;
	return p;
}

/* --- the cache: owners ------------------------------------------------------ */

#define ID_MINE		77	/* the attacker's block, before the fork */
#define ID_SQUAT	88	/* the child's first, then the attacker's */

static endpoint_t attacker_ep;

/* The child: a process that tries the attacker's block and squats an id
 * before the attacker uses it. Tells the attacker and waits for leave. */
static int squatter(void)
{
	uint32_t *p = touched_pages(1, 0xc0de0000);
	message m;
	int ok = 1;

	if (p == NULL)
		return 2;
	ok &= h_expect("get the attacker's id in my own space",
		vm_cache_get(NULL, PAGE, ID_MINE, NULL), ENOENT);
	ok &= h_expect("get from the attacker's space", cache_req(
		VM_CACHE_GET, attacker_ep, 0, PAGE, ID_MINE, 0, NULL), EPERM);
	ok &= h_expect("yield into the attacker's space", cache_req(
		VM_CACHE_YIELD, attacker_ep, (vir_bytes)p, PAGE, ID_SQUAT, 0,
		NULL), EPERM);
	ok &= h_expect("yield then get from the attacker's space",
		cache_req(VM_CACHE_YIELD, attacker_ep, (vir_bytes)p, PAGE, 5,
		ID_MINE, NULL), EPERM);
	ok &= h_expect("squat an id in my own space", vm_cache_yield(p, PAGE,
		ID_SQUAT, 0, NULL, NULL), OK);
	memset(&m, 0, sizeof m);
	m.m_type = ok ? 1 : 0;
	if (ipc_sendrec(attacker_ep, &m) != OK)
		return 3;
	return ok ? HOSTILE_OK : 1;
}

static int cache_squat(void)
{
	uint32_t *p = touched_pages(2, 0xa0000000), cached0;
	vir_bytes at = 0;
	message m;
	int ok = 1, st = 0x7fffffff;
	pid_t child;

	if (p == NULL)
		return 2;
	attacker_ep = h_info.self;
	ok &= h_expect("yield my block", vm_cache_yield(p, PAGE, ID_MINE, 0,
		NULL, NULL), OK);
	cached0 = stat1(VMS_CACHED);
	child = fork();
	if (child == 0)
		exit(squatter());
	if (child < 0)
		return 3;
	/* The child has squatted ID_SQUAT (in its own space) by now. */
	ok &= h_expect("the squatter reports", ipc_receive(child, &m), OK);
	ok &= h_expect("the squatter's checks", m.m_type, 1);
	ok &= h_expect("my id the squatter took first", vm_cache_yield(p + PAGE
		/ 4, PAGE, ID_SQUAT, 0, NULL, NULL), OK);
	ok &= h_expect("get it back", vm_cache_get(NULL, PAGE, ID_SQUAT,
		(void **)&at), OK);
	ok &= h_expect("... with my bytes", at ? *(uint32_t *)at : 0,
		0xa0000001);
	ok &= h_expect("my block, from my own space by name", cache_req(
		VM_CACHE_GET, attacker_ep, 0, PAGE, ID_MINE, 0, &at), OK);
	ok &= h_expect("... intact", at ? *(uint32_t *)at : 0, 0xa0000000);
	memset(&m, 0, sizeof m);
	ipc_send(child, &m);
	ok &= h_expect("the squatter exits", waitpid(child, &st, 0), child);
	ok &= h_expect("the squatter's status", st, HOSTILE_OK);
	/* Its block went with it; mine was got back. */
	ok &= h_expect("blocks cached after its exit", stat1(VMS_CACHED),
		cached0 - 1);
	return ok ? HOSTILE_OK : 1;
}

/* --- the cache: VM's memory ------------------------------------------------- */

#define UNTOUCHED	(256u << 20)	/* bytes of address space, never touched */
#define YIELDS		2000

/* On main, each of these cost VM a 256 KiB entry: its heap grew until
 * memory ran out. */
static int cache_untouched(void)
{
	void *p = mmap(NULL, UNTOUCHED, PROT_READ | PROT_WRITE, MAP_ANON);
	uint32_t free0, cached0;
	int ok = 1, bad = 0;

	if (p == MAP_FAILED)
		return 2;
	free0 = stat1(VMS_FREE);
	cached0 = stat1(VMS_CACHED);
	for (uint32_t i = 0; i < YIELDS; i++)
		if (vm_cache_yield(p, UNTOUCHED, 1000 + i, 0, NULL, NULL) != OK)
			bad++;
	ok &= h_expect("yields refused", bad, 0);
	ok &= h_expect("VM's free pages after the yields", stat1(VMS_FREE),
		free0);
	ok &= h_expect("blocks cached", stat1(VMS_CACHED), cached0);
	ok &= h_expect("a block of untouched pages", vm_cache_get(NULL,
		UNTOUCHED, 1000, NULL), ENOENT);
	return ok ? HOSTILE_OK : 1;
}

#define LEFT_BLOCKS	64
#define LEFT_PAGES	4	/* per block */

/* Blocks yielded and never got back: they must go when the attacker
 * exits (the driver's free page check). */
static int cache_left_behind(void)
{
	uint32_t *p = touched_pages(LEFT_BLOCKS * LEFT_PAGES, 0x1ef70000);
	uint32_t cached0 = stat1(VMS_CACHED);
	int ok = 1, bad = 0;

	if (p == NULL)
		return 2;
	for (uint32_t i = 0; i < LEFT_BLOCKS; i++)
		if (vm_cache_yield(p + i * LEFT_PAGES * (PAGE / 4),
		    LEFT_PAGES * PAGE, 500 + i, 0, NULL, NULL) != OK)
			bad++;
	ok &= h_expect("yields refused", bad, 0);
	ok &= h_expect("blocks cached", stat1(VMS_CACHED),
		cached0 + LEFT_BLOCKS);
	return ok ? HOSTILE_OK : 1;
}

/* --- the lab's request ------------------------------------------------------- */

static int lookupbench_denied(void)
{
	struct vm_lookup_times t;
	int ok = 1;

	ok &= h_expect("VM_LOOKUPBENCH, one lookup", vm_lookupbench(1, 1, &t),
		EPERM);
	ok &= h_expect("VM_LOOKUPBENCH, 4 billion lookups",
		vm_lookupbench(0xffffffffu, 1, &t), EPERM);
	return ok ? HOSTILE_OK : 1;
}

/* --- ranges ------------------------------------------------------------------ */

static int map_fixed(vir_bytes addr, uint32_t len)
{
	struct vm_mmap rq = { .addr = addr, .len = len,
		.prot = PROT_READ | PROT_WRITE, .flags = MAP_ANON | MAP_FIXED };
	void *at;

	return vm_mmap(&rq, &at);
}

static int read_null(void)
{
	return (int)*(volatile uint32_t *)0;	/* must fault */
}

static int page_zero(void)
{
	int ok = 1;

	ok &= h_expect("MAP_FIXED at 0", map_fixed(0, PAGE), EINVAL);
	ok &= h_expect("MAP_FIXED at 0, prealloc", vm_mmap(&(struct vm_mmap){
		.addr = 0, .len = 4 * PAGE, .prot = PROT_READ,
		.flags = MAP_ANON | MAP_FIXED | MAP_PREALLOC }, &(void *){ 0 }),
		EINVAL);
	ok &= h_expect("munmap of page 0", munmap(NULL, PAGE), EINVAL);
	ok &= h_expect("cache yield at 0", cache_req(VM_CACHE_YIELD, 0, 0,
		PAGE, 9, 0, NULL), EINVAL);
	ok &= h_expect("grant of page 0", vm_grant(NULL, PAGE, ANY,
		PROT_READ, &(uint32_t){ 0 }), EINVAL);
	/* Nothing got mapped there: a null read kills the reader. */
	ok &= h_expect("read of address 0", h_child_status(read_null), EFAULT);
	return ok ? HOSTILE_OK : 1;
}

/* n touched pages yielded under id, for gets at bad places. */
static int yield_touched(uint32_t id, uint32_t n)
{
	uint32_t *p = touched_pages(n, 0x5eed0000);

	return p == NULL ? ENOMEM : vm_cache_yield(p, n * PAGE, id, 0, NULL,
		NULL);
}

static int wrap(void)
{
	uint32_t *p = touched_pages(1, 0);
	vir_bytes at = 0;
	int ok = 1;

	if (p == NULL || yield_touched(31, 1) != OK)
		return 2;
	ok &= h_expect("MAP_FIXED wrapping", map_fixed(TOP_PAGE, 2 * PAGE),
		EINVAL);
	ok &= h_expect("MAP_FIXED, length near 4 GiB", map_fixed(0x40000000u,
		0xfffff001u), EINVAL);
	ok &= h_expect("munmap wrapping", munmap((void *)TOP_PAGE, 2 * PAGE),
		EINVAL);
	/* Rounded up in 32 bits that length is 0: an empty range. */
	ok &= h_expect("munmap, length rounding to 0", munmap(p, 0xfffff001u),
		EINVAL);
	ok &= h_expect("cache yield wrapping", cache_req(VM_CACHE_YIELD, 0,
		TOP_PAGE, 2 * PAGE, 32, 0, NULL), EINVAL);
	ok &= h_expect("cache yield, length wrapping", cache_req(
		VM_CACHE_YIELD, 0, (vir_bytes)p, 0xfffff000u, 32, 0, NULL),
		EINVAL);
	ok &= h_expect("cache get wrapping", cache_req(VM_CACHE_GET, 0,
		TOP_PAGE, 2 * PAGE, 31, 0, NULL), EINVAL);
	ok &= h_expect("grant wrapping", vm_grant((void *)TOP_PAGE, 2 * PAGE,
		ANY, PROT_READ, &(uint32_t){ 0 }), EINVAL);
	ok &= h_expect("grant, length wrapping", vm_grant(p, 0xfffff000u,
		ANY, PROT_READ, &(uint32_t){ 0 }), EINVAL);
	ok &= h_expect_error("brk past 4 GiB", brk((void *)TOP_PAGE));
	/* The block is still there, and fine anywhere. */
	ok &= h_expect("cache get anywhere", cache_req(VM_CACHE_GET, 0, 0,
		PAGE, 31, 0, &at), OK);
	ok &= h_expect("... intact", at ? *(uint32_t *)at : 0, 0x5eed0000);
	return ok ? HOSTILE_OK : 1;
}

static int kernel_range(void)
{
	uint32_t *p = touched_pages(1, 0);
	vir_bytes at = 0;
	void *q;
	int ok = 1;

	if (p == NULL || yield_touched(41, 2) != OK)
		return 2;
	ok &= h_expect("MAP_FIXED at the kernel", map_fixed(KERNEL_START,
		PAGE), EINVAL);
	ok &= h_expect("MAP_FIXED into the kernel", map_fixed(LAST_USER_PAGE,
		2 * PAGE), EINVAL);
	ok &= h_expect("munmap of the kernel", munmap((void *)KERNEL_START,
		PAGE), EINVAL);
	ok &= h_expect("cache get at the kernel", cache_req(VM_CACHE_GET, 0,
		KERNEL_START, 2 * PAGE, 41, 0, NULL), EINVAL);
	ok &= h_expect("cache get into the kernel", cache_req(VM_CACHE_GET, 0,
		LAST_USER_PAGE, 2 * PAGE, 41, 0, NULL), EINVAL);
	ok &= h_expect("cache yield at the kernel", cache_req(VM_CACHE_YIELD,
		0, KERNEL_START, PAGE, 42, 0, NULL), EINVAL);
	ok &= h_expect("grant of the kernel", vm_grant((void *)KERNEL_START,
		PAGE, ANY, PROT_READ, &(uint32_t){ 0 }), EINVAL);
	ok &= h_expect_error("brk into the kernel",
		brk((void *)(KERNEL_START + PAGE)));
	/* A hint in the kernel's part is only a hint: the mapping goes
	 * below it. */
	q = mmap((void *)KERNEL_START, PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	ok &= h_expect("mmap with a kernel hint", q != MAP_FAILED &&
		(uintptr_t)q < KERNEL_START, 1);
	/* The last user pages are user pages: the block is still there,
	 * and fine up to the kernel's part. */
	ok &= h_expect("cache get ending at the kernel", cache_req(
		VM_CACHE_GET, 0, LAST_USER_PAGE - PAGE, 2 * PAGE, 41, 0, &at),
		OK);
	ok &= h_expect("... intact", at == LAST_USER_PAGE - PAGE ?
		((uint32_t *)at)[PAGE / 4] : 0, 0x5eed0001);
	return ok ? HOSTILE_OK : 1;
}

/* --- grants ------------------------------------------------------------------ */

static uint32_t *grant_page;

static int grant_one(void)
{
	uint32_t id;

	return vm_grant(grant_page, PAGE, ANY, PROT_READ, &id) == OK ?
		HOSTILE_OK : 1;
}

/* One process cannot fill VM's grant table for everyone. */
static int grant_flood(void)
{
	uint32_t id, made = 0;
	int ok = 1, r = OK;

	grant_page = touched_pages(1, 0x97a47000);
	if (grant_page == NULL)
		return 2;
	while (made < 1000 && (r = vm_grant(grant_page, PAGE, ANY, PROT_READ,
			&id)) == OK)
		made++;
	ok &= h_expect("grants before refusal", made, VM_GRANTS_PER_PROC);
	ok &= h_expect("the refusal", r, ENOMEM);
	ok &= h_expect("another process's grant", h_child_status(grant_one),
		HOSTILE_OK);
	return ok ? HOSTILE_OK : 1;
}

/* A VM_PAGEFAULT the kernel did not send: for a page VM can make
 * present, the process is not waiting in a fault, so the answer is
 * EINVAL; for one it cannot (the kernel's part), the sender is treated
 * as the faulter it claims to be and killed alone. */
static int forged_fault(vir_bytes addr)
{
	message m;
	int r;

	memset(&m, 0, sizeof m);
	m.m_type = VM_PAGEFAULT;
	m.u.pagefault.addr = addr;
	m.u.pagefault.err = 0x6;		/* a user-mode write */
	m.u.pagefault.eip = 0x08048000;
	r = ipc_sendrec(VM_ENDPOINT, &m);
	return r != OK ? r : m.u.reply.status;
}

static int forged_kernel_fault(void)
{
	forged_fault(KERNEL_START);
	return 3;			/* still alive: wrong */
}

static int forged_pagefault(void)
{
	uint32_t *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	int ok = 1;

	if (p == MAP_FAILED)
		return 2;
	ok &= h_expect("forged fault on a page of its own",
		forged_fault((vir_bytes)p), EINVAL);
	p[0] = 0x5eed;			/* the page works as before */
	ok &= h_expect("the page after it", p[0] == 0x5eed, 1);
	ok &= h_expect("forged fault in the kernel's part",
		h_child_status(forged_kernel_fault), EFAULT);
	munmap(p, PAGE);
	return ok ? HOSTILE_OK : 1;
}

const struct hostile_case hostile_vm_cases[] = {
	{ "vm.cache_squat", cache_squat, HOSTILE_OK },
	{ "vm.cache_untouched", cache_untouched, HOSTILE_OK },
	{ "vm.cache_left_behind", cache_left_behind, HOSTILE_OK },
	{ "vm.lookupbench", lookupbench_denied, HOSTILE_OK },
	{ "vm.page_zero", page_zero, HOSTILE_OK },
	{ "vm.wrap", wrap, HOSTILE_OK },
	{ "vm.kernel_range", kernel_range, HOSTILE_OK },
	{ "vm.grant_flood", grant_flood, HOSTILE_OK },
	{ "vm.forged_fault", forged_pagefault, HOSTILE_OK },
};
const int hostile_vm_count = sizeof hostile_vm_cases /
	sizeof hostile_vm_cases[0];
