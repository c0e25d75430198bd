/* SYS_DIAGPRINT: text for the console, or a result record for the host
 * (sent whole to the serial port, never into the diagnostics buffer). */
#include "kernel/system.h"
#include "kernel/console.h"
#include "kernel/ipc.h"
#include "kernel/proc.h"

#define DIAG_MAX	1024

int do_diagprint(struct proc *caller, message *m)
{
	struct sys_diagprint *d = &m->u.diagprint;
	char buf[DIAG_MAX];

	if (d->len > DIAG_MAX)
		return EINVAL;
	uint32_t r = copy_from_current(buf, d->buf, d->len);
	if (r == 1)
		return EFAULT;
	if (r != 0) {
		caller->p_misc_flags |= MF_RESTART;
		memreq_post(caller, d->buf, d->len, 0);
		return EDONTREPLY;
	}
	if (d->flags & DIAG_RECORD)
		console_write_record(buf, d->len);
	else
		console_write(buf, d->len);
	return OK;
}
