/*
 * ubench's benchmarks of the reincarnation server (ubench_rs.c): a round
 * trip to a service RS watches, and the time from a service's crash to
 * its first served request.
 */
#ifndef CAIRN_UBENCH_RS_H
#define CAIRN_UBENCH_RS_H

#include "bench/user/urunner.h"

/* Appends at most max benchmarks to list and returns how many. */
unsigned ubench_rs_list(struct ubench *list, unsigned max);

#endif /* CAIRN_UBENCH_RS_H */
