/*
 * The program break, kept here and moved by the VM server (VM_BRK).
 * Alone in its file so that VM, which provides memory itself, can link
 * its own brk()/sbrk() under the same malloc.
 */
#include <unistd.h>

#include "cairn/ipclib.h"

#define BRK_PAGE	4096u

/* The linker's end of bss; VM's heap region starts at its page end. */
extern char _end[];

static vir_bytes brk_current;	/* 0 until first used */

static vir_bytes brk_now(void)
{
	if (brk_current == 0)
		brk_current = ((vir_bytes)_end + BRK_PAGE - 1) & ~(BRK_PAGE - 1);
	return brk_current;
}

int brk(void *addr)
{
	message m = { 0 };
	int r;

	m.m_type = VM_BRK;
	m.u.vm_brk.addr = (vir_bytes)addr;
	r = ipc_sendrec(VM_ENDPOINT, &m);
	if (r == OK)
		r = m.u.reply.status;
	if (r == OK)
		brk_current = (vir_bytes)addr;
	return r;
}

void *sbrk(intptr_t incr)
{
	vir_bytes old = brk_now();
	vir_bytes new = old + (vir_bytes)incr;

	if (incr == 0)
		return (void *)old;
	/* The break moves within the address space, never around it. */
	if ((incr > 0 && new < old) || (incr < 0 && new > old))
		return (void *)-1;
	if (brk((void *)new) != OK)
		return (void *)-1;
	return (void *)old;
}
