/*
 * What utest's roles share: the kernel's sys_info, the tags the window test
 * reads across address spaces, a TSC spin, and the result helpers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cairn/ipclib.h"
#include "cairn/syslib.h"
#include "cairn/urecord.h"
#include "tests/user/utest.h"

struct sys_info info;

/* Differ per role: the window test reads and writes the server's copies
 * (same program, so the same addresses, in another address space). */
volatile uint32_t role_tag;
volatile uint32_t mailbox;

uint32_t tag_of(const char *role)
{
	uint32_t h = 2166136261u;

	while (*role)
		h = (h ^ (uint8_t)*role++) * 16777619u;
	return h;
}

uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Busy for about ms milliseconds of TSC time. */
void spin_ms(uint32_t ms)
{
	uint64_t end = rdtsc() + (uint64_t)info.tsc_khz * ms;
	while (rdtsc() < end)
		__asm__ volatile("pause");
}

void clear(message *m, int type)
{
	memset(m, 0, sizeof(*m));
	m->m_type = type;
}

const char *const entry_names[3] = { "int", "sysenter", "syscall" };

int echo_ok(void)
{
	message m;

	clear(&m, UT_ECHO);
	for (int i = 0; i < 14; i++)
		m.u.w[i] = 0x1000 * i + 7;
	int r = ipc_sendrec(ut_ep(UT_SERVER), &m);
	if (r != OK || m.m_source != ut_ep(UT_SERVER))
		return 0;
	for (int i = 0; i < 14; i++)
		if (m.u.w[i] != 0x1000u * i + 8)
			return 0;
	return 1;
}

void expect(const char *name, int got, int want)
{
	utest_result(name, got == want, "returned %d, expected %d", got, want);
}
