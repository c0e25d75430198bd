/*
 * Statistics and the region-lookup benchmark. The benchmark is served
 * only to processes with VMP_BENCH (the driver of a test or benchmark
 * boot, vm/priv.c) and only up to VM_LOOKUPBENCH_MAX lookups a request.
 */
#include "vm/info.h"
#include "vm/arch/i386/page.h"
#include "vm/cache.h"
#include "vm/fault.h"
#include "vm/frame.h"
#include "vm/reply.h"
#include "vm/vmproc.h"
#include "cairn/errno.h"

void stats_request(const message *m)
{
	struct vmproc *vmp = vmproc_lookup(m->m_source);
	message reply = { 0 };
	struct pmem_stats st;

	frame_stats(&st);
	reply.u.reply.status = OK;
	reply.u.reply.value[VMS_FREE] = st.free;
	reply.u.reply.value[VMS_TOTAL] = st.total;
	reply.u.reply.value[VMS_REGIONS] = vmp ? region_count(&vmp->regions)
					       : 0;
	reply.u.reply.value[VMS_FAULTS] = fault_count();
	reply.u.reply.value[VMS_CACHED] = cache_blocks();
	reply.u.reply.value[VMS_FORGOTTEN] = cache_forgotten();
	reply_msg(m->m_source, &reply);
}

static uint32_t xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* The two loops differ only in the lookup, so their difference is the
 * lookups' cost. */
static uint64_t timed_loop(const struct region_set *rs, vir_bytes lo,
	vir_bytes span, uint32_t count, uint32_t seed, int lookup,
	uint32_t *hits)
{
	volatile vir_bytes sink = 0;
	uint32_t s = seed ? seed : 1, found = 0;
	uint64_t t0 = arch_tsc();

	for (uint32_t i = 0; i < count; i++) {
		vir_bytes a = lo + xorshift(&s) % span;

		if (lookup)
			found += region_lookup(rs, a) != NULL;
		else
			sink = a;
	}
	t0 = arch_tsc() - t0;
	(void)sink;
	*hits = found;
	return t0;
}

void lookupbench_request(const message *m)
{
	struct vmproc *vmp = vmproc_lookup(m->m_source);
	const struct vm_lookupbench *rq = &m->u.vm_lookupbench;
	message reply = { 0 };
	struct region *first, *last;
	uint64_t with, without;
	uint32_t hits, none;

	/* For the lab only, and short: one request must not hold VM (and
	 * every process waiting on it) for long. */
	if (vmp == NULL || !(vmp->flags & VMP_BENCH)) {
		reply_to(m->m_source, EPERM, 0, 0);
		return;
	}
	if (rq->count > VM_LOOKUPBENCH_MAX) {
		reply_to(m->m_source, E2BIG, 0, 0);
		return;
	}
	if ((first = region_first(&vmp->regions)) == NULL || rq->count == 0) {
		reply_to(m->m_source, EINVAL, 0, 0);
		return;
	}
	last = avl_entry(avl_last(&vmp->regions.tree), struct region, node);
	with = timed_loop(&vmp->regions, first->start, region_end(last) -
		first->start + 1, rq->count, rq->seed, 1, &hits);
	without = timed_loop(&vmp->regions, first->start, region_end(last) -
		first->start + 1, rq->count, rq->seed, 0, &none);
	reply.u.reply.status = OK;
	reply.u.reply.value[0] = (uint32_t)with;
	reply.u.reply.value[1] = (uint32_t)(with >> 32);
	reply.u.reply.value[2] = (uint32_t)without;
	reply.u.reply.value[3] = (uint32_t)(without >> 32);
	reply.u.reply.value[4] = hits;
	reply_msg(m->m_source, &reply);
}

void zeropool_request(const message *m)
{
	struct vmproc *vmp = vmproc_lookup(m->m_source);
	const struct vm_zeropool *rq = &m->u.vm_zeropool;
	struct frame_pool_stats st;
	message reply = { 0 };

	if (rq->op == ZP_STATS) {
		frame_pool_stats(&st);
		reply.u.reply.status = OK;
		reply.u.reply.value[ZPS_POOLED] = st.pooled;
		reply.u.reply.value[ZPS_TARGET] = st.target;
		reply.u.reply.value[ZPS_TAKEN] = st.taken;
		reply.u.reply.value[ZPS_EMPTY] = st.empty;
		reply.u.reply.value[ZPS_ZEROED] = st.zeroed;
		reply.u.reply.value[ZPS_GIVEN] = st.given;
		reply_msg(m->m_source, &reply);
		return;
	}
	if (rq->op != ZP_DRAIN && rq->op != ZP_FILL) {
		reply_to(m->m_source, EINVAL, 0, 0);
		return;
	}
	/* Emptying or filling the pool on demand is for measuring it. */
	if (vmp == NULL || !(vmp->flags & VMP_BENCH)) {
		reply_to(m->m_source, EPERM, 0, 0);
		return;
	}
	if (rq->op == ZP_DRAIN) {
		reply_to(m->m_source, OK, frame_pool_drain(), 0);
		return;
	}
	if (rq->count == 0) {
		reply_to(m->m_source, EINVAL, 0, 0);
		return;
	}
	if (rq->count > ZP_FILL_MAX) {
		reply_to(m->m_source, E2BIG, 0, 0);
		return;
	}
	reply_to(m->m_source, OK, frame_pool_fill(rq->count), 0);
}
