/*
 * exit(): the VM server ends processes, so exiting is a VM_EXIT message.
 * Alone in its file so that VM, which cannot send to itself, can link
 * its own exit() instead of this one.
 */
#include <stdlib.h>

#include <stdio.h>
#include "cairn/ipclib.h"

void exit(int status)
{
	message m = { 0 };

	stdout_flush();
	m.m_type = VM_EXIT;
	m.u.exit.ep = SELF;
	m.u.exit.status = status;
	ipc_send(VM_ENDPOINT, &m);
	/* VM tears us down without a reply; should the send fail, block
	 * (spinning would starve other CPUs under icount) forever. */
	for (;;)
		ipc_receive(ANY, &m);
}
