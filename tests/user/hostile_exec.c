/*
 * Hostile cases: exec (PM_EXEC, VM_EXEC, SYS_EXEC). Blocks at 0, in the
 * kernel's part, wrapping, too long or lying about their strings; names
 * of PM, VM and nothing; VM_EXEC and SYS_EXEC asked for directly; a
 * role= word that would give a driver's rights; and an exec by a process
 * that holds grants, shared memory, a cached block and odd FPU state,
 * whose new image (hostile execd=state) checks that all of it is gone
 * and that the sharer keeps only what it had fetched.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "cairn/args.h"
#include "cairn/grantlib.h"
#include "cairn/ipclib.h"
#include "cairn/syslib.h"
#include "cairn/vmlib.h"
#include "tests/user/hostile.h"

#define PAGE		4096u
#define KERNEL_ADDR	0xF0000000u
#define MARK0		0xa11ce000u	/* the shared pages' first words */
#define MARK1		0xa11ce001u
#define CACHE_ID	0x4e11u
#define FCW_ODD		0x027f		/* 53-bit precision: not FNINIT's */
#define FCW_INIT	0x037f

/* PM_EXEC as a hostile caller makes it: any address, any length. */
static int raw_exec(vir_bytes block, uint32_t len)
{
	message m = { 0 };
	int r;

	m.m_type = PM_EXEC;
	m.u.pm_exec.block = block;
	m.u.pm_exec.len = len;
	r = ipc_sendrec(PM_ENDPOINT, &m);
	return r != OK ? r : m.u.reply.status;
}

/* A block of head, name, argv; its length. */
static uint32_t pack(char *buf, uint32_t argc, uint32_t envc,
	const char *name, const char *const *argv)
{
	struct exec_block_head head = { argc, envc };
	uint32_t pos = sizeof head;

	memcpy(buf, &head, sizeof head);
	memcpy(buf + pos, name, strlen(name) + 1);
	pos += (uint32_t)strlen(name) + 1;
	for (uint32_t i = 0; i < argc; i++) {
		memcpy(buf + pos, argv[i], strlen(argv[i]) + 1);
		pos += (uint32_t)strlen(argv[i]) + 1;
	}
	return pos;
}

static char block[2 * PAGE] __attribute__((aligned(4096)));

static int bad_ranges(void)
{
	static const char *const argv[] = { "hostile", "role=none" };
	uint32_t len = pack(block, 2, 0, "hostile", argv);
	int ok = 1;

	ok &= h_expect("block at 0", raw_exec(0, len), EFAULT);
	ok &= h_expect("block at 0, empty", raw_exec(0, 0), EINVAL);
	ok &= h_expect("kernel range", raw_exec(KERNEL_ADDR, len), EFAULT);
	ok &= h_expect("last kernel page", raw_exec(0xfffff000u, 64),
		EFAULT);
	ok &= h_expect("wraps", raw_exec(0xfffff800u, 0x1000), EINVAL);
	ok &= h_expect("huge length", raw_exec((vir_bytes)block,
		0xffffffffu), E2BIG);
	ok &= h_expect("one past the limit", raw_exec((vir_bytes)block,
		EXEC_BLOCK_MAX + 1), E2BIG);
	ok &= h_expect("unmapped", raw_exec(0x20000000u, len), EFAULT);
	ok &= h_expect("runs off the end of the data",
		raw_exec((vir_bytes)block + 2 * PAGE - 8, 64), EINVAL);
	ok &= h_expect("cut short", raw_exec((vir_bytes)block, len - 1),
		EINVAL);
	ok &= h_expect("trailing bytes", raw_exec((vir_bytes)block, len + 3),
		EINVAL);
	/* The head claims more strings than a block has bytes. */
	((struct exec_block_head *)block)->argc = 0xffffffffu;
	ok &= h_expect("argc lie", raw_exec((vir_bytes)block, len), E2BIG);
	((struct exec_block_head *)block)->argc = 2;
	((struct exec_block_head *)block)->envc = 0x80000000u;
	ok &= h_expect("envc lie", raw_exec((vir_bytes)block, len), E2BIG);
	/* Text as a block: whatever it says, the caller stays. */
	ok &= h_expect_error("code as a block",
		raw_exec((vir_bytes)bad_ranges, 256));
	ok &= h_expect("still me", getpid(), h_info.self);
	return !ok;
}

static int bad_names(void)
{
	char *argv[] = { "x", NULL };
	char longname[200];
	int ok = 1;

	memset(longname, 'h', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	ok &= h_expect("pm", execve("pm", argv, NULL), EPERM);
	ok &= h_expect("vm", execve("vm", argv, NULL), ENOENT);
	ok &= h_expect("empty name", execve("", argv, NULL), EINVAL);
	ok &= h_expect("no such", execve("nosuch", argv, NULL), ENOENT);
	ok &= h_expect("long name", execve(longname, argv, NULL), ENOENT);
	ok &= h_expect("no argv", execve("hostile", NULL, NULL), EINVAL);
	ok &= h_expect("still me", getpid(), h_info.self);
	return !ok;
}

static int too_big(void)
{
	static char word[EXEC_BLOCK_MAX];
	char *argv[] = { word, NULL }, *many[1100];
	int ok = 1;

	memset(word, 'w', sizeof word - 1);
	ok &= h_expect("a 4 KiB word", execve("hostile", argv, NULL), E2BIG);
	for (int i = 0; i < 1099; i++)
		many[i] = "";
	many[0] = "hostile";
	many[1099] = NULL;
	ok &= h_expect("1099 empty words", execve("hostile", many, NULL),
		E2BIG);
	ok &= h_expect("1099 empty variables", execve("hostile", argv + 1,
		many), EINVAL);	/* no argv[0] comes first */
	argv[0] = "hostile";
	ok &= h_expect("environment too big", execve("hostile", argv, many),
		E2BIG);
	return !ok;
}

/* VM_EXEC is PM's, SYS_EXEC VM's. */
static int direct_calls(void)
{
	static const char *const argv[] = { "hostile", "role=none" };
	uint32_t len = pack(block, 2, 0, "hostile", argv);
	message m = { 0 };
	phys_bytes pgdir = 0x1000;
	int ok = 1, r;

	m.m_type = VM_EXEC;
	m.u.vm_exec.ep = h_info.self;
	m.u.vm_exec.block = (vir_bytes)block;
	m.u.vm_exec.len = len;
	r = ipc_sendrec(VM_ENDPOINT, &m);
	ok &= h_expect("VM_EXEC of itself", r == OK ? m.u.reply.status : r,
		EPERM);
	memset(&m, 0, sizeof m);
	m.m_type = VM_EXEC;
	m.u.vm_exec.ep = PM_ENDPOINT;
	r = ipc_sendrec(VM_ENDPOINT, &m);
	ok &= h_expect("VM_EXEC of PM", r == OK ? m.u.reply.status : r,
		EPERM);
	ok &= h_expect("SYS_EXEC of itself", sys_exec(h_info.self, pgdir,
		0x08048000u, 0xEF000000u - 16, "x"), EPERM);
	ok &= h_expect("SYS_EXEC of PM", sys_exec(PM_ENDPOINT, pgdir,
		0x08048000u, 0xEF000000u - 16, "x"), EPERM);
	ok &= h_expect("SYS_EXEC of VM", sys_exec(VM_ENDPOINT, 0, 0, 0, ""),
		EPERM);
	return !ok;
}

/* exec keeps the caller's rights: role=main names the driver's row, and
 * the new image (probe=rights, hostile_priv.c) still has none of it. */
static int role_gives_nothing(void)
{
	char *argv[] = { "hostile", "role=main", "probe=rights", NULL };

	return h_expect("exec", execve("hostile", argv, NULL), 0);
}

/* --- exec with grants, shared memory, a cached block, odd FPU state ----- */

#define SOP_MAP		1	/* w[0] VM grant, w[1] kernel grant (GF_MAP);
				 * reply w[0] status, w[1] first word */
#define SOP_PROBE	2	/* reply w[0] first word again, w[1] the
				 * mapped kernel grant's, w[2] safecopy */

/* The sharer: a child that maps the attacker's memory both ways
 * (VM_GRANT and safemap), reads the first page of each, and after the
 * exec reads them again, tries a copy through the old kernel grant, and
 * touches the second page it never fetched: that kills it (EFAULT). */
static void __attribute__((noreturn)) sharer(endpoint_t boss)
{
	volatile uint32_t *vg = NULL, *kg = NULL;
	uint32_t word = 0;
	message m;

	if (ipc_receive(boss, &m) != OK || m.m_type != SOP_MAP)
		exit(2);
	m.u.w[0] = (uint32_t)vm_mmap_shared(boss, m.u.w[0], 2 * PAGE,
		PROT_READ, (void **)&vg);
	if (m.u.w[0] == OK)
		m.u.w[0] = (uint32_t)vm_safemap(boss, (int32_t)m.u.w[1], 0,
			2 * PAGE, PROT_READ, (void **)&kg);
	if (m.u.w[0] == OK)
		m.u.w[1] = vg[0] + kg[0];
	ipc_send(boss, &m);
	if (m.u.w[0] != OK || ipc_receive(boss, &m) != OK ||
	    m.m_type != SOP_PROBE)
		exit(3);
	m.u.w[0] = vg[0];
	m.u.w[1] = kg[0];
	m.u.w[2] = (uint32_t)sys_safecopyfrom(boss, (cp_grant_id_t)m.u.w[3],
		0, &word, sizeof word);
	ipc_send(boss, &m);
	(void)vg[PAGE / 4];	/* never fetched: not the new image's */
	exit(4);
}

static int state_released(void)
{
	uint32_t *area = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		MAP_ANON);
	uint32_t *cached = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	uint16_t fcw = FCW_ODD;
	uint32_t vgid = 0;
	char pid[24], ppid[24], child[24], kgid[24], at[24];
	char *argv[] = { "hostile", "execd=state", pid, ppid, child, kgid,
		at, NULL };
	cp_grant_id_t mapgid, copygid;
	message m = { 0 };
	pid_t c;
	int ok = 1;

	if (area == MAP_FAILED || cached == MAP_FAILED)
		return 10;
	area[0] = MARK0;
	area[PAGE / 4] = MARK1;		/* present: the sharer could fetch it */
	if ((c = fork()) == 0)
		sharer(getppid());
	if (c < 0)
		return 11;
	ok &= h_expect("VM grant", vm_grant(area, 2 * PAGE, c, PROT_READ,
		&vgid), OK);
	mapgid = cpf_grant_direct(c, (vir_bytes)area, 2 * PAGE,
		GF_READ | GF_MAP);
	copygid = cpf_grant_direct(c, (vir_bytes)area, 16, GF_READ);
	ok &= h_expect_error("kernel grants", mapgid < 0 || copygid < 0 ?
		0 : -1);
	m.m_type = SOP_MAP;
	m.u.w[0] = vgid;
	m.u.w[1] = (uint32_t)mapgid;
	ok &= h_expect("sharer maps", ipc_sendrec(c, &m), OK);
	ok &= h_expect("sharer's mappings", (int)m.u.w[0], OK);
	ok &= h_expect("sharer reads", (int)m.u.w[1], (int)(2 * MARK0));
	cached[0] = 1;
	ok &= h_expect("cache yield", vm_cache_yield(cached, PAGE, CACHE_ID,
		0, NULL, NULL), OK);
	if (!ok)
		return 12;
	__asm__ volatile("fninit\n\tfldcw %0\n\tfld1\n\tfld1" : : "m"(fcw));
	snprintf(pid, sizeof pid, "pid=%d", getpid());
	snprintf(ppid, sizeof ppid, "ppid=%d", getppid());
	snprintf(child, sizeof child, "child=%d", c);
	snprintf(kgid, sizeof kgid, "grant=%d", copygid);
	snprintf(at, sizeof at, "at=0x%x", (uint32_t)(uintptr_t)area);
	h_expect("exec", execve("hostile", argv, NULL), 0);
	return 13;
}

/* hostile execd=state: the new image of state_released's attacker. */
static int execd_state(int argc, char **argv)
{
	pid_t c = (pid_t)arg_number(argc, argv, "child", 0);
	uint32_t at = arg_number(argc, argv, "at", 0);
	uint16_t fcw = 0, fsw = 0;
	uint32_t *area;
	uint32_t removed = 99;
	message m = { 0 };
	void *got = NULL;
	int ok = 1, st = 0;

	__asm__ volatile("fnstcw %0\n\tfnstsw %1" : "=m"(fcw), "=m"(fsw));
	ok &= h_expect("same pid", getpid(),
		(int)arg_number(argc, argv, "pid", 0));
	ok &= h_expect("same parent", getppid(),
		(int)arg_number(argc, argv, "ppid", 0));
	ok &= h_expect("FPU control word reset", fcw, FCW_INIT);
	ok &= h_expect("FPU stack empty (TOP 0)", (fsw >> 11) & 7, 0);
	ok &= h_expect("cached block gone", vm_cache_get(NULL, PAGE, CACHE_ID,
		&got), ENOENT);
	/* A new grant id 0 revokes no mapping the old image's id 0 made. */
	ok &= h_expect("safe-revmap", vm_saferevmap(0, &removed), OK);
	ok &= h_expect("nothing revoked", (int)removed, 0);
	/* Memory of its own where the old image shared its own: the
	 * sharer's unfetched page must not become this. */
	area = mmap((void *)at, 2 * PAGE, PROT_READ | PROT_WRITE,
		MAP_ANON | MAP_FIXED);
	ok &= h_expect("new memory at the old place", area == (void *)at, 1);
	if (area == (void *)at)
		area[PAGE / 4] = 0x5ec2e7u;
	m.m_type = SOP_PROBE;
	m.u.w[3] = arg_number(argc, argv, "grant", 0);
	ok &= h_expect("sharer answers", ipc_sendrec(c, &m), OK);
	ok &= h_expect("VM-grant page kept", (int)m.u.w[0], (int)MARK0);
	ok &= h_expect("safemap page kept", (int)m.u.w[1], (int)MARK0);
	ok &= h_expect_error("copy through the old grant", (int)m.u.w[2]);
	ok &= h_expect("sharer's wait", waitpid(c, &st, 0), c);
	ok &= h_expect("sharer killed touching the rest", st, EFAULT);
	return !ok;
}

int hostile_exec_execd(int argc, char **argv)
{
	if (strcmp(arg_value(argc, argv, "execd"), "state") == 0)
		return execd_state(argc, argv);
	return 1;
}

const struct hostile_case hostile_exec_cases[] = {
	{ "exec.bad_ranges", bad_ranges, HOSTILE_OK },
	{ "exec.bad_names", bad_names, HOSTILE_OK },
	{ "exec.too_big", too_big, HOSTILE_OK },
	{ "exec.direct_calls", direct_calls, HOSTILE_OK },
	{ "exec.role_no_rights", role_gives_nothing, HOSTILE_OK },
	{ "exec.state_released", state_released, HOSTILE_OK },
};
const int hostile_exec_count =
	sizeof hostile_exec_cases / sizeof hostile_exec_cases[0];
