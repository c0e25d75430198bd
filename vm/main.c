/*
 * The VM server: takes over physical memory, builds the address spaces
 * of the boot programs, then serves page faults, kernel memory requests,
 * the memory calls of processes, and PM's forks, spawns and exits for
 * ever. The sanity build checks all memory after every request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm/boot.h"
#include "vm/service.h"
#include "vm/brk.h"
#include "vm/cache.h"
#include "vm/exec.h"
#include "vm/exit.h"
#include "vm/fault.h"
#include "vm/fork.h"
#include "vm/frame.h"
#include "vm/grant.h"
#include "vm/info.h"
#include "vm/layout.h"
#include "vm/mmap.h"
#include "vm/sanity.h"
#include "vm/self.h"
#include "vm/slab.h"
#include "vm/safemap.h"
#include "cairn/complain.h"
#include "cairn/ipclib.h"
#include "cairn/serverloop.h"
#include "cairn/syslib.h"

/* VM's own module word that makes the sanity self-test end in a write
 * outside USE() (tests/run.py's protection boot). */
#define WRITE_OUTSIDE_USE	"sanity-test=write-outside-use"

static struct kinfo kinfo;

/* 1 if VM's own module string (module 0) has the word w. */
static int own_word(const char *w)
{
	const struct kinfo_mod *m = &kinfo.mods[0];
	size_t len = strlen(w);
	uint32_t n = m->str_len, i = 0;
	const char *s = kinfo.modstr + m->str_off;

	if (kinfo.mod_count == 0 || m->str_off >= KINFO_MODSTR_LEN)
		return 0;
	if (n > KINFO_MODSTR_LEN - 1u - m->str_off)
		n = KINFO_MODSTR_LEN - 1u - m->str_off;
	while (i < n) {
		uint32_t start;

		while (i < n && s[i] == ' ')
			i++;
		for (start = i; i < n && s[i] != ' ' && s[i] != '\0'; i++)
			;
		if (i - start == len && strncmp(s + start, w, len) == 0)
			return 1;
		if (i < n && s[i] == '\0')
			break;
	}
	return 0;
}

/* The sanity build, before anything is allocated: junk in free heap
 * memory, and a line saying which build this is (tests/run.py looks
 * for it). */
static void sanity_start(void)
{
	malloc_junk = SLAB_JUNK;
	printf("vm: sanity build (VM_SANITY): slab pages read-only outside "
		"USE(), freed memory junk-filled and checked, all memory "
		"checked after every request\n");
}

static void init(void)
{
	int r, started;

	r = vmctl_get_kinfo(&kinfo, sizeof kinfo);
	if (r != OK)
		panic("vm: GET_KINFO: %d", r);
	if (kinfo.magic != KINFO_MAGIC)
		panic("vm: kinfo magic 0x%x", kinfo.magic);
	/* The kernel maps VM the physical memory it maps itself; the rest
	 * VM reaches through its frame window. */
	phys_direct_end = kinfo.mapped_end;
	frame_init(&kinfo);
	if (SANITY_BUILD)
		sanity_selftest(own_word(WRITE_OUTSIDE_USE));
	boot_kernel_maps();
	started = boot_start_programs(&kinfo);
	/* The pool of zeroed frames starts full; later its CPU's idle
	 * moments refill it. */
	frame_pool_fill(FRAME_POOL_TARGET);
	r = vmctl_enable_paging();
	if (r != OK)
		panic("vm: ENABLE_PAGING: %d", r);
	printf("vm: %d boot program(s) started\n", started);
}

static void kernel_notify(const message *m)
{
	if (m->u.notify.pending & NOTIFY_KERNEL_MEMREQ)
		fault_memreqs();
	if (m->u.notify.pending & NOTIFY_KERNEL_IDLE)
		frame_pool_idle();
}

/* After a request: a pool short of frames asks to hear of the next idle
 * moment (a page fault asked already, with its CLEAR_PAGEFAULT). */
static void pool_ask_idle(void)
{
	int r;

	if (frame_pool_want_idle() && (r = vmctl_idle_notify()) != OK)
		panic("vm: IDLE_NOTIFY: %d", r);
}

/* Requests VM does not know: the sender may wait for an answer. */
static void unknown(const message *m)
{
	message reply = { 0 };

	complain("vm: message type 0x%x from %d ignored\n", m->m_type,
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
	case VM_MMAP:		mmap_request(m);	break;
	case VM_MUNMAP:		munmap_request(m);	break;
	case VM_GRANT:		grant_request(m);	break;
	case VM_REVOKE:		revoke_request(m);	break;
	case VM_CACHE_YIELD:	cache_yield_request(m);	break;
	case VM_CACHE_GET:	cache_get_request(m);	break;
	case VM_STATS:		stats_request(m);	break;
	case VM_FORK:		fork_request(m);	break;
	case VM_LOOKUPBENCH:	lookupbench_request(m);	break;
	case VM_SAFEREVMAP:	saferevmap_request(m);	break;
	case VM_COWCOPY:	cowcopy_request(m);	break;
	case VM_SPAWN:		spawn_request(m);	break;
	case VM_EXEC:		exec_request(m);	break;
	case VM_GETEXIT:	exit_getexit_request(m); break;
	case VM_ZEROPOOL:	zeropool_request(m);	break;
	case VM_RS_START:	rs_start_request(m);	break;
	case VM_BOOTFILE:	bootfile_request(m);	break;
	case VM_RS_UPDATE:	rs_update_request(m);	break;
	case VM_RIGHTS:		rights_request(m);	break;
	default:		unknown(m);		break;
	}
}

int main(int argc, char **argv)
{
	message m;

	(void)argc;
	(void)argv;
	/* VM's heap gives its free pages back at once: after a process has
	 * gone, VM holds what it held before (vm/README.md). */
	malloc_give_back = 1;
	if (SANITY_BUILD)
		sanity_start();
	init();
	self_give_back();
	pool_ask_idle();
	if (SANITY_BUILD)
		sanity_check_all();
	/* The reply to each request goes with the next receive. */
	for (int r = server_receive(&m);; r = server_next(&m)) {
		if (r != OK) {
			printf("vm: receive: %d\n", r);
			continue;
		}
		dispatch(&m);
		self_give_back();
		pool_ask_idle();
		if (SANITY_BUILD)
			sanity_check_all();
	}
}
