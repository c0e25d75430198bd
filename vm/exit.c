/*
 * Process teardown. The kernel stops the process first (sys_clear), so no
 * CPU runs on its page directory when VM hands the frames back.
 *
 * A process ends at its signal manager's request (VM_EXIT from PM, or
 * from RS for a service RS manages), after the kernel stopped it and told
 * the manager (SYS_GETKSIG). Exits no manager asked for (a process that
 * sent VM_EXIT itself, or one the kernel stopped while its manager was
 * gone) wait in a queue, each for its manager, until it fetches them
 * (VM_GETEXIT).
 */
#include <stdio.h>
#include "vm/exit.h"
#include "vm/cache.h"
#include "vm/grant.h"
#include "vm/safemap.h"
#include "vm/map.h"
#include "vm/reply.h"
#include "cairn/ipclib.h"
#include "cairn/syslib.h"

static struct {
	endpoint_t ep;
	int32_t status;
	endpoint_t manager;	/* who may fetch it */
} exit_queue[EXIT_QUEUE_LEN];
static uint32_t queue_head, queue_count;

/* Frees the memory of a process the kernel no longer runs. */
static void free_space(struct vmproc *vmp)
{
	map_free_all(vmp);
}

/* Ends the process; returns sys_clear's status. */
static int teardown(struct vmproc *vmp, int32_t status)
{
	int r = sys_clear(vmp->ep, status);

	grant_drop_all(vmp->ep);
	safemap_drop_granter(vmp->ep);
	cache_drop_owner(vmp->ep);
	if (r == OK) {
		free_space(vmp);
	} else {
		/* The kernel may still run on that directory: keeping its
		 * frames is safe, handing them out again would not be. */
		printf("vm: sys_clear(%d) of %s failed: %d; its memory is "
			"kept\n", vmp->ep, vmp->name, r);
		region_set_clear(&vmp->regions);
	}
	vmproc_remove(vmp);
	return r;
}

/* Queues an exit and tells its manager (a notification never blocks).
 * A manager that cannot be told would never drain it: dropped. */
static void tell_manager(endpoint_t ep, int32_t status, endpoint_t manager)
{
	message m = { 0 };
	uint32_t at = (queue_head + queue_count) % EXIT_QUEUE_LEN;
	int r;

	if (queue_count == EXIT_QUEUE_LEN) {
		printf("vm: exit queue full: exit of %d (status %d) not "
			"reported to %d\n", ep, status, manager);
		return;
	}
	exit_queue[at].ep = ep;
	exit_queue[at].status = status;
	exit_queue[at].manager = manager;
	queue_count++;
	r = ipc_notify(manager, &m);
	if (r != OK) {
		printf("vm: cannot notify %d (%d): exit of %d dropped\n",
			manager, r, ep);
		queue_count--;
	}
}

void exit_process(struct vmproc *vmp, int32_t status)
{
	endpoint_t ep = vmp->ep, manager = vmp->manager;

	teardown(vmp, status);
	tell_manager(ep, status, manager);
}

void exit_kill(struct vmproc *vmp, int32_t status)
{
	/* The kernel stops it and tells its manager, which has it ended
	 * here (VM_EXIT). Refused only when the kernel no longer runs it:
	 * then end it now. */
	if (sys_kill(vmp->ep, status) != OK)
		exit_process(vmp, status);
}

/* May source (a manager) end ep? Only a process it manages, never a
 * server. */
static int exit_for_manager(const message *m)
{
	struct vmproc *vmp = vmproc_lookup(m->u.exit.ep);

	if (m->u.exit.ep == PM_ENDPOINT || m->u.exit.ep == VM_ENDPOINT ||
	    m->u.exit.ep == RS_ENDPOINT)
		return EINVAL;
	if (vmp == NULL)
		return ESRCH;
	if (vmp->manager != m->m_source)
		return EPERM;
	return teardown(vmp, m->u.exit.status);
}

void exit_request(const message *m)
{
	struct vmproc *vmp;

	if (m->m_source == PM_ENDPOINT || m->m_source == RS_ENDPOINT) {
		reply_to(m->m_source, exit_for_manager(m), 0, 0);
		return;
	}
	vmp = vmproc_lookup(m->m_source);
	if (vmp == NULL) {
		printf("vm: VM_EXIT from unknown process %d, ignored\n",
			m->m_source);
		return;
	}
	exit_process(vmp, m->u.exit.status);
}

void exit_getexit_request(const message *m)
{
	endpoint_t ep;
	int32_t status;
	uint32_t i;

	if (m->m_source != RS_ENDPOINT && !reply_unless_pm(m))
		return;
	for (i = 0; i < queue_count; i++)
		if (exit_queue[(queue_head + i) % EXIT_QUEUE_LEN].manager ==
		    m->m_source)
			break;
	if (i == queue_count) {
		reply_to(m->m_source, ESRCH, 0, 0);
		return;
	}
	ep = exit_queue[(queue_head + i) % EXIT_QUEUE_LEN].ep;
	status = exit_queue[(queue_head + i) % EXIT_QUEUE_LEN].status;
	/* The entries before it (other managers') move up one. */
	for (; i > 0; i--)
		exit_queue[(queue_head + i) % EXIT_QUEUE_LEN] =
			exit_queue[(queue_head + i - 1) % EXIT_QUEUE_LEN];
	queue_head = (queue_head + 1) % EXIT_QUEUE_LEN;
	queue_count--;
	reply_to(m->m_source, OK, (uint32_t)ep, (uint32_t)status);
}
