/*
 * PM's process table: a fixed array searched by endpoint. Forks, exits
 * and waits are rare next to IPC, and 512 entries are a short walk.
 */
#include <stddef.h>
#include "servers/pm/proc.h"
#include "cairn/ipc.h"

static struct pm_proc table[PM_MAX_PROCS];

void pm_table_init(void)
{
	for (int i = 0; i < PM_MAX_PROCS; i++)
		table[i].ep = NONE;
}

struct pm_proc *pm_lookup(endpoint_t ep)
{
	if (ep < 0)
		return NULL;	/* ANY, NONE, SELF, KERNEL */
	for (int i = 0; i < PM_MAX_PROCS; i++)
		if (table[i].ep == ep)
			return &table[i];
	return NULL;
}

struct pm_proc *pm_add(endpoint_t ep, endpoint_t parent)
{
	for (int i = 0; i < PM_MAX_PROCS; i++) {
		struct pm_proc *p = &table[i];

		if (p->ep != NONE)
			continue;
		p->ep = ep;
		p->parent = parent;
		p->flags = 0;
		p->status = 0;
		p->wait_pid = 0;
		return p;
	}
	return NULL;
}

void pm_remove(struct pm_proc *p)
{
	p->ep = NONE;
	p->flags = 0;
}

int pm_full(void)
{
	for (int i = 0; i < PM_MAX_PROCS; i++)
		if (table[i].ep == NONE)
			return 0;
	return 1;
}

struct pm_proc *pm_next(struct pm_proc *p)
{
	for (p = p ? p + 1 : table; p < table + PM_MAX_PROCS; p++)
		if (p->ep != NONE)
			return p;
	return NULL;
}
