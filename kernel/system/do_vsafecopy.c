/* SYS_VSAFECOPY: several grant copies in one call, in order. Each element
 * is read from the caller's memory as it comes (no array on the kernel
 * stack); the first failure stops the vector, and done says how many
 * were complete. A page VM must bring in runs the whole call again. */
#include "kernel/system.h"
#include "kernel/grant.h"
#include "kernel/ipc.h"
#include "kernel/proc.h"
#include "kernel/usercopy.h"

int do_vsafecopy(struct proc *caller, message *m)
{
	struct sys_vsafecopy *v = &m->u.vsafecopy;
	struct vscp_vec e;
	int r;

	v->done = 0;
	if (v->count > VSCP_MAX)
		return E2BIG;
	if ((r = user_range_check(v->vec, v->count * sizeof(e))) != OK)
		return r;
	for (uint32_t i = 0; i < v->count; i++) {
		vir_bytes at = v->vec + i * sizeof(e);
		uint32_t fault = copy_from_current(&e, at, sizeof(e));

		if (fault == 1)
			return EFAULT;
		if (fault) {
			caller->p_misc_flags |= MF_RESTART;
			memreq_post(caller, at, sizeof(e), 0);
			return EDONTREPLY;
		}
		if (e.dir != VSCP_FROM && e.dir != VSCP_TO)
			return EINVAL;
		r = grant_copy(caller, e.granter, e.grant, e.offset, e.addr,
			e.bytes, e.dir == VSCP_TO);
		if (r != OK)
			return r;
		v->done = i + 1;
	}
	return OK;
}
