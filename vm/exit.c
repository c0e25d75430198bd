/*
 * Process teardown. The kernel stops the process first (sys_exit), so no
 * CPU runs on its page directory when VM hands the frames back. Exits PM
 * did not ask for wait in a queue until PM fetches them.
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
} exit_queue[EXIT_QUEUE_LEN];
static uint32_t queue_head, queue_count;

/* Frees the memory of a process the kernel no longer runs. */
static void free_space(struct vmproc *vmp)
{
	map_free_all(vmp);
}

/* Ends the process; returns sys_exit's status. */
static int teardown(struct vmproc *vmp, int32_t status)
{
	int r = sys_exit(vmp->ep, status);

	grant_drop_all(vmp->ep);
	safemap_drop_granter(vmp->ep);
	cache_drop_owner(vmp->ep);
	if (r == OK) {
		free_space(vmp);
	} else {
		/* The kernel may still run on that directory: keeping its
		 * frames is safe, handing them out again would not be. */
		printf("vm: sys_exit(%d) of %s failed: %d; its memory is "
			"kept\n", vmp->ep, vmp->name, r);
		region_set_clear(&vmp->regions);
	}
	vmproc_remove(vmp);
	return r;
}

/* Queues an exit and tells PM (a notification never blocks). Without a
 * PM to tell, nobody would drain the queue: it is dropped. */
static void tell_pm(endpoint_t ep, int32_t status)
{
	message m = { 0 };
	int r;

	if (queue_count == EXIT_QUEUE_LEN) {
		printf("vm: exit queue full: exit of %d (status %d) not "
			"reported to PM\n", ep, status);
		return;
	}
	exit_queue[(queue_head + queue_count) % EXIT_QUEUE_LEN].ep = ep;
	exit_queue[(queue_head + queue_count) % EXIT_QUEUE_LEN].status =
		status;
	queue_count++;
	r = ipc_notify(PM_ENDPOINT, &m);
	if (r != OK) {
		printf("vm: cannot notify PM (%d): %u exit(s) dropped\n", r,
			queue_count);
		queue_count = 0;
	}
}

void exit_process(struct vmproc *vmp, int32_t status)
{
	endpoint_t ep = vmp->ep;

	teardown(vmp, status);
	tell_pm(ep, status);
}

static int exit_for_pm(const message *m)
{
	struct vmproc *vmp = vmproc_lookup(m->u.exit.ep);

	if (m->u.exit.ep == PM_ENDPOINT || m->u.exit.ep == VM_ENDPOINT)
		return EINVAL;
	if (vmp == NULL)
		return ESRCH;
	return teardown(vmp, m->u.exit.status);
}

void exit_request(const message *m)
{
	struct vmproc *vmp;

	if (m->m_source == PM_ENDPOINT) {
		reply_to(PM_ENDPOINT, exit_for_pm(m), 0, 0);
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

	if (!reply_unless_pm(m))
		return;
	if (queue_count == 0) {
		reply_to(PM_ENDPOINT, ESRCH, 0, 0);
		return;
	}
	ep = exit_queue[queue_head].ep;
	status = exit_queue[queue_head].status;
	queue_head = (queue_head + 1) % EXIT_QUEUE_LEN;
	queue_count--;
	reply_to(PM_ENDPOINT, OK, (uint32_t)ep, (uint32_t)status);
}
