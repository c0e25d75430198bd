/*
 * The process table: a fixed array with one entry per endpoint slot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm/vmproc.h"
#include "cairn/ipc.h"

static struct vmproc vmproc_table[ENDPOINT_MAX_SLOTS];

static int slot_ok(endpoint_t ep)
{
	return ep >= 0;	/* ANY, NONE, SELF, KERNEL are negative */
}

struct vmproc *vmproc_lookup(endpoint_t ep)
{
	struct vmproc *vmp;

	if (!slot_ok(ep))
		return NULL;
	vmp = &vmproc_table[endpoint_slot(ep)];
	if (!(vmp->flags & VMP_INUSE) || vmp->ep != ep)
		return NULL;
	return vmp;
}

struct vmproc *vmproc_enter(endpoint_t ep, const struct vmproc *built)
{
	struct vmproc *vmp;

	if (!slot_ok(ep))
		panic("vm: the kernel gave endpoint %d to %s", ep, built->name);
	vmp = &vmproc_table[endpoint_slot(ep)];
	if (vmp->flags & VMP_INUSE)
		panic("vm: endpoint %d for %s: slot still held by %d (%s)",
			ep, built->name, vmp->ep, vmp->name);
	*vmp = *built;
	vmp->flags = VMP_INUSE;
	vmp->ep = ep;
	return vmp;
}

void vmproc_remove(struct vmproc *vmp)
{
	memset(vmp, 0, sizeof(*vmp));
}

struct vmproc *vmproc_next(struct vmproc *prev)
{
	struct vmproc *end = &vmproc_table[ENDPOINT_MAX_SLOTS];

	for (struct vmproc *vmp = prev ? prev + 1 : vmproc_table; vmp < end;
	     vmp++)
		if (vmp->flags & VMP_INUSE)
			return vmp;
	return NULL;
}
