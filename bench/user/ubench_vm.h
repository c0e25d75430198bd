/*
 * ubench's benchmarks of the VM server and the process manager
 * (ubench_vm.c): page faults, mappings, the block cache, region lookups at
 * growing region counts, and fork.
 */
#ifndef CAIRN_UBENCH_VM_H
#define CAIRN_UBENCH_VM_H

#include "bench/user/urunner.h"
#include "cairn/types.h"

/* Appends at most max benchmarks to list and returns how many: those VM
 * (it answers VM_STATS) and PM (getpid() is self) can serve, in the
 * order they must run; a line on the console names any left out. */
unsigned ubench_vm_list(struct ubench *list, unsigned max, endpoint_t self);

/* ubench role=execd t=<TSC in hex>: what proc.exec starts; returns the
 * TSC ticks since t (its exit status). */
int ubench_execd(const char *t0);

#endif /* CAIRN_UBENCH_VM_H */
