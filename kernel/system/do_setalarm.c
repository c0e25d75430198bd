/* SYS_SETALARM: the caller's one alarm (kernel/timer.c). */
#include "kernel/system.h"
#include "kernel/timer.h"
#include "kernel/proc.h"
#include "cairn/calls.h"

int do_setalarm(struct proc *caller, message *m)
{
	m->u.setalarm.left = alarm_set(caller, m->u.setalarm.ms);
	return OK;
}
