/*
 * vmtest's helpers (tests/user/vmtest.h): results, VM's counts, running a
 * body in a forked child, patterns in memory, and requests to the peer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "cairn/ipclib.h"
#include "cairn/urecord.h"
#include "tests/user/vmtest.h"

struct sys_info vt_info;
endpoint_t vt_main_ep, vt_peer_ep;

volatile uint32_t *vt_word(void *base, uint32_t page, uint32_t index)
{
	return (volatile uint32_t *)((uint8_t *)base + page * PAGE) + index;
}

void vt_expect(const char *name, int got, int want)
{
	utest_result(name, got == want, "returned %d, expected %d", got, want);
}

void vt_expect_error(const char *name, int got)
{
	utest_result(name, got < 0, "returned %d, expected an error code",
		got);
}

/* How many VM_STATS requests failed: a comparison of counts means
 * nothing then. */
uint32_t vt_stats_failed;

/* VM_STATS, or all zero (and the code) when VM refuses it. */
int vt_stats(uint32_t v[VM_STATS_COUNT])
{
	int r = vm_stats(v);

	if (r != OK) {
		memset(v, 0, VM_STATS_COUNT * sizeof v[0]);
		vt_stats_failed++;
	}
	return r;
}

uint32_t vt_stat1(int which)
{
	uint32_t v[VM_STATS_COUNT];

	vt_stats(v);
	return v[which];
}

/* Makes 32 KiB of stack below the caller present and this process's own:
 * tests that run memory out must not need a page for their stack. */
void __attribute__((noinline)) vt_stack_reserve(void)
{
	volatile uint8_t pad[32 * 1024];

	for (uint32_t i = 0; i < sizeof pad; i += PAGE / 2)
		pad[i] = (uint8_t)i;
}

/* Runs fn(arg) in a forked child, which exits with what fn returns; OK and
 * the status waitpid reports, or why forking or waiting failed. */
int vt_in_child(int (*fn)(void *), void *arg, int *status)
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
int vt_child_read(void *p)
{
	return *(volatile uint32_t *)p == 0x600df00d ? 100 : 101;
}

int vt_child_write(void *p)
{
	*(volatile uint32_t *)p = 0x0badf00d;
	return 102;
}

void vt_expect_killed(const char *name, int (*fn)(void *), void *p,
	int want, const char *what)
{
	int st, r = vt_in_child(fn, p, &st);

	utest_result(name, r == OK && st == want, "%s at 0x%x: child status "
		"%d (fork/wait %d), expected %d", what, (uint32_t)(uintptr_t)p,
		st, r, want);
}

int vt_all_zero(void *p, uint32_t len)
{
	for (uint32_t i = 0; i < len / 4; i++)
		if (((volatile uint32_t *)p)[i] != 0)
			return 0;
	return 1;
}

/* A pattern that differs per page and per tag. */
void vt_fill(void *p, uint32_t len, uint32_t tag)
{
	for (uint32_t i = 0; i < len / 4; i++)
		((volatile uint32_t *)p)[i] = tag ^ (i * 2654435761u);
}

int vt_filled(void *p, uint32_t len, uint32_t tag)
{
	for (uint32_t i = 0; i < len / 4; i++)
		if (((volatile uint32_t *)p)[i] != (tag ^ (i * 2654435761u)))
			return 0;
	return 1;
}

/* Reads one byte of every page: the count of page faults this adds. */
uint32_t vt_faults_touching(void *p, uint32_t len, int write)
{
	uint32_t before = vt_stat1(VMS_FAULTS);

	for (uint32_t off = 0; off < len; off += PAGE) {
		volatile uint8_t *b = (uint8_t *)p + off;
		if (write)
			*b = (uint8_t)(off >> 12);
		else
			(void)*b;
	}
	return vt_stat1(VMS_FAULTS) - before;
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
	int r = ipc_sendrec(vt_peer_ep, &m);
	if (r != OK)
		m.u.w[0] = (uint32_t)r;
	return m;
}

int vt_peer_map(uint32_t grant, uint32_t len, uint32_t prot,
	uint32_t slot, uint32_t *first)
{
	message m = peer_call(VT_MAP, (uint32_t)getpid(), grant, len, prot,
		slot, 0, 0);

	*first = m.u.w[1];
	return (int)m.u.w[0];
}

uint32_t vt_peer_read(uint32_t slot, uint32_t off)
{
	return peer_call(VT_READ, 0, 0, 0, 0, slot, off, 0).u.w[1];
}

void vt_peer_write(uint32_t slot, uint32_t off, uint32_t value)
{
	peer_call(VT_WRITE, 0, 0, 0, 0, slot, off, value);
}

int vt_peer_unmap(uint32_t slot)
{
	return (int)peer_call(VT_UNMAP, 0, 0, 0, 0, slot, 0, 0).u.w[0];
}
