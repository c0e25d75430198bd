/* SYS_GRANTINFO: VM asks where a grant leads before it maps the memory
 * (safemap) or shares it copy-on-write (VM_COWCOPY). The checks are a
 * copy's (kernel/grant.c); only VM holds this call.
 *
 * It also says whether the grantee is quiet: blocked until VM (the
 * caller) sends to it, and loaded on no CPU. Such a space cannot be
 * loaded before VM answers (it runs only then; the kernel reaches other
 * spaces through windows in the current directory, never by loading
 * them), so no TLB can cache one of its entries meanwhile, and VM may
 * change its page tables without an invalidation. */
#include "kernel/system.h"
#include "kernel/grant.h"
#include "kernel/proc.h"
#include "kernel/shootdown.h"

static int quiet(const struct proc *vm, endpoint_t e)
{
	const struct proc *p = proc_from_endpoint(e);

	return p && p->p_rts_flags == RTS_RECEIVING &&
		p->p_getfrom_e == vm->p_endpoint && !shootdown_loaded(p);
}

int do_grantinfo(struct proc *caller, message *m)
{
	struct sys_grantinfo *g = &m->u.grantinfo;
	int r = grant_lookup(g->grantee, g->granter, g->grant, g->offset,
		g->bytes, g->access, &g->owner, &g->addr);

	g->quiet = r == OK && quiet(caller, g->grantee);
	return r;
}
