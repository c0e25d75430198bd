/*
 * In-guest tests of the VM server's memory calls and of fork, from user
 * space: every memory type, grants with a peer, partial unmaps, MAP_FIXED,
 * bad arguments, the block cache, running out of memory, and no page
 * leaked at the end. Two roles (argv role=): main drives the boot; peer
 * maps what main's tests grant it. The peer is the boot module right
 * after main, so each finds the other from its own endpoint, wherever the
 * boot image puts them (tests/run.py boots VM, PM, main, peer).
 *
 * main forks the whole suite into a child and compares VM's free pages
 * before and after it: a child's address space goes away completely when
 * it exits, so any page still missing then is a leak. Tests that expect a
 * process to be killed run in forked children and read the status that
 * waitpid reports (EFAULT for a bad access, ENOMEM for memory that ran
 * out during a page fault).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "cairn/ipclib.h"
#include "cairn/syslib.h"
#include "cairn/urecord.h"
#include "cairn/vmlib.h"

/* --- LOCAL PROTOTYPES: the process manager's library calls -----------------
 * lib/include/unistd.h does not declare these yet; the PM branch writes
 * them in lib/. Delete this block when that branch is merged (a declaration
 * there that does not match fails the build, which is the point). */
int fork(void);
int waitpid(int pid, int *status, int options);
int getpid(void);
int getppid(void);
int kill(int pid, int status);
/* --- end of the local prototypes ------------------------------------------- */

#define PAGE		4096u
#define MIB		(1024u * 1024u)

/* Messages between the suite and the peer. */
#define VT_READY	0x300	/* peer -> main: warmed up, serving */
#define VT_MAP		0x301	/* w[0] owner, w[1] grant, w[2] len, w[3] prot,
				   w[4] slot; reply w[0] status, w[1] first
				   word, w[2] address */
#define VT_READ		0x302	/* w[4] slot, w[5] byte offset; reply w[1] */
#define VT_WRITE	0x303	/* w[4] slot, w[5] offset, w[6] value */
#define VT_UNMAP	0x304	/* w[4] slot; reply w[0] status */

/* The peer maps shared memory at fixed places in one 4 MiB span, which
 * it touched before main took its first count of free pages: a page
 * table VM keeps for that span is not counted as a leak. */
#define PEER_AREA	0x30000000u
#define PEER_SLOT	0x10000u	/* bytes per slot, 4 slots */
#define PEER_SLOTS	4

/* Block-cache ids: distinct per test. */
#define ID_A		0x1001
#define ID_B		0x1002
#define ID_C		0x1003
#define ID_UNKNOWN	0x7777777
#define ID_FORGET	0x2000	/* + i */
#define FORGET_BLOCKS	8
#define FORGET_PAGES	4

#define OOM_CHUNK	MIB	/* MAP_PREALLOC steps toward ENOMEM */
#define OOM_MAX_CHUNKS	1024
#define EAT_STEP	(4 * MIB)

/* A child's own exit statuses: small positive numbers, far from the
 * negative codes VM kills with. */
#define CHILD_OK	0
#define CHILD_NO_LAZY	77	/* a lazy anonymous mapping was refused */

static struct sys_info info;
static endpoint_t main_ep, peer_ep;

/* --- helpers -------------------------------------------------------------- */

static volatile uint32_t *word(void *base, uint32_t page, uint32_t index)
{
	return (volatile uint32_t *)((uint8_t *)base + page * PAGE) + index;
}

static void expect(const char *name, int got, int want)
{
	utest_result(name, got == want, "returned %d, expected %d", got, want);
}

static void expect_error(const char *name, int got)
{
	utest_result(name, got < 0, "returned %d, expected an error code",
		got);
}

/* How many VM_STATS requests failed: a comparison of counts means
 * nothing then. */
static uint32_t stats_failed;

/* VM_STATS, or all zero (and the code) when VM refuses it. */
static int stats(uint32_t v[VM_STATS_COUNT])
{
	int r = vm_stats(v);

	if (r != OK) {
		memset(v, 0, VM_STATS_COUNT * sizeof v[0]);
		stats_failed++;
	}
	return r;
}

static uint32_t stat1(int which)
{
	uint32_t v[VM_STATS_COUNT];

	stats(v);
	return v[which];
}

/* Makes 32 KiB of stack below the caller present and this process's own:
 * tests that run memory out must not need a page for their stack. */
static void __attribute__((noinline)) stack_reserve(void)
{
	volatile uint8_t pad[32 * 1024];

	for (uint32_t i = 0; i < sizeof pad; i += PAGE / 2)
		pad[i] = (uint8_t)i;
}

/* Runs fn(arg) in a forked child, which exits with what fn returns; OK and
 * the status waitpid reports, or why forking or waiting failed. */
static int in_child(int (*fn)(void *), void *arg, int *status)
{
	int pid = fork(), r;

	if (pid == 0)
		exit(fn(arg));
	*status = 0x7fffffff;
	if (pid < 0)
		return pid;
	r = waitpid(pid, status, 0);
	if (r < 0)
		return r;
	return r == pid ? OK : ESRCH;
}

/* The child bodies of the fault tests: they return only if the access
 * did not fault. */
static int child_read(void *p)
{
	return *(volatile uint32_t *)p == 0x600df00d ? 100 : 101;
}

static int child_write(void *p)
{
	*(volatile uint32_t *)p = 0x0badf00d;
	return 102;
}

static void expect_killed(const char *name, int (*fn)(void *), void *p,
	int want, const char *what)
{
	int st, r = in_child(fn, p, &st);

	utest_result(name, r == OK && st == want, "%s at 0x%x: child status "
		"%d (fork/wait %d), expected %d", what, (uint32_t)(uintptr_t)p,
		st, r, want);
}

static int all_zero(void *p, uint32_t len)
{
	for (uint32_t i = 0; i < len / 4; i++)
		if (((volatile uint32_t *)p)[i] != 0)
			return 0;
	return 1;
}

/* A pattern that differs per page and per tag. */
static void fill(void *p, uint32_t len, uint32_t tag)
{
	for (uint32_t i = 0; i < len / 4; i++)
		((volatile uint32_t *)p)[i] = tag ^ (i * 2654435761u);
}

static int filled(void *p, uint32_t len, uint32_t tag)
{
	for (uint32_t i = 0; i < len / 4; i++)
		if (((volatile uint32_t *)p)[i] != (tag ^ (i * 2654435761u)))
			return 0;
	return 1;
}

/* Reads one byte of every page: the count of page faults this adds. */
static uint32_t faults_touching(void *p, uint32_t len, int write)
{
	uint32_t before = stat1(VMS_FAULTS);

	for (uint32_t off = 0; off < len; off += PAGE) {
		volatile uint8_t *b = (uint8_t *)p + off;
		if (write)
			*b = (uint8_t)(off >> 12);
		else
			(void)*b;
	}
	return stat1(VMS_FAULTS) - before;
}

/* --- the peer, as the suite sees it ---------------------------------------- */

static message peer_call(int type, uint32_t w0, uint32_t w1, uint32_t w2,
	uint32_t w3, uint32_t slot, uint32_t off, uint32_t value)
{
	message m;

	memset(&m, 0, sizeof m);
	m.m_type = type;
	m.u.w[0] = w0;
	m.u.w[1] = w1;
	m.u.w[2] = w2;
	m.u.w[3] = w3;
	m.u.w[4] = slot;
	m.u.w[5] = off;
	m.u.w[6] = value;
	int r = ipc_sendrec(peer_ep, &m);
	if (r != OK)
		m.u.w[0] = (uint32_t)r;
	return m;
}

static int peer_map(uint32_t grant, uint32_t len, uint32_t prot,
	uint32_t slot, uint32_t *first)
{
	message m = peer_call(VT_MAP, (uint32_t)getpid(), grant, len, prot,
		slot, 0, 0);

	*first = m.u.w[1];
	return (int)m.u.w[0];
}

static uint32_t peer_read(uint32_t slot, uint32_t off)
{
	return peer_call(VT_READ, 0, 0, 0, 0, slot, off, 0).u.w[1];
}

static void peer_write(uint32_t slot, uint32_t off, uint32_t value)
{
	peer_call(VT_WRITE, 0, 0, 0, 0, slot, off, value);
}

static int peer_unmap(uint32_t slot)
{
	return (int)peer_call(VT_UNMAP, 0, 0, 0, 0, slot, 0, 0).u.w[0];
}

/* --- the tests -------------------------------------------------------------- */

static void test_stats(void)
{
	uint32_t v[VM_STATS_COUNT];
	int r = stats(v);

	utest_result("vm.stats", r == OK && v[VMS_TOTAL] > 0 &&
		v[VMS_FREE] <= v[VMS_TOTAL] && v[VMS_REGIONS] >= 3,
		"status %d: %u of %u pages free, %u regions, %u faults, %u "
		"cached, %u forgotten", r, v[VMS_FREE], v[VMS_TOTAL],
		v[VMS_REGIONS], v[VMS_FAULTS], v[VMS_CACHED],
		v[VMS_FORGOTTEN]);
}

static void test_anon(void)
{
	const uint32_t len = 8 * PAGE, big = 64 * PAGE;
	uint32_t free0, n;
	uint8_t *p, *q;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_ANON);
	utest_result("vm.anon.map", p != MAP_FAILED, "8 pages at 0x%x (%d)",
		(uint32_t)(uintptr_t)p, vm_errno);
	if (p == MAP_FAILED)
		return;
	n = faults_touching(p, len, 0);
	utest_result("vm.anon.faults_counted", n >= len / PAGE,
		"reading 8 fresh pages: %u faults served", n);
	utest_result("vm.anon.zero_fill", all_zero(p, len), "8 pages read 0");
	fill(p, len, 0xa0a0);
	utest_result("vm.anon.write_read", filled(p, len, 0xa0a0),
		"a pattern in every word reads back");
	expect("vm.anon.munmap", munmap(p, len), OK);

	free0 = stat1(VMS_FREE);
	p = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_ANON);
	n = free0 - stat1(VMS_FREE);
	utest_result("vm.anon.lazy", p != MAP_FAILED && n < big / PAGE,
		"64 untouched pages took %u free pages (%d)", n, vm_errno);
	if (p != MAP_FAILED)
		munmap(p, big);

	free0 = stat1(VMS_FREE);
	q = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PREALLOC);
	n = free0 - stat1(VMS_FREE);
	utest_result("vm.anon.prealloc_present", q != MAP_FAILED &&
		n >= big / PAGE, "MAP_PREALLOC of 64 pages took %u free pages "
		"(%d)", n, vm_errno);
	if (q == MAP_FAILED)
		return;
	n = faults_touching(q, big, 1);
	utest_result("vm.anon.prealloc_no_faults", n < big / PAGE,
		"writing its 64 pages: %u faults", n);
	for (uint32_t off = 0; off < big; off += PAGE)
		q[off] = 0;	/* what faults_touching wrote */
	utest_result("vm.anon.prealloc_zeroed", all_zero(q, big),
		"64 preallocated pages read 0");
	free0 = stat1(VMS_FREE);
	expect("vm.munmap.prealloc", munmap(q, big), OK);
	n = stat1(VMS_FREE) - free0;
	utest_result("vm.munmap.frees_frames", n >= big / PAGE,
		"unmapping 64 present pages freed %u pages", n);

	p = mmap(NULL, PAGE, PROT_READ, MAP_ANON);
	utest_result("vm.anon.read_only_map", p != MAP_FAILED &&
		all_zero(p, PAGE), "a read-only page at 0x%x reads 0 (%d)",
		(uint32_t)(uintptr_t)p, vm_errno);
	if (p != MAP_FAILED) {
		expect_killed("vm.anon.read_only_write_faults", child_write, p,
			EFAULT, "a write to a read-only anonymous page");
		munmap(p, PAGE);
	}
}

static void test_contig(void)
{
	const uint32_t len = 16 * PAGE;
	uint32_t free0, n;
	void *p;
	int r;

	free0 = stat1(VMS_FREE);
	r = vm_mmap_contig(len, 64 * 1024, 0, &p);
	n = free0 - stat1(VMS_FREE);
	utest_result("vm.contig.map", r == OK, "16 pages, 64 KiB aligned, at "
		"0x%x: %d", r == OK ? (uint32_t)(uintptr_t)p : 0, r);
	if (r != OK)
		return;
	utest_result("vm.contig.present_at_once", n >= len / PAGE,
		"mapping took %u free pages", n);
	n = faults_touching(p, len, 0);
	utest_result("vm.contig.no_faults", n < len / PAGE,
		"reading its 16 pages: %u faults", n);
	utest_result("vm.contig.zeroed", all_zero(p, len), "16 pages read 0");
	fill(p, len, 0xc0c0);
	utest_result("vm.contig.write_read", filled(p, len, 0xc0c0),
		"a pattern reads back");
	free0 = stat1(VMS_FREE);
	expect("vm.contig.munmap", munmap(p, len), OK);
	n = stat1(VMS_FREE) - free0;
	utest_result("vm.contig.freed", n >= len / PAGE,
		"unmapping freed %u pages", n);

	r = vm_mmap_contig(len, 0, MAP_LOWER16M, &p);
	utest_result("vm.contig.lower16m", r == OK, "16 pages below 16 MiB "
		"at 0x%x: %d", r == OK ? (uint32_t)(uintptr_t)p : 0, r);
	if (r == OK) {
		fill(p, len, 0x1616);
		utest_result("vm.contig.lower16m_write_read",
			filled(p, len, 0x1616), "a pattern reads back");
		munmap(p, len);
	}
	/* More than 16 MiB cannot all be below 16 MiB. */
	expect("vm.contig.lower16m_too_big", vm_mmap_contig(17 * MIB, 0,
		MAP_LOWER16M, &p), ENOMEM);
	expect("vm.contig.bad_align", vm_mmap_contig(len, 3 * PAGE, 0, &p),
		EINVAL);
}

/* The BIOS ROM at 0xF0000 is no RAM VM hands out. Every PC BIOS has its
 * reset vector at 0xFFFF0, a far jump (0xEA), and its date as "mm/dd/yy"
 * at 0xFFFF5. */
#define BIOS_BASE	0xf0000u
#define BIOS_LEN	0x10000u
/* With the vmtest boots' 64 MiB, 32 MiB is RAM that VM manages. */
#define VM_RAM		0x2000000u

static void test_phys(void)
{
	volatile uint8_t *b;
	void *p;
	int r;

	r = vm_mmap_phys(BIOS_BASE, BIOS_LEN, PROT_READ, 0, &p);
	utest_result("vm.phys.map_bios", r == OK, "0x%x bytes of physical "
		"0x%x at 0x%x: %d", BIOS_LEN, BIOS_BASE,
		r == OK ? (uint32_t)(uintptr_t)p : 0, r);
	if (r == OK) {
		b = (volatile uint8_t *)p + 0xfff0;
		utest_result("vm.phys.bios_contents", b[0] == 0xea &&
			b[7] == '/' && b[10] == '/', "reset vector byte 0x%02x "
			"(0xea expected), date '%c%c%c%c%c%c%c%c'", b[0], b[5],
			b[6], b[7], b[8], b[9], b[10], b[11], b[12]);
		expect_killed("vm.phys.read_only_write_faults", child_write,
			(uint8_t *)p + 0x8000, EFAULT,
			"a write to a read-only physical mapping");
		expect("vm.phys.munmap", munmap(p, BIOS_LEN), OK);
	}
	r = vm_mmap_phys(VM_RAM, PAGE, PROT_READ | PROT_WRITE, 0, &p);
	if (r == OK)
		munmap(p, PAGE);
	expect("vm.phys.vm_memory_refused", r, EPERM);
	expect("vm.phys.unaligned", vm_mmap_phys(BIOS_BASE + 12, PAGE,
		PROT_READ, 0, &p), EINVAL);
}

/* MAP_FIXED maps exactly where asked, replacing what is there. */
static void test_fixed(void)
{
	uint8_t *p, *q;

	p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	if (p == MAP_FAILED) {
		expect("vm.fixed.replaces", vm_errno, OK);
		return;
	}
	*word(p, 0, 0) = 0x44;
	*word(p, 1, 0) = 0x45;
	q = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_ANON | MAP_FIXED);
	utest_result("vm.fixed.exact", q == p + PAGE, "asked 0x%x, got 0x%x "
		"(%d)", (uint32_t)(uintptr_t)(p + PAGE),
		(uint32_t)(uintptr_t)q, vm_errno);
	utest_result("vm.fixed.replaces", q == p + PAGE && *word(p, 1, 0) == 0
		&& *word(p, 0, 0) == 0x44, "the replaced page reads 0x%x (0 "
		"expected), the one before 0x%x", *word(p, 1, 0),
		*word(p, 0, 0));
	expect("vm.fixed.munmap", munmap(p, 4 * PAGE), OK);
	q = mmap(p + 2 * PAGE, PAGE, PROT_READ | PROT_WRITE,
		MAP_ANON | MAP_FIXED);
	utest_result("vm.fixed.free_place", q == p + 2 * PAGE &&
		all_zero(q, PAGE), "asked 0x%x, got 0x%x (%d)",
		(uint32_t)(uintptr_t)(p + 2 * PAGE), (uint32_t)(uintptr_t)q,
		vm_errno);
	if (q != MAP_FAILED)
		munmap(q, PAGE);
}

/* Unmapping the middle page of three cuts the region in two. */
static void test_munmap_split(void)
{
	uint32_t regions0, regions1, regions2;
	uint8_t *p;

	p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	if (p == MAP_FAILED) {
		expect("vm.munmap.middle", vm_errno, OK);
		return;
	}
	for (uint32_t i = 0; i < 3; i++)
		*word(p, i, 0) = 0x11 * (i + 1);
	regions0 = stat1(VMS_REGIONS);
	expect("vm.munmap.middle", munmap(p + PAGE, PAGE), OK);
	regions1 = stat1(VMS_REGIONS);
	utest_result("vm.munmap.split_regions", regions1 == regions0 + 1,
		"regions %u before, %u after", regions0, regions1);
	utest_result("vm.munmap.ends_intact", *word(p, 0, 0) == 0x11 &&
		*word(p, 2, 0) == 0x33, "first page 0x%x, last 0x%x",
		*word(p, 0, 0), *word(p, 2, 0));
	expect_killed("vm.munmap.middle_faults", child_read, p + PAGE, EFAULT,
		"a read of the unmapped middle page");
	expect("vm.munmap.across_hole", munmap(p, 3 * PAGE), OK);
	regions2 = stat1(VMS_REGIONS);
	utest_result("vm.munmap.both_pieces_gone", regions2 == regions0 - 1,
		"regions %u with the mapping, %u after", regions0, regions2);
	expect("vm.munmap.unmapped_ok", munmap(p, 3 * PAGE), OK);
}

static void test_bad_arguments(void)
{
	void *p;

	mmap(NULL, 0, PROT_READ, MAP_ANON);
	expect("vm.bad.mmap_zero_length", vm_errno, EINVAL);
	mmap((void *)0x20000123, PAGE, PROT_READ, MAP_ANON | MAP_FIXED);
	expect("vm.bad.mmap_fixed_unaligned", vm_errno, EINVAL);
	mmap((void *)0xffffe000, 4 * PAGE, PROT_READ, MAP_ANON | MAP_FIXED);
	expect("vm.bad.mmap_wraps", vm_errno, EINVAL);
	mmap(NULL, 0xffffffffu, PROT_READ, MAP_ANON);
	expect("vm.bad.mmap_length_wraps", vm_errno, EINVAL);
	mmap((void *)0xf0000000, PAGE, PROT_READ, MAP_ANON | MAP_FIXED);
	expect("vm.bad.mmap_kernel_part", vm_errno, EINVAL);
	mmap(NULL, PAGE, PROT_READ, MAP_TYPE_MASK);
	expect("vm.bad.mmap_type", vm_errno, EINVAL);
	expect("vm.bad.munmap_zero_length", munmap((void *)0x20000000, 0),
		EINVAL);
	expect("vm.bad.munmap_unaligned", munmap((void *)0x20000123, PAGE),
		EINVAL);
	expect("vm.bad.munmap_wraps", munmap((void *)0xffffe000, 4 * PAGE),
		EINVAL);
	expect("vm.bad.munmap_kernel_part", munmap((void *)0xf0000000, PAGE),
		EINVAL);
	expect("vm.bad.cache_zero_length", vm_cache_yield((void *)0x20000000,
		0, ID_UNKNOWN, 0, NULL, NULL), EINVAL);
	expect("vm.bad.cache_unaligned", vm_cache_yield((void *)0x20000123,
		PAGE, ID_UNKNOWN, 0, NULL, NULL), EINVAL);
	expect_error("vm.bad.grant_unmapped", vm_grant((void *)0x2f000000,
		PAGE, peer_ep, PROT_READ, NULL));
	expect_error("vm.bad.shared_unknown_owner", vm_mmap_shared(
		make_endpoint(1, 1000), 1, PAGE, PROT_READ, &p));
	utest_result("vm.bad.vm_alive", stat1(VMS_TOTAL) > 0,
		"VM answers after the bad requests");
}

/* Two pages granted to the peer: each side sees the other's writes. */
static void test_shared(void)
{
	uint32_t id = 0, id_other = 0, id_ro = 0, first = 0;
	int r, mapped;
	uint8_t *p;

	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	if (p == MAP_FAILED) {
		expect("vm.grant.create", vm_errno, OK);
		return;
	}
	*word(p, 0, 0) = 0x5a5a0001;
	*word(p, 1, 0) = 0;
	r = vm_grant(p, 2 * PAGE, peer_ep, PROT_READ | PROT_WRITE, &id);
	utest_result("vm.grant.create", r == OK, "grant id %u: %d", id, r);
	/* The peer touches slot 0 only while it has it mapped: a bad
	 * access would kill it. */
	mapped = peer_map(id, 2 * PAGE, PROT_READ | PROT_WRITE, 0, &first);
	utest_result("vm.shared.map", mapped == OK, "the peer mapped grant "
		"%u: %d", id, mapped);
	utest_result("vm.shared.peer_sees_owner", mapped == OK &&
		first == 0x5a5a0001, "the peer read 0x%x", first);
	if (mapped == OK)
		peer_write(0, PAGE, 0x7e7e0002);
	utest_result("vm.shared.owner_sees_peer", mapped == OK &&
		*word(p, 1, 0) == 0x7e7e0002, "the owner read 0x%x",
		*word(p, 1, 0));
	*word(p, 0, 1) = 0x5a5a0003;
	first = mapped == OK ? peer_read(0, 4) : 0;
	utest_result("vm.shared.later_writes", first == 0x5a5a0003,
		"a write after the mapping: the peer read 0x%x", first);

	expect("vm.revoke", vm_revoke(id), OK);
	r = peer_map(id, 2 * PAGE, PROT_READ | PROT_WRITE, 1, &first);
	expect_error("vm.revoke.no_new_mappings", r);
	if (r == OK)
		peer_unmap(1);
	*word(p, 0, 2) = 0x5a5a0004;
	first = mapped == OK ? peer_read(0, 8) : 0;
	utest_result("vm.revoke.mapped_stays", first == 0x5a5a0004,
		"through the earlier mapping the peer read 0x%x", first);
	expect("vm.shared.peer_unmap", peer_unmap(0), OK);

	r = peer_map(0x0dead123, PAGE, PROT_READ, 1, &first);
	expect_error("vm.grant.bad_id", r);
	if (r == OK)
		peer_unmap(1);

	/* Granted to main, not to the peer. */
	r = vm_grant(p, PAGE, main_ep, PROT_READ, &id_other);
	r = r == OK ? peer_map(id_other, PAGE, PROT_READ, 1, &first) : OK;
	expect_error("vm.grant.not_grantee", r);
	if (r == OK)
		peer_unmap(1);

	r = vm_grant(p, PAGE, peer_ep, PROT_READ, &id_ro);
	if (r == OK) {
		int w = peer_map(id_ro, PAGE, PROT_READ | PROT_WRITE, 2,
			&first);
		expect_error("vm.grant.read_only_refuses_write", w);
		if (w == OK)
			peer_unmap(2);
		r = peer_map(id_ro, PAGE, PROT_READ, 3, &first);
	}
	utest_result("vm.grant.read_only_maps_read", r == OK &&
		first == 0x5a5a0001, "read-only grant: %d, the peer read 0x%x",
		r, first);
	for (uint32_t s = 0; s < PEER_SLOTS; s++)
		peer_unmap(s);
	vm_revoke(id_other);
	vm_revoke(id_ro);
	expect("vm.shared.owner_unmap", munmap(p, 2 * PAGE), OK);
}

static int child_pids(void *arg)
{
	int parent = *(int *)arg;

	return getppid() == parent && getpid() != parent ? getpid() : -999;
}

static void test_process_calls(void)
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
	expect("proc.wait_nohang", r, 0);
	r = pid > 0 ? kill(pid, 42) : pid;
	expect("proc.kill", r, OK);
	r = pid > 0 ? waitpid(pid, &st, 0) : pid;
	utest_result("proc.kill_status", r == pid && st == 42,
		"waitpid %d (child %d), status %d (42 expected)", r, pid, st);
	expect("proc.wait_not_child", waitpid(peer_ep, &st, 0), ECHILD);
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
	r = in_child(generation2, NULL, &st);
	if (r != OK)
		return 12;
	if (st != CHILD_OK)
		return st;
	return gen[0] == 101 && gen[1] == 201 && gen[2] == 0 ? CHILD_OK : 13;
}

static void test_cow(void)
{
	int pid, st = 0x7fffffff, r;
	message m;

	cow = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	if (cow == MAP_FAILED) {
		expect("vm.cow.parent_write_private", vm_errno, OK);
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
		expect("vm.cow.three_generations", vm_errno, OK);
		return;
	}
	gen[0] = 100;
	r = in_child(generation1, NULL, &st);
	utest_result("vm.cow.three_generations", r == OK && st == CHILD_OK &&
		gen[0] == 100 && gen[1] == 0 && gen[2] == 0, "child status %d "
		"(11-13: the child, 21-22: the grandchild saw wrong values), "
		"the parent reads %u %u %u", st, gen[0], gen[1], gen[2]);
	munmap((void *)gen, PAGE);
}

static void test_cache(void)
{
	uint32_t cached0 = stat1(VMS_CACHED);
	void *got = NULL, *q;
	uint8_t *p, *s;
	int r;

	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	if (p == MAP_FAILED) {
		expect("vm.cache.yield", vm_errno, OK);
		return;
	}
	fill(p, 2 * PAGE, ID_A);
	expect("vm.cache.yield", vm_cache_yield(p, 2 * PAGE, ID_A, 0, NULL,
		NULL), OK);
	utest_result("vm.cache.counted", stat1(VMS_CACHED) == cached0 + 1,
		"blocks in the cache: %u before, %u after", cached0,
		stat1(VMS_CACHED));
	utest_result("vm.cache.yield_leaves_zero", all_zero(p, 2 * PAGE),
		"the yielded range reads 0");
	fill(p, PAGE, 0x1234);
	expect("vm.cache.id_in_use", vm_cache_yield(p, PAGE, ID_A, 0, NULL,
		NULL), EEXIST);
	expect("vm.cache.get_wrong_length", vm_cache_get(NULL, PAGE, ID_A,
		&got), EINVAL);
	r = vm_cache_get(NULL, 2 * PAGE, ID_A, &got);
	expect("vm.cache.get", r, OK);
	utest_result("vm.cache.get_intact", r == OK && filled(got, 2 * PAGE,
		ID_A), "the block came back at 0x%x with its data",
		r == OK ? (uint32_t)(uintptr_t)got : 0);
	if (r == OK)
		munmap(got, 2 * PAGE);
	expect("vm.cache.unknown_id", vm_cache_get(NULL, PAGE, ID_UNKNOWN,
		&got), ENOENT);

	/* Yield one block and get another back in the same request. */
	fill(p, 2 * PAGE, ID_B);
	r = vm_cache_yield(p, 2 * PAGE, ID_B, 0, NULL, NULL);
	s = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	if (r == OK && s != MAP_FAILED) {
		fill(s, 2 * PAGE, ID_C);
		r = vm_cache_yield(s, 2 * PAGE, ID_C, ID_B, NULL, &got);
	}
	expect("vm.cache.yield_and_get", r, OK);
	utest_result("vm.cache.yield_and_get_intact", r == OK &&
		filled(got, 2 * PAGE, ID_B) && all_zero(s, 2 * PAGE),
		"block %u came back, the yielded range reads 0", ID_B);
	if (r == OK)
		munmap(got, 2 * PAGE);
	r = vm_cache_get(NULL, 2 * PAGE, ID_C, &q);
	utest_result("vm.cache.second_block_intact", r == OK &&
		filled(q, 2 * PAGE, ID_C), "block %u: %d", ID_C, r);
	if (r == OK)
		munmap(q, 2 * PAGE);
	if (s != MAP_FAILED)
		munmap(s, 2 * PAGE);
	munmap(p, 2 * PAGE);
	utest_result("vm.cache.all_taken", stat1(VMS_CACHED) == cached0,
		"blocks in the cache: %u (%u before the tests)",
		stat1(VMS_CACHED), cached0);
}

/* --- running out of memory -------------------------------------------------- */

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
	stack_reserve();
	memset(chunks, 0, sizeof chunks);
	memset(chunk_len, 0, sizeof chunk_len);
	for (uint32_t i = 0; i < FORGET_BLOCKS; i++) {
		uint8_t *b = mmap(NULL, blk, PROT_READ | PROT_WRITE, MAP_ANON);
		if (b == MAP_FAILED)
			continue;
		fill(b, blk, ID_FORGET + i);
		vm_cache_yield(b, blk, ID_FORGET + i, 0, NULL, NULL);
		munmap(b, blk);
	}
	forgot0 = stat1(VMS_FORGOTTEN);
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
	alive = stat1(VMS_TOTAL) > 0;
	for (uint32_t i = 0; i < n; i++)
		munmap(chunks[i], chunk_len[i]);
	utest_result("vm.oom.prealloc_enomem", last == ENOMEM && mib > 0,
		"%u MiB and %u pages preallocated, then %d (ENOMEM expected)",
		mib, pages, last);
	utest_result("vm.oom.vm_alive", alive, "VM answered at the limit");
	forgot1 = stat1(VMS_FORGOTTEN);
	utest_result("vm.cache.forgotten_counted", forgot1 > forgot0,
		"forgotten blocks %u before, %u after", forgot0, forgot1);
	for (uint32_t i = 0; i < FORGET_BLOCKS; i++) {
		int r = vm_cache_get(NULL, blk, ID_FORGET + i, &got);
		if (r == ENOENT) {
			gone++;
		} else if (r == OK && filled(got, blk, ID_FORGET + i)) {
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
static int eat_until_killed(void *arg)
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

static void test_oom(void)
{
	uint32_t free0 = stat1(VMS_FREE), free1;
	int st, r;

	r = in_child(oom_prealloc, NULL, &st);
	utest_result("vm.oom.prealloc_survives", r == OK && st == CHILD_OK,
		"the process that met ENOMEM exited with %d (wait %d)", st, r);
	r = in_child(eat_until_killed, NULL, &st);
	utest_result("vm.oom.fault_kills_enomem", r == OK && st == ENOMEM,
		"a child touching memory until none was left: status %d "
		"(ENOMEM %d expected; %d: VM refused a lazy mapping), wait %d",
		st, ENOMEM, CHILD_NO_LAZY, r);
	free1 = stat1(VMS_FREE);
	utest_result("vm.oom.pages_back", free1 == free0 && !stats_failed,
		"free pages %u before, %u after both children (VM_STATS "
		"failed %u times)", free0, free1, stats_failed);
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	utest_result("vm.oom.vm_serves", stat1(VMS_TOTAL) > 0 &&
		p != MAP_FAILED, "a new mapping after running out (%d)",
		vm_errno);
	if (p != MAP_FAILED)
		munmap(p, PAGE);
}

/* Everything above, in one process whose memory goes away when it ends. */
static void suite(void)
{
	uint32_t regions0;

	stack_reserve();
	sys_info(&info);
	printf("vmtest: suite running as %d\n", info.self);
	regions0 = stat1(VMS_REGIONS);
	test_stats();
	test_anon();
	test_contig();
	test_phys();
	test_fixed();
	test_munmap_split();
	test_bad_arguments();
	test_shared();
	test_process_calls();
	test_cow();
	test_cache();
	test_oom();
	utest_result("vm.leak.regions", stat1(VMS_REGIONS) == regions0 &&
		!stats_failed, "regions %u at the start, %u at the end "
		"(VM_STATS failed %u times)", regions0, stat1(VMS_REGIONS),
		stats_failed);
}

/* --- the roles -------------------------------------------------------------- */

static int role_main(void)
{
	uint32_t before[VM_STATS_COUNT], after[VM_STATS_COUNT];
	int st = 0x7fffffff, r, pid, counted;
	message m;

	sys_setcpu(SELF, 0);
	sys_info(&info);
	main_ep = info.self;
	peer_ep = make_endpoint(1, endpoint_slot(main_ep) + 1);
	r = ipc_receive(peer_ep, &m);
	utest_result("vmtest.peer_ready", r == OK && m.m_type == VT_READY,
		"peer %d: %d, type 0x%x", peer_ep, r, m.m_type);
	/* VM's own bookkeeping grows to hold every page once, now, so that
	 * it is not counted as a leak at the end. */
	r = in_child(eat_until_killed, NULL, &st);
	utest_result("vmtest.warm_up", r == OK && st == ENOMEM, "a child "
		"used all memory: status %d (ENOMEM %d expected), wait %d", st,
		ENOMEM, r);
	counted = stats(before) == OK;
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
	counted = stats(after) == OK && counted;
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

	if (info.cpus > 1)
		sys_setcpu(SELF, info.cpus - 1);
	main_ep = make_endpoint(1, endpoint_slot(info.self) - 1);
	/* A page table for the shared mappings' span, before main counts. */
	void *p = mmap((void *)PEER_AREA, PAGE, PROT_READ | PROT_WRITE,
		MAP_ANON | MAP_FIXED);
	if (p != MAP_FAILED) {
		*(volatile uint8_t *)p = 1;
		munmap(p, PAGE);
	}
	stack_reserve();
	memset(&m, 0, sizeof m);
	m.m_type = VT_READY;
	ipc_send(main_ep, &m);
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

int main(int argc, char **argv)
{
	const char *role = arg(argc, argv, "role");

	ipc_init();
	sys_info(&info);
	if (strcmp(role, "main") == 0)
		return role_main();
	if (strcmp(role, "peer") == 0)
		role_peer();
	printf("vmtest: unknown role '%s'\n", role);
	return 1;
}
