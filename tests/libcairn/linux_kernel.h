/*
 * A stand-in for the Cairn kernel, VM and PM, so that libcairn's
 * test program runs as an ordinary 32-bit Linux process (linux_kernel.c):
 * it replaces the three IPC primitives, answers like the kernel and VM
 * would, and keeps what it saw here for the tests to inspect.
 */
#ifndef CAIRN_TEST_LINUX_KERNEL_H
#define CAIRN_TEST_LINUX_KERNEL_H

#include "cairn/ipc.h"
#include "cairn/urecord.h"

#define FAKE_SELF	make_endpoint(3, 5)
#define FAKE_PARENT	make_endpoint(1, 2)	/* what the fake PM says */
#define FAKE_CHILD	make_endpoint(2, 11)
#define FAKE_HEAP_MAX	(16u << 20)	/* the fake VM refuses more heap */
#define FAKE_CONSOLE	4096
#define FAKE_PRINTS	32

struct fake_kernel {
	/* The last IPC a primitive was given, and the message as it came. */
	int op;
	endpoint_t ep;
	message *m;
	message in;
	uint32_t traps[3];		/* calls per ENTRY_* */

	/* While capture is on, printed text collects in console[] (one
	 * length per sys_diagprint in print_len[]) instead of going to
	 * Linux's stdout. Records always collect in record[]. */
	int capture;
	char console[FAKE_CONSOLE];
	uint32_t console_len;
	uint32_t prints;
	uint32_t print_len[FAKE_PRINTS];
	char record[URECORD_MAX + 1];
	uint32_t record_len;
	uint32_t records;

	vir_bytes heap_start;		/* the fake VM's heap region */
	vir_bytes heap_mapped;		/* mapped up to here */
	uint32_t brk_calls;

	/* The fake VM's answer to every other request (VM_MMAP, ...). */
	int32_t vm_status;
	uint32_t vm_value[6];

	int expect_panic;		/* the next PM_EXIT must be a panic */
	int failures;			/* of the test program */
};

extern struct fake_kernel fake;

/* Starts (with empty buffers) or stops capturing the console. */
void fake_capture(int on);
/* Writes straight to Linux's stdout. */
void fake_write(const char *s);

#endif /* CAIRN_TEST_LINUX_KERNEL_H */
