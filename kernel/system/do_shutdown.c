/* SYS_SHUTDOWN: a test or benchmark program ends the boot. The done
 * record counts every test record of the boot: the kernel's own and each
 * one user programs sent through SYS_DIAGPRINT (the caller's own counts
 * in the message are not needed for that). */
#include "kernel/system.h"
#include "kernel/record.h"
#include "kernel/ktest.h"
#include "kernel/kernel.h"

int do_shutdown(struct proc *caller, message *m)
{
	unsigned tests, failed = ktest_totals(&tests);

	(void)caller;
	/* A boot that fails without test records (RS refusing its policy)
	 * says so itself: the boot ends red all the same. */
	if (failed == 0 && m->u.shutdown.failed != 0)
		failed = m->u.shutdown.failed;
	record("done", "mode=%s tests=%u failed=%u", ktest_mode(), tests,
		failed);
	machine_exit(failed ? EXIT_FAILED : EXIT_OK);
}
