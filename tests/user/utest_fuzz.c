/*
 * The fuzzer role (random IPC and kernel calls, then a report to main) and
 * main's test of its report.
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

static uint32_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static message fuzz_buf;

static message *fuzz_pointer(void)
{
	static const uintptr_t bad[] = { 0, 0x1000, 0x40000000, 0xdead0000,
		0xeffffff0, 0xf0000000, 0xf0100000, 0xfffffff0, 3 };

	if (rnd() % 2)
		return &fuzz_buf;
	return (message *)bad[rnd() % (sizeof bad / sizeof bad[0])];
}

/* Endpoints no process answers to: every call on them fails at once. */
static endpoint_t fuzz_junk(void)
{
	static const endpoint_t junk[] = { NONE, SELF, 0, -77,
		make_endpoint(1, 1023), make_endpoint(9, UT_SERVER),
		make_endpoint(1, 200), make_endpoint(0, UT_SERVER) };

	return junk[rnd() % (sizeof junk / sizeof junk[0])];
}

/* A target that never leaves the fuzzer blocked for good: the echo server
 * (it always answers), or junk. VM is left out of what may block or
 * deliver a message: a random message could be a forged request. */
static endpoint_t fuzz_endpoint(int op)
{
	switch (rnd() % 4) {
	case 0:
		return op == IPC_NOTIFY ? ut_ep(rnd() % (UT_SPINNER + 1)) :
			ut_ep(UT_SERVER);
	case 1:
		return rnd() % 2 ? ANY : KERNEL;	/* refused for sends */
	default:
		return fuzz_junk();
	}
}

static void fuzz_one(void)
{
	int op = rnd() % 9;

	for (int i = 0; i < 16; i++)
		((uint32_t *)&fuzz_buf)[i] = rnd();
	switch (op) {
	case IPC_SEND:
	case IPC_SENDREC:
	case IPC_SENDNB:
		fuzz_buf.m_type = UT_ECHO;
		ipc_trap_current(op, fuzz_endpoint(op), fuzz_pointer());
		break;
	case IPC_RECEIVE:		/* only from nobody real */
		ipc_trap_current(op, fuzz_junk(), fuzz_pointer());
		break;
	case IPC_KERNCALL:
		fuzz_buf.m_type = rnd() % 12;
		if (fuzz_buf.m_type == SYS_DIAGPRINT)
			fuzz_buf.u.diagprint.len = rnd() % 64;
		if (fuzz_buf.m_type == SYS_SETCPU)
			fuzz_buf.u.setcpu.ep = SELF;
		ipc_trap_current(op, KERNEL, fuzz_pointer());
		break;
	default:			/* NOTIFY, NULL, bad operations */
		ipc_trap_current(op, fuzz_endpoint(op), fuzz_pointer());
		break;
	}
}

int __attribute__((noreturn)) role_fuzzer(uint32_t seed, uint32_t count)
{
	message m;

	rng = seed ? seed : 1;
	printf("fuzz: %u random IPC and kernel calls, seed %u\n", count, seed);
	for (uint32_t i = 0; i < count; i++) {
		int e = rnd() % 3;
		ipc_set_entry(info.entry_mask & (1u << e) ? e : ENTRY_INT);
		fuzz_one();
	}
	ipc_set_entry(info.entry_best);
	clear(&m, UT_REPORT);
	m.u.w[0] = count;
	m.u.w[1] = 0;
	m.u.w[2] = seed;
	ipc_send(ut_ep(UT_MAIN), &m);
	for (;;)
		ipc_receive(ut_ep(UT_MAIN), &m);
}

void test_fuzz_result(void)
{
	message m;

	for (;;) {
		if (ipc_receive(ut_ep(UT_FUZZER), &m) != OK)
			break;
		if (m.m_type == UT_REPORT)
			break;
	}
	utest_result("fuzz.survived", m.m_type == UT_REPORT && m.u.w[1] == 0,
		"%u random calls, seed %u, kernel and VM up", m.u.w[0],
		m.u.w[2]);
	m.m_type = UT_ECHO;
	ipc_send(ut_ep(UT_FUZZER), &m);
}
