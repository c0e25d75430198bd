/*
 * VM's own page area (vm/self.h) for the host tests: runs from
 * aligned_alloc, a list of the runs handed out, and mprotect for the
 * sanity build's write protection. A test may make the next runs fail.
 */
#define _DEFAULT_SOURCE		/* mprotect */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "vm/self.h"
#include "tests/host/vm_self_host.h"

#define HOST_PAGE	4096u
#define HOST_MAX_RUNS	65536

static struct { char *p; size_t bytes; } runs[HOST_MAX_RUNS];
static unsigned nruns;

unsigned host_self_pages;	/* pages handed out and not back */
int host_self_fail;		/* > 0: that many next runs fail */

static size_t round_page(size_t bytes)
{
	return (bytes + HOST_PAGE - 1) & ~(size_t)(HOST_PAGE - 1);
}

static int find(const void *p)
{
	for (unsigned i = 0; i < nruns; i++)
		if ((const char *)p >= runs[i].p &&
		    (const char *)p < runs[i].p + runs[i].bytes)
			return (int)i;
	return -1;
}

void *vm_mmap_self(size_t bytes)
{
	char *p;

	if (bytes == 0 || nruns == HOST_MAX_RUNS)
		return NULL;
	if (host_self_fail > 0) {
		host_self_fail--;
		return NULL;
	}
	bytes = round_page(bytes);
	p = aligned_alloc(HOST_PAGE, bytes);
	if (p == NULL)
		return NULL;
	memset(p, 0, bytes);
	runs[nruns].p = p;
	runs[nruns].bytes = bytes;
	nruns++;
	host_self_pages += (unsigned)(bytes / HOST_PAGE);
	return p;
}

void vm_munmap_self(void *p, size_t bytes)
{
	int i = find(p);

	if (i < 0 || runs[i].p != p || runs[i].bytes != round_page(bytes))
		panic("vm_munmap_self(%p, %zu): not a run handed out", p,
			bytes);
	/* Writable again before libc (or ASan) has the memory back. */
	if (mprotect(p, runs[i].bytes, PROT_READ | PROT_WRITE) != 0)
		panic("mprotect(%p) failed", p);
	host_self_pages -= (unsigned)(runs[i].bytes / HOST_PAGE);
	runs[i] = runs[--nruns];
	free(p);
}

int vm_mmap_owns(const void *p)
{
	return find(p) >= 0;
}

void vm_protect_self(const void *page, int writable)
{
	if (((size_t)page & (HOST_PAGE - 1)) != 0 || find(page) < 0)
		panic("vm_protect_self(%p): not a page handed out", page);
	if (mprotect((void *)page, HOST_PAGE,
			PROT_READ | (writable ? PROT_WRITE : 0)) != 0)
		panic("mprotect(%p) failed", page);
}

phys_bytes self_pgdir(void)
{
	return 0;
}

vir_bytes self_heap_size(void)
{
	return 0;
}

/* The host's malloc is the host's: VM's give-back heap (lib's malloc
 * with malloc_give_back set) is not there to check. */
int malloc_give_back;

void malloc_release(void)
{
}
