/*
 * Hostile cases: VM's pool of pre-zeroed frames. An ordinary process may
 * read the pool's figures but neither empty nor fill it (whatever the
 * count), nor ask the kernel for VM's idle notification or slip its flag
 * into a CLEAR_PAGEFAULT (SYS_VMCTL is VM's); and a process that drains
 * the pool by faulting as fast as it can, round after round, while its
 * children leave their data in the memory they free, only ever sees
 * zeros in fresh pages. And IPC_KERNCALL_RECV, the kernel call and
 * receive in one entry that VM answers faults with: from an ordinary
 * process a refused call, a bad buffer or a bad call number returns its
 * error and receives nothing; an allowed call (its answer dropped)
 * receives what waits; a call that must wait for VM (its buffer not
 * present yet) is made again with its receive.
 */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include "cairn/ipclib.h"
#include "cairn/syslib.h"
#include "cairn/vmlib.h"
#include "tests/user/hostile.h"

#define PAGE		4096u
#define ROUND_PAGES	160u	/* more than the pool holds (64) */
#define ROUNDS		4
#define DIRT		0xd1d1d1d1u

static int requests_denied(void)
{
	uint32_t v[VM_ZEROPOOL_COUNT], pooled;
	int ok = 1;

	ok &= h_expect("ZP_STATS", vm_zeropool(ZP_STATS, 0, v), OK);
	pooled = v[ZPS_POOLED];
	ok &= h_expect("pool within its target", pooled <= v[ZPS_TARGET], 1);
	ok &= h_expect("ZP_DRAIN", vm_zeropool(ZP_DRAIN, 0, v), EPERM);
	ok &= h_expect("ZP_FILL 1", vm_zeropool(ZP_FILL, 1, v), EPERM);
	ok &= h_expect("ZP_FILL 0", vm_zeropool(ZP_FILL, 0, v), EPERM);
	ok &= h_expect("ZP_FILL huge", vm_zeropool(ZP_FILL, 0xffffffffu, v),
		EPERM);
	ok &= h_expect("op 2^31", vm_zeropool(0x80000000u, 1, v), EINVAL);
	ok &= h_expect("op ~0", vm_zeropool(0xffffffffu, 0, v), EINVAL);
	return ok ? HOSTILE_OK : 1;
}

static int idle_notify_denied(void)
{
	struct sys_vmctl v = { .op = VMCTL_IDLE_NOTIFY, .ep = SELF };
	int ok = 1;

	ok &= h_expect("VMCTL_IDLE_NOTIFY", sys_vmctl(&v), EPERM);
	ok &= h_expect("CLEAR_PAGEFAULT with CLEAR_IDLE of itself",
		vmctl_clear_pagefault_flags(SELF, 0, 0, VMCTL_CLEAR_IDLE),
		EPERM);
	ok &= h_expect("CLEAR_PAGEFAULT with CLEAR_IDLE of VM",
		vmctl_clear_pagefault_flags(VM_ENDPOINT, 0, 0,
			VMCTL_CLEAR_IDLE), EPERM);
	ok &= h_expect("CLEAR_PAGEFAULT, every flag",
		vmctl_clear_pagefault_flags(SELF, 0, 0, 0xffffffffu), EPERM);
	return ok ? HOSTILE_OK : 1;
}

/* A child: dirt in every word of ROUND_PAGES pages, left behind. */
static int leave_dirt(void)
{
	uint32_t *p = mmap(NULL, ROUND_PAGES * PAGE, PROT_READ | PROT_WRITE,
		MAP_ANON);

	if (p == MAP_FAILED)
		return 1;
	for (uint32_t i = 0; i < ROUND_PAGES * PAGE / 4; i++)
		p[i] = DIRT ^ i;
	return HOSTILE_OK;
}

/* Rounds of: a child dirties memory and exits; this process faults
 * more pages than the pool holds, one right after the other (the pool
 * runs dry, the rest zeroed on the spot), and reads every word. */
static int drain_and_read(void)
{
	int ok = 1;

	for (int round = 0; round < ROUNDS; round++) {
		volatile uint32_t *p;
		uint32_t nonzero = 0;

		ok &= h_expect("child left its dirt", h_child_status(leave_dirt),
			HOSTILE_OK);
		p = mmap(NULL, ROUND_PAGES * PAGE, PROT_READ | PROT_WRITE,
			MAP_ANON);
		if (p == MAP_FAILED)
			return 2;
		for (uint32_t pg = 0; pg < ROUND_PAGES; pg++)
			p[pg * PAGE / 4] = 0;	/* fault them in, in a row */
		/* The first word of each page was written: the rest of the
		 * page is what VM handed out. */
		for (uint32_t i = 0; i < ROUND_PAGES * PAGE / 4; i++)
			nonzero += p[i] != 0;
		ok &= h_expect("words not zero in fresh pages", (int)nonzero,
			0);
		if (munmap((void *)p, ROUND_PAGES * PAGE) != OK)
			return 3;
	}
	return ok ? HOSTILE_OK : 1;
}

/* --- IPC_KERNCALL_RECV ------------------------------------------------------ */

static int kcr(int call, message *m)
{
	return ipc_trap_current(IPC_KERNCALL_RECV, KERNEL, m == NULL ?
		NULL : (m->m_type = call, m));
}

static int kcallrecv_refused(void)
{
	message m = { 0 };
	int ok = 1;

	m.u.vmctl.op = VMCTL_IDLE_NOTIFY;
	m.u.vmctl.ep = SELF;
	ok &= h_expect("SYS_VMCTL", kcr(SYS_VMCTL, &m), EPERM);
	ok &= h_expect("SYS_SHUTDOWN", kcr(SYS_SHUTDOWN, &m), EPERM);
	ok &= h_expect("call 999", kcr(999, &m), ENOSYS);
	ok &= h_expect("call -1", kcr(-1, &m), ENOSYS);
	ok &= h_expect("NULL buffer", ipc_trap_current(IPC_KERNCALL_RECV,
		KERNEL, NULL), EFAULT);
	ok &= h_expect("kernel buffer", ipc_trap_current(IPC_KERNCALL_RECV,
		KERNEL, (message *)0xf0001000u), EFAULT);
	ok &= h_expect("buffer wrapping", ipc_trap_current(IPC_KERNCALL_RECV,
		KERNEL, (message *)0xffffffc0u), EFAULT);
	return ok ? HOSTILE_OK : 1;
}

#define KCR_TYPE	0x4b43	/* what the child sends */

/* A child that sends its parent one message and exits. */
static int kcr_child_sends(endpoint_t parent)
{
	message m = { 0 };

	m.m_type = KCR_TYPE;
	m.u.w[0] = 0x600d;
	return ipc_send(parent, &m) == OK ? 0 : 1;
}

/* An allowed call, then the receive gets the child's message (had it
 * not, the child would wait in its send for ever and the case would
 * never end). With lazy, the call is a DIAGPRINT of a buffer on a page
 * not yet present: the kernel waits for VM and makes the call again,
 * receive included, once the page is there. */
static int kcr_receives(int lazy)
{
	endpoint_t parent = h_info.self;
	message m = { 0 };
	int pid, st, ok = 1, r;
	char *text = NULL;

	pid = fork();
	if (pid == 0)
		exit(kcr_child_sends(parent));
	if (pid < 0)
		return 2;
	if (lazy) {
		text = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
		if (text == MAP_FAILED)
			return 3;
		m.u.diagprint.buf = (vir_bytes)text;	/* reads as 0: "" */
		m.u.diagprint.len = 1;
		r = kcr(SYS_DIAGPRINT, &m);
	} else {
		r = kcr(SYS_INFO, &m);
	}
	ok &= h_expect("call and receive", r, OK);
	ok &= h_expect("received the child's message", m.m_type, KCR_TYPE);
	ok &= h_expect("its word", (int)m.u.w[0], 0x600d);
	ok &= h_expect("from the child", waitpid(pid, &st, 0), pid);
	ok &= h_expect("child's status", st, 0);
	if (text != NULL)
		munmap(text, PAGE);
	return ok ? HOSTILE_OK : 1;
}

static int kcallrecv_info(void)
{
	return kcr_receives(0);
}

static int kcallrecv_restart(void)
{
	return kcr_receives(1);
}

const struct hostile_case hostile_pool_cases[] = {
	{ "pool.denied", requests_denied, HOSTILE_OK },
	{ "pool.idle_denied", idle_notify_denied, HOSTILE_OK },
	{ "pool.drain_read", drain_and_read, HOSTILE_OK },
	{ "kcallrecv.refused", kcallrecv_refused, HOSTILE_OK },
	{ "kcallrecv.info", kcallrecv_info, HOSTILE_OK },
	{ "kcallrecv.restart", kcallrecv_restart, HOSTILE_OK },
};
const int hostile_pool_count = sizeof hostile_pool_cases /
	sizeof hostile_pool_cases[0];
