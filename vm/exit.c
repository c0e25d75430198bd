/*
 * Process teardown. The kernel stops the process first (sys_exit), so no
 * CPU runs on its page directory when VM hands the frames back.
 */
#include <stdio.h>
#include "vm/exit.h"
#include "vm/grant.h"
#include "vm/map.h"
#include "cairn/syslib.h"

/* Frees the memory of a process the kernel no longer runs. */
static void free_space(struct vmproc *vmp)
{
	map_free_all(vmp);
}

void exit_process(struct vmproc *vmp, int32_t status)
{
	int r = sys_exit(vmp->ep, status);

	grant_drop_all(vmp->ep);
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
}

void exit_request(const message *m)
{
	struct vmproc *vmp = vmproc_lookup(m->m_source);

	if (vmp == NULL) {
		printf("vm: VM_EXIT from unknown process %d, ignored\n",
			m->m_source);
		return;
	}
	exit_process(vmp, m->u.exit.status);
}
