/*
 * The block cache: a process yields pages under an id (a file system's
 * block number, say) and gets fresh memory in their place; later it asks
 * for the block back by id. The cached blocks cost nothing while memory
 * is plentiful and are forgotten, oldest first, when it runs short: a
 * get of a forgotten id says ENOENT, and VMS_FORGOTTEN counts them.
 *
 * Ids are the yielding process's own: each process has its id space, a
 * request naming another owner (u.vm_cache.owner) is EPERM, and a
 * process's blocks go when it exits. Sharing cached blocks with other
 * processes (through grants, say) is not done yet.
 */
#ifndef CAIRN_VM_CACHE_H
#define CAIRN_VM_CACHE_H

#include "cairn/ipc.h"

/* VM_CACHE_YIELD and VM_CACHE_GET: serve and reply. */
void cache_yield_request(const message *m);
void cache_get_request(const message *m);

/* Forgets cached blocks, oldest first, until at least pages frames went
 * back to the allocator or the cache is empty. Returns the frames freed. */
uint32_t cache_reclaim(uint32_t pages);

/* Exit: drops every block owner yielded. */
void cache_drop_owner(endpoint_t owner);

uint32_t cache_blocks(void);
uint32_t cache_forgotten(void);

/* Calls fn for every block reference the cache holds (the sanity
 * check counts them). */
struct phys_block;
void cache_walk(void (*fn)(struct phys_block *pb));

#endif /* CAIRN_VM_CACHE_H */
