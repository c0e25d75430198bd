/* SYS_SHUTDOWN: a test or benchmark program ends the boot. The done
 * record counts the kernel's own self-tests and the program's. */
#include "kernel/system.h"
#include "kernel/record.h"
#include "kernel/ktest.h"
#include "kernel/kernel.h"

int do_shutdown(struct proc *caller, message *m)
{
	unsigned ktests, kfailed = ktest_totals(&ktests);
	uint32_t tests = ktests + m->u.shutdown.tests;
	uint32_t failed = kfailed + m->u.shutdown.failed;

	(void)caller;
	record("done", "mode=%s tests=%u failed=%u", ktest_mode(), tests,
		failed);
	machine_exit(failed ? EXIT_FAILED : EXIT_OK);
}
