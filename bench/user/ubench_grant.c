/*
 * Benchmarks of grants: SYS_SAFECOPYFROM of 64 B to 1 MiB (the kernel
 * copies the bytes through its window), VM_COWCOPY of 4 KiB to 1 MiB (VM
 * shares the pages copy-on-write) and of 64 KiB the other way (to the
 * granter), and safemap of 1 and 64 pages with a
 * touch of each and the granter's revocation. The granter is a forked
 * child on the same CPU that grants 1 MiB of present memory and, asked,
 * revokes and takes back mappings (cpf_revoke + VM_SAFEREVMAP) and grants
 * again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include "cairn/grantlib.h"
#include "cairn/ipclib.h"
#include "cairn/syslib.h"
#include "cairn/vmlib.h"
#include "bench/user/ubench_grant.h"

#define PAGE		4096u
#define GRANTED		(1024 * 1024u)	/* the child's granted memory */

#define GB_REGRANT	0x300	/* revoke u.w[0], take back, grant again */
#define GB_EXIT		0x301

static endpoint_t granter;
static cp_grant_id_t grant;
static uint8_t *dst;

static void __attribute__((noreturn)) granter_main(endpoint_t parent)
{
	uint8_t *buf = mmap(NULL, GRANTED, PROT_READ | PROT_WRITE,
		MAP_ANON | MAP_PREALLOC);
	uint32_t access = GF_READ | GF_WRITE | GF_MAP;
	message m = { 0 };

	sys_setcpu(SELF, 0);
	if (buf == MAP_FAILED)
		exit(1);
	for (uint32_t i = 0; i < GRANTED; i += 64)
		buf[i] = (uint8_t)i;
	m.u.w[0] = (uint32_t)cpf_grant_direct(parent, (vir_bytes)buf, GRANTED,
		access);
	ipc_send(parent, &m);
	for (;;) {
		uint32_t n;

		if (ipc_receive(parent, &m) != OK || m.m_type == GB_EXIT)
			exit(0);
		int r = cpf_revoke((cp_grant_id_t)m.u.w[0]);
		if (r == OK)
			r = vm_saferevmap((cp_grant_id_t)m.u.w[0], &n);
		if (r == OK)
			r = cpf_grant_direct(parent, (vir_bytes)buf, GRANTED,
				access);
		m.m_type = r;
		ipc_send(parent, &m);
	}
}

static int grant_setup(const struct ubench *b, unsigned count)
{
	struct sys_info self;
	message m;
	pid_t pid;

	(void)b;
	(void)count;
	dst = mmap(NULL, GRANTED, PROT_READ | PROT_WRITE,
		MAP_ANON | MAP_PREALLOC);
	if (dst == MAP_FAILED)
		return vm_errno;
	sys_info(&self);
	if ((pid = fork()) == 0)
		granter_main(self.self);
	if (pid < 0)
		return pid;
	granter = pid;
	if (ipc_receive(granter, &m) != OK || (int32_t)m.u.w[0] < 0)
		return EINVAL;
	grant = (cp_grant_id_t)m.u.w[0];
	return OK;
}

static void grant_teardown(const struct ubench *b)
{
	message m = { 0 };
	int st;

	(void)b;
	if (granter > 0) {
		m.m_type = GB_EXIT;
		ipc_send(granter, &m);
		waitpid(granter, &st, 0);
		granter = 0;
	}
	if (dst != MAP_FAILED && dst != NULL)
		munmap(dst, GRANTED);
	dst = NULL;
}

static uint64_t copy_bytes(const struct ubench *b)
{
	uint64_t t0 = bench_begin();
	int r = sys_safecopyfrom(granter, grant, 0, dst, b->arg);
	uint64_t t = bench_end() - t0;

	if (r != OK)
		ubench_fail("SYS_SAFECOPYFROM", r);
	return t;
}

/* The destination was written since the last copy (each page is private
 * again, as a buffer in use is): the copy replaces those pages. */
static uint64_t copy_cow(const struct ubench *b)
{
	for (uint32_t i = 0; i < b->arg; i += PAGE)
		dst[i] = 1;
	uint64_t t0 = bench_begin();
	int r = vm_cowcopy(granter, grant, 0, dst, b->arg);
	uint64_t t = bench_end() - t0;

	if (r != OK)
		ubench_fail("VM_COWCOPY", r);
	return t;
}

/* The other direction: my pages replace the granter's. Mine were
 * written since the last copy (private again), so the granter's pages
 * hold the only reference to the blocks they got last time: the copy
 * frees them, and invalidates them in the granter's space (it is not
 * waiting for VM, so the kernel cannot say it is quiet). */
static uint64_t copy_cow_to(const struct ubench *b)
{
	for (uint32_t i = 0; i < b->arg; i += PAGE)
		dst[i] = 1;
	uint64_t t0 = bench_begin();
	int r = vm_cowcopy_to(granter, grant, 0, dst, b->arg);
	uint64_t t = bench_end() - t0;

	if (r != OK)
		ubench_fail("VM_COWCOPY to the granter", r);
	return t;
}

static uint64_t safemap_touch_revoke(const struct ubench *b)
{
	message m = { 0 };
	void *p = NULL;
	uint64_t t0 = bench_begin();
	int r = vm_safemap(granter, grant, 0, b->arg * PAGE,
		PROT_READ | PROT_WRITE, &p);

	if (r == OK) {
		volatile uint8_t *v = p;
		for (uint32_t i = 0; i < b->arg; i++)
			v[i * PAGE] = 2;
		m.m_type = GB_REGRANT;
		m.u.w[0] = (uint32_t)grant;
		r = ipc_sendrec(granter, &m);
		if (r == OK)
			r = m.m_type;
	}
	uint64_t t = bench_end() - t0;

	if (r < 0)
		ubench_fail("safemap, touch, revoke", r);
	else
		grant = r;
	return t;
}

#define COPY(nm, what, bytes, fn, how) \
	(struct ubench){ .name = nm, .desc = how " of " what " from a " \
	"granter on the same CPU into present memory", .batch = 1, \
	.sample = fn, .arg = bytes, .setup = grant_setup, \
	.teardown = grant_teardown }

unsigned ubench_grant_list(struct ubench *list, unsigned max)
{
	const struct ubench all[] = {
		COPY("grant.safecopy.bytes.64", "64 B", 64, copy_bytes,
			"SYS_SAFECOPYFROM"),
		COPY("grant.safecopy.bytes.4k", "4 KiB", 4096, copy_bytes,
			"SYS_SAFECOPYFROM"),
		COPY("grant.safecopy.bytes.64k", "64 KiB", 65536, copy_bytes,
			"SYS_SAFECOPYFROM"),
		COPY("grant.safecopy.bytes.1m", "1 MiB", GRANTED, copy_bytes,
			"SYS_SAFECOPYFROM"),
		COPY("grant.safecopy.cow.4k", "4 KiB", 4096, copy_cow,
			"VM_COWCOPY (pages shared copy-on-write)"),
		COPY("grant.safecopy.cow.64k", "64 KiB", 65536, copy_cow,
			"VM_COWCOPY (pages shared copy-on-write)"),
		COPY("grant.safecopy.cow.1m", "1 MiB", GRANTED, copy_cow,
			"VM_COWCOPY (pages shared copy-on-write)"),
		{ .name = "grant.safecopy.cow_to.64k", .desc = "VM_COWCOPY "
		  "of 64 KiB to a granter on the same CPU (my pages, written "
		  "since the last copy, shared copy-on-write into its "
		  "memory)", .batch = 1, .sample = copy_cow_to, .arg = 65536,
		  .setup = grant_setup, .teardown = grant_teardown },
		{ .name = "grant.safemap.1", .desc = "safemap of 1 page of a "
		  "grant, a store to it, then the granter revokes (cpf_revoke, "
		  "VM_SAFEREVMAP) and grants again, asked by SENDREC",
		  .batch = 1, .sample = safemap_touch_revoke, .arg = 1,
		  .setup = grant_setup, .teardown = grant_teardown },
		{ .name = "grant.safemap.64", .desc = "safemap of 64 pages of "
		  "a grant, a store to each, then the granter revokes "
		  "(cpf_revoke, VM_SAFEREVMAP) and grants again, asked by "
		  "SENDREC", .batch = 1, .sample = safemap_touch_revoke,
		  .arg = 64, .setup = grant_setup,
		  .teardown = grant_teardown },
	};
	unsigned n = 0;

	for (; n < sizeof all / sizeof all[0] && n < max; n++)
		list[n] = all[n];
	return n;
}
