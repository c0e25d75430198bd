/*
 * The VM server: takes over physical memory, builds the address spaces
 * of the boot programs, then serves page faults, kernel memory requests,
 * breaks, exits, and PM's forks and spawns for ever.
 */
#include <stdio.h>
#include <stdlib.h>
#include "vm/boot.h"
#include "vm/brk.h"
#include "vm/exit.h"
#include "vm/fault.h"
#include "vm/fork.h"
#include "vm/frame.h"
#include "cairn/ipclib.h"
#include "cairn/syslib.h"

static struct kinfo kinfo;

static void init(void)
{
	int r, started;

	r = vmctl_get_kinfo(&kinfo, sizeof kinfo);
	if (r != OK)
		panic("vm: GET_KINFO: %d", r);
	if (kinfo.magic != KINFO_MAGIC)
		panic("vm: kinfo magic 0x%x", kinfo.magic);
	frame_init(&kinfo);
	boot_kernel_maps();
	started = boot_start_programs(&kinfo);
	r = vmctl_enable_paging();
	if (r != OK)
		panic("vm: ENABLE_PAGING: %d", r);
	printf("vm: %d boot program(s) started\n", started);
}

static void kernel_notify(const message *m)
{
	if (m->u.notify.pending & NOTIFY_KERNEL_MEMREQ)
		fault_memreqs();
}

/* Requests VM does not know: the sender may wait for an answer. */
static void unknown(const message *m)
{
	message reply = { 0 };

	printf("vm: message type 0x%x from %d ignored\n", m->m_type,
		m->m_source);
	if (m->m_type == NOTIFY_MESSAGE || m->m_source < 0)
		return;
	reply.m_type = EINVAL;
	reply.u.reply.status = EINVAL;
	ipc_sendnb(m->m_source, &reply);
}

static void dispatch(const message *m)
{
	if (m->m_source == KERNEL && m->m_type == NOTIFY_MESSAGE) {
		kernel_notify(m);
		return;
	}
	switch (m->m_type) {
	case VM_PAGEFAULT:	fault_pagefault(m);	break;
	case VM_BRK:		brk_request(m);		break;
	case VM_EXIT:		exit_request(m);	break;
	case VM_FORK:		fork_request(m);	break;
	case VM_SPAWN:		spawn_request(m);	break;
	case VM_GETEXIT:	exit_getexit_request(m); break;
	default:		unknown(m);		break;
	}
}

int main(int argc, char **argv)
{
	message m;

	(void)argc;
	(void)argv;
	init();
	for (;;) {
		int r = ipc_receive(ANY, &m);

		if (r != OK) {
			printf("vm: receive: %d\n", r);
			continue;
		}
		dispatch(&m);
	}
}
