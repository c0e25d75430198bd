/*
 * Hostile cases: grants and copies through them (SYS_SETGRANT,
 * SYS_SAFECOPYFROM/TO, SYS_VSAFECOPY). Stale ids, wrong grantees, rights
 * and ranges exceeded, indirect chains cut in the middle, forged tables:
 * each gets its own error code, and copies that are allowed move the
 * right bytes. Granters other than the attacker are its forked children,
 * each serving requests from it (granter_loop).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cairn/grantlib.h"
#include "cairn/ipclib.h"
#include "cairn/syslib.h"
#include "cairn/vmlib.h"
#include <sys/mman.h>
#include "tests/user/hostile.h"

#define PAGE		4096u
#define KERNEL_ADDR	0xF0001000u

/* --- a granter child: makes and revokes grants when the attacker asks ---- */

#define GOP_DIRECT	1	/* w: grantee, offset in gbuf, len, access */
#define GOP_INDIRECT	2	/* w: grantee, from, id, offset, len, access */
#define GOP_REVOKE	3	/* w: id */
#define GOP_PEEK	4	/* w: offset in gbuf; reply: its byte */
#define GOP_EXIT	5
#define GOP_POKE	6	/* w: offset in gbuf, byte */
#define GOP_REVMAP	7	/* w: id; revoke, take back its mappings;
				 * reply: how many went */

#define GBUF_PAGES	8
/* Never touched before a case copies into it: the first copies find the
 * granter's pages absent and VM brings them in (a memory request). */
static uint8_t gbuf[GBUF_PAGES * PAGE] __attribute__((aligned(4096)));

static void __attribute__((noreturn)) granter_loop(endpoint_t boss)
{
	for (;;) {
		message m;
		int32_t r = OK;
		uint32_t *w = m.u.w;

		if (ipc_receive(boss, &m) != OK)
			exit(2);
		switch (m.m_type) {
		case GOP_DIRECT:
			r = cpf_grant_direct(w[0], (vir_bytes)gbuf + w[1], w[2],
				w[3]);
			break;
		case GOP_INDIRECT:
			r = cpf_grant_indirect(w[0], w[1], w[2], w[3], w[4],
				w[5]);
			break;
		case GOP_REVOKE:
			r = cpf_revoke(w[0]);
			break;
		case GOP_PEEK:
			r = w[0] < sizeof gbuf ? gbuf[w[0]] : EINVAL;
			break;
		case GOP_POKE:
			if (w[0] < sizeof gbuf)
				gbuf[w[0]] = (uint8_t)w[1];
			else
				r = EINVAL;
			break;
		case GOP_REVMAP: {
			uint32_t n = 0;

			if ((r = cpf_revoke(w[0])) == OK &&
			    (r = vm_saferevmap(w[0], &n)) == OK)
				r = (int32_t)n;
			break;
		}
		case GOP_EXIT:
			exit(HOSTILE_OK);
		default:
			r = EBADCALL;
		}
		m.m_type = r;
		if (ipc_send(boss, &m) != OK)
			exit(3);
	}
}

static endpoint_t granter_start(void)
{
	pid_t pid = fork();

	if (pid == 0)
		granter_loop(h_info.self);
	return pid;
}

/* One request to granter g: its answer (a grant id, a byte, or an error
 * code). */
static int32_t gcall(endpoint_t g, int op, uint32_t a, uint32_t b,
	uint32_t c, uint32_t d, uint32_t e, uint32_t f)
{
	message m;
	int r;

	memset(&m, 0, sizeof m);
	m.m_type = op;
	m.u.w[0] = a;
	m.u.w[1] = b;
	m.u.w[2] = c;
	m.u.w[3] = d;
	m.u.w[4] = e;
	m.u.w[5] = f;
	r = ipc_sendrec(g, &m);
	return r != OK ? r : m.m_type;
}

static int granter_stop(endpoint_t g)
{
	message m;
	int st = -1;

	memset(&m, 0, sizeof m);
	m.m_type = GOP_EXIT;
	if (ipc_send(g, &m) != OK || waitpid(g, &st, 0) != g)
		return 0;
	return st == HOSTILE_OK;
}

static void fill(uint8_t *p, uint32_t n, uint32_t seed)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7 + seed + (i >> 12));
}

static uint8_t src[GBUF_PAGES * PAGE] __attribute__((aligned(4096)));
/* Never touched before the copy into it: the caller's side faults. */
static uint8_t dst[GBUF_PAGES * PAGE] __attribute__((aligned(4096)));

/* --- the cases ------------------------------------------------------------- */

/* Copies both ways through a child's grant, straddling pages neither
 * side has touched yet; a vector; a copy of nothing. */
static int copy_basic(void)
{
	endpoint_t self = h_info.self, g = granter_start();
	uint8_t small[64];
	int ok = g > 0;
	cp_grant_id_t id = gcall(g, GOP_DIRECT, self, 0, sizeof gbuf,
		GF_READ | GF_WRITE, 0, 0);

	fill(src, sizeof src, 3);
	ok &= h_expect("grant id", id > 0, 1);
	ok &= h_expect("copy to the granter", sys_safecopyto(g, id, 100,
		src + 5, 5 * PAGE), OK);
	ok &= h_expect("first byte landed", gcall(g, GOP_PEEK, 100, 0, 0, 0,
		0, 0), src[5]);
	ok &= h_expect("last byte landed", gcall(g, GOP_PEEK,
		100 + 5 * PAGE - 1, 0, 0, 0, 0, 0), src[5 + 5 * PAGE - 1]);
	ok &= h_expect("byte before untouched", gcall(g, GOP_PEEK, 99, 0, 0,
		0, 0, 0), 0);
	ok &= h_expect("byte after untouched", gcall(g, GOP_PEEK,
		100 + 5 * PAGE, 0, 0, 0, 0, 0), 0);
	ok &= h_expect("copy from the granter", sys_safecopyfrom(g, id, 100,
		dst, 5 * PAGE), OK);
	ok &= h_expect("bytes read back", memcmp(dst, src + 5, 5 * PAGE), 0);

	struct vscp_vec v[2] = {
		{ g, id, 104, (vir_bytes)small, sizeof small, VSCP_FROM },
		{ g, id, 7 * PAGE, (vir_bytes)src, 16, VSCP_TO },
	};
	uint32_t done = 99;
	ok &= h_expect("vector", sys_vsafecopy(v, 2, &done), OK);
	ok &= h_expect("vector done", done, 2);
	ok &= h_expect("vector read", memcmp(small, src + 9, sizeof small), 0);
	ok &= h_expect("vector wrote", gcall(g, GOP_PEEK, 7 * PAGE + 15, 0, 0,
		0, 0, 0), src[15]);
	ok &= h_expect("copy of nothing", sys_safecopyfrom(g, id, sizeof gbuf,
		dst, 0), OK);
	ok &= h_expect("granter exits", granter_stop(g), 1);
	return ok ? HOSTILE_OK : 1;
}

/* A revoked id stays refused after its slot is reused, however often;
 * ids that never were are refused alike. */
static int stale_ids(void)
{
	static uint8_t buf[256];
	endpoint_t self = h_info.self;
	uint8_t tmp[16];
	int ok = 1;
	cp_grant_id_t old = cpf_grant_direct(self, (vir_bytes)buf, sizeof buf,
		GF_READ), id = old;

	ok &= h_expect("grant", old > 0, 1);
	ok &= h_expect("copy while live", sys_safecopyfrom(self, old, 0, tmp,
		16), OK);
	ok &= h_expect("revoke", cpf_revoke(old), OK);
	ok &= h_expect("copy after revoke", sys_safecopyfrom(self, old, 0, tmp,
		16), EINVAL);
	ok &= h_expect("revoke twice", cpf_revoke(old), EINVAL);
	for (int i = 0; i < 200 && ok; i++) {
		cp_grant_id_t prev = id;

		id = cpf_grant_direct(self, (vir_bytes)buf, sizeof buf,
			GF_READ | GF_WRITE);
		ok &= h_expect("slot reused", grant_id_slot(id),
			grant_id_slot(old));
		ok &= h_expect("new generation", id != prev, 1);
		ok &= h_expect("old id after reuse", sys_safecopyfrom(self, old,
			0, tmp, 16), EINVAL);
		ok &= h_expect("old id, writing", sys_safecopyto(self, old, 0,
			tmp, 16), EINVAL);
		ok &= h_expect("previous id", i == 0 ? OK :
			sys_safecopyfrom(self, prev, 0, tmp, 16), i == 0 ? OK :
			EINVAL);
		ok &= h_expect("new id", sys_safecopyfrom(self, id, 0, tmp, 16),
			OK);
		ok &= h_expect("revoke", cpf_revoke(id), OK);
	}
	ok &= h_expect("negative id", sys_safecopyfrom(self, -5, 0, tmp, 16),
		EINVAL);
	ok &= h_expect("generation 0", sys_safecopyfrom(self,
		make_grant_id(0, grant_id_slot(old)), 0, tmp, 16), EINVAL);
	ok &= h_expect("slot past the table", sys_safecopyfrom(self,
		make_grant_id(1, GRANT_SLOTS_MAX - 1), 0, tmp, 16), EINVAL);
	ok &= h_expect("granter ANY", sys_safecopyfrom(ANY, id, 0, tmp, 16),
		EINVAL);
	ok &= h_expect("granter never was", sys_safecopyfrom(
		make_endpoint(77, 200), id, 0, tmp, 16), EDEADSRCDST);
	return ok ? HOSTILE_OK : 1;
}

/* Grants to someone else are refused to the caller; ANY is anyone. */
static int wrong_grantee(void)
{
	static uint8_t buf[64];
	endpoint_t self = h_info.self, g = granter_start();
	uint8_t tmp[16];
	int ok = g > 0;
	cp_grant_id_t to_pm = cpf_grant_direct(PM_ENDPOINT, (vir_bytes)buf,
		sizeof buf, GF_READ | GF_WRITE);
	cp_grant_id_t to_any = cpf_grant_direct(ANY, (vir_bytes)buf,
		sizeof buf, GF_READ);
	cp_grant_id_t child_pm = gcall(g, GOP_DIRECT, PM_ENDPOINT, 0, PAGE,
		GF_READ | GF_WRITE, 0, 0);
	cp_grant_id_t child_me = gcall(g, GOP_DIRECT, self, 0, PAGE, GF_READ,
		0, 0);

	ok &= h_expect("own grant to PM", sys_safecopyfrom(self, to_pm, 0, tmp,
		16), EPERM);
	ok &= h_expect("own grant to PM, writing", sys_safecopyto(self, to_pm,
		0, tmp, 16), EPERM);
	ok &= h_expect("own grant to ANY", sys_safecopyfrom(self, to_any, 0,
		tmp, 16), OK);
	ok &= h_expect("child's grant to PM", sys_safecopyfrom(g, child_pm, 0,
		tmp, 16), EPERM);
	ok &= h_expect("child's grant to me", sys_safecopyfrom(g, child_me, 0,
		tmp, 16), OK);
	ok &= h_expect("granter exits", granter_stop(g), 1);
	return ok ? HOSTILE_OK : 1;
}

/* No copy beyond the access granted, directly or by a forward that
 * claims more than it received. */
static int rights(void)
{
	static uint8_t buf[64];
	endpoint_t self = h_info.self;
	uint8_t tmp[16] = { 1 };
	int ok = 1;
	cp_grant_id_t ro = cpf_grant_direct(self, (vir_bytes)buf, sizeof buf,
		GF_READ);
	cp_grant_id_t wo = cpf_grant_direct(self, (vir_bytes)buf, sizeof buf,
		GF_WRITE);
	cp_grant_id_t wider = cpf_grant_indirect(self, self, ro, 0, sizeof buf,
		GF_READ | GF_WRITE);

	ok &= h_expect("write through read-only", sys_safecopyto(self, ro, 0,
		tmp, 16), EPERM);
	ok &= h_expect("read through write-only", sys_safecopyfrom(self, wo, 0,
		tmp, 16), EPERM);
	ok &= h_expect("write-only writes", sys_safecopyto(self, wo, 0, tmp,
		16), OK);
	ok &= h_expect("read-only reads", sys_safecopyfrom(self, ro, 0, tmp,
		16), OK);
	ok &= h_expect("forward claims write", sys_safecopyto(self, wider, 0,
		tmp, 16), EPERM);
	ok &= h_expect("forward reads", sys_safecopyfrom(self, wider, 0, tmp,
		16), OK);
	ok &= h_expect("no access at all", cpf_grant_direct(self,
		(vir_bytes)buf, 16, 0), EINVAL);
	ok &= h_expect("map grant, not page-aligned", cpf_grant_direct(self,
		(vir_bytes)buf + 1, PAGE, GF_READ | GF_MAP), EINVAL);
	endpoint_t owner;
	vir_bytes addr;
	ok &= h_expect("VM's grant lookup", sys_grantinfo(self, ro, self, 0,
		16, GF_READ, &owner, &addr, NULL), EPERM);
	return ok ? HOSTILE_OK : 1;
}

/* A chain of two forwards: attacker <- D <- B <- A's memory. Each hop
 * narrows the range; cutting the middle one cuts the chain. */
static int indirect_chain(void)
{
	endpoint_t self = h_info.self;
	endpoint_t a = granter_start(), b = granter_start(),
		d = granter_start();
	int ok = a > 0 && b > 0 && d > 0;

	fill(src, 2 * PAGE, 11);
	cp_grant_id_t ga = gcall(a, GOP_DIRECT, b, 0, 4 * PAGE,
		GF_READ | GF_WRITE, 0, 0);
	cp_grant_id_t gb = gcall(b, GOP_INDIRECT, d, a, ga, PAGE, 2 * PAGE,
		GF_READ | GF_WRITE);
	cp_grant_id_t gd_rw = gcall(d, GOP_INDIRECT, self, b, gb, 0, 2 * PAGE,
		GF_READ | GF_WRITE);
	cp_grant_id_t gd = gcall(d, GOP_INDIRECT, self, b, gb, 16, PAGE,
		GF_READ);
	cp_grant_id_t gd_big = gcall(d, GOP_INDIRECT, self, b, gb, PAGE,
		2 * PAGE, GF_READ);

	ok &= h_expect("grants made", ga > 0 && gb > 0 && gd_rw > 0 &&
		gd > 0 && gd_big > 0, 1);
	ok &= h_expect("write down the chain", sys_safecopyto(d, gd_rw, 0,
		src, 2 * PAGE), OK);
	ok &= h_expect("landed at A's offset", gcall(a, GOP_PEEK, PAGE, 0, 0,
		0, 0, 0), src[0]);
	ok &= h_expect("A's last byte", gcall(a, GOP_PEEK, 3 * PAGE - 1, 0,
		0, 0, 0, 0), src[2 * PAGE - 1]);
	ok &= h_expect("A's byte before", gcall(a, GOP_PEEK, PAGE - 1, 0, 0,
		0, 0, 0), 0);
	memset(dst, 0, PAGE);
	ok &= h_expect("read down the chain", sys_safecopyfrom(d, gd, 0, dst,
		PAGE), OK);
	ok &= h_expect("read the right bytes", memcmp(dst, src + 16, PAGE), 0);
	ok &= h_expect("write through a read forward", sys_safecopyto(d, gd, 0,
		src, 16), EPERM);
	ok &= h_expect("past the forward's end", sys_safecopyfrom(d, gd, 1,
		dst, PAGE), EFAULT);
	ok &= h_expect("forward claiming more, inside", sys_safecopyfrom(d,
		gd_big, 0, dst, 16), OK);
	ok &= h_expect("forward claiming more, beyond", sys_safecopyfrom(d,
		gd_big, PAGE + 8, dst, 16), EFAULT);
	ok &= h_expect("B's grant is D's, not mine", sys_safecopyfrom(b, gb, 0,
		dst, 16), EPERM);
	ok &= h_expect("revoke the middle", gcall(b, GOP_REVOKE, gb, 0, 0, 0,
		0, 0), OK);
	ok &= h_expect("chain cut", sys_safecopyfrom(d, gd, 0, dst, 16),
		EINVAL);
	ok &= h_expect("chain cut, writing", sys_safecopyto(d, gd_rw, 0, src,
		16), EINVAL);
	ok &= h_expect("A exits", granter_stop(a), 1);
	ok &= h_expect("B exits", granter_stop(b), 1);
	ok &= h_expect("D exits", granter_stop(d), 1);
	return ok ? HOSTILE_OK : 1;
}

/* Ranges: past the grant's end, wrapping, huge, kernel addresses on
 * either side, memory that is not there. */
static int ranges(void)
{
	endpoint_t self = h_info.self;
	uint8_t tmp[32];
	int ok = 1;
	cp_grant_id_t id = cpf_grant_direct(self, (vir_bytes)src, 2 * PAGE,
		GF_READ | GF_WRITE);
	cp_grant_id_t kern = cpf_grant_direct(self, KERNEL_ADDR, PAGE,
		GF_READ | GF_WRITE);
	cp_grant_id_t none = cpf_grant_direct(self, 0x1000, PAGE, GF_READ);

	ok &= h_expect("one byte past the end", sys_safecopyfrom(self, id,
		2 * PAGE, tmp, 1), EFAULT);
	ok &= h_expect("straddling the end", sys_safecopyfrom(self, id,
		2 * PAGE - 1, tmp, 2), EFAULT);
	ok &= h_expect("offset wrapping", sys_safecopyfrom(self, id,
		0xfffffff0u, tmp, 0x20), EFAULT);
	ok &= h_expect("huge count", sys_safecopyto(self, id, 0, dst,
		0x7fffffffu), EFAULT);
	ok &= h_expect("my buffer wrapping", sys_safecopyfrom(self, id, 16,
		(void *)0xfffffff0u, 0x20), EINVAL);
	ok &= h_expect("my buffer in the kernel", sys_safecopyfrom(self, id, 0,
		(void *)KERNEL_ADDR, 16), EFAULT);
	ok &= h_expect("my buffer not mapped", sys_safecopyfrom(self, id, 0,
		NULL, 16), EFAULT);
	ok &= h_expect("grant of kernel memory, read", sys_safecopyfrom(self,
		kern, 0, tmp, 16), EFAULT);
	ok &= h_expect("grant of kernel memory, write", sys_safecopyto(self,
		kern, 0, tmp, 16), EFAULT);
	ok &= h_expect("grant of unmapped memory", sys_safecopyfrom(self, none,
		0, tmp, 16), EFAULT);
	ok &= h_expect("library refuses a wrapping grant", cpf_grant_direct(
		self, 0xfffff000u, 0x2000, GF_READ), EINVAL);
	return ok ? HOSTILE_OK : 1;
}

/* The vector: too long, in the kernel, a bad element stopping it. */
static int vector(void)
{
	endpoint_t self = h_info.self;
	static struct vscp_vec v[VSCP_MAX + 1];
	uint8_t tmp[16];
	uint32_t done = 99;
	int ok = 1;
	cp_grant_id_t id = cpf_grant_direct(self, (vir_bytes)src, PAGE,
		GF_READ);

	for (int i = 0; i <= VSCP_MAX; i++)
		v[i] = (struct vscp_vec){ self, id, i, (vir_bytes)tmp, 4,
			VSCP_FROM };
	ok &= h_expect("longest vector", sys_vsafecopy(v, VSCP_MAX, &done),
		OK);
	ok &= h_expect("all done", done, VSCP_MAX);
	ok &= h_expect("one too many", sys_vsafecopy(v, VSCP_MAX + 1, NULL),
		E2BIG);
	ok &= h_expect("huge count", sys_vsafecopy(v, 0xffffffffu, NULL),
		E2BIG);
	ok &= h_expect("vector in the kernel", sys_vsafecopy(
		(void *)KERNEL_ADDR, 2, NULL), EFAULT);
	ok &= h_expect("vector not mapped", sys_vsafecopy((void *)0x1000, 2,
		NULL), EFAULT);
	v[2].dir = 7;
	ok &= h_expect("bad direction", sys_vsafecopy(v, 4, &done), EINVAL);
	ok &= h_expect("stopped after two", done, 2);
	v[2].dir = VSCP_TO;
	ok &= h_expect("write through read-only", sys_vsafecopy(v, 4, &done),
		EPERM);
	ok &= h_expect("stopped after two again", done, 2);
	return ok ? HOSTILE_OK : 1;
}

/* A table the attacker writes by hand: entries the library would never
 * make must still be refused by the kernel. */
static int forged_table(void)
{
	static struct grant_entry t[4];
	endpoint_t self = h_info.self;
	uint8_t tmp[16];
	int ok = 1;

	t[0] = (struct grant_entry){ GF_USED | GF_READ, 1, ANY, 0x2000,
		0xfffff000u, 0, 0, 0 };
	t[1] = (struct grant_entry){ GF_USED | GF_READ | GF_INDIRECT, 1, ANY,
		16, 0, self, make_grant_id(1, 1), 0 };
	t[2] = (struct grant_entry){ GF_USED | GF_READ, 1, ANY, 0xffffffffu,
		0x1000, 0, 0, 0 };
	t[3] = (struct grant_entry){ GF_READ, 1, ANY, 16, (vir_bytes)src,
		0, 0, 0 };
	ok &= h_expect("table in the kernel", sys_setgrant(KERNEL_ADDR, 4),
		EFAULT);
	ok &= h_expect("table wrapping", sys_setgrant(0xffffffe0u, 4), EINVAL);
	ok &= h_expect("table too big", sys_setgrant((vir_bytes)t,
		GRANT_SLOTS_MAX + 1), E2BIG);
	ok &= h_expect("forged table", sys_setgrant((vir_bytes)t, 4), OK);
	ok &= h_expect("grant wrapping past 4 GiB", sys_safecopyfrom(self,
		make_grant_id(1, 0), 0x1000, tmp, 16), EFAULT);
	ok &= h_expect("grant into the kernel", sys_safecopyfrom(self,
		make_grant_id(1, 0), 0, tmp, 16), EFAULT);
	ok &= h_expect("forward to itself", sys_safecopyfrom(self,
		make_grant_id(1, 1), 0, tmp, 16), EINVAL);
	ok &= h_expect("huge grant reaching the kernel", sys_safecopyfrom(self,
		make_grant_id(1, 2), KERNEL_ADDR - 0x1000, tmp, 16), EFAULT);
	ok &= h_expect("entry not in use", sys_safecopyfrom(self,
		make_grant_id(1, 3), 0, tmp, 16), EINVAL);
	ok &= h_expect("slot past the table", sys_safecopyfrom(self,
		make_grant_id(1, 4), 0, tmp, 16), EINVAL);
	ok &= h_expect("table not mapped", sys_setgrant(0x1000, 16), OK);
	ok &= h_expect("unreadable table", sys_safecopyfrom(self,
		make_grant_id(1, 0), 0, tmp, 16), EINVAL);
	ok &= h_expect("no table", sys_setgrant(0, 0), OK);
	ok &= h_expect("no grants", sys_safecopyfrom(self, make_grant_id(1, 0),
		0, tmp, 4), EINVAL);
	return ok ? HOSTILE_OK : 1;
}

/* Thousands of grants in one table, each found by its slot; all revoked,
 * then the slots serve again. */
#define MANY	5000
static int many(void)
{
	static cp_grant_id_t ids[MANY];
	static uint32_t vals[MANY];
	endpoint_t self = h_info.self;
	uint32_t room = 0, got = 0;
	int ok = 1;

	for (int i = 0; i < MANY && ok; i++) {
		vals[i] = i * 3 + 1;
		ids[i] = cpf_grant_direct(self, (vir_bytes)&vals[i], 4,
			GF_READ);
		ok &= h_expect("grant", ids[i] > 0, 1);
	}
	ok &= h_expect("live grants", cpf_count(&room), MANY);
	for (int i = 0; i < MANY && ok; i += 499) {
		ok &= h_expect("copy", sys_safecopyfrom(self, ids[i], 0, &got,
			4), OK);
		ok &= h_expect("value", got, vals[i]);
		ok &= h_expect("neighbour's range", sys_safecopyfrom(self,
			ids[i], 4, &got, 4), EFAULT);
	}
	for (int i = 0; i < MANY; i++)
		ok &= cpf_revoke(ids[i]) == OK;
	ok &= h_expect("none live", cpf_count(NULL), 0);
	ok &= h_expect("first revoked", sys_safecopyfrom(self, ids[0], 0,
		&got, 4), EINVAL);
	ok &= h_expect("last revoked", sys_safecopyfrom(self, ids[MANY - 1], 0,
		&got, 4), EINVAL);
	for (int i = 0; i < MANY && ok; i++)
		ok &= cpf_grant_direct(self, (vir_bytes)&vals[i], 4, GF_READ) > 0;
	uint32_t room2 = 0;
	cpf_count(&room2);
	ok &= h_expect("slots reused, table not grown", room2, room);
	return ok ? HOSTILE_OK : 1;
}

/* A granter that exited, and a fork's child, which has no grants. */
static int after_exit(void)
{
	static uint8_t buf[64];
	endpoint_t g = granter_start();
	uint8_t tmp[16];
	int ok = g > 0;
	cp_grant_id_t id = gcall(g, GOP_DIRECT, h_info.self, 0, PAGE,
		GF_READ, 0, 0);
	cp_grant_id_t mine = cpf_grant_direct(ANY, (vir_bytes)buf, sizeof buf,
		GF_READ);

	ok &= h_expect("copy while it lives", sys_safecopyfrom(g, id, 0, tmp,
		16), OK);
	ok &= h_expect("granter exits", granter_stop(g), 1);
	ok &= h_expect("copy after its exit", sys_safecopyfrom(g, id, 0, tmp,
		16), EDEADSRCDST);
	pid_t pid = fork();
	if (pid == 0) {
		struct sys_info me;

		sys_info(&me);
		exit(sys_safecopyfrom(me.self, mine, 0, tmp, 16) == EINVAL ?
			HOSTILE_OK : 1);
	}
	int st = -1;
	ok &= h_expect("the child has no grants", pid > 0 &&
		waitpid(pid, &st, 0) == pid ? st : -1, HOSTILE_OK);
	ok &= h_expect("the parent's still work", sys_safecopyfrom(h_info.self,
		mine, 0, tmp, 16), OK);
	return ok ? HOSTILE_OK : 1;
}

static volatile uint8_t *touched;

static int touch(void)
{
	return touched[0];	/* not reached: the page is gone */
}

/* Safemap: both sides see each other's writes; rights, the map flag and
 * alignment are checked; revocation removes the mapping (a later touch
 * kills only the toucher) and a revoked id maps nothing. */
static int safemap(void)
{
	endpoint_t self = h_info.self, g = granter_start();
	uint8_t *at = NULL;
	int ok = g > 0;
	cp_grant_id_t rw = gcall(g, GOP_DIRECT, self, 0, 2 * PAGE,
		GF_READ | GF_WRITE | GF_MAP, 0, 0);
	cp_grant_id_t ro = gcall(g, GOP_DIRECT, self, 0, 2 * PAGE,
		GF_READ | GF_MAP, 0, 0);
	cp_grant_id_t nomap = gcall(g, GOP_DIRECT, self, 0, 2 * PAGE,
		GF_READ | GF_WRITE, 0, 0);
	cp_grant_id_t to_pm = gcall(g, GOP_DIRECT, PM_ENDPOINT, 0, 2 * PAGE,
		GF_READ | GF_MAP, 0, 0);
	/* A forward of a page and a bit: the memory it leads to is not
	 * page-aligned. */
	cp_grant_id_t odd = cpf_grant_indirect(self, g, rw, 100, PAGE,
		GF_READ | GF_MAP);
	void *p = NULL;

	ok &= h_expect("grants made", rw > 0 && ro > 0 && nomap > 0 &&
		to_pm > 0 && odd > 0, 1);
	ok &= h_expect("map", vm_safemap(g, rw, 0, 2 * PAGE, PROT_READ |
		PROT_WRITE, &p), OK);
	at = p;
	if (!ok)
		return 1;
	at[PAGE + 5] = 0xa5;
	ok &= h_expect("granter sees my write", gcall(g, GOP_PEEK, PAGE + 5,
		0, 0, 0, 0, 0), 0xa5);
	ok &= h_expect("granter writes", gcall(g, GOP_POKE, 7, 0x3c, 0, 0, 0,
		0), OK);
	ok &= h_expect("I see the granter's write", at[7], 0x3c);
	ok &= h_expect("write map of a read-only grant", vm_safemap(g, ro, 0,
		PAGE, PROT_READ | PROT_WRITE, &p), EPERM);
	ok &= h_expect("grant without GF_MAP", vm_safemap(g, nomap, 0, PAGE,
		PROT_READ, &p), EPERM);
	ok &= h_expect("grant to someone else", vm_safemap(g, to_pm, 0, PAGE,
		PROT_READ, &p), EPERM);
	ok &= h_expect("past the grant", vm_safemap(g, ro, PAGE, 2 * PAGE,
		PROT_READ, &p), EFAULT);
	ok &= h_expect("not page-aligned", vm_safemap(self, odd, 0, PAGE,
		PROT_READ, &p), EINVAL);
	ok &= h_expect("stale id", vm_safemap(g, rw + (1 << GRANT_SLOT_BITS),
		0, PAGE, PROT_READ, &p), EINVAL);
	ok &= h_expect("take back", gcall(g, GOP_REVMAP, rw, 0, 0, 0, 0, 0),
		1);
	ok &= h_expect("revoked id maps nothing", vm_safemap(g, rw, 0, PAGE,
		PROT_READ, &p), EINVAL);
	touched = at;
	ok &= h_expect("touch after revocation", h_child_status(touch),
		EFAULT);
	ok &= h_expect("granter still fine", gcall(g, GOP_PEEK, PAGE + 5, 0, 0,
		0, 0, 0), 0xa5);
	ok &= h_expect("granter exits", granter_stop(g), 1);
	return ok ? HOSTILE_OK : 1;
}

/* Copy-on-write safecopy: the copy has the granter's bytes, and a write
 * on either side afterwards stays on that side. Pages the granter also
 * shares through safemap are copied: the mapping keeps seeing the
 * granter, the copy does not. */
static int cowcopy(void)
{
	endpoint_t self = h_info.self, g = granter_start();
	uint8_t *cp = dst, *view = NULL;
	void *p = NULL;
	int ok = g > 0;
	cp_grant_id_t id = gcall(g, GOP_DIRECT, self, 0, 4 * PAGE,
		GF_READ | GF_WRITE | GF_MAP, 0, 0);

	fill(src, 4 * PAGE, 21);
	ok &= h_expect("fill the granter", sys_safecopyto(g, id, 0, src,
		3 * PAGE), OK);	/* page 3 stays untouched: zero */
	ok &= h_expect("map its first page", vm_safemap(g, id, 0, PAGE,
		PROT_READ | PROT_WRITE, &p), OK);
	view = p;
	/* Touched: from now on the granter's frame is shared for good. */
	ok &= h_expect("the view reads the granter", view[0], src[0]);
	memset(cp, 0x77, 4 * PAGE);
	uint32_t before[VM_STATS_COUNT], after[VM_STATS_COUNT];
	ok &= h_expect("stats", vm_stats(before), OK);
	ok &= h_expect("copy on write", vm_cowcopy(g, id, 0, cp, 4 * PAGE), OK);
	/* Pages 1 and 2 shared (my two old ones freed), page 3 zero (freed
	 * too), page 0 copied into the one I had. */
	ok &= h_expect("stats", vm_stats(after), OK);
	ok &= h_expect("pages shared, not copied", after[VMS_FREE] -
		before[VMS_FREE], 3);
	ok &= h_expect("bytes", memcmp(cp, src, 3 * PAGE), 0);
	ok &= h_expect("untouched page reads zero", cp[3 * PAGE + 9], 0);
	cp[PAGE + 1] ^= 0xff;
	ok &= h_expect("my write stays mine", gcall(g, GOP_PEEK, PAGE + 1, 0,
		0, 0, 0, 0), src[PAGE + 1]);
	ok &= h_expect("granter writes a shared page", gcall(g, GOP_POKE,
		2 * PAGE + 3, src[2 * PAGE + 3] ^ 0x55, 0, 0, 0, 0), OK);
	ok &= h_expect("its write stays its", cp[2 * PAGE + 3],
		src[2 * PAGE + 3]);
	ok &= h_expect("granter writes the mapped page", gcall(g, GOP_POKE, 9,
		0xee, 0, 0, 0, 0), OK);
	ok &= h_expect("the mapping sees it", view[9], 0xee);
	ok &= h_expect("the copy does not", cp[9], src[9]);
	view[10] = 0xdd;
	ok &= h_expect("the copy does not see the mapping's write", cp[10],
		src[10]);
	ok &= h_expect("unaligned destination", vm_cowcopy(g, id, 0, cp + 1,
		PAGE), EINVAL);
	ok &= h_expect("not whole pages", vm_cowcopy(g, id, 0, cp, 100),
		EINVAL);
	ok &= h_expect("past the grant", vm_cowcopy(g, id, PAGE, cp,
		4 * PAGE), EFAULT);
	ok &= h_expect("into a kernel address", vm_cowcopy(g, id, 0,
		(void *)0xF0000000u, PAGE), EINVAL);
	ok &= h_expect("into memory not mapped", vm_cowcopy(g, id, 0,
		(void *)0x1000, PAGE), EFAULT);
	ok &= h_expect("the library's copy", safecopyfrom(g, id, 0, cp,
		4 * PAGE), OK);
	ok &= h_expect("bytes again", cp[PAGE + 1], src[PAGE + 1]);
	ok &= h_expect("unmap the view", munmap(view, PAGE), OK);
	ok &= h_expect("granter exits", granter_stop(g), 1);
	return ok ? HOSTILE_OK : 1;
}

/* Revocation finds every mapping made through the id, and only those:
 * both pieces of a mapping cut in two, a forked child's copies, none of
 * another grant's; mappings made and unmapped many times leave nothing
 * behind that a revocation would trip on. */
static int revmap_index(void)
{
	endpoint_t self = h_info.self, g = granter_start();
	int ok = g > 0;
	cp_grant_id_t rw = gcall(g, GOP_DIRECT, self, 0, 4 * PAGE,
		GF_READ | GF_WRITE | GF_MAP, 0, 0);
	cp_grant_id_t other = gcall(g, GOP_DIRECT, self, 0, PAGE,
		GF_READ | GF_MAP, 0, 0);
	uint8_t *three = NULL, *one = NULL;
	void *p = NULL;
	message m;
	pid_t child;
	int st = -1;

	ok &= h_expect("grants", rw > 0 && other > 0, 1);
	ok &= h_expect("granter fills", gcall(g, GOP_POKE, 2 * PAGE, 0x42, 0,
		0, 0, 0), OK);
	ok &= h_expect("map three pages", vm_safemap(g, rw, 0, 3 * PAGE,
		PROT_READ | PROT_WRITE, &p), OK);
	three = p;
	ok &= h_expect("map through the other grant", vm_safemap(g, other, 0,
		PAGE, PROT_READ, &p), OK);
	one = p;
	if (!ok)
		return 1;
	ok &= h_expect("the view", three[2 * PAGE], 0x42);
	three[0] = 1;
	ok &= h_expect("cut out the middle", munmap(three + PAGE, PAGE), OK);
	/* Three mappings live at a time, each new one somewhere else: VM's
	 * index of them must not grow with the rounds (the health check's
	 * page count would see VM's heap grow). */
	void *ring[3] = { NULL, NULL, NULL };
	for (int i = 0; i < 300 && ok; i++) {
		void **slot = &ring[i % 3];

		if (*slot != NULL)
			ok &= h_expect("unmap again", munmap(*slot, PAGE), OK);
		ok &= h_expect("map again", vm_safemap(g, rw, 0, PAGE,
			PROT_READ, slot), OK);
		ok &= h_expect("read", ((volatile uint8_t *)*slot)[0], 1);
	}
	for (int i = 0; i < 3; i++)
		ok &= h_expect("unmap the ring", munmap(ring[i], PAGE), OK);
	/* A child inherits both pieces and waits until the revocation. */
	if ((child = fork()) == 0) {
		if (ipc_receive(ANY, &m) != OK)
			exit(2);
		exit(three[2 * PAGE]);	/* gone: the child dies here */
	}
	ok &= h_expect("fork", child > 0, 1);
	ok &= h_expect("not the granter: nothing of mine to take back",
		vm_saferevmap(rw, NULL), OK);
	ok &= h_expect("the view is still there", three[2 * PAGE], 0x42);
	ok &= h_expect("take back: two pieces, the child's two",
		gcall(g, GOP_REVMAP, rw, 0, 0, 0, 0, 0), 4);
	memset(&m, 0, sizeof m);
	ok &= h_expect("wake the child", ipc_send(child, &m), OK);
	ok &= h_expect("child waited", waitpid(child, &st, 0), child);
	ok &= h_expect("child's touch after revocation", st, EFAULT);
	touched = three + 2 * PAGE;
	ok &= h_expect("my touch after revocation", h_child_status(touch),
		EFAULT);
	ok &= h_expect("the other grant's mapping stays", one[0], 1);
	ok &= h_expect("take back the other", gcall(g, GOP_REVMAP, other, 0, 0,
		0, 0, 0), 1);
	ok &= h_expect("granter exits", granter_stop(g), 1);
	return ok ? HOSTILE_OK : 1;
}

/* VM_COWCOPY with any dir, as a hostile caller may send it. */
static int raw_cowcopy(endpoint_t g, cp_grant_id_t id, uint32_t offset,
	vir_bytes addr, uint32_t len, uint32_t dir)
{
	message m;
	int r;

	memset(&m, 0, sizeof m);
	m.m_type = VM_COWCOPY;
	m.u.vm_cowcopy.granter = g;
	m.u.vm_cowcopy.grant = id;
	m.u.vm_cowcopy.offset = offset;
	m.u.vm_cowcopy.addr = addr;
	m.u.vm_cowcopy.len = len;
	m.u.vm_cowcopy.dir = dir;
	r = ipc_sendrec(VM_ENDPOINT, &m);
	return r != OK ? r : m.u.reply.status;
}

/* Copy-on-write safecopy TO the granter: its pages become shares of
 * mine; a write on either side afterwards stays on that side; a page of
 * its that I map (safemap) is copied into, so the mapping sees the new
 * bytes; every bad request is refused with its code and nothing moves. */
static int cowcopy_to(void)
{
	endpoint_t self = h_info.self, g = granter_start();
	uint8_t *view = NULL;
	void *p = NULL;
	int ok = g > 0;
	cp_grant_id_t rw = gcall(g, GOP_DIRECT, self, 0, 4 * PAGE,
		GF_READ | GF_WRITE | GF_MAP, 0, 0);
	cp_grant_id_t ro = gcall(g, GOP_DIRECT, self, 0, 4 * PAGE, GF_READ,
		0, 0);
	cp_grant_id_t other = gcall(g, GOP_DIRECT, g, 0, 4 * PAGE,
		GF_READ | GF_WRITE, 0, 0);
	uint32_t before[VM_STATS_COUNT], after[VM_STATS_COUNT];

	ok &= h_expect("grants", rw > 0 && ro > 0 && other > 0, 1);
	ok &= h_expect("map its first page", vm_safemap(g, rw, 0, PAGE,
		PROT_READ | PROT_WRITE, &p), OK);
	view = p;
	ok &= h_expect("touch the view", view[0], 0);
	ok &= h_expect("granter has page 1", gcall(g, GOP_POKE, PAGE + 1, 9, 0,
		0, 0, 0), OK);
	fill(src, 4 * PAGE, 33);
	ok &= h_expect("stats", vm_stats(before), OK);
	ok &= h_expect("copy on write to", vm_cowcopy_to(g, rw, 0, src,
		4 * PAGE), OK);
	ok &= h_expect("stats", vm_stats(after), OK);
	/* Page 0 copied into the frame the view shares; pages 1-3 shared:
	 * the granter's page 1 freed, 2 and 3 were never there. */
	ok &= h_expect("pages shared, not copied", after[VMS_FREE] -
		before[VMS_FREE], 1);
	for (uint32_t at = 5; at < 4 * PAGE; at += 1237)
		ok &= h_expect("granter has my bytes", gcall(g, GOP_PEEK, at,
			0, 0, 0, 0, 0), src[at]);
	ok &= h_expect("the mapping sees the copy", view[5], src[5]);
	src[PAGE + 1] ^= 0xff;
	ok &= h_expect("my later write stays mine", gcall(g, GOP_PEEK,
		PAGE + 1, 0, 0, 0, 0, 0), src[PAGE + 1] ^ 0xff);
	ok &= h_expect("granter writes a shared page", gcall(g, GOP_POKE,
		2 * PAGE + 3, (uint8_t)(src[2 * PAGE + 3] ^ 0x55), 0, 0, 0,
		0), OK);
	ok &= h_expect("its write stays its", gcall(g, GOP_PEEK, 2 * PAGE + 3,
		0, 0, 0, 0, 0), src[2 * PAGE + 3] ^ 0x55);
	ok &= h_expect("mine unchanged", src[2 * PAGE + 4], src[2 * PAGE + 4]);
	ok &= h_expect("read-only grant", vm_cowcopy_to(g, ro, 0, src,
		4 * PAGE), EPERM);
	ok &= h_expect("grant for someone else", vm_cowcopy_to(g, other, 0,
		src, 4 * PAGE), EPERM);
	ok &= h_expect("unaligned source", vm_cowcopy_to(g, rw, 0, src + 1,
		PAGE), EINVAL);
	ok &= h_expect("unaligned offset", vm_cowcopy_to(g, rw, 1, src,
		PAGE), EINVAL);
	ok &= h_expect("nothing", vm_cowcopy_to(g, rw, 0, src, 0), EINVAL);
	ok &= h_expect("from page 0", vm_cowcopy_to(g, rw, 0, NULL, PAGE),
		EINVAL);
	ok &= h_expect("from the kernel", vm_cowcopy_to(g, rw, 0,
		(void *)KERNEL_ADDR, PAGE), EINVAL);
	ok &= h_expect("wrapping", raw_cowcopy(g, rw, 0, 0xfffff000u,
		2 * PAGE, VSCP_TO), EINVAL);
	ok &= h_expect("huge: past the grant", raw_cowcopy(g, rw, 0,
		(vir_bytes)src, 0x80000000u, VSCP_TO), EFAULT);
	ok &= h_expect("huge: into the kernel", raw_cowcopy(g, rw, 0,
		(vir_bytes)src, 0xf0000000u, VSCP_TO), EINVAL);
	ok &= h_expect("past the grant", vm_cowcopy_to(g, rw, PAGE, src,
		4 * PAGE), EFAULT);
	ok &= h_expect("offset wraps", raw_cowcopy(g, rw, 0xfffff000u,
		(vir_bytes)src, PAGE, VSCP_TO), EFAULT);
	ok &= h_expect("from memory not mapped", vm_cowcopy_to(g, rw, 0,
		(void *)0x1000, PAGE), EFAULT);
	ok &= h_expect("no such direction", raw_cowcopy(g, rw, 0,
		(vir_bytes)src, PAGE, 7), EINVAL);
	ok &= h_expect("stale id", vm_cowcopy_to(g, rw + (1 << GRANT_SLOT_BITS),
		0, src, PAGE), EINVAL);
	ok &= h_expect("the library's copy", safecopyto(g, rw, 0, src,
		4 * PAGE), OK);
	ok &= h_expect("bytes again", gcall(g, GOP_PEEK, PAGE + 1, 0, 0, 0, 0,
		0), src[PAGE + 1]);
	ok &= h_expect("the library falls back, and says no", safecopyto(g, ro,
		0, src, 4 * PAGE), EPERM);
	ok &= h_expect("revoke", gcall(g, GOP_REVOKE, rw, 0, 0, 0, 0, 0), OK);
	ok &= h_expect("revoked id", vm_cowcopy_to(g, rw, 0, src, PAGE),
		EINVAL);
	ok &= h_expect("unmap the view", munmap(view, PAGE), OK);
	ok &= h_expect("granter exits", granter_stop(g), 1);
	ok &= h_expect("granter gone", vm_cowcopy_to(g, ro, 0, src, PAGE),
		EDEADSRCDST);
	ok &= h_expect("granter gone, from", vm_cowcopy(g, ro, 0, dst, PAGE),
		EDEADSRCDST);
	return ok ? HOSTILE_OK : 1;
}

/* A copy-on-write copy asked without waiting for the answer (SEND):
 * the requester runs on while VM edits its page table, so VM must
 * invalidate; the bytes arrive all the same and no page is lost. */
static int cowcopy_nowait(void)
{
	endpoint_t self = h_info.self, g = granter_start();
	int ok = g > 0;
	cp_grant_id_t id = gcall(g, GOP_DIRECT, self, 0, 4 * PAGE, GF_READ |
		GF_WRITE, 0, 0);
	uint8_t *cp = dst + 4 * PAGE;
	message m;
	uint32_t sum = 0;

	fill(src, 4 * PAGE, 55);
	ok &= h_expect("fill the granter", sys_safecopyto(g, id, 0, src,
		4 * PAGE), OK);
	memset(cp, 0x11, 4 * PAGE);
	memset(&m, 0, sizeof m);
	m.m_type = VM_COWCOPY;
	m.u.vm_cowcopy.granter = g;
	m.u.vm_cowcopy.grant = id;
	m.u.vm_cowcopy.addr = (vir_bytes)cp;
	m.u.vm_cowcopy.len = 4 * PAGE;
	/* SEND, not SENDREC: it returns once VM has the request, and I
	 * run on, not waiting for the answer. */
	ok &= h_expect("ask", ipc_send(VM_ENDPOINT, &m), OK);
	/* Keep my TLB full of the old pages while VM works. */
	for (int round = 0; round < 200; round++)
		for (uint32_t i = 0; i < 4 * PAGE; i += PAGE)
			sum += cp[i + (round & 63)];
	(void)sum;
	/* Its answer (or none, if it found me not waiting): then a normal
	 * request, after which VM is surely done with the first. */
	uint32_t st[VM_STATS_COUNT];
	ok &= h_expect("VM answers", vm_stats(st), OK);
	ok &= h_expect("bytes", memcmp(cp, src, 4 * PAGE), 0);
	cp[7] = 1;
	ok &= h_expect("my write stays mine", gcall(g, GOP_PEEK, 7, 0, 0, 0,
		0, 0), src[7]);
	ok &= h_expect("granter exits", granter_stop(g), 1);
	/* The pages it shared with me outlive it, mine alone now. */
	ok &= h_expect("bytes after the granter died", memcmp(cp + PAGE,
		src + PAGE, 3 * PAGE), 0);
	cp[2 * PAGE] ^= 1;
	ok &= h_expect("and writable", cp[2 * PAGE], src[2 * PAGE] ^ 1);
	return ok ? HOSTILE_OK : 1;
}

const struct hostile_case hostile_grant_cases[] = {
	{ "grant.copy_basic", copy_basic, HOSTILE_OK },
	{ "grant.stale_ids", stale_ids, HOSTILE_OK },
	{ "grant.wrong_grantee", wrong_grantee, HOSTILE_OK },
	{ "grant.rights", rights, HOSTILE_OK },
	{ "grant.indirect_chain", indirect_chain, HOSTILE_OK },
	{ "grant.ranges", ranges, HOSTILE_OK },
	{ "grant.vector", vector, HOSTILE_OK },
	{ "grant.forged_table", forged_table, HOSTILE_OK },
	{ "grant.many", many, HOSTILE_OK },
	{ "grant.after_exit", after_exit, HOSTILE_OK },
	{ "grant.safemap", safemap, HOSTILE_OK },
	{ "grant.cowcopy", cowcopy, HOSTILE_OK },
	{ "grant.cowcopy_to", cowcopy_to, HOSTILE_OK },
	{ "grant.revmap_index", revmap_index, HOSTILE_OK },
	{ "grant.cowcopy_nowait", cowcopy_nowait, HOSTILE_OK },
};
const int hostile_grant_count = sizeof hostile_grant_cases /
	sizeof hostile_grant_cases[0];
