/*
 * ubench's benchmarks of the data store (ubench_ds.c): publish and
 * retrieve of a 32-bit value and of a 4 KiB range.
 */
#ifndef CAIRN_UBENCH_DS_H
#define CAIRN_UBENCH_DS_H

#include "bench/user/urunner.h"

/* Appends at most max benchmarks to list and returns how many. */
unsigned ubench_ds_list(struct ubench *list, unsigned max);

#endif /* CAIRN_UBENCH_DS_H */
