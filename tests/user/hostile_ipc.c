/*
 * Hostile cases: IPC and kernel calls with bad targets and bad pointers,
 * from an ordinary process. Each gets an error code; a bad access of the
 * attacker's own kills only the attacker.
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include "cairn/ipclib.h"
#include "cairn/syslib.h"
#include "tests/user/hostile.h"

#define KERNEL_PAGE	((message *)0xF0001000u)
#define WRAPPING	((message *)0xFFFFFFF0u)	/* ends past 4 GiB */

static int bad_targets(void)
{
	message m;
	int ok = 1;

	memset(&m, 0, sizeof m);
	ok &= h_expect("send to a never-used slot",
		ipc_sendnb(make_endpoint(77, 500), &m), EBADEPT);
	/* A stale generation reads as a dead peer (issue 15's clients
	 * recognise it and look the service up again). */
	ok &= h_expect("send to a stale generation of PM",
		ipc_sendnb(make_endpoint(9, PM_PROC_NR), &m), EDEADSRCDST);
	ok &= h_expect_error("kill PM", kill(PM_ENDPOINT, 0));
	ok &= h_expect_error("kill VM", kill(VM_ENDPOINT, 0));
	ok &= h_expect("shutdown without the right", sys_shutdown(0, 0),
		EPERM);
	return ok ? HOSTILE_OK : 1;
}

static int bad_pointers(void)
{
	int ok = 1;

	ok &= h_expect("sendrec, message at 0", ipc_sendrec(PM_ENDPOINT,
		NULL), EFAULT);
	ok &= h_expect("sendrec, message in the kernel",
		ipc_sendrec(PM_ENDPOINT, KERNEL_PAGE), EFAULT);
	ok &= h_expect("sendrec, message wrapping past 4 GiB",
		ipc_sendrec(PM_ENDPOINT, WRAPPING), EFAULT);
	/* kernel_call() writes the call number into the message first. */
	ok &= h_expect("kernel call, message in the kernel",
		ipc_trap_int(IPC_KERNCALL, KERNEL, KERNEL_PAGE), EFAULT);
	return ok ? HOSTILE_OK : 1;
}

static int write_kernel(void)
{
	*(volatile uint32_t *)KERNEL_PAGE = 0;
	return 1;			/* not reached */
}

static int kernel_write(void)
{
	return h_expect("write to the kernel's memory",
		h_child_status(write_kernel), EFAULT) ? HOSTILE_OK : 1;
}

const struct hostile_case hostile_ipc_cases[] = {
	{ "ipc.bad_targets", bad_targets, HOSTILE_OK },
	{ "ipc.bad_pointers", bad_pointers, HOSTILE_OK },
	{ "ipc.kernel_write", kernel_write, HOSTILE_OK },
};
const int hostile_ipc_count = sizeof hostile_ipc_cases /
	sizeof hostile_ipc_cases[0];
