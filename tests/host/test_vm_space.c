/*
 * Tests of VM's address-space code on the host, with 16 MiB of host memory
 * standing in for RAM (VM's direct map) and the kernel calls replaced by
 * recording stubs (tests/host/vm_space.h, vm_space_harness.c). One binary,
 * its cases by topic:
 *
 *   vm_space_boot.c    page tables, boot programs, module strings, roles
 *   vm_space_fault.c   page faults, kernel memory requests, brk, strangers
 *   vm_space_sanity.c  the sanity build's overlap check and self-test
 *   vm_space_pm.c      PM's requests: exits, the exit queue, fork, spawn
 *   vm_space_pool.c    the pool of pre-zeroed frames, VM_ZEROPOOL
 *   vm_mem_share.c     copy-on-write, mmap and munmap, physical memory,
 *                      grants, out of memory
 *   vm_mem_cache.c     the block cache
 */
#include "check.h"
#include "tests/host/vm_space.h"

int main(int argc, char **argv)
{
	int r = check_main(argc, argv);

	free(ram);
	return r;
}
