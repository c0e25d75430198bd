/*
 * The fake kernel and VM of libcairn's Linux-hosted test (linux_kernel.h).
 * Linking ipc_trap_int/_sysenter/_syscall from here keeps the real stubs
 * out of the program; Linux system calls (int $0x80, i386 numbers) provide
 * output, heap pages and the exit.
 */
#include "tests/libcairn/linux_kernel.h"

#include <stdlib.h>
#include <string.h>
#include "cairn/ipclib.h"

#define LINUX_EXIT_GROUP	252
#define LINUX_WRITE		4
#define LINUX_OLD_MMAP		90	/* takes its six arguments in memory */
#define LINUX_PROT_RW		3
#define LINUX_MAP_PRIVATE_ANON	0x22
#define LINUX_MAP_FIXED_NOREPLACE 0x100000

#define PAGE	4096u

struct fake_kernel fake;

extern char _end[];

static int linux_call(int nr, uint32_t a, uint32_t b, uint32_t c)
{
	int r;

	__asm__ volatile("int $0x80" : "=a"(r)
		: "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return r;
}

static void linux_write(const char *s, uint32_t n)
{
	linux_call(LINUX_WRITE, 1, (uint32_t)s, n);
}

__attribute__((noreturn)) static void linux_exit(int status)
{
	for (;;)
		linux_call(LINUX_EXIT_GROUP, (uint32_t)status, 0, 0);
}

void fake_write(const char *s)
{
	linux_write(s, strlen(s));
}

void fake_capture(int on)
{
	fake.capture = on;
	fake.console_len = fake.prints = 0;
	fake.console[0] = '\0';
	fake.record_len = fake.records = 0;
	fake.record[0] = '\0';
}

static int diagprint(const struct sys_diagprint *d)
{
	const char *s = (const char *)d->buf;

	if (d->flags & DIAG_RECORD) {
		if (d->len > URECORD_MAX)
			return EINVAL;
		memcpy(fake.record, s, d->len);
		fake.record[d->len] = '\0';
		fake.record_len = d->len;
		fake.records++;
		return OK;
	}
	if (!fake.capture) {
		linux_write(s, d->len);
		return OK;
	}
	if (fake.prints < FAKE_PRINTS)
		fake.print_len[fake.prints] = d->len;
	fake.prints++;
	if (d->len < FAKE_CONSOLE - fake.console_len) {
		memcpy(fake.console + fake.console_len, s, d->len);
		fake.console_len += d->len;
		fake.console[fake.console_len] = '\0';
	}
	return OK;
}

/* Outputs of VMCTL subcalls, values the test program knows. */
static int vmctl(struct sys_vmctl *v)
{
	switch (v->op) {
	case VMCTL_MEMREQ_GET:
		v->v.memreq.requestor = make_endpoint(2, 9);
		v->v.memreq.addr = 0x0804a123;
		v->v.memreq.len = 77;
		v->v.memreq.write = 1;
		return OK;
	case VMCTL_KERN_PHYSMAP:
		if (v->v.physmap.index != 0)
			return ESRCH;
		v->v.physmap.phys = 0xfee00000;
		v->v.physmap.len = 0x1000;
		v->v.physmap.vaddr = 0xffb00000;
		v->v.physmap.flags = KPM_UNCACHED | KPM_WRITABLE;
		return OK;
	case VMCTL_GET_PGDIR:
		v->v.addrspace.pgdir = 0x5000;
		return OK;
	default:
		return OK;
	}
}

static int kernel_call_fake(message *m)
{
	switch (m->m_type) {
	case SYS_INFO:
		m->u.info = (struct sys_info){
			.self = FAKE_SELF, .cpu = 1, .cpus = 2,
			.entry_best = ENTRY_SYSENTER,
			.entry_mask = 1u << ENTRY_INT | 1u << ENTRY_SYSENTER,
			.tsc_khz = 2000000,
		};
		return OK;
	case SYS_DIAGPRINT:
		return diagprint(&m->u.diagprint);
	case SYS_VMCTL:
		return vmctl(&m->u.vmctl);
	case SYS_NEWPROC:
		m->u.newproc.endpoint = make_endpoint(2, 7);
		return OK;
	case SYS_UMAP:
		m->u.umap.phys = m->u.umap.vaddr + 0x100000;
		return OK;
	case SYS_FORK:
		m->u.fork.child = make_endpoint(2, 8);
		return OK;
	default:
		return m->m_type >= 0 && m->m_type < SYS_CALLS ? OK : ENOSYS;
	}
}

/* VM_BRK: maps the pages a growing break needs. */
static int vm_brk(vir_bytes addr)
{
	uint32_t args[6];
	vir_bytes top = (addr + PAGE - 1) & ~(PAGE - 1);

	if (fake.heap_start == 0)
		fake.heap_start = fake.heap_mapped =
			((vir_bytes)_end + PAGE - 1) & ~(PAGE - 1);
	fake.brk_calls++;
	if (addr < fake.heap_start)
		return EINVAL;
	if (addr - fake.heap_start > FAKE_HEAP_MAX)
		return ENOMEM;
	if (top <= fake.heap_mapped)
		return OK;
	args[0] = fake.heap_mapped;
	args[1] = top - fake.heap_mapped;
	args[2] = LINUX_PROT_RW;
	args[3] = LINUX_MAP_PRIVATE_ANON | LINUX_MAP_FIXED_NOREPLACE;
	args[4] = (uint32_t)-1;
	args[5] = 0;
	if ((vir_bytes)linux_call(LINUX_OLD_MMAP, (uint32_t)args, 0, 0) !=
			fake.heap_mapped)
		return ENOMEM;
	fake.heap_mapped = top;
	return OK;
}

/* PM_EXIT ends the Linux process: with the test program's verdict when
 * a panic was expected, else with the status. */
__attribute__((noreturn)) static void pm_exit(int status)
{
	if (fake.expect_panic) {
		static const char want[] = "panic: assertion \"two == 3\" failed";
		int ok = status == EXIT_PANIC &&
			strncmp(fake.console, want, sizeof want - 1) == 0;

		fake_write(ok ? "PASS libcairn.assert_panics\n" :
			"FAIL libcairn.assert_panics: no panic exit\n");
		linux_exit(fake.failures + !ok);
	}
	linux_exit(status);
}

/* The process manager's answers (u.reply), values the tests know. */
static int pm_request(message *m)
{
	const struct pm_req q = m->u.pm;
	uint32_t v0 = 0, v1 = 0;
	int status = OK;

	switch (m->m_type) {
	case PM_FORK:
		v0 = FAKE_CHILD;
		break;
	case PM_WAIT:
		if (q.a != -1 && q.a != FAKE_CHILD)
			status = ECHILD;
		else if (!(q.b & WNOHANG))
			v0 = FAKE_CHILD, v1 = 42;
		break;
	case PM_GETPID:
		v0 = FAKE_SELF;
		v1 = FAKE_PARENT;
		break;
	case PM_KILL:
		status = q.a == FAKE_CHILD && q.b == 9 ? OK : EPERM;
		break;
	case PM_SPAWN:
		if (strncmp(m->u.vm_spawn.cmd, "prog a=1", VM_SPAWN_LEN) == 0)
			v0 = FAKE_CHILD;
		else
			status = ENOENT;
		break;
	default:
		status = EINVAL;
	}
	memset(&m->u, 0, sizeof m->u);
	m->m_source = PM_ENDPOINT;
	m->m_type = m->u.reply.status = status;
	m->u.reply.value[0] = v0;
	m->u.reply.value[1] = v1;
	return OK;
}

static int fake_ipc(int entry, int op, endpoint_t ep, message *m)
{
	fake.traps[entry]++;
	fake.op = op;
	fake.ep = ep;
	fake.m = m;
	fake.in = *m;
	if (op == IPC_KERNCALL)
		return ep == KERNEL ? kernel_call_fake(m) : EBADSRCDST;
	if (ep == VM_ENDPOINT && op == IPC_SENDREC && m->m_type == VM_BRK) {
		m->u.reply.status = vm_brk(m->u.vm_brk.addr);
		return OK;
	}
	if (ep == PM_ENDPOINT && op == IPC_SENDREC && m->m_type == PM_EXIT)
		pm_exit(m->u.pm.a);
	if (ep == PM_ENDPOINT && op == IPC_SENDREC)
		return pm_request(m);
	if (ep == VM_ENDPOINT && op == IPC_SENDREC && m->m_type >= VM_MMAP &&
	    m->m_type <= VM_LOOKUPBENCH) {
		m->u.reply.status = fake.vm_status;
		for (int i = 0; i < 6; i++)
			m->u.reply.value[i] = fake.vm_value[i];
		return OK;
	}
	return OK;
}

int ipc_trap_int(int op, endpoint_t ep, message *m)
{
	return fake_ipc(ENTRY_INT, op, ep, m);
}

int ipc_trap_sysenter(int op, endpoint_t ep, message *m)
{
	return fake_ipc(ENTRY_SYSENTER, op, ep, m);
}

int ipc_trap_syscall(int op, endpoint_t ep, message *m)
{
	return fake_ipc(ENTRY_SYSCALL, op, ep, m);
}
