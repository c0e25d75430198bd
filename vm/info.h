/*
 * What VM tells about itself: VM_STATS (free memory, regions, faults,
 * the block cache) and VM_LOOKUPBENCH (the lab's measure of region
 * lookup, timed inside VM so that no IPC cost hides the curve).
 */
#ifndef CAIRN_VM_INFO_H
#define CAIRN_VM_INFO_H

#include "cairn/ipc.h"

void stats_request(const message *m);
void lookupbench_request(const message *m);
/* VM_ZEROPOOL: the pool of zeroed frames' figures; emptied or filled on
 * a benchmark program's demand. */
void zeropool_request(const message *m);

#endif /* CAIRN_VM_INFO_H */
