/*
 * Physical-block records, on a slab cache of their own, and their
 * reference counts. The frame goes back to the allocator with the last
 * reference. Writes to a record go inside USE() (the sanity build keeps
 * slab pages read-only otherwise).
 */
#include <stdlib.h>
#include "vm/physblock.h"
#include "vm/frame.h"
#include "vm/sanity.h"
#include "vm/slab.h"
#include "cairn/errno.h"

static struct slab_cache block_cache;
static uint32_t walk;		/* the current sanity walk */

struct phys_block *pb_new(phys_bytes phys, uint16_t flags)
{
	struct phys_block *pb;

	if (block_cache.size == 0)
		slab_init(&block_cache, "physical block", sizeof(*pb));
	if ((pb = slab_alloc(&block_cache)) == NULL)
		return NULL;
	USE(pb, {
		pb->phys = phys;
		pb->refs = 1;
		pb->flags = flags;
	});
	return pb;
}

void pb_set_shared(struct phys_block *pb)
{
	USE(pb, pb->flags |= PB_SHARED;);
}

void pb_free_last(struct phys_block **pbs, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		struct phys_block *pb = pbs[i];

		if (pb->refs != 1)
			panic("vm: block of frame 0x%x freed with %u "
				"references", pb->phys, pb->refs);
		USE(pb, pb->refs = 0;);
		frame_free(pb->phys);
		slab_free(&block_cache, pb);
	}
}

void pb_release(struct phys_block *pb)
{
	if (pb->refs == 0)
		panic("vm: block of frame 0x%x released with no reference",
			pb->phys);
	USE(pb, pb->refs--;);
	if (pb->refs > 0)
		return;
	frame_free(pb->phys);
	slab_free(&block_cache, pb);
}

uint32_t pb_count(void)
{
	struct slab_stats st;

	if (block_cache.size == 0)
		return 0;
	slab_stats(&block_cache, &st);
	return st.in_use;
}

void pb_walk_begin(void)
{
	walk++;
}

void sanity_block(struct phys_block *pb)
{
	if (pb->seen_walk != walk) {
		USE(pb, {
			pb->seen_walk = walk;
			pb->seen_refs = 0;
		});
		sanity_mark(pb->phys, 1, "physical block");
	}
	USE(pb, pb->seen_refs++;);
}

void pb_walk_verify(const struct phys_block *pb)
{
	if (pb->seen_walk != walk || pb->seen_refs != pb->refs)
		panic("vm: sanity: block of frame 0x%x has %u references, "
			"%u found", pb->phys, pb->refs,
			pb->seen_walk == walk ? pb->seen_refs : 0);
}
