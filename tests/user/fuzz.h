/*
 * The system-call fuzzer (tests/user/fuzz*.c, `make fuzz`): ordinary
 * processes make random calls, by every entry style, with random EFLAGS,
 * FPU and SSE contents, messages, targets and pointers, and check that
 * each ends in a result the kernel and servers promise.
 *
 * The driver (role=main) spawns `procs` workers through PM, each with its
 * own seed (seed + i) and calls/procs calls; a worker forks children that
 * fuzz on their own (some "wild": anything goes, even calls that may kill
 * them) and spawns further workers. A worker exits 0 when every check
 * held, else with the number of the first call that failed plus one; the
 * same seed replays the same calls.
 */
#ifndef CAIRN_FUZZ_H
#define CAIRN_FUZZ_H

#include <stdint.h>
#include "cairn/ipc.h"

/* One entry: style ENTRY_*, EFLAGS set by the instruction before it; the
 * flags the kernel returned with in *eflags_back (fuzz_trap.S). */
int fuzz_trap(int style, int op, endpoint_t ep, message *m,
	uint32_t eflags, uint32_t *eflags_back);

struct fuzz_rng { uint32_t s; };

static inline uint32_t fuzz_next(struct fuzz_rng *r)
{
	uint32_t x = r->s;	/* xorshift32: never 0 from a non-zero seed */

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return r->s = x;
}

/* 0 .. n-1 */
static inline uint32_t fuzz_below(struct fuzz_rng *r, uint32_t n)
{
	return n ? fuzz_next(r) % n : 0;
}

#define FUZZ_MAX_CHILDREN	3

/* What a worker is doing, and what it found. */
struct fuzz_worker {
	struct fuzz_rng rng;
	uint32_t seed;
	uint32_t call;		/* the call being made, from 0 */
	int wild;		/* anything goes: the process may die */
	int has_sse;
	uint32_t entry_mask;	/* 1 << ENTRY_* the CPU has */
	endpoint_t self;
	endpoint_t parent;	/* a worker's driver or parent */
	int children;		/* live children it forked or spawned */
	int32_t kid_pid[FUZZ_MAX_CHILDREN];	/* theirs; 0: free */
	uint32_t trace_from;	/* print each call from this one on */
	char why[160];		/* the first failed check */
};

/* fuzz_call.c: makes call w->call; 0 when every check held, else -1 with
 * w->why saying what went wrong. */
int fuzz_one(struct fuzz_worker *w);

/* fuzz_fpu.c: random values into x87 and SSE registers, and whether they
 * are still there (0: yes). */
void fuzz_fpu_load(struct fuzz_worker *w);
int fuzz_fpu_check(struct fuzz_worker *w);
int fuzz_cpu_has_sse(void);

/* The worker's arena: the only range its (non-wild) VM requests may
 * change, so that it cannot unmap its own code by chance. */
#define FUZZ_ARENA	0x40000000u
#define FUZZ_ARENA_LEN	0x01000000u

#endif /* CAIRN_FUZZ_H */
