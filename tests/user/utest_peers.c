/*
 * main's peers: an echo server, a process allowed to talk only to VM, PM
 * and main, one that touches memory it has no region for, and a spinner
 * that never blocks.
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

/* Touches a fresh heap page, gives it back to VM and takes a page at the
 * same address again: returns its first byte (0 unless a stale TLB entry
 * still reaches the old frame). */
static uint32_t regrow_page(void)
{
	uintptr_t cur = (uintptr_t)sbrk(0);
	uintptr_t pad = (4096 - cur % 4096) % 4096;
	volatile uint8_t *page = (uint8_t *)(cur + pad);

	if (sbrk(pad + 4096) == (void *)-1)
		return 0xee;
	page[0] = 0x5a;
	sbrk(-4096);
	sbrk(4096);
	return page[0];
}

int __attribute__((noreturn)) role_server(void)
{
	message m;
	uint32_t notes = 0;

	if (info.cpus > 1)
		sys_setcpu(SELF, info.cpus - 1);
	sys_info(&info);
	for (;;) {
		if (ipc_receive(ANY, &m) != OK)
			continue;
		endpoint_t from = m.m_source;
		switch (m.m_type) {
		case NOTIFY_MESSAGE:
			if (from == ut_ep(UT_MAIN))
				notes++;
			continue;
		case UT_ECHO:
			for (int i = 0; i < 14; i++)
				m.u.w[i]++;
			break;
		case UT_HOLD:
			ipc_send(from, &m);	/* the answer */
			ipc_send(from, &m);	/* blocks until main takes it */
			continue;
		case UT_NOTE_FIRST:
			ipc_notify(from, &m);	/* from waits for the reply */
			break;
		case UT_TLBTEST:
			m.u.w[0] = regrow_page();
			m.u.w[1] = info.cpu;
			break;
		case UT_QUERY:
			m.u.w[0] = notes;
			m.u.w[1] = info.cpu;
			m.u.w[2] = mailbox;
			notes = 0;
			break;
		default:
			m.m_type = EINVAL;
			break;
		}
		ipc_sendnb(from, &m);
	}
}

int __attribute__((noreturn)) role_restricted(void)
{
	message m;
	uint32_t failed = 0;

	clear(&m, UT_ECHO);
	int r = ipc_send(ut_ep(UT_SERVER), &m);
	failed += r != ECALLDENIED;
	clear(&m, UT_REPORT);
	m.u.w[0] = 1;
	m.u.w[1] = failed;
	m.u.w[2] = (uint32_t)r;
	ipc_send(ut_ep(UT_MAIN), &m);		/* main takes it late */
	ipc_receive(ut_ep(UT_MAIN), &m);
	for (;;)
		ipc_receive(ut_ep(UT_MAIN), &m);
}

int role_crasher(void)
{
	spin_ms(2);
	*(volatile uint32_t *)0xdead0000 = 1;	/* no region there */
	return 0;
}

int __attribute__((noreturn)) role_spinner(void)
{
	message m;

	sys_setcpu(SELF, 0);
	for (;;) {
		spin_ms(3);
		ipc_notify(ut_ep(UT_MAIN), &m);
	}
}
