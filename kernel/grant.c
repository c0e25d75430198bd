/*
 * Copies through grants. Each process keeps its grant table in its own
 * memory, as MINIX does, and tells the kernel where (SYS_SETGRANT); the
 * kernel reads only the slot an id names, through the window onto the
 * granter's space.
 *
 * Why the table is the granter's and not the kernel's: a process may make
 * thousands of grants, and the kernel allocates nothing (seL4's rule, and
 * ours); the granter pays for its own table, grows it as it likes, and
 * making or revoking a grant is a store into its own memory, no kernel
 * entry at all. The kernel trusts nothing in the table: a granter that
 * scribbles over it can only give away its own memory or lose grants.
 * Lookup is O(1): slot i is at table + 32 * i.
 *
 * Ids carry the slot's generation (like endpoints): the kernel takes a
 * grant only when the slot is in use and its generation is the id's, so
 * an id kept after revocation never reaches the slot's next grant.
 *
 * Revocation is a store by the granter; a copy that found the grant live
 * before that store may still finish (MINIX has the same window).
 *
 * SYS_SAFECOPYFROM/TO always copy bytes; copy-on-write (VM_COWCOPY, both
 * directions) is the library's choice (safecopyfrom/safecopyto, for
 * page-aligned copies of SAFECOPY_COW_MIN or more), not the kernel's:
 *  - the kernel would have to hand the copy to VM as a memory request
 *    (queue, notify, VM's MEMREQ_GET and MEMREQ_REPLY, one more GET to
 *    find the queue empty): more kernel entries than the library's one
 *    SENDREC to VM, which also needs no SYS_GRANTINFO round of its own
 *    for the invalidation (VM learns there that a waiting requester
 *    needs none);
 *  - replacing frames is not what every caller of a copy wants: device
 *    and contiguous memory (DMA buffers), physical ranges and pages
 *    shared with others must keep their frames; the library asks VM,
 *    VM refuses what it cannot share, and the library falls back to
 *    the byte copy, which reports the real error;
 *  - the kernel call stays usable by VM itself and by the servers VM
 *    may wait for, with no path where a copy waits for VM;
 *  - under 16 KiB the byte copy is cheaper (grant.safecopy.cow.4k costs
 *    more than bytes.4k), and only the caller knows its buffer is
 *    anonymous memory it is happy to see replaced.
 */
#include "kernel/grant.h"
#include "kernel/ipc.h"
#include "kernel/proc.h"
#include "kernel/system.h"
#include "kernel/arch.h"

#define PAGE_MASK	(PAGE_SIZE - 1)

/* The memory a grant resolves to. */
struct grant_target {
	struct proc *proc;
	vir_bytes addr;
};

static struct proc *live_granter(endpoint_t e)
{
	struct proc *p = proc_from_endpoint(e);

	if (!p || (p->p_rts_flags & RTS_DYING))
		return 0;
	return p;
}

/* Reads slot id of g's table into *e: OK only when the slot is live with
 * the id's generation. flags and gen are read again after the whole
 * entry: a granter changing the slot meanwhile makes them differ (it
 * clears flags first when it revokes, bumps gen when it reuses). */
static int read_entry(struct proc *g, cp_grant_id_t id, struct grant_entry *e)
{
	uint32_t slot = grant_id_slot(id), gen = grant_id_gen(id);
	uint32_t again[2];

	if (id < 0 || gen == 0 || slot >= g->p_grant_slots)
		return EINVAL;
	vir_bytes at = g->p_grant_table + slot * sizeof(*e);
	if (window_read_again(g, at, e, sizeof(*e), again, sizeof(again))
	    != OK)
		return EINVAL;
	if (again[0] != e->flags || again[1] != e->gen ||
	    !(e->flags & GF_USED) || e->gen != gen)
		return EINVAL;
	return OK;
}

/* Follows grant id of granter, as used by grantee for [offset, +bytes)
 * with the access bits GF_READ/GF_WRITE, to the memory. Each hop of an
 * indirect grant is checked the same way, with the forwarder as grantee,
 * so no hop ever gives more than it received. */
static int grant_resolve(endpoint_t grantee, endpoint_t granter,
	cp_grant_id_t id, uint32_t offset, uint32_t bytes, uint32_t access,
	struct grant_target *out)
{
	struct grant_entry e;
	int r;

	for (int hop = 0; hop < GRANT_MAX_HOPS; hop++) {
		struct proc *g = live_granter(granter);

		if (!g)
			return hop == 0 && granter <= 0 ? EINVAL : EDEADSRCDST;
		if ((r = read_entry(g, id, &e)) != OK)
			return r;
		if (e.grantee != ANY && e.grantee != grantee)
			return EPERM;
		if ((e.flags & access) != access)
			return EPERM;
		if (offset > e.len || bytes > e.len - offset)
			return EFAULT;
		if (!(e.flags & GF_INDIRECT)) {
			if (user_range_check(e.addr + offset, bytes) != OK ||
			    offset > 0xffffffffu - e.addr)
				return EFAULT;
			out->proc = g;
			out->addr = e.addr + offset;
			return OK;
		}
		if (e.from_off > 0xffffffffu - offset)
			return EFAULT;
		grantee = g->p_endpoint;
		granter = e.from;
		id = e.from_id;
		offset += e.from_off;
	}
	return EINVAL;		/* a chain too long (or a loop) */
}

int grant_lookup(endpoint_t grantee, endpoint_t granter, cp_grant_id_t id,
	uint32_t offset, uint32_t bytes, uint32_t access, endpoint_t *owner,
	vir_bytes *addr)
{
	struct grant_target t;
	int r;

	if (access & ~(GF_ACCESS | GF_MAP))
		return EINVAL;
	r = grant_resolve(grantee, granter, id, offset, bytes, access, &t);
	if (r == OK) {
		*owner = t.proc->p_endpoint;
		*addr = t.addr;
	}
	return r;
}

/* A copy faulted at wf: VM makes the rest of that side's range present
 * (writable when the copy writes it), and the caller's call runs again. */
static int ask_vm(struct proc *caller, struct proc *other,
	const struct window_fault *wf, vir_bytes other_addr, vir_bytes mine,
	uint32_t bytes, int to_other)
{
	struct proc *space = wf->in_other ? other : caller;
	vir_bytes start = wf->in_other ? other_addr : mine;
	vir_bytes at = wf->addr & ~PAGE_MASK;

	if (at < (start & ~PAGE_MASK) || at - start >= bytes)
		at = start & ~PAGE_MASK;	/* cannot be: ask for it all */
	caller->p_misc_flags |= MF_RESTART;
	memreq_post(caller, at, start + bytes - at,
		wf->in_other ? to_other : !to_other);
	caller->p_memreq.space = space->p_endpoint;
	return EDONTREPLY;
}

int grant_copy(struct proc *caller, endpoint_t granter, cp_grant_id_t id,
	uint32_t offset, vir_bytes addr, uint32_t bytes, int to_granter)
{
	struct grant_target t;
	struct window_fault wf;
	int r;

	if ((r = user_range_check(addr, bytes)) != OK)
		return r;
	r = grant_resolve(caller->p_endpoint, granter, id, offset, bytes,
		to_granter ? GF_WRITE : GF_READ, &t);
	if (r != OK || bytes == 0)
		return r;
	r = window_copy_fault(t.proc, t.addr, addr, bytes, to_granter, &wf);
	if (r == OK || wf.in_other < 0)
		return r;
	return ask_vm(caller, t.proc, &wf, t.addr, addr, bytes, to_granter);
}
