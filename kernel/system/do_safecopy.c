/* SYS_SAFECOPYFROM and SYS_SAFECOPYTO: a copy between the caller and the
 * memory a grant names, checked for grantee, access, range and the id's
 * generation (kernel/grant.c). */
#include "kernel/system.h"
#include "kernel/grant.h"

int do_safecopy(struct proc *caller, message *m)
{
	struct sys_safecopy *s = &m->u.safecopy;

	return grant_copy(caller, s->granter, s->grant, s->offset, s->addr,
		s->bytes, m->m_type == SYS_SAFECOPYTO);
}
