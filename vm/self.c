/*
 * What the library asks of every process, done VM's way: VM cannot send
 * to itself, so its malloc grows in a fixed arena instead of by VM_BRK,
 * and its exit() ends the whole system instead of sending VM_EXIT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "cairn/syslib.h"
#include "cairn/ipclib.h"

/* VM's own heap: region sets and the like. Fixed for now; VM will map
 * its own pages here once it knows its own page directory. */
#define VM_HEAP_SIZE	(512u * 1024u)

static uint8_t vm_heap[VM_HEAP_SIZE] __attribute__((aligned(16)));
static uint32_t vm_brk;		/* offset of the break in vm_heap */

int brk(void *addr)
{
	uintptr_t a = (uintptr_t)addr, base = (uintptr_t)vm_heap;

	if (a < base || a - base > VM_HEAP_SIZE)
		return ENOMEM;
	vm_brk = (uint32_t)(a - base);
	return OK;
}

void *sbrk(intptr_t incr)
{
	void *old = vm_heap + vm_brk;

	if ((incr > 0 && (uintptr_t)incr > VM_HEAP_SIZE - vm_brk) ||
	    (incr < 0 && (uintptr_t)-incr > vm_brk)) {
		printf("vm: own heap of %u KiB exhausted\n",
			VM_HEAP_SIZE / 1024);
		return (void *)-1;
	}
	vm_brk = (uint32_t)((intptr_t)vm_brk + incr);
	return old;
}

/* panic() and failed assertions end here: without VM nothing can go on,
 * so the boot ends, counted as a failure. */
void exit(int status)
{
	message m;

	printf("vm: exit(%d): the system cannot run without VM\n", status);
	stdout_flush();
	sys_shutdown(0, 1);
	for (;;)
		ipc_receive(KERNEL, &m);
}
