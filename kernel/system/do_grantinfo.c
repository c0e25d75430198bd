/* SYS_GRANTINFO: VM asks where a grant leads before it maps the memory
 * (safemap) or shares it copy-on-write (VM_COWCOPY). The checks are a
 * copy's (kernel/grant.c); only VM holds this call. */
#include "kernel/system.h"
#include "kernel/grant.h"

int do_grantinfo(struct proc *caller, message *m)
{
	struct sys_grantinfo *g = &m->u.grantinfo;

	(void)caller;
	return grant_lookup(g->grantee, g->granter, g->grant, g->offset,
		g->bytes, g->access, &g->owner, &g->addr);
}
