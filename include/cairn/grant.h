/*
 * Memory grants: the contract between a granter's library, which keeps
 * its grant table in its own memory, and the kernel, which reads that
 * table when a grantee copies through a grant (SYS_SAFECOPYFROM/TO).
 *
 * A grant id names a slot of the table and the generation the slot had
 * when the grant was made. The library bumps the generation every time
 * it reuses a slot (and retires a slot whose generation is exhausted),
 * so an id kept after its revocation never names the slot's next grant.
 */
#ifndef CAIRN_GRANT_H
#define CAIRN_GRANT_H

#include <stdint.h>
#include "cairn/types.h"

typedef int32_t cp_grant_id_t;

#define GRANT_INVALID		((cp_grant_id_t)-1)
#define GRANT_SLOT_BITS		16
#define GRANT_SLOTS_MAX		(1u << GRANT_SLOT_BITS)	/* per process */
#define GRANT_GEN_MAX		0x7fffu	/* ids stay positive */
#define make_grant_id(gen, slot) \
	((cp_grant_id_t)(((uint32_t)(gen) << GRANT_SLOT_BITS) | (slot)))
#define grant_id_slot(g)	((uint32_t)(g) & (GRANT_SLOTS_MAX - 1))
#define grant_id_gen(g)		((uint32_t)(g) >> GRANT_SLOT_BITS)

/* Entry flags. A free entry has none (GF_USED clear). */
#define GF_USED		0x01	/* the entry is a live grant */
#define GF_READ		0x02	/* the grantee may copy from the memory */
#define GF_WRITE	0x04	/* the grantee may copy into it */
#define GF_INDIRECT	0x08	/* forwards part of a grant received */
#define GF_MAP		0x10	/* may be mapped (safemap): page-aligned */
#define GF_ACCESS	(GF_READ | GF_WRITE)

/* One slot of a grant table, as the granter writes it and the kernel
 * reads it. The library writes flags last when it makes a grant and
 * clears them first when it revokes; the kernel reads flags and gen
 * again after the rest, so a grant changed under it is never half-used. */
struct grant_entry {
	uint32_t flags;		/* GF_* */
	uint32_t gen;		/* generation the slot's id carries */
	endpoint_t grantee;	/* ANY: anyone may use it */
	uint32_t len;		/* bytes granted */
	vir_bytes addr;		/* direct: start in the granter's memory */
	endpoint_t from;	/* indirect: who granted it to us */
	cp_grant_id_t from_id;	/* indirect: their grant id */
	uint32_t from_off;	/* indirect: where ours starts in theirs */
};

_Static_assert(sizeof(struct grant_entry) == 32,
	"the kernel finds slot i at table + 32 * i");

/* An indirect grant is followed at most this many hops to the memory. */
#define GRANT_MAX_HOPS	8

/* One element of SYS_VSAFECOPY: a copy in either direction. */
#define VSCP_FROM	0	/* from the granter's memory to mine */
#define VSCP_TO		1	/* from mine to the granter's memory */
struct vscp_vec {
	endpoint_t granter;
	cp_grant_id_t grant;
	uint32_t offset;	/* into the grant */
	vir_bytes addr;		/* in the caller's memory */
	uint32_t bytes;
	uint32_t dir;		/* VSCP_* */
};
#define VSCP_MAX	64	/* elements per call; more is E2BIG */

#endif /* CAIRN_GRANT_H */
