/* SYS_VIRCOPY: copy between the caller's memory and another process's,
 * through a window onto the other address space. VM's space is closed to
 * everyone but VM (it maps all physical memory): EPERM. A range that
 * wraps is EINVAL, one that reaches the kernel EFAULT. */
#include "kernel/system.h"
#include "kernel/proc.h"
#include "kernel/arch.h"

#define VIRCOPY_MAX	(64 * 1024)

int do_vircopy(struct proc *caller, message *m)
{
	struct sys_vircopy *v = &m->u.vircopy;
	int src_self = v->src_ep == SELF || v->src_ep == caller->p_endpoint;
	int dst_self = v->dst_ep == SELF || v->dst_ep == caller->p_endpoint;

	int r;

	if (src_self == dst_self || v->len > VIRCOPY_MAX)
		return EINVAL;
	if ((r = user_range_check(v->src_addr, v->len)) == EINVAL ||
	    (r = user_range_check(v->dst_addr, v->len)) == EINVAL)
		return EINVAL;
	struct proc *other = proc_from_endpoint(src_self ? v->dst_ep : v->src_ep);
	if (!other)
		return EBADEPT;
	if ((other->p_misc_flags & MF_PRIV_VM) &&
	    !(caller->p_misc_flags & MF_PRIV_VM))
		return EPERM;
	if (user_range_check(v->src_addr, v->len) != OK ||
	    user_range_check(v->dst_addr, v->len) != OK)
		return EFAULT;
	if (src_self)
		return window_copy(other, v->dst_addr, v->src_addr, v->len, 1);
	return window_copy(other, v->src_addr, v->dst_addr, v->len, 0);
}
