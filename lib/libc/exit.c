/*
 * exit(): PM ends user processes (it has VM free the memory and remembers
 * the status for the parent), so exiting is a PM_EXIT message. PM refuses
 * a process it does not manage (a service: RS does), which then ends
 * itself with SYS_EXIT, so that its manager hears of it. Alone in its
 * file so that VM, which cannot send to itself, can link its own exit()
 * instead of this one.
 */
#include <stdlib.h>

#include <stdio.h>
#include <string.h>
#include "cairn/ipclib.h"
#include "cairn/syslib.h"

void exit(int status)
{
	message m = { 0 };

	stdout_flush();
	m.m_type = PM_EXIT;
	m.u.pm.a = status;
	/* PM has us torn down and never answers; it returns only if PM
	 * cannot be reached (not allowed, gone, or PM itself exiting) or
	 * refused. */
	ipc_sendrec(PM_ENDPOINT, &m);
	/* A system process: stopped for its manager (no return). */
	sys_exit(status);
	/* Then VM ends us directly, and tells our manager. */
	memset(&m, 0, sizeof m);
	m.m_type = VM_EXIT;
	m.u.exit.ep = SELF;
	m.u.exit.status = status;
	ipc_send(VM_ENDPOINT, &m);
	/* Should that fail too, block (spinning would starve other CPUs
	 * under icount) forever. */
	for (;;)
		ipc_receive(ANY, &m);
}
