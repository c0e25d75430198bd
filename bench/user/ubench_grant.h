/*
 * ubench's benchmarks of grants (ubench_grant.c): copies through a grant
 * by the kernel and copy-on-write by VM, and safemap with revocation.
 */
#ifndef CAIRN_UBENCH_GRANT_H
#define CAIRN_UBENCH_GRANT_H

#include "bench/user/urunner.h"

/* Appends at most max benchmarks to list and returns how many. */
unsigned ubench_grant_list(struct ubench *list, unsigned max);

#endif /* CAIRN_UBENCH_GRANT_H */
