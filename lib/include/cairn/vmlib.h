/*
 * The VM server's calls for user programs (messages in cairn/calls.h),
 * one function per request. Like the kernel-call wrappers (syslib.h) each
 * returns OK or a negative code from cairn/errno.h, and results come back
 * through the pointer arguments only on OK. <sys/mman.h> has mmap() and
 * munmap() on top of these.
 *
 * What VM promises (include/cairn/calls.h says it per message):
 *   - lengths are rounded up to whole pages; a length of 0, an address
 *     that must be exact (MAP_FIXED, munmap, grants, the cache) but is not
 *     page-aligned, or a range that starts in page 0, wraps past 4 GiB or
 *     reaches the kernel's part (0xF0000000 and up) is EINVAL;
 *   - MAP_PHYS is for drivers: a process VM has not given that right
 *     (vm/priv.c) gets EPERM, and so does a range that overlaps memory VM
 *     manages itself (free or handed out): VM's pages reach a process
 *     only as anonymous, contiguous, shared or cached memory;
 *   - munmap of a range with nothing mapped in it is OK.
 */
#ifndef CAIRN_VMLIB_H
#define CAIRN_VMLIB_H

#include <stddef.h>
#include <stdint.h>
#include "cairn/ipc.h"

/* Entries of the VM_STATS reply (VMS_* in calls.h index it). */
#define VM_STATS_COUNT	6

/* Any VM_MMAP request, every field as the caller set it; *addr is where
 * the new region starts. */
int vm_mmap(const struct vm_mmap *req, void **addr);

/* Physically contiguous memory, present and zeroed at once, readable and
 * writable, anywhere in the address space. align: the physical alignment
 * in bytes (a power of two; 0 or 4096: a page); flags: MAP_LOWER16M to
 * have all of it below 16 MiB. */
int vm_mmap_contig(size_t len, uint32_t align, int flags, void **addr);

/* The physical range [phys, +len) (page-aligned), anywhere; prot as for
 * mmap; flags: MAP_UNCACHED for device registers. */
int vm_mmap_phys(phys_bytes phys, size_t len, int prot, int flags,
	void **addr);

/* [addr, +len) of the caller's memory (inside one region) may be mapped
 * by grantee (ANY: by anyone) through *id; prot PROT_WRITE lets the
 * grantee write. Writes by either side are seen by the other. */
int vm_grant(void *addr, size_t len, endpoint_t grantee, int prot,
	uint32_t *id);
/* No new mappings through id; what is mapped stays mapped. */
int vm_revoke(uint32_t id);
/* Maps len bytes of owner's memory granted as grant, anywhere. */
int vm_mmap_shared(endpoint_t owner, uint32_t grant, size_t len, int prot,
	void **addr);

/* The block cache. vm_cache_yield: the pages [addr, +len) go to the cache
 * under id and the range reads as fresh zero memory; with get_id != 0 the
 * block get_id comes back in the same request, mapped at get_addr (NULL:
 * anywhere), and *got (if not NULL) is where. vm_cache_get: block id
 * comes back in a new region at addr (NULL: anywhere); len must be the
 * block's size (else EINVAL), and the block leaves the cache. ENOENT when
 * VM never had the block or forgot it (a block of pages never touched is
 * not kept at all); a yield under an id that is in the cache already:
 * EEXIST (errno.h). Ids are the calling process's own: other processes
 * neither see nor reach its blocks (naming another owner in the message
 * is EPERM), and its blocks go when it exits. */
int vm_cache_yield(void *addr, size_t len, uint32_t id, uint32_t get_id,
	void *get_addr, void **got);
int vm_cache_get(void *addr, size_t len, uint32_t id, void **got);

/* Safemap (calls.h, VM_SAFEREVMAP): [offset, +len) of granter's kernel
 * grant id, mapped shared at a new address (*addr); prot PROT_WRITE
 * needs a writable grant. vm_saferevmap: every mapping made through the
 * caller's grant id goes away; *removed (may be NULL) says how many. */
int vm_safemap(endpoint_t granter, int32_t id, uint32_t offset, size_t len,
	int prot, void **addr);
int vm_saferevmap(int32_t id, uint32_t *removed);
/* The copy-on-write safecopy (VM_COWCOPY): [offset, +len) of granter's
 * grant id replaces [addr, +len) of the caller's anonymous memory;
 * vm_cowcopy_to: the caller's [addr, +len) replaces [offset, +len) of
 * the grant (the granter's anonymous memory). */
int vm_cowcopy(endpoint_t granter, int32_t id, uint32_t offset, void *addr,
	size_t len);
int vm_cowcopy_to(endpoint_t granter, int32_t id, uint32_t offset,
	const void *addr, size_t len);

/* v[VMS_FREE], v[VMS_TOTAL], ... (calls.h). */
int vm_stats(uint32_t v[VM_STATS_COUNT]);

/* VM_ZEROPOOL (calls.h): op ZP_STATS fills v[ZPS_*] (VM_ZEROPOOL_COUNT
 * values); ZP_DRAIN and ZP_FILL (benchmark programs only) put how many
 * frames went in v[0]. v may be NULL. */
#define VM_ZEROPOOL_COUNT	6
int vm_zeropool(uint32_t op, uint32_t count, uint32_t v[VM_ZEROPOOL_COUNT]);

/* VM_LOOKUPBENCH (benchmark programs only, else EPERM; count at most
 * VM_LOOKUPBENCH_MAX, else E2BIG): count lookups of the caller's regions
 * at pseudo-random addresses from seed, timed by VM. TSC ticks (instructions under
 * icount) of the loop with the lookups, of the same loop without them,
 * and how many addresses fell inside a region. */
struct vm_lookup_times {
	uint64_t lookups;
	uint64_t overhead;
	uint32_t hits;
};
int vm_lookupbench(uint32_t count, uint32_t seed, struct vm_lookup_times *t);

#endif /* CAIRN_VMLIB_H */
