/* SYS_SETGRANT: where the caller's grant table lives (kernel/grant.c).
 * The kernel only records it; every use reads the slot afresh. */
#include "kernel/system.h"
#include "kernel/proc.h"
#include "cairn/grant.h"

int do_setgrant(struct proc *caller, message *m)
{
	struct sys_setgrant *s = &m->u.setgrant;
	int r;

	if (s->slots > GRANT_SLOTS_MAX)
		return E2BIG;
	if ((r = user_range_check(s->addr, s->slots *
			sizeof(struct grant_entry))) != OK)
		return r;
	caller->p_grant_table = s->addr;
	caller->p_grant_slots = s->slots;
	return OK;
}
